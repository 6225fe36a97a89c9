// The order tracker's placement, stream and cancel paths (§A5, §A7).

#include <catch2/catch.hpp>

#include "core/order_tracker.hpp"
#include "tests/core/tracker_test_support.hpp"

using namespace tern;
using namespace tern::test;
using kind = journal_entry::kind_type;
using st = order_state;

TEST_CASE("start journals the intent before anything else and refuses a taken client id") {
  order_tracker tracker;
  auto started = tracker.start(buy_spec(), t0);
  REQUIRE(started);
  REQUIRE(started->journal.size() == 1);
  CHECK(started->journal[0].kind == kind::intent);
  CHECK(started->journal[0].order.spec.client_order_id == client_id);
  CHECK(started->journal[0].order.state == st::pending_create);
  CHECK(started->notices.empty());
  CHECK(tracker.open_orders().size() == 1);

  auto again = tracker.start(buy_spec(), at(1));
  REQUIRE_FALSE(again);
  CHECK_THAT(again.error().message, Catch::Contains(client_id));
  auto bad = buy_spec(decimal{});
  bad.client_order_id = "other";
  auto refused = tracker.start(bad, at(1));
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().message, Catch::Contains("not positive"));
}

TEST_CASE("an ack then fills: created once, one filled per trade, completed at the amount") {
  auto tracker = started_tracker();
  auto acked = tracker.place_acknowledged(client_id, ack_with(exchange_id), at(1));
  CHECK(kinds(acked) == std::vector{notice::created});
  CHECK(acked.notices[0].exchange_order_id == exchange_id);
  CHECK(count_journal(acked, kind::state) == 1);
  REQUIRE(tracker.find_by_exchange_id(exchange_id) != nullptr);
  CHECK(tracker.find_by_exchange_id(exchange_id)->state() == st::open);

  auto first = tracker.apply_fill(execution("t1", "0.4"_d, 2), at(2));
  CHECK(kinds(first) == std::vector{notice::filled});
  REQUIRE(first.notices[0].fills.size() == 1);
  CHECK(first.notices[0].fills[0].trade_id == "t1");
  CHECK(first.notices[0].executed_base == "0.4"_d);
  REQUIRE(count_journal(first, kind::fill) == 1);
  CHECK(first.journal[0].execution.trade_id == "t1");

  // Matched by exchange id alone, as some streams report fills.
  auto by_exchange = execution("t2", "0.6"_d, 3);
  by_exchange.client_order_id.clear();
  by_exchange.exchange_order_id = exchange_id;
  auto last = tracker.apply_fill(by_exchange, at(3));
  CHECK(kinds(last) == std::vector{notice::filled, notice::completed});
  CHECK(last.notices[1].state == st::filled);
  CHECK(last.notices[1].executed_quote == "30000"_d);
  CHECK(tracker.open_orders().empty());
  CHECK(tracker.completed_orders().size() == 1);
}

TEST_CASE("fills before the ack are applied at once when they carry the client id") {
  auto tracker = started_tracker();
  auto early = tracker.apply_fill(execution("t1", "0.5"_d, 1), at(1));
  CHECK(kinds(early) == std::vector{notice::created, notice::filled});
  auto acked = tracker.place_acknowledged(client_id, ack_with(exchange_id, 2), at(2));
  CHECK(acked.notices.empty());  // created was already published
  const auto* order = tracker.find(client_id);
  REQUIRE(order != nullptr);
  CHECK(order->state() == st::partially_filled);
  CHECK(order->exchange_order_id() == exchange_id);
  CHECK(order->executed_base() == "0.5"_d);
}

TEST_CASE("an event naming only an unknown exchange id is held until the ack, then counted once") {
  auto tracker = started_tracker();
  auto early = execution("t1", "0.3"_d, 1);
  early.client_order_id.clear();
  early.exchange_order_id = exchange_id;
  auto held = tracker.apply_fill(early, at(1));
  CHECK(held.notices.empty());
  CHECK(held.journal.empty());
  CHECK(tracker.held_events() == 1);
  CHECK(tracker.find(client_id)->executed_base() == decimal{});

  auto acked = tracker.place_acknowledged(client_id, ack_with(exchange_id, 2), at(2));
  CHECK(kinds(acked) == std::vector{notice::created, notice::filled});
  CHECK(count_journal(acked, kind::fill) == 1);
  CHECK(tracker.held_events() == 0);
  CHECK(tracker.find(client_id)->executed_base() == "0.3"_d);

  auto repeat = tracker.apply_fill(early, at(3));  // the stream delivers it again
  CHECK(repeat.notices.empty());
  CHECK(repeat.journal.empty());
  CHECK(tracker.find(client_id)->executed_base() == "0.3"_d);
}

