#include <catch2/catch.hpp>

#include <map>
#include <stdexcept>
#include <utility>

#include "core/in_flight_order.hpp"
#include "tests/core/order_test_support.hpp"

using namespace tern;
using namespace tern::test;
using ev = order_event_kind;
using st = order_state;

namespace {

constexpr auto A = apply_status::applied;
constexpr auto U = apply_status::unchanged;
constexpr auto O = apply_status::stale;
constexpr auto X = apply_status::illegal_transition;

// The rules of in_flight_order.hpp, restated as outcomes. Rows: from; columns: to, both in
// the order of all_states (pending_create, open, partially_filled, pending_cancel, cancelled,
// filled, failed).
constexpr apply_status update_outcomes[7][7] = {
    {U, A, A, A, A, A, A},
    {O, U, A, A, A, A, A},
    {O, O, U, A, A, A, A},
    {O, A, A, U, A, A, A},
    {O, O, O, O, U, A, X},
    {O, O, O, O, X, U, X},
    {O, X, X, X, X, X, U},
};

} // namespace

TEST_CASE("every state report from every state has the outcome of the transition table") {
  for (int from = 0; from < 7; ++from) {
    for (int to = 0; to < 7; ++to) {
      auto order = order_in(all_states[from]);
      REQUIRE(order.state() == all_states[from]);
      INFO(to_string(all_states[from]) << " -> " << to_string(all_states[to]));
      auto change = order.apply_update(report(all_states[to], 10));
      CHECK(change.status == update_outcomes[from][to]);
      CHECK(change.from == all_states[from]);
      auto expected_state = change.status == A ? all_states[to] : all_states[from];
      CHECK(order.state() == expected_state);
      CHECK(change.message.empty() == (change.status == A || change.status == U));
    }
  }
}

TEST_CASE("reconciliation follows the same table and also revives failed orders") {
  for (int from = 0; from < 7; ++from) {
    for (int to = 0; to < 7; ++to) {
      auto order = order_in(all_states[from]);
      INFO(to_string(all_states[from]) << " -> " << to_string(all_states[to]));
      auto change = order.reconcile(report(all_states[to], 10));
      auto expected = update_outcomes[from][to];
      if (all_states[from] == st::failed && expected == X) expected = A;
      CHECK(change.status == expected);
    }
  }
}

TEST_CASE("the table itself matches the documented rules") {
  CHECK(transition_rule_for(st::pending_cancel, st::open) == transition_rule::legal);
  CHECK(transition_rule_for(st::cancelled, st::filled) == transition_rule::legal);
  CHECK(transition_rule_for(st::filled, st::cancelled) == transition_rule::illegal);
  CHECK(transition_rule_for(st::failed, st::open) == transition_rule::reconcile_only);
  CHECK(transition_rule_for(st::partially_filled, st::open) == transition_rule::stale);
  CHECK(transition_rule_for(st::open, st::open) == transition_rule::same);
}

TEST_CASE("an illegal transition names both states and keeps the order as it was") {
  auto order = order_in(st::filled);
  auto change = order.apply_update(report(st::cancelled, 5));
  CHECK(change.status == apply_status::illegal_transition);
  CHECK(change.is_error());
  CHECK(change.from == st::filled);
  CHECK(change.to == st::cancelled);
  CHECK(change.events.empty());
  CHECK_THAT(change.message, Catch::Contains("is filled, which is final; cancelled"));
  CHECK_THAT(change.describe(), Catch::StartsWith("illegal_transition filled -> cancelled: "));
  CHECK(order.state() == st::filled);
}

TEST_CASE("a stale report is not an error and changes nothing") {
  auto order = order_in(st::cancelled);
  auto last = order.last_update_time();
  auto change = order.apply_update(report(st::open, 1));
  CHECK(change.status == apply_status::stale);
  CHECK_FALSE(change.is_error());
  CHECK_THAT(change.message, Catch::Contains("already cancelled; the report of open is older"));
  CHECK(order.last_update_time() == last);
}

TEST_CASE("the ordinary path cannot revive a failed order") {
  auto order = order_in(st::failed);
  auto change = order.apply_update(report(st::open, 5));
  CHECK(change.status == apply_status::illegal_transition);
  CHECK_THAT(change.message, Catch::Contains("only reconciliation"));
  CHECK(order.state() == st::failed);
}

