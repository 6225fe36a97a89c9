// The order tracker's reconciliation with the exchange: lost orders (§A6), adoption,
// retention, restart from the journal.

#include <catch2/catch.hpp>

#include "core/order_tracker.hpp"
#include "tests/core/tracker_test_support.hpp"

using namespace tern;
using namespace tern::test;
using kind = journal_entry::kind_type;
using st = order_state;

namespace {

/// Drives an order whose placement outcome is unknown to lost: four not-found answers.
tracker_result lose(order_tracker& tracker) {
  tracker_result last;
  for (int i = 1; i <= in_flight_order::lost_order_threshold + 1; ++i) {
    last = tracker.status_not_found(client_id, at(1000 * i));
  }
  return last;
}

} // namespace

TEST_CASE("an unknown outcome found by a status answer becomes open with its exchange id") {
  auto tracker = started_tracker();
  (void)tracker.place_unknown(client_id, "HTTP 503", at(1));
  auto found = tracker.apply_status(listed(st::open), at(2));
  CHECK(kinds(found) == std::vector{notice::created});
  CHECK(tracker.find(client_id)->exchange_order_id() == exchange_id);
  CHECK(tracker.find_by_exchange_id(exchange_id) != nullptr);
  CHECK(tracker.unknown_outcomes().empty());
}

TEST_CASE("an unknown outcome found in the open orders is reconciled, not adopted") {
  auto tracker = started_tracker();
  (void)tracker.place_unknown(client_id, "disconnect", at(1));
  auto reconciled = tracker.reconcile_open_orders({listed(st::open)}, {}, at(2), at(3));
  CHECK(kinds(reconciled) == std::vector{notice::created});
  CHECK(count_journal(reconciled, kind::intent) == 0);
  CHECK(tracker.size() == 1);
}

TEST_CASE("an unknown outcome never found fails as lost after the threshold") {
  auto tracker = started_tracker();
  (void)tracker.place_unknown(client_id, "timeout", at(1));
  for (int i = 1; i <= in_flight_order::lost_order_threshold; ++i) {
    auto counted = tracker.status_not_found(client_id, at(1000 * i));
    CHECK(counted.notices.empty());
    REQUIRE(counted.journal.size() == 1);
    CHECK(counted.journal[0].order.not_found_count == i);
    CHECK(tracker.find(client_id)->state() == st::pending_create);
  }
  auto failed = tracker.status_not_found(client_id, at(4000));
  CHECK(kinds(failed) == std::vector{notice::failed});
  CHECK_THAT(failed.notices[0].message, Catch::Contains("declared lost"));
  CHECK(tracker.find(client_id)->lost());
  CHECK(tracker.lost_orders().size() == 1);
  CHECK(tracker.open_orders().empty());

  // Lost orders keep being checked (§A6) and are not forgotten.
  auto due = tracker.due_polls(at(10000));
  REQUIRE(due.size() == 1);
  CHECK_THAT(due[0].reason, Catch::Contains("lost"));
  (void)tracker.tick(at(100000));
  CHECK(tracker.find(client_id) != nullptr);

  // Not found again: the exchange confirms; it leaves the lost list and then the tracker.
  auto confirmed = tracker.status_not_found(client_id, at(101000));
  CHECK(confirmed.notices.empty());
  CHECK(tracker.lost_orders().empty());
  (void)tracker.tick(at(131000));
  CHECK(tracker.find(client_id) == nullptr);
}

TEST_CASE("a lost order that reappears in the open orders is recovered") {
  auto tracker = started_tracker();
  (void)tracker.place_unknown(client_id, "timeout", at(1));
  (void)lose(tracker);
  REQUIRE(tracker.find(client_id)->lost());
  auto back = tracker.reconcile_open_orders({listed(st::open)}, {"BTC-USDT"}, at(9000),
                                            at(9001));
  CHECK(kinds(back) == std::vector{notice::recovered, notice::created});
  CHECK(tracker.find(client_id)->state() == st::open);
  CHECK(tracker.lost_orders().empty());
  CHECK(tracker.open_orders().size() == 1);
}

