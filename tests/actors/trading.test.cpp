// Trading end to end through the account actors, against the simulator over TLS (Binance
// spot): the exchange actor validates, names and records an order (journal first) before it
// is sent; the user stream brings the exchange's events to the tracker, which publishes
// notices; cancels, cancel of an unknown order, cancel-all, balances; and a placement whose
// answer never arrives stays in flight until reconciliation finds the order.

#include "tests/actors/trading_support.hpp"

namespace tern::testing {

TEST_CASE("binance spot: place, fills with fees, cancel, cancel unknown, cancel-all, balances",
          "[actors][account][binance][trading]") {
  trading_fixture fixture{"binance"};
  const auto book = fixture.engine_top();
  REQUIRE(!book.bids.empty());
  REQUIRE(!book.asks.empty());

  auto balances = fixture.request<std::vector<balance>>(balances_atom::value);
  REQUIRE(balances.has_value());
  CHECK(balance_of(*balances, "USDT") == "1000000"_d);
  CHECK(balance_of(*balances, "BTC") == "10"_d);

  // Refused locally, nothing sent: below the minimum notional (5 USDT).
  const auto tiny = fixture.place(side::buy, book.bids[0].price, "0.00001"_d);
  CHECK_FALSE(tiny.accepted());
  CHECK(tiny.refusal.find("notional") != std::string::npos);
  // Refused locally by the budget check: more USDT than the account holds.
  const auto huge = fixture.place(side::buy, book.bids[0].price, "100"_d);
  CHECK_FALSE(huge.accepted());
  CHECK(huge.refusal.find("USDT") != std::string::npos);

  // A resting buy: created with the exchange's id, then cancelled.
  const auto resting = fixture.place(side::buy, book.bids[0].price - "100"_d, "0.001"_d);
  REQUIRE(resting.accepted());
  const auto created = fixture.await_notice(resting.client_order_id, order_notice_kind::created);
  REQUIRE(created.has_value());
  CHECK(!created->exchange_order_id.empty());
  CHECK(created->account == "binance_main");
  auto cancelled = fixture.request<command_reply>(cancel_atom::value, resting.client_order_id);
  REQUIRE(cancelled.has_value());
  CHECK(cancelled->ok);
  CHECK(fixture.await_notice(resting.client_order_id, order_notice_kind::cancelled).has_value());

  // Cancel of an order nobody placed: refused, nothing to send.
  auto unknown = fixture.request<command_reply>(cancel_atom::value, std::string{"x-unknown-1"});
  REQUIRE(unknown.has_value());
  CHECK_FALSE(unknown->ok);

  // A buy that takes the best ask: filled through the user stream, with the fee in BTC.
  const auto taker = fixture.place(side::buy, book.asks[0].price, "0.01"_d);
  REQUIRE(taker.accepted());
  const auto filled = fixture.await_notice(taker.client_order_id, order_notice_kind::filled);
  REQUIRE(filled.has_value());
  REQUIRE(filled->fills.size() == 1);
  CHECK(filled->fills[0].price == book.asks[0].price);
  CHECK(filled->fills[0].base_amount == "0.01"_d);
  CHECK(filled->fills[0].fee.asset == "BTC");
  CHECK(filled->fills[0].fee.amount == "0.00001"_d);  // 0.1 % of 0.01 BTC
  const auto completed = fixture.await_notice(taker.client_order_id, order_notice_kind::completed);
  REQUIRE(completed.has_value());
  CHECK(completed->executed_base == "0.01"_d);

  // Cancel-all: two resting orders, both cancelled by one request.
  const auto first = fixture.place(side::buy, book.bids[0].price - "200"_d, "0.001"_d);
  const auto second = fixture.place(side::sell, book.asks[0].price + "200"_d, "0.001"_d);
  REQUIRE(first.accepted());
  REQUIRE(second.accepted());
  REQUIRE(fixture.await_notice(first.client_order_id, order_notice_kind::created));
  REQUIRE(fixture.await_notice(second.client_order_id, order_notice_kind::created));
  auto all = fixture.request<command_reply>(cancel_all_atom::value, std::string{"BTC-USDT"});
  REQUIRE(all.has_value());
  CHECK(all->ok);
  CHECK(fixture.await_notice(first.client_order_id, order_notice_kind::cancelled).has_value());
  CHECK(fixture.await_notice(second.client_order_id, order_notice_kind::cancelled).has_value());
  auto open = fixture.request<std::vector<order_notice>>(orders_atom::value);
  REQUIRE(open.has_value());
  CHECK(open->empty());

  // The balances follow the fill (the stream's balance events, or the next reload).
  const auto spent = decimal::multiply(book.asks[0].price, "0.01"_d, rounding::half_even);
  bool moved = false;
  for (int attempt = 0; attempt < 50 && !moved; ++attempt) {
    balances = fixture.request<std::vector<balance>>(balances_atom::value);
    moved = balances && balance_of(*balances, "BTC") == "10.00999"_d
            && balance_of(*balances, "USDT") == "1000000"_d - spent;
    if (!moved)
      fixture.inbox->notices.wait_for(1'000'000, 100ms);  // bounded pause between polls
  }
  CHECK(moved);

  // Every order is in the journal, the taker with its fill.
  auto journal = journal::order_journal::open_read_only(
      (fixture.folder.path / "journal.sqlite").string());
  REQUIRE(journal.has_value());
  auto trades = journal->trades(journal::trade_filter{"binance_main", "BTC-USDT", {}, {}});
  REQUIRE(trades.has_value());
  REQUIRE(trades->size() == 1);
  CHECK(trades->front().client_order_id == taker.client_order_id);
}

namespace {

/// A placement the exchange takes but answers only after the placement timeout, while the
/// user stream is silent: it must stay in flight until the status poll finds it.
void lost_answer(const std::string& connector, const std::string& endpoint, decimal amount) {
  trading_fixture fixture{connector};
  const auto book = fixture.engine_top();
  // The user stream goes silent, so only REST can tell what happened ...
  sim::fault silent;
  silent.kind = sim::fault_kind::stale_stream;
  silent.stream = "user";
  fixture.account.simulator->faults().add(silent);
  // ... and the exchange takes the order but answers after the placement timeout (1 s).
  sim::fault late;
  late.kind = sim::fault_kind::delay_response;
  late.endpoint = endpoint;
  late.delay_ms = 3000;
  fixture.account.simulator->faults().add(late);

  const auto placed = fixture.place(side::buy, book.bids[0].price - "100"_d, amount,
                                     connector == "binance" ? position_action::none
                                                            : position_action::open);
  const auto sent = std::chrono::steady_clock::now();
  REQUIRE(placed.accepted());
  // Never failed: the status poll finds the order at the exchange and it becomes open.
  const auto created = fixture.await_notice(placed.client_order_id, order_notice_kind::created, 15s);
  REQUIRE(created.has_value());
  // Settled by reconciliation (open orders, or the status poll), before the late answer left
  // the exchange; the stream was silent.
  const auto waited = std::chrono::steady_clock::now() - sent;
  INFO("created after " << std::chrono::duration_cast<std::chrono::milliseconds>(waited).count()
                        << " ms");
  CHECK(waited < std::chrono::milliseconds{late.delay_ms});
  CHECK(!created->exchange_order_id.empty());
  // Past the placement timeout (which reports the outcome unknown), it is never failed.
  const auto past_timeout = test_timings().place_timeout + 500ms
                            - std::chrono::duration_cast<std::chrono::milliseconds>(waited);
  CHECK_FALSE(fixture.inbox->notices.wait_until(
      [](const std::vector<order_notice>& notices) {
        return std::any_of(notices.begin(), notices.end(), [](const order_notice& notice) {
          return notice.kind == order_notice_kind::failed;
        });
      },
      std::max(past_timeout, std::chrono::milliseconds{0})));
  auto open = fixture.request<std::vector<order_notice>>(orders_atom::value);
  REQUIRE(open.has_value());
  REQUIRE(open->size() == 1);
  CHECK(open->front().client_order_id == placed.client_order_id);
  CHECK(open->front().state == order_state::open);
  // Exactly one order reached the exchange: nothing was resent.
  std::size_t at_exchange = 0;
  fixture.account.host->run_sync([&](sim::exchange_state& state) {
    const auto* user = state.credentials(doc_api_key);
    REQUIRE(user != nullptr);
    at_exchange = state.venue.market("BTCUSDT")->open_orders(user->account).size();
  });
  CHECK(at_exchange == 1);
}

} // namespace

TEST_CASE("binance spot: a placement whose answer is lost stays in flight until reconciliation "
          "finds it",
          "[actors][account][binance][trading][ambiguous]") {
  lost_answer("binance", "POST /api/v3/order", "0.001"_d);
}

TEST_CASE("binance_perpetual: a placement whose answer is lost stays in flight until "
          "reconciliation finds it",
          "[actors][account][binance_perpetual][trading][ambiguous]") {
  lost_answer("binance_perpetual", "POST /fapi/v1/order", "0.002"_d);
}

} // namespace tern::testing