TEST_CASE("a duplicate fill counts once and journals nothing") {
  auto tracker = started_tracker();
  (void)tracker.place_acknowledged(client_id, ack_with(exchange_id), at(1));
  auto once = tracker.apply_fill(execution("t1", "0.4"_d, 2), at(2));
  auto twice = tracker.apply_fill(execution("t1", "0.4"_d, 2), at(3));
  CHECK(count_journal(once, kind::fill) == 1);
  CHECK(twice.journal.empty());
  CHECK(twice.notices.empty());
  CHECK(twice.warnings.empty());  // duplicates are expected, not errors
  CHECK(tracker.find(client_id)->executed_base() == "0.4"_d);
  CHECK(tracker.find(client_id)->fee_paid("BNB") == "0.0001"_d);
}

TEST_CASE("fills carried in the place response apply with the ack") {
  auto tracker = started_tracker();
  auto ack = ack_with(exchange_id);
  ack.state = st::filled;
  auto taken = execution("t1", decimal::from_integer(1), 1);
  taken.client_order_id.clear();
  ack.fills.push_back(taken);
  auto acked = tracker.place_acknowledged(client_id, ack, at(1));
  CHECK(kinds(acked) == std::vector{notice::created, notice::filled, notice::completed});
  CHECK(tracker.find(client_id)->state() == st::filled);
}

TEST_CASE("a partial fill then a cancel: pending_cancel, cancelled with the executed part") {
  auto tracker = started_tracker();
  (void)tracker.place_acknowledged(client_id, ack_with(exchange_id), at(1));
  (void)tracker.apply_fill(execution("t1", "0.4"_d, 2), at(2));
  auto requested = tracker.cancel_requested(client_id, at(3));
  CHECK(kinds(requested) == std::vector{notice::state});
  CHECK(requested.notices[0].state == st::pending_cancel);
  auto confirmed = tracker.cancel_confirmed(client_id, at(4));
  CHECK(kinds(confirmed) == std::vector{notice::cancelled});
  CHECK(confirmed.notices[0].executed_base == "0.4"_d);
  CHECK(tracker.open_orders().empty());

  // A fill racing the cancel still counts: the order is retained for late fills.
  auto late = tracker.apply_fill(execution("t2", "0.1"_d, 5), at(5));
  CHECK(kinds(late) == std::vector{notice::filled});
  CHECK(tracker.find(client_id)->executed_base() == "0.5"_d);
  CHECK(tracker.find(client_id)->state() == st::cancelled);
}

TEST_CASE("a refused cancel returns the order to open, an unknown one stays pending and polls") {
  auto tracker = started_tracker();
  (void)tracker.place_acknowledged(client_id, ack_with(exchange_id), at(1));
  (void)tracker.cancel_requested(client_id, at(2));
  auto refused = tracker.cancel_refused(client_id, "order is being matched", at(3));
  CHECK(tracker.find(client_id)->state() == st::open);
  REQUIRE(refused.warnings.size() == 1);
  CHECK_THAT(refused.warnings[0], Catch::Contains("order is being matched"));

  (void)tracker.cancel_requested(client_id, at(4));
  auto unknown = tracker.cancel_unknown(client_id, "timeout", at(5));
  CHECK(tracker.find(client_id)->state() == st::pending_cancel);
  REQUIRE(unknown.polls.size() == 1);
  CHECK(unknown.polls[0].exchange_order_id == exchange_id);
  CHECK_THAT(unknown.polls[0].reason, Catch::Contains("cancel outcome unknown"));
}

TEST_CASE("a cancel answered not found counts toward the lost-order threshold and polls") {
  auto tracker = started_tracker();
  (void)tracker.place_acknowledged(client_id, ack_with(exchange_id), at(1));
  (void)tracker.cancel_requested(client_id, at(2));
  auto missing = tracker.cancel_not_found(client_id, at(3));
  CHECK(tracker.find(client_id)->not_found_count() == 1);
  CHECK(missing.polls.size() == 1);
  REQUIRE(missing.journal.size() == 1);
  CHECK(missing.journal[0].order.not_found_count == 1);  // survives a restart
}

