// Conformance item 13, crashes, for every connector: with an order resting and a fill behind
// it, the connection, book and order tracker actors are killed at once; their supervisor
// restarts each, the book resyncs, the tracker restores its orders from the journal and
// reconciles; a fill after the restart is counted too. Afterwards the account's orders, fills
// and balances equal the simulator's: none lost, none counted twice.

#include "tests/conformance/recovery_support.hpp"

namespace tern::testing {

namespace {

std::string take_once(venue_fixture& fixture) {
  const auto book = fixture.engine_top();
  REQUIRE(!book.asks.empty());
  const auto taker = fixture.place(side::buy, book.asks[0].price, fixture.venue.amount,
                                   fixture.venue.action);
  REQUIRE(taker.accepted());
  REQUIRE(fixture.await_notice(taker.client_order_id, order_notice_kind::completed, 15s));
  return taker.client_order_id;
}

void killed_and_restarted(const venue_case& venue) {
  venue_fixture fixture{venue};
  const auto before = take_once(fixture);
  const auto resting = fixture.place_resting();
  REQUIRE(resting.accepted());
  REQUIRE(fixture.await_notice(resting.client_order_id, order_notice_kind::created, 15s));

  auto& directory = fixture.account.context->directory;
  for (const char* child : {"connection", "book.BTC-USDT", "orders"}) {
    auto actor = directory.get(child);
    REQUIRE(actor);
    caf::anon_send_exit(actor, caf::exit_reason::kill);
  }
  for (const char* child : {"connection", "book.BTC-USDT", "orders"}) {
    INFO(child << "\n" << fixture.account.describe_tree());
    CHECK(fixture.account.await_state(child, health_state::ready, 1));
  }
  check_book_equal(fixture);
  const auto after = take_once(fixture);

  // Orders: the tracker's open orders are the exchange's.
  auto open = fixture.request<std::vector<order_notice>>(orders_atom::value);
  REQUIRE(open.has_value());
  std::vector<std::string> tracked;
  for (const auto& notice : *open)
    tracked.push_back(notice.client_order_id);
  std::sort(tracked.begin(), tracked.end());
  const auto view = at_exchange(*fixture.account.host, fixture.venue);
  CHECK(tracked == view.open_ids);
  CHECK(tracked == std::vector<std::string>{resting.client_order_id});
  // Fills: the journal holds every execution once.
  auto journal = journal::order_journal::open_read_only(
      (fixture.folder.path / "journal.sqlite").string());
  REQUIRE(journal.has_value());
  auto trades = journal->trades(
      journal::trade_filter{fixture.account.account_name, "BTC-USDT", {}, {}});
  REQUIRE(trades.has_value());
  CHECK(trades->size() == view.fills);
  std::map<std::string, int> per_order;
  for (const auto& trade : *trades)
    ++per_order[trade.client_order_id];
  CHECK(per_order[before] >= 1);
  CHECK(per_order[after] >= 1);
  for (const auto& notice : fixture.inbox->notices.snapshot())
    CHECK_FALSE(notice.kind == order_notice_kind::adopted);
  // Balances (spot: every asset's total; perpetuals hold margin the exchange prices itself).
  if (venue.action == position_action::none) {
    bool equal = false;
    std::string seen;
    for (int attempt = 0; attempt < 50 && !equal; ++attempt) {
      auto balances = fixture.request<std::vector<balance>>(balances_atom::value);
      REQUIRE(balances.has_value());
      const auto now = at_exchange(*fixture.account.host, fixture.venue);
      equal = true;
      seen.clear();
      for (const auto& [asset, total] : now.totals) {
        seen += asset + " exchange " + total.to_string() + " tracker "
                + balance_of(*balances, asset).to_string() + "\n";
        equal = equal && balance_of(*balances, asset) == total;
      }
      if (!equal)
        fixture.inbox->notices.wait_for(1'000'000, 100ms);  // bounded pause between polls
    }
    INFO(seen);
    CHECK(equal);
  }
}

/// The connection alone is killed: the book it fed lives on, learns that its stream went with
/// it (degraded), registers with the restarted connection and resyncs. The market then moves,
/// and the book follows it through the new connection.
void connection_killed_alone(const venue_case& venue) {
  venue_fixture fixture{venue};
  auto& directory = fixture.account.context->directory;
  auto connection = directory.get("connection");
  REQUIRE(connection);
  caf::anon_send_exit(connection, caf::exit_reason::kill);
  INFO(fixture.account.describe_tree());
  REQUIRE(fixture.account.await_state("connection", health_state::ready, 1));
  REQUIRE(fixture.account.await_state("book.BTC-USDT", health_state::ready, 0));
  bool degraded = false;
  for (const auto& entry : fixture.account.states_of("book.BTC-USDT"))
    degraded = degraded || entry.state == health_state::degraded;
  CHECK(degraded);
  REQUIRE(fixture.account.host->step(20) == 20);  // updates that only the new connection carries
  check_book_equal(fixture);
}

} // namespace

TEST_CASE("conformance 13: the market connection killed alone: its book registers with the "
          "restarted one and resyncs",
          "[conformance][recovery][crash]") {
  for (const auto& venue : venues()) {
    DYNAMIC_SECTION(venue.connector) { connection_killed_alone(venue); }
  }
}

TEST_CASE("conformance 13: connection and book and tracker killed while orders rest and fill: "
          "restarted and resynced and orders fills and balances equal the simulator",
          "[conformance][recovery][crash]") {
  for (const auto& venue : venues()) {
    DYNAMIC_SECTION(venue.connector) { killed_and_restarted(venue); }
  }
}

} // namespace tern::testing
