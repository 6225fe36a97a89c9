#include <catch2/catch.hpp>

#include "core/in_flight_order.hpp"
#include "tests/core/order_test_support.hpp"

using namespace tern;
using namespace tern::test;
using ev = order_event_kind;
using st = order_state;

TEST_CASE("fills accumulate executed base, quote and fees per asset") {
  auto order = order_in(st::open);
  (void)order.apply_fill(execution("t1", "0.2"_d, 2, "BNB", "0.0001"_d));
  (void)order.apply_fill(execution("t2", "0.3"_d, 3, "USDT", "9"_d));
  (void)order.apply_fill(execution("t3", "0.1"_d, 4, "BNB", "0.00005"_d));
  CHECK(order.executed_base() == "0.6"_d);
  CHECK(order.executed_quote() == "18000"_d);
  CHECK(order.remaining() == "0.4"_d);
  CHECK(order.average_price() == decimal::from_integer(30000));
  CHECK(order.fee_paid("BNB") == "0.00015"_d);
  CHECK(order.fee_paid("USDT") == "9"_d);
  CHECK(order.fee_paid("BTC") == decimal{});
  REQUIRE(order.fees().size() == 2);
  CHECK(order.fees()[0].asset == "BNB");  // sorted by asset
  CHECK(order.fills().size() == 3);
  CHECK(order.has_fill("t2"));
  CHECK(order.state() == st::partially_filled);
}

TEST_CASE("the average price weighs fills by their base amount") {
  auto order = order_in(st::open);
  auto cheap = execution("t1", "0.25"_d, 2);
  cheap.price = "29000"_d;
  cheap.quote_amount = "7250"_d;
  (void)order.apply_fill(cheap);
  (void)order.apply_fill(execution("t2", "0.75"_d, 3));  // 22500 USDT
  // (7250 + 22500) / 1 = 29750
  CHECK(order.average_price() == "29750"_d);
  CHECK(in_flight_order{buy_spec()}.average_price() == std::nullopt);
}

TEST_CASE("a repeated trade id counts once and reports a duplicate") {
  auto order = order_in(st::open);
  auto first = order.apply_fill(execution("t1", "0.4"_d, 2));
  CHECK(first.status == apply_status::applied);
  auto again = order.apply_fill(execution("t1", "0.4"_d, 3));
  CHECK(again.status == apply_status::duplicate);
  CHECK_FALSE(again.is_error());
  CHECK(again.events.empty());
  CHECK(order.executed_base() == "0.4"_d);
  CHECK(order.fee_paid("BNB") == "0.0001"_d);

  auto different = order.apply_fill(execution("t1", "0.5"_d, 4));
  CHECK(different.status == apply_status::duplicate);
  CHECK_THAT(different.message, Catch::Contains("differs from the recorded fill"));
  CHECK(order.executed_base() == "0.4"_d);
}

TEST_CASE("a fill before the ack moves pending_create to partially_filled and emits created") {
  in_flight_order order{buy_spec()};
  auto change = order.apply_fill(execution("t1", "0.5"_d, 1));
  CHECK(change.status == apply_status::applied);
  CHECK(change.from == st::pending_create);
  CHECK(change.to == st::partially_filled);
  CHECK(change.events == order_events{ev::created, ev::filled});
  auto ack = order.apply_update(report(st::open, 2, exchange_id));
  CHECK(ack.events.empty());
  CHECK(order.state() == st::partially_filled);
}

TEST_CASE("a fill of the whole amount before the ack fills the order at once") {
  in_flight_order order{buy_spec()};
  auto change = order.apply_fill(execution("t1", decimal::from_integer(1), 1));
  CHECK(change.to == st::filled);
  CHECK(change.events == order_events{ev::created, ev::filled, ev::completed});
  CHECK(order.is_done());
  CHECK(order.remaining() == decimal{});
  CHECK(order.apply_update(report(st::open, 2)).status == apply_status::stale);
  CHECK(order.apply_update(report(st::filled, 3)).events.empty());  // no second completed
}

TEST_CASE("a fill racing a cancel is applied and the cancel still completes") {
  auto order = order_in(st::open);
  (void)order.apply_update(report(st::pending_cancel, 2));
  auto racing = order.apply_fill(execution("t1", "0.3"_d, 3));
  CHECK(racing.events == order_events{ev::filled});
  CHECK(order.state() == st::pending_cancel);  // the cancel is still pending
  CHECK(order.apply_update(report(st::cancelled, 4)).events == order_events{ev::cancelled});
  CHECK(order.executed_base() == "0.3"_d);
}