namespace tern::testing {

TEST_CASE("binance spot: the order tracker crashes, restarted, it restores its orders from the "
          "journal and reconciles, counting no fill twice",
          "[actors][account][binance][trading][recovery]") {
  trading_fixture fixture{"binance"};
  const auto book = fixture.engine_top();
  const auto taker = fixture.place(side::buy, book.asks[0].price, "0.01"_d);
  REQUIRE(taker.accepted());
  REQUIRE(fixture.await_notice(taker.client_order_id, order_notice_kind::completed));
  const auto resting = fixture.place(side::buy, book.bids[0].price - "100"_d, "0.001"_d);
  REQUIRE(resting.accepted());
  REQUIRE(fixture.await_notice(resting.client_order_id, order_notice_kind::created));

  auto orders = fixture.account.context->directory.get("orders");
  REQUIRE(orders);
  caf::anon_send_exit(orders, caf::exit_reason::kill);
  REQUIRE(fixture.account.await_state("orders", health_state::ready, 1));
  CHECK(fixture.account.context->directory.get("orders") != orders);

  // The resting order is known again (from the journal, confirmed by the exchange) ...
  auto open = fixture.request<std::vector<order_notice>>(orders_atom::value);
  REQUIRE(open.has_value());
  REQUIRE(open->size() == 1);
  CHECK(open->front().client_order_id == resting.client_order_id);
  CHECK(open->front().state == order_state::open);
  CHECK(!open->front().exchange_order_id.empty());
  // ... and can be cancelled through the new incarnation.
  auto cancelled = fixture.request<command_reply>(cancel_atom::value, resting.client_order_id);
  REQUIRE(cancelled.has_value());
  CHECK(cancelled->ok);
  CHECK(fixture.await_notice(resting.client_order_id, order_notice_kind::cancelled).has_value());
  // The reconciliation fetched the trades again; the journal still holds the one fill.
  auto journal = journal::order_journal::open_read_only(
      (fixture.folder.path / "journal.sqlite").string());
  REQUIRE(journal.has_value());
  auto trades = journal->trades(journal::trade_filter{"binance_main", "BTC-USDT", {}, {}});
  REQUIRE(trades.has_value());
  CHECK(trades->size() == 1);
  for (const auto& notice : fixture.inbox->notices.snapshot())
    CHECK_FALSE((notice.client_order_id == taker.client_order_id
                 && notice.kind == order_notice_kind::adopted));
}

} // namespace tern::testing