TEST_CASE("created is emitted once, on the first entry into a live or filled state") {
  std::map<st, order_events> first_events = {
      {st::open, {ev::created}},
      {st::partially_filled, {ev::created}},
      {st::filled, {ev::created}},  // by report, no fills yet: completion waits for them
      {st::pending_cancel, {}},
      {st::cancelled, {ev::cancelled}},
      {st::failed, {ev::failed}},
  };
  for (const auto& [target, events] : first_events) {
    INFO(to_string(target));
    in_flight_order order{buy_spec()};
    CHECK(order.apply_update(report(target)).events == events);
  }

  in_flight_order order{buy_spec()};
  CHECK(order.apply_update(report(st::open)).events == order_events{ev::created});
  CHECK(order.apply_update(report(st::partially_filled, 2)).events.empty());
  CHECK(order.apply_update(report(st::pending_cancel, 3)).events.empty());
  CHECK(order.apply_update(report(st::cancelled, 4)).events == order_events{ev::cancelled});
}

TEST_CASE("a cancel requested before the ack emits created when the cancel is rejected") {
  in_flight_order order{buy_spec()};
  CHECK(order.apply_update(report(st::pending_cancel)).events.empty());
  auto rejected_cancel = order.apply_update(report(st::open, 2, exchange_id));
  CHECK(rejected_cancel.status == apply_status::applied);
  CHECK(rejected_cancel.events == order_events{ev::created});
  CHECK(order.state() == st::open);
  CHECK(order.exchange_order_id() == exchange_id);
}

TEST_CASE("a rejection records the exchange's error and emits failed") {
  in_flight_order order{buy_spec()};
  auto rejected = report(st::failed, 3);
  rejected.error_code = "-2010";
  rejected.error_message = "Account has insufficient balance for requested action.";
  auto change = order.apply_update(rejected);
  CHECK(change.events == order_events{ev::failed});
  CHECK(order.error_code() == "-2010");
  CHECK(order.error_message() == rejected.error_message);
  CHECK(order.is_done());
  CHECK_FALSE(order.is_open());
  CHECK_FALSE(order.lost());
}

TEST_CASE("the exchange order id is learnt from the first report that carries it") {
  in_flight_order order{buy_spec()};
  CHECK(order.exchange_order_id().empty());
  auto ack = order.apply_update(report(st::open, 1, exchange_id));
  CHECK(order.exchange_order_id() == exchange_id);
  CHECK(ack.status == apply_status::applied);

  auto repeat = order.apply_update(report(st::open, 2, exchange_id));
  CHECK(repeat.status == apply_status::unchanged);

  in_flight_order late{buy_spec()};
  (void)late.apply_update(report(st::open));
  auto id_only = late.apply_update(report(st::open, 2, exchange_id));
  CHECK(id_only.status == apply_status::applied);  // the record changed: it learnt the id
  CHECK(late.exchange_order_id() == exchange_id);
}

TEST_CASE("reports naming another order are refused as mismatches") {
  auto order = order_in(st::pending_create);
  (void)order.apply_update(report(st::open, 1, exchange_id));

  auto other_client = report(st::cancelled, 2);
  other_client.client_order_id = "someone-else";
  auto other_exchange = report(st::cancelled, 2, "999");
  auto other_pair = report(st::cancelled, 2);
  other_pair.pair = "ETH-USDT";
  auto anonymous = report(st::cancelled, 2);
  anonymous.client_order_id.clear();

  for (const auto& bad : {other_client, other_exchange, other_pair, anonymous}) {
    auto change = order.apply_update(bad);
    CHECK(change.status == apply_status::mismatch);
    CHECK(change.is_error());
    CHECK_FALSE(change.message.empty());
    CHECK(order.state() == st::open);
  }
  auto by_exchange_id = report(st::cancelled, 3, exchange_id);
  by_exchange_id.client_order_id.clear();
  CHECK(order.apply_update(by_exchange_id).status == apply_status::applied);
}

TEST_CASE("a filled report before the fills defers completed until they cover the amount") {
  auto order = order_in(st::open);
  auto filled = order.apply_update(report(st::filled, 2));
  CHECK(filled.events.empty());
  CHECK(order.state() == st::filled);
  CHECK(order.completion_pending());
  CHECK(order.is_done());

  auto first = order.apply_fill(execution("t1", "0.4"_d, 3));
  CHECK(first.events == order_events{ev::filled});
  auto last = order.apply_fill(execution("t2", "0.6"_d, 4));
  CHECK(last.events == order_events{ev::filled, ev::completed});
  CHECK_FALSE(order.completion_pending());
}