TEST_CASE("fills arriving after cancelled are never lost") {
  auto order = order_in(st::cancelled);
  auto late = order.apply_fill(execution("t1", "0.3"_d, 5));
  CHECK(late.status == apply_status::applied);
  CHECK(late.events == order_events{ev::filled});
  CHECK(order.state() == st::cancelled);
  CHECK(order.executed_base() == "0.3"_d);
  CHECK(order.is_done());
}

TEST_CASE("late fills covering a cancelled order's amount make it filled") {
  auto order = order_in(st::cancelled);
  (void)order.apply_fill(execution("t1", "0.5"_d, 5));
  auto last = order.apply_fill(execution("t2", "0.5"_d, 6));
  CHECK(last.from == st::cancelled);
  CHECK(last.to == st::filled);
  CHECK(last.events == order_events{ev::filled, ev::completed});
  CHECK(order.apply_update(report(st::cancelled, 7)).status == apply_status::illegal_transition);
}

TEST_CASE("an order cancelled before its ack emits created before a late fill") {
  in_flight_order order{buy_spec()};
  CHECK(order.apply_update(report(st::cancelled)).events == order_events{ev::cancelled});
  auto late = order.apply_fill(execution("t1", "0.1"_d, 2));
  CHECK(late.events == order_events{ev::created, ev::filled});
}

TEST_CASE("a fill beyond the amount is recorded and reported as an overfill") {
  auto order = order_in(st::open);
  (void)order.apply_fill(execution("t1", "0.6"_d, 2));
  auto over = order.apply_fill(execution("t2", "0.6"_d, 3));
  CHECK(over.status == apply_status::overfill);
  CHECK(over.is_error());
  CHECK(over.events == order_events{ev::filled, ev::completed});
  CHECK_THAT(over.message, Catch::Contains("executed base to 1.2, above the amount 1"));
  CHECK(order.executed_base() == "1.2"_d);
  CHECK(order.state() == st::filled);
  CHECK(order.remaining() == decimal{});

  auto more = order.apply_fill(execution("t3", "0.1"_d, 4));
  CHECK(more.status == apply_status::overfill);
  CHECK(more.events == order_events{ev::filled});
}

TEST_CASE("malformed fills are refused as invalid and change nothing") {
  auto order = order_in(st::open);
  auto no_trade_id = execution("", "0.1"_d);
  auto zero_base = execution("t1", decimal{});
  auto bad_price = execution("t2", "0.1"_d);
  bad_price.price = "-1"_d;
  auto zero_quote = execution("t3", "0.1"_d);
  zero_quote.quote_amount = decimal{};
  auto fee_without_asset = execution("t4", "0.1"_d, 1, "", "0.5"_d);
  for (const auto& bad : {no_trade_id, zero_base, bad_price, zero_quote, fee_without_asset}) {
    auto change = order.apply_fill(bad);
    INFO(change.message);
    CHECK(change.status == apply_status::invalid);
    CHECK(change.is_error());
  }
  CHECK(order.fills().empty());
  CHECK(order.executed_base() == decimal{});
  // A fill without any fee is fine.
  auto fee_free = order.apply_fill(execution("t5", "0.1"_d, 1, "", decimal{}));
  CHECK(fee_free.status == apply_status::applied);
  CHECK(order.fees().empty());
}

TEST_CASE("fills naming another order, pair or side are mismatches") {
  auto order = order_in(st::pending_create);
  (void)order.apply_update(report(st::open, 1, exchange_id));
  auto other_side = execution("t1", "0.1"_d);
  other_side.order_side = side::sell;
  auto other_pair = execution("t2", "0.1"_d);
  other_pair.pair = "BTC-USDC";
  auto other_exchange = execution("t3", "0.1"_d);
  other_exchange.exchange_order_id = "12";
  for (const auto& bad : {other_side, other_pair, other_exchange}) {
    auto change = order.apply_fill(bad);
    CHECK(change.status == apply_status::mismatch);
  }
  CHECK_THAT(order.apply_fill(other_side).message, Catch::Contains("is a sell but order"));
  CHECK(order.fills().empty());
}

TEST_CASE("an order not found more than three times is declared lost and failed") {
  auto order = order_in(st::open);
  for (int i = 1; i <= in_flight_order::lost_order_threshold; ++i) {
    auto miss = order.record_not_found(t0 + std::chrono::seconds{i});
    CHECK(miss.status == apply_status::unchanged);
    CHECK(miss.events.empty());
    CHECK(order.not_found_count() == i);
    CHECK(order.state() == st::open);
  }
  auto lost = order.record_not_found(t0 + std::chrono::seconds{4});
  CHECK(lost.status == apply_status::applied);
  CHECK(lost.to == st::failed);
  CHECK(lost.events == order_events{ev::failed});
  CHECK(order.lost());
  CHECK(order.error_code() == "order_not_found");
  CHECK(order.last_update_time() == t0 + std::chrono::seconds{4});
}