TEST_CASE("a definite rejection fails the order with the exchange's reason") {
  auto tracker = started_tracker();
  auto rejected = tracker.place_rejected(client_id, "-2010", "Account has insufficient balance",
                                         at(1));
  CHECK(kinds(rejected) == std::vector{notice::failed});
  CHECK(rejected.notices[0].message == "Account has insufficient balance");
  CHECK(tracker.find(client_id)->error_code() == "-2010");
  CHECK(tracker.open_orders().empty());
  CHECK(tracker.lost_orders().empty());
}

TEST_CASE("a cancellation the exchange decided carries its reason; the owner's carries none") {
  auto tracker = started_tracker();
  (void)tracker.place_acknowledged(client_id, ack_with(exchange_id), at(1));
  auto ended = listed(order_state::cancelled);
  ended.end_code = "cancelSource 31";
  ended.end_reason = "post-only order would have taken liquidity (cancelSource 31)";
  auto cancelled = tracker.apply_status(ended, at(2));
  REQUIRE(kinds(cancelled) == std::vector{notice::cancelled});
  CHECK(cancelled.notices[0].message == ended.end_reason);
  CHECK(tracker.find(client_id)->error_code() == "cancelSource 31");

  auto own = started_tracker();
  (void)own.place_acknowledged(client_id, ack_with(exchange_id), at(1));
  auto plain = own.apply_status(listed(order_state::cancelled), at(2));
  REQUIRE(kinds(plain) == std::vector{notice::cancelled});
  CHECK(plain.notices[0].message.empty());
}

TEST_CASE("a rejection contradicted by a fill is not applied, the order is polled") {
  auto tracker = started_tracker();
  (void)tracker.apply_fill(execution("t1", "0.2"_d, 1), at(1));
  auto rejected = tracker.place_rejected(client_id, "-1000", "unknown error", at(2));
  CHECK(rejected.notices.empty());
  CHECK(tracker.find(client_id)->state() == st::partially_filled);
  REQUIRE(rejected.warnings.size() == 1);
  CHECK(rejected.polls.size() == 1);
}

TEST_CASE("an unknown placement outcome stays in flight and is listed for polling") {
  auto tracker = started_tracker();
  auto unknown = tracker.place_unknown(client_id, "timeout after 10 s", at(1));
  CHECK(unknown.notices.empty());
  REQUIRE(unknown.polls.size() == 1);
  CHECK(unknown.polls[0].client_order_id == client_id);
  CHECK(tracker.find(client_id)->state() == st::pending_create);
  CHECK(tracker.unknown_outcomes().size() == 1);
  CHECK(tracker.due_polls(at(2)).empty());  // polled a moment ago
  CHECK(tracker.due_polls(at(5001)).size() == 1);

  // A stream update settles it: the outcome is known.
  (void)tracker.apply_update(report(st::open, 6000, exchange_id), at(6000));
  CHECK(tracker.unknown_outcomes().empty());
  CHECK(tracker.due_polls(at(20000)).empty());
}

TEST_CASE("an unacknowledged order is polled once the ack timeout passes") {
  auto tracker = started_tracker();
  CHECK(tracker.due_polls(at(9999)).empty());
  auto due = tracker.due_polls(at(10000));
  REQUIRE(due.size() == 1);
  CHECK_THAT(due[0].reason, Catch::Contains("no acknowledgement"));
}

TEST_CASE("a FILLED report ahead of its fills waits, asks for trades, then completes") {
  auto tracker = started_tracker();
  (void)tracker.place_acknowledged(client_id, ack_with(exchange_id), at(1));
  (void)tracker.apply_fill(execution("t1", "0.5"_d, 2), at(2));
  auto filled = tracker.apply_update(report(st::filled, 3, exchange_id), at(3));
  // completed waits for the fills; the state change alone is published
  CHECK(kinds(filled) == std::vector{notice::state});
  CHECK(filled.notices[0].state == st::filled);
  auto polls = tracker.due_polls(at(4));
  REQUIRE(polls.size() == 1);
  CHECK(polls[0].fetch_trades);
  CHECK(tracker.tick(at(4000)).notices.empty());
  auto forced = tracker.tick(at(5003));
  CHECK(kinds(forced) == std::vector{notice::completed});
  CHECK(forced.notices[0].executed_base == "0.5"_d);
}