TEST_CASE("finish_completion emits completed once when the fills never arrive") {
  auto order = order_in(st::open);
  (void)order.apply_update(report(st::filled, 2));
  (void)order.apply_fill(execution("t1", "0.4"_d, 3));
  auto forced = order.finish_completion(t0 + std::chrono::seconds{5});
  CHECK(forced.status == apply_status::applied);
  CHECK(forced.events == order_events{ev::completed});
  CHECK_THAT(forced.message, Catch::Contains("executed base 0.4 of 1"));
  CHECK(order.finish_completion(t0 + std::chrono::seconds{6}).status == apply_status::unchanged);
  // A straggler fill is still applied, but completed is not repeated.
  CHECK(order.apply_fill(execution("t2", "0.6"_d, 7000)).events == order_events{ev::filled});
  CHECK(order.finish_completion(t0).events.empty());
}

TEST_CASE("cancelled then filled: the exchange's FILLED wins over a cancel") {
  auto order = order_in(st::pending_cancel);
  (void)order.apply_fill(execution("t1", "0.3"_d, 3));
  CHECK(order.apply_update(report(st::cancelled, 4)).events == order_events{ev::cancelled});
  auto filled = order.apply_update(report(st::filled, 5));
  CHECK(filled.status == apply_status::applied);
  CHECK(order.state() == st::filled);
  CHECK(filled.events.empty());  // 0.3 of 1 executed: completed waits for the fills
  auto rest = order.apply_fill(execution("t2", "0.7"_d, 6));
  CHECK(rest.events == order_events{ev::filled, ev::completed});
}

TEST_CASE("an open report after the first fill reads as partially filled") {
  in_flight_order order{buy_spec()};
  (void)order.apply_fill(execution("t1", "0.25"_d, 1));
  REQUIRE(order.state() == st::partially_filled);
  auto late_ack = order.apply_update(report(st::open, 2, exchange_id));
  CHECK(late_ack.status == apply_status::applied);  // learnt the exchange id
  CHECK(late_ack.to == st::partially_filled);
  CHECK(late_ack.events.empty());
  CHECK(order.state() == st::partially_filled);
  CHECK(order.exchange_order_id() == exchange_id);
}

TEST_CASE("the last update time is the latest time applied, never earlier") {
  in_flight_order order{buy_spec()};
  CHECK(order.creation_time() == t0);
  CHECK(order.last_update_time() == t0);
  (void)order.apply_update(report(st::open, 50));
  CHECK(order.last_update_time() == t0 + std::chrono::milliseconds{50});
  (void)order.apply_update(report(st::partially_filled, 20));  // arrived late, still legal
  CHECK(order.last_update_time() == t0 + std::chrono::milliseconds{50});
  (void)order.apply_fill(execution("t1", "0.5"_d, 80));
  CHECK(order.last_update_time() == t0 + std::chrono::milliseconds{80});
}

TEST_CASE("orders that are not validated cannot be tracked") {
  auto no_id = buy_spec();
  no_id.client_order_id.clear();
  CHECK_THROWS_AS(in_flight_order{no_id}, std::invalid_argument);
  auto no_pair = buy_spec();
  no_pair.pair = trading_pair{};
  CHECK_THROWS_AS(in_flight_order{no_pair}, std::invalid_argument);
  CHECK_THROWS_WITH(in_flight_order{buy_spec(decimal{})}, Catch::Contains("amount 0"));
}

TEST_CASE("perpetual order fields are kept as given") {
  auto spec = buy_spec();
  spec.action = position_action::close;
  spec.leverage = decimal::from_integer(20);
  spec.tif = time_in_force::ioc;
  in_flight_order order{spec};
  CHECK(order.spec().action == position_action::close);
  CHECK(order.spec().leverage == decimal::from_integer(20));
  CHECK(order.spec().tif == time_in_force::ioc);
  CHECK(order.type() == order_type::limit);
  CHECK(order.order_side() == side::buy);
  CHECK(order.price() == decimal::from_integer(30000));
  CHECK(order.pair().to_string() == "BTC-USDT");
}