TEST_CASE("evidence of the order resets the not-found count") {
  auto order = order_in(st::open);
  (void)order.record_not_found(t0);
  (void)order.record_not_found(t0);
  (void)order.apply_fill(execution("t1", "0.1"_d, 2));
  CHECK(order.not_found_count() == 0);
  (void)order.record_not_found(t0);
  (void)order.apply_update(report(st::partially_filled, 3));
  CHECK(order.not_found_count() == 0);
  (void)order.record_not_found(t0);
  (void)order.apply_update(report(st::pending_cancel, 4));  // a local decision proves nothing
  CHECK(order.not_found_count() == 1);
}

TEST_CASE("a lost order that reconciliation finds open comes back") {
  in_flight_order order{buy_spec()};
  for (int i = 0; i <= in_flight_order::lost_order_threshold; ++i) (void)order.record_not_found(t0);
  REQUIRE(order.lost());
  CHECK(order.apply_update(report(st::open, 5)).status == apply_status::illegal_transition);
  auto found = order.reconcile(report(st::open, 6, exchange_id));
  CHECK(found.status == apply_status::applied);
  CHECK(found.events == order_events{ev::recovered, ev::created});
  CHECK(order.state() == st::open);
  CHECK_FALSE(order.lost());
  CHECK(order.not_found_count() == 0);
  CHECK(order.error_code().empty());
  CHECK(order.exchange_order_id() == exchange_id);
}

TEST_CASE("a lost order that reconciliation finds filled completes") {
  auto order = order_in(st::open);
  for (int i = 0; i <= in_flight_order::lost_order_threshold; ++i) (void)order.record_not_found(t0);
  auto late = order.apply_fill(execution("t1", "0.4"_d, 5));  // lost orders still take fills
  CHECK(late.events == order_events{ev::filled});
  CHECK(order.state() == st::failed);
  auto found = order.reconcile(report(st::filled, 6));
  CHECK(found.events == order_events{ev::recovered});
  CHECK(order.completion_pending());
  CHECK(order.apply_fill(execution("t2", "0.6"_d, 7)).events
        == order_events{ev::filled, ev::completed});
}

TEST_CASE("fills covering a lost order's amount recover it as filled") {
  in_flight_order order{buy_spec()};
  for (int i = 0; i <= in_flight_order::lost_order_threshold; ++i) (void)order.record_not_found(t0);
  auto fill = order.apply_fill(execution("t1", decimal::from_integer(1), 5));
  CHECK(fill.events == order_events{ev::recovered, ev::created, ev::filled, ev::completed});
  CHECK(order.state() == st::filled);
  CHECK_FALSE(order.lost());
}

TEST_CASE("a lost order the exchange reports failed is confirmed and stops being lost") {
  auto order = order_in(st::open);
  for (int i = 0; i <= in_flight_order::lost_order_threshold; ++i) (void)order.record_not_found(t0);
  auto confirmed = order.reconcile(report(st::failed, 5));
  CHECK(confirmed.status == apply_status::applied);
  CHECK(confirmed.events.empty());
  CHECK_FALSE(order.lost());
  CHECK(order.state() == st::failed);
}

TEST_CASE("not-found answers for final orders only count") {
  auto order = order_in(st::cancelled);
  for (int i = 0; i < 6; ++i) {
    auto change = order.record_not_found(t0);
    CHECK(change.status == apply_status::unchanged);
  }
  CHECK(order.state() == st::cancelled);
  CHECK_FALSE(order.lost());
  CHECK(order.not_found_count() == 6);
}

TEST_CASE("a Binance-style lifecycle: ack, two partial fills, filled") {
  in_flight_order order{buy_spec()};
  std::vector<order_events> seen;
  seen.push_back(order.apply_update(report(st::open, 1, exchange_id)).events);
  seen.push_back(order.apply_fill(execution("101", "0.4"_d, 2)).events);
  seen.push_back(order.apply_update(report(st::partially_filled, 2, exchange_id)).events);
  seen.push_back(order.apply_fill(execution("102", "0.6"_d, 3)).events);
  seen.push_back(order.apply_update(report(st::filled, 3, exchange_id)).events);
  std::vector<order_events> expected = {
      {ev::created}, {ev::filled}, {}, {ev::filled, ev::completed}, {}};
  CHECK(seen == expected);
  CHECK(order.state() == st::filled);
  CHECK(order.executed_quote() == "30000"_d);
}