TEST_CASE("a lost order's fill from the stream recovers it") {
  auto tracker = started_tracker();
  (void)lose(tracker);
  auto filled = tracker.apply_fill(execution("t1", decimal::from_integer(1), 9), at(9000));
  CHECK(kinds(filled)
        == std::vector{notice::recovered, notice::created, notice::filled, notice::completed});
  CHECK(tracker.find(client_id)->state() == st::filled);
  CHECK_FALSE(tracker.find(client_id)->lost());
}

TEST_CASE("an order missing from the open orders counts one not-found and is polled") {
  auto tracker = started_tracker();
  (void)tracker.place_acknowledged(client_id, ack_with(exchange_id), at(1));
  auto missing = tracker.reconcile_open_orders({}, {"BTC-USDT"}, at(2), at(3));
  CHECK(tracker.find(client_id)->not_found_count() == 1);
  REQUIRE(missing.polls.size() == 1);
  CHECK(missing.polls[0].exchange_order_id == exchange_id);

  // Another market's list says nothing about it; neither does a list taken before it was sent.
  (void)tracker.reconcile_open_orders({}, {"ETH-USDT"}, at(4), at(5));
  auto early = tracker.reconcile_open_orders({}, {}, t0 - std::chrono::seconds{1}, at(6));
  CHECK(early.polls.empty());
  CHECK(tracker.find(client_id)->not_found_count() == 1);

  // Its status answer settles it: it was cancelled meanwhile.
  auto settled = tracker.apply_status(listed(st::cancelled), at(7));
  CHECK(kinds(settled) == std::vector{notice::cancelled});
  CHECK(tracker.find(client_id)->not_found_count() == 0);
}

TEST_CASE("an exchange order the tracker does not know is adopted and reported") {
  auto tracker = started_tracker();
  (void)tracker.place_acknowledged(client_id, ack_with(exchange_id), at(1));
  auto foreign = listed(st::partially_filled, "manual-1", "9990001");
  foreign.order_side = side::sell;
  foreign.amount = "2"_d;
  foreign.executed_base = "0.5"_d;
  auto adopted = tracker.reconcile_open_orders({listed(st::open), foreign}, {}, at(2), at(3));
  CHECK(kinds(adopted) == std::vector{notice::adopted});
  CHECK(adopted.notices[0].client_order_id == "manual-1");
  CHECK(adopted.notices[0].order_side == side::sell);
  REQUIRE(count_journal(adopted, kind::intent) == 1);
  CHECK(adopted.journal[0].adopted);
  CHECK(adopted.journal[0].order.spec.amount == "2"_d);
  REQUIRE(adopted.polls.size() == 1);  // its earlier fills are fetched
  CHECK(adopted.polls[0].fetch_trades);
  const auto* order = tracker.find_by_exchange_id("9990001");
  REQUIRE(order != nullptr);
  CHECK(order->state() == st::partially_filled);
  CHECK(tracker.open_orders().size() == 2);

  // Listing it again adopts nothing more.
  auto again = tracker.reconcile_open_orders({listed(st::open), foreign}, {}, at(4), at(5));
  CHECK(again.notices.empty());
  CHECK(count_journal(again, kind::intent) == 0);
}

TEST_CASE("an adopted order without a client id is named after its exchange id") {
  order_tracker tracker;
  auto held_fill = execution("t9", "0.1"_d, 1);
  held_fill.client_order_id.clear();
  held_fill.exchange_order_id = "777";
  (void)tracker.apply_fill(held_fill, at(1));
  CHECK(tracker.held_events() == 1);
  auto adopted = tracker.apply_status(listed(st::open, "", "777"), at(2));
  CHECK(kinds(adopted) == std::vector{notice::adopted, notice::filled});
  REQUIRE(tracker.find("exchange-777") != nullptr);
  CHECK(tracker.find("exchange-777")->executed_base() == "0.1"_d);
  CHECK(tracker.held_events() == 0);
}

TEST_CASE("trades since a time apply as fills, once") {
  auto tracker = started_tracker();
  (void)tracker.place_acknowledged(client_id, ack_with(exchange_id), at(1));
  (void)tracker.apply_fill(execution("t1", "0.3"_d, 2), at(2));
  auto recovered = tracker.apply_trades(
      {execution("t1", "0.3"_d, 2), execution("t2", "0.7"_d, 3)}, at(10));
  CHECK(count_journal(recovered, kind::fill) == 1);
  CHECK(kinds(recovered) == std::vector{notice::filled, notice::completed});
  CHECK(tracker.find(client_id)->executed_base() == decimal::from_integer(1));
}