namespace tern::testing {

TEST_CASE("binance spot: the user stream drops, it reconnects with a fresh signature, the "
          "tracker reconciles, and a fill seen twice (answer and stream) counts once",
          "[actors][account][binance][trading][user_stream]") {
  trading_fixture fixture{"binance"};
  const auto book = fixture.engine_top();
  sim::fault drop;
  drop.kind = sim::fault_kind::drop_websocket;
  drop.stream = "user";
  fixture.account.simulator->faults().add(drop);
  // The order's first stream event meets the fault: the connection is reset.
  const auto resting = fixture.place(side::buy, book.bids[0].price - "100"_d, "0.001"_d);
  REQUIRE(resting.accepted());
  REQUIRE(fixture.account.await_state("user_stream", health_state::degraded));
  REQUIRE(fixture.account.await_state("user_stream", health_state::ready));
  // The placement's answer made it created whatever the stream lost.
  REQUIRE(fixture.await_notice(resting.client_order_id, order_notice_kind::created));

  // After the reconnect the stream carries events again: a taking order's fill arrives in the
  // placement answer (FULL) and on the stream, and is counted once.
  const auto taker = fixture.place(side::buy, book.asks[0].price, "0.01"_d);
  REQUIRE(taker.accepted());
  const auto completed = fixture.await_notice(taker.client_order_id, order_notice_kind::completed);
  REQUIRE(completed.has_value());
  CHECK(completed->executed_base == "0.01"_d);
  auto cancelled = fixture.request<command_reply>(cancel_atom::value, resting.client_order_id);
  REQUIRE(cancelled.has_value());
  CHECK(cancelled->ok);
  REQUIRE(fixture.await_notice(resting.client_order_id, order_notice_kind::cancelled));
  std::size_t fills = 0;
  for (const auto& notice : fixture.inbox->notices.snapshot())
    if (notice.client_order_id == taker.client_order_id && notice.kind == order_notice_kind::filled)
      fills += notice.fills.size();
  CHECK(fills == 1);
  auto journal = journal::order_journal::open_read_only(
      (fixture.folder.path / "journal.sqlite").string());
  REQUIRE(journal.has_value());
  auto trades = journal->trades(journal::trade_filter{"binance_main", "BTC-USDT", {}, {}});
  REQUIRE(trades.has_value());
  CHECK(trades->size() == 1);
}

} // namespace tern::testing

