// Conformance item 9, the user stream lost while an order rests and fills, for every
// connector: a second account sells into the best bid, where the account's buy rests; the
// exchange resets the user stream instead of sending the fill. The stream reconnects and
// resubscribes, the tracker reconciles over REST and finds the fill: counted once, in the
// notices and in the journal, as the exchange recorded it.

#include "tests/conformance/recovery_support.hpp"

namespace tern::testing {

namespace {

constexpr std::string_view counterparty_key = "conformance-counterparty-key";

sim::server_options with_counterparty(const venue_case& venue) {
  auto options = venue_market(venue);
  sim::account_setup other;
  other.api_key = std::string{counterparty_key};
  other.secret = "conformance-counterparty-secret";
  other.passphrase = "Counterparty-1";
  other.balances = {{"BTC", "1000"_d}, {"USDT", "100000000"_d}};
  options.exchanges[0].accounts.push_back(other);
  return options;
}

/// The counterparty sells `quantity` at market, straight into the engine (it has no stream).
void counterparty_sells(venue_fixture& fixture, decimal quantity) {
  fixture.account.host->run_sync([&](sim::exchange_state& state) {
    const auto* other = state.credentials(counterparty_key);
    REQUIRE(other != nullptr);
    sim::order_request request;
    request.account = other->account;
    request.side = side::sell;
    request.type = order_type::market;
    request.quantity = quantity;
    auto placed = state.venue.market(fixture.venue.engine_symbol)
                      ->place(request, state.now(), state.events);
    REQUIRE(placed.has_value());
  });
}

void fill_while_disconnected(const venue_case& venue) {
  venue_fixture fixture{venue, with_counterparty(venue)};
  const auto book = fixture.engine_top();
  REQUIRE(!book.bids.empty());
  // The buy joins the best bid, behind the background liquidity there.
  const auto resting = fixture.place(side::buy, book.bids[0].price, venue.amount, venue.action);
  REQUIRE(resting.accepted());
  REQUIRE(fixture.await_notice(resting.client_order_id, order_notice_kind::created, 15s));

  // The fill's frame never arrives: the connection is reset in its place.
  sim::fault drop;
  drop.kind = sim::fault_kind::drop_websocket;
  drop.stream = "user";
  fixture.account.simulator->faults().add(drop);
  counterparty_sells(fixture, book.bids[0].size + venue.amount);

  REQUIRE(fixture.account.await_state("user_stream", health_state::degraded));
  REQUIRE(fixture.account.await_state("user_stream", health_state::ready));
  const auto completed =
      fixture.await_notice(resting.client_order_id, order_notice_kind::completed, 20s);
  REQUIRE(completed.has_value());
  CHECK(completed->executed_base == venue.amount);

  std::size_t at_exchange = 0;
  fixture.account.host->run_sync([&](sim::exchange_state& state) {
    const auto* user = state.credentials(venue.api_key);
    REQUIRE(user != nullptr);
    for (const auto& fill : state.fills(user->account, venue.engine_symbol))
      at_exchange += fill.client_order_id == resting.client_order_id ? 1 : 0;
  });
  CHECK(at_exchange >= 1);
  std::size_t notified = 0;
  for (const auto& notice : fixture.inbox->notices.snapshot())
    if (notice.client_order_id == resting.client_order_id && notice.kind == order_notice_kind::filled)
      notified += notice.fills.size();
  CHECK(notified == at_exchange);
  auto journal = journal::order_journal::open_read_only(
      (fixture.folder.path / "journal.sqlite").string());
  REQUIRE(journal.has_value());
  auto trades = journal->trades(
      journal::trade_filter{fixture.account.account_name, "BTC-USDT", {}, {}});
  REQUIRE(trades.has_value());
  CHECK(trades->size() == at_exchange);
}

} // namespace

TEST_CASE("conformance 9: the user stream drops while an order fills: reconnected and the fill "
          "recovered over REST and counted once",
          "[conformance][recovery][user_stream]") {
  for (const auto& venue : venues()) {
    DYNAMIC_SECTION(venue.connector) { fill_while_disconnected(venue); }
  }
}

} // namespace tern::testing
