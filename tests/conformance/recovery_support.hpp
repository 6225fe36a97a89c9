#pragma once

// Shared by the conformance suite's fault and recovery items (8-13): one table of venues, so
// each item is written once and run for every connector against its simulator dialect over
// TLS. The account, its actor subtree and the paused market come from tests/actors.

#include "tests/actors/trading_support.hpp"

#include <algorithm>
#include <map>

#include "tests/sim/okx_support.hpp"

namespace tern::testing {

/// One connector under test and what differs between exchanges.
struct venue_case {
  std::string connector;        ///< "binance", "binance_perpetual", "okx", "okx_perpetual"
  std::string engine_symbol;    ///< the dialect's name of BTC-USDT
  std::string place_endpoint;   ///< the placement's method and path (for REST faults)
  std::string open_orders;      ///< the open-orders query's method and path
  std::string api_key;          ///< the simulated account's key
  decimal amount;               ///< a resting order's size (above every minimum)
  position_action action;       ///< none on spot, open on perpetuals
  std::int64_t skew_code;       ///< the exchange's timestamp error
};

inline const std::vector<venue_case>& venues() {
  static const std::vector<venue_case> table{
      // Binance: rest-api.md "Timing security" -1021; USD-M the same code.
      {"binance", "BTCUSDT", "POST /api/v3/order", "GET /api/v3/openOrders",
       std::string{doc_api_key}, "0.001"_d, position_action::none, -1021},
      {"binance_perpetual", "BTCUSDT", "POST /fapi/v1/order", "GET /fapi/v1/openOrders",
       std::string{doc_api_key}, "0.002"_d, position_action::open, -1021},
      // OKX v5 "REST Authentication": 50102 when the timestamp is more than 30 s off.
      {"okx", "BTC-USDT", "POST /api/v5/trade/order", "GET /api/v5/trade/orders-pending",
       std::string{sim::testing::okx_key}, "0.001"_d, position_action::none, 50102},
      {"okx_perpetual", "BTC-USDT-SWAP", "POST /api/v5/trade/order",
       "GET /api/v5/trade/orders-pending", std::string{sim::testing::okx_key}, "0.01"_d,
       position_action::open, 50102},
  };
  return table;
}

inline const venue_case& venue_named(const std::string& connector) {
  for (const auto& venue : venues())
    if (venue.connector == connector)
      return venue;
  FAIL("no venue " << connector);
  return venues().front();
}

inline sim::server_options venue_market(const venue_case& venue) {
  if (venue.connector.rfind("okx", 0) == 0)
    return sim::testing::okx_options(venue.connector == "okx_perpetual", /*paused=*/true);
  return paused_market(venue.connector);
}

inline account_settings venue_account(const venue_case& venue, const std::filesystem::path& path) {
  auto settings = trading_account(venue.connector, path);
  if (venue.connector.rfind("okx", 0) == 0)
    settings.keys = credentials{std::string{sim::testing::okx_key},
                                std::string{sim::testing::okx_secret},
                                std::string{sim::testing::okx_passphrase}};
  return settings;
}

/// A trading fixture on `venue`: market paused, every actor of the account ready.
struct venue_fixture : trading_fixture {
  explicit venue_fixture(const venue_case& which) : venue_fixture{which, venue_market(which)} {}

  venue_fixture(const venue_case& which, sim::server_options options)
      : trading_fixture{std::move(options), which.connector,
                        [&which](const std::filesystem::path& path) {
                          return venue_account(which, path);
                        },
                        which.engine_symbol},
        venue{which} {}

  /// A buy 100 below the best bid: it rests.
  place_reply place_resting() {
    const auto book = engine_top();
    REQUIRE(!book.bids.empty());
    return place(side::buy, book.bids[0].price - "100"_d, venue.amount, venue.action);
  }

  /// The account's open orders at the exchange, read on the exchange thread.
  std::size_t open_at_exchange() {
    std::size_t count = 0;
    account.host->run_sync([&](sim::exchange_state& state) {
      const auto* user = state.credentials(venue.api_key);
      REQUIRE(user != nullptr);
      count = state.venue.market(venue.engine_symbol)->open_orders(user->account).size();
    });
    return count;
  }

  /// Every request the exchange recorded, oldest first.
  std::vector<sim::request_record> records() { return account.simulator->records().since(0); }

  /// True when a notice of `kind` about any order arrives within `limit`.
  bool any_notice(order_notice_kind kind, std::chrono::milliseconds limit) {
    return inbox->notices.wait_until(
        [kind](const std::vector<order_notice>& notices) {
          return std::any_of(notices.begin(), notices.end(),
                             [kind](const order_notice& notice) { return notice.kind == kind; });
        },
        limit);
  }

  const venue_case& venue;
};

/// Waits until the book actor's book has the engine's last update; both, once equal in sequence.
inline void check_book_equal(venue_fixture& fixture) {
  fixture.account.host->pause();  // the engine holds still while the actor catches up
  const auto engine = fixture.engine_top();
  std::optional<book_snapshot> answered;
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  while (std::chrono::steady_clock::now() < deadline) {
    answered = fixture.account.actor_book("BTC-USDT");
    if (answered && answered->sequence == engine.sequence)
      break;
    fixture.inbox->notices.wait_for(1'000'000, 50ms);  // bounded pause between polls
  }
  REQUIRE(answered.has_value());
  CHECK(answered->sequence == engine.sequence);
  CHECK(answered->bids == engine.bids);
  CHECK(answered->asks == engine.asks);
}

/// What the exchange holds for the venue's account: its open orders, fills and balances.
struct exchange_view {
  std::vector<std::string> open_ids;  ///< client order ids, sorted
  std::size_t fills = 0;
  std::map<std::string, decimal> totals;  ///< every asset's total
};

inline exchange_view at_exchange(sim::exchange_host& host, const venue_case& venue) {
  exchange_view view;
  host.run_sync([&](sim::exchange_state& state) {
    const auto* user = state.credentials(venue.api_key);
    REQUIRE(user != nullptr);
    for (const auto& order : state.venue.market(venue.engine_symbol)->open_orders(user->account))
      view.open_ids.push_back(order.client_order_id);
    view.fills = state.fills(user->account, venue.engine_symbol).size();
    for (const auto& [asset, amount] : state.venue.accounts().balances(user->account))
      view.totals[asset] = amount.total();
  });
  std::sort(view.open_ids.begin(), view.open_ids.end());
  return view;
}

/// A REST fault on `endpoint` of the venue's exchange.
inline sim::fault rest_fault(sim::fault_kind kind, std::string endpoint) {
  sim::fault f;
  f.kind = kind;
  f.endpoint = std::move(endpoint);
  return f;
}

} // namespace tern::testing