namespace tern::testing {

TEST_CASE("binance spot: the order-state query answers known orders as they stand, final ones "
          "with their fills, and leaves unknown ids out",
          "[actors][account][binance][trading]") {
  trading_fixture fixture{"binance"};
  const auto book = fixture.engine_top();
  REQUIRE(!book.bids.empty());
  REQUIRE(!book.asks.empty());
  // A taker that fills, a resting order cancelled, and one left resting.
  const auto taker = fixture.place(side::buy, book.asks[0].price, "0.01"_d);
  REQUIRE(taker.accepted());
  const auto filled = fixture.await_notice(taker.client_order_id, order_notice_kind::filled);
  REQUIRE(filled.has_value());
  REQUIRE(filled->fills.size() == 1);
  REQUIRE(fixture.await_notice(taker.client_order_id, order_notice_kind::completed));
  const auto gone = fixture.place(side::buy, book.bids[0].price - "100"_d, "0.001"_d);
  REQUIRE(gone.accepted());
  REQUIRE(fixture.await_notice(gone.client_order_id, order_notice_kind::created));
  auto cancelled = fixture.request<command_reply>(cancel_atom::value, gone.client_order_id);
  REQUIRE(cancelled.has_value());
  REQUIRE(fixture.await_notice(gone.client_order_id, order_notice_kind::cancelled));
  const auto resting = fixture.place(side::sell, book.asks[0].price + "200"_d, "0.002"_d);
  REQUIRE(resting.accepted());
  REQUIRE(fixture.await_notice(resting.client_order_id, order_notice_kind::created));

  const std::vector<std::string> ids{taker.client_order_id, "x-unknown-1", gone.client_order_id,
                                     resting.client_order_id};
  auto answer = fixture.request<std::vector<order_notice>>(ordstate_atom::value, ids);
  REQUIRE(answer.has_value());
  REQUIRE(answer->size() == 3);  // in the order asked, the unknown id left out
  const auto& done = (*answer)[0];
  CHECK(done.client_order_id == taker.client_order_id);
  CHECK(done.account == "binance_main");
  CHECK(done.kind == order_notice_kind::state);
  CHECK(done.state == order_state::filled);
  CHECK(done.executed_base == "0.01"_d);
  REQUIRE(done.fills.size() == 1);
  CHECK(done.fills[0].trade_id == filled->fills[0].trade_id);  // the same fill, by its id
  CHECK(done.fills[0].base_amount == "0.01"_d);
  CHECK(done.fills[0].price == book.asks[0].price);
  const auto& ended = (*answer)[1];
  CHECK(ended.client_order_id == gone.client_order_id);
  CHECK(ended.state == order_state::cancelled);
  CHECK(ended.fills.empty());
  const auto& open = (*answer)[2];
  CHECK(open.client_order_id == resting.client_order_id);
  CHECK(open.state == order_state::open);
  CHECK(open.order_side == side::sell);
  CHECK(open.amount == "0.002"_d);
  CHECK(open.executed_base.is_zero());
  CHECK(open.fills.empty());
  CHECK(!open.exchange_order_id.empty());
}

} // namespace tern::testing