TEST_CASE("final orders are retained for late fills, then forgotten") {
  order_tracker_options options;
  options.retention = std::chrono::seconds{30};
  auto tracker = started_tracker(options);
  (void)tracker.place_acknowledged(client_id, ack_with(exchange_id), at(1));
  (void)tracker.cancel_requested(client_id, at(2));
  (void)tracker.cancel_confirmed(client_id, at(3));
  (void)tracker.tick(at(29000));
  CHECK(tracker.find(client_id) != nullptr);
  CHECK(tracker.find_by_exchange_id(exchange_id) != nullptr);
  (void)tracker.tick(at(30003));
  CHECK(tracker.find(client_id) == nullptr);
  CHECK(tracker.find_by_exchange_id(exchange_id) == nullptr);
}

TEST_CASE("the retention limit forgets the oldest final orders first") {
  order_tracker_options options;
  options.retention_limit = 2;
  order_tracker tracker{options};
  for (int i = 0; i < 3; ++i) {
    auto spec = buy_spec();
    spec.client_order_id = "c" + std::to_string(i);
    (void)tracker.start(spec, at(i));
    (void)tracker.place_rejected(spec.client_order_id, "-2010", "rejected", at(10 + i));
  }
  (void)tracker.tick(at(20));
  CHECK(tracker.find("c0") == nullptr);
  CHECK(tracker.find("c1") != nullptr);
  CHECK(tracker.find("c2") != nullptr);
}

TEST_CASE("held events expire with a warning") {
  order_tracker tracker;
  auto stray = report(st::open, 1, "555");
  stray.client_order_id.clear();
  (void)tracker.apply_update(stray, at(1));
  CHECK(tracker.held_events() == 1);
  CHECK(tracker.tick(at(60000)).warnings.empty());
  auto expired = tracker.tick(at(300001));
  REQUIRE(expired.warnings.size() == 1);
  CHECK_THAT(expired.warnings[0], Catch::Contains("555"));
  CHECK(tracker.held_events() == 0);
}

TEST_CASE("restore rebuilds orders from journal snapshots and polls the open ones") {
  auto before = started_tracker();
  (void)before.place_acknowledged(client_id, ack_with(exchange_id), at(1));
  auto filled = before.apply_fill(execution("t1", "0.4"_d, 2), at(2));
  REQUIRE(filled.journal.size() == 1);
  journaled_order saved{filled.journal.back().order, {filled.journal.back().execution}, false};

  order_tracker after;
  auto restored = after.restore({saved}, at(100));
  REQUIRE(restored.polls.size() == 1);
  CHECK_THAT(restored.polls[0].reason, Catch::Contains("restored"));
  CHECK(restored.notices.empty());
  const auto* order = after.find_by_exchange_id(exchange_id);
  REQUIRE(order != nullptr);
  CHECK(order->state() == st::partially_filled);
  CHECK(order->executed_base() == "0.4"_d);
  // The fill seen before the restart is not counted again; created is not published again.
  auto repeat = after.apply_fill(execution("t1", "0.4"_d, 2), at(101));
  CHECK(repeat.notices.empty());
  auto next = after.apply_fill(execution("t2", "0.6"_d, 3), at(102));
  CHECK(kinds(next) == std::vector{notice::filled, notice::completed});
}

TEST_CASE("reserved amounts follow the open orders' remaining amounts") {
  auto tracker = started_tracker();
  auto sell = buy_spec("0.5"_d);
  sell.client_order_id = "s1";
  sell.order_side = side::sell;
  (void)tracker.start(sell, at(1));
  CHECK(tracker.reserved().at("USDT") == "30000"_d);
  CHECK(tracker.reserved().at("BTC") == "0.5"_d);
  (void)tracker.place_acknowledged(client_id, ack_with(exchange_id), at(2));
  (void)tracker.apply_fill(execution("t1", "0.25"_d, 3), at(3));
  CHECK(tracker.reserved().at("USDT") == "22500"_d);
  // Only the sell is still unacknowledged: the exchange's balance does not show it yet.
  auto unconfirmed = tracker.reserved(true);
  CHECK_FALSE(unconfirmed.contains("USDT"));
  CHECK(unconfirmed.at("BTC") == "0.5"_d);
}
