#pragma once

// The connector conformance suite's harness: one table of connector fixtures (dialect,
// connector name, market, credentials, contract value), and a fixture that starts the
// connector's simulator dialect over TLS with a still market and one account's whole actor
// subtree (trading_fixture, tests/actors/trading_support.hpp), subscribed to the account's
// order notices.
// Every item is written once as a TEMPLATE_TEST_CASE over the connector tags below.

#include "tests/actors/trading_support.hpp"
#include "tests/sim/okx_support.hpp"

namespace tern::testing {

/// One connector under test: how its simulator is set up and how its account is configured.
struct connector_case {
  std::string connector;       ///< "binance", "binance_perpetual", "okx", "okx_perpetual"
  std::string symbol;          ///< the simulator's name of BTC-USDT
  bool perpetual = false;
  bool okx = false;
  decimal order_amount;        ///< a valid amount well above the minimums
  sim::market_setup market;
  sim::account_setup user;
  credentials keys;
  /// Where the market pays in contracts (OKX swaps): base units per contract.
  decimal contract_value;
};

inline connector_case binance_case(bool perpetual) {
  connector_case out;
  out.connector = perpetual ? "binance_perpetual" : "binance";
  out.symbol = "BTCUSDT";
  out.perpetual = perpetual;
  out.order_amount = perpetual ? "0.002"_d : "0.001"_d;  // above 100 / 5 USDT notional
  out.market = btcusdt_for(out.connector);
  out.user = sim::testing::doc_account();
  out.keys = credentials{std::string{doc_api_key}, std::string{doc_secret}};
  return out;
}

inline connector_case okx_case(bool perpetual) {
  using namespace sim::testing;
  connector_case out;
  out.connector = perpetual ? "okx_perpetual" : "okx";
  out.symbol = perpetual ? "BTC-USDT-SWAP" : "BTC-USDT";
  out.perpetual = perpetual;
  out.okx = true;
  out.order_amount = perpetual ? "0.01"_d : "0.001"_d;  // one contract of 0.01 BTC
  out.market = perpetual ? okx_swap_market() : okx_spot_market();
  if (perpetual)
    out.market.random_walk->funding_interval = std::chrono::hours{8};  // no payments mid-test
  out.user = okx_account({{"USDT", "1000000"_d}, {"BTC", "10"_d}});
  out.keys = credentials{std::string{okx_key}, std::string{okx_secret}, std::string{okx_passphrase}};
  out.contract_value = perpetual ? "0.01"_d : decimal{};
  return out;
}

// The connector tags a TEMPLATE_TEST_CASE runs over; the test name ends with the tag's name.
struct binance_spot { static connector_case make() { return binance_case(false); } };
struct binance_usdm { static connector_case make() { return binance_case(true); } };
struct okx_spot { static connector_case make() { return okx_case(false); } };
struct okx_swap { static connector_case make() { return okx_case(true); } };

/// Every connector, for the items all of them pass.
#define TERN_CONNECTORS binance_spot, binance_usdm, okx_spot, okx_swap

inline sim::server_options conformance_options(const connector_case& c, bool paused = true) {
  sim::server_options options;
  sim::exchange_setup exchange;
  exchange.name = c.connector;
  exchange.dialect = c.connector;
  exchange.markets = {c.market};
  exchange.accounts = {c.user};
  options.exchanges = {exchange};
  options.start_paused = paused;  // a still book: which orders rest and which take is certain
  options.control_port.reset();
  return options;
}

inline account_settings conformance_account(const connector_case& c,
                                            const std::filesystem::path& folder) {
  account_settings settings;
  settings.name = c.connector + "_main";
  settings.connector = c.connector;
  settings.markets = {"BTC-USDT"};
  settings.keys = c.keys;
  settings.journal = folder / "journal.sqlite";
  settings.timings = test_timings();
  settings.timings.stale_stream = 0ms;  // the market is still: silence is not a dead stream
  return settings;
}

/// A connector's simulator and account, every node ready, a probe on the order notices: the
/// trading fixture of tests/actors on the connector's dialect, with the suite's helpers.
struct conformance_fixture : trading_fixture {
  connector_case spec;

  explicit conformance_fixture(connector_case c)
      : trading_fixture{conformance_options(c), c.connector,
                        [&c](const std::filesystem::path& journal_folder) {
                          return conformance_account(c, journal_folder);
                        },
                        c.symbol},
        spec{std::move(c)} {}

  /// Perpetual orders open a position; spot orders carry none.
  [[nodiscard]] position_action opening() const {
    return spec.perpetual ? position_action::open : position_action::none;
  }

  place_reply place(side order_side, decimal price, decimal amount,
                    order_type type = order_type::limit, time_in_force tif = time_in_force::gtc) {
    order_intent intent;
    intent.action = opening();
    intent.pair = "BTC-USDT";
    intent.order_side = order_side;
    intent.type = type;
    intent.tif = tif;
    intent.price = price;
    intent.amount = amount;
    auto reply = request<place_reply>(place_atom::value, intent);
    REQUIRE(reply.has_value());
    return *reply;
  }

  /// A limit order at the best opposite price (it takes at once) with a position action;
  /// returns once it has completed.
  void take(side order_side, position_action action) {
    const auto book = engine_book();
    REQUIRE(!book.asks.empty());
    REQUIRE(!book.bids.empty());
    order_intent intent;
    intent.pair = "BTC-USDT";
    intent.order_side = order_side;
    intent.type = order_type::limit;
    intent.price = order_side == side::buy ? book.asks[0].price : book.bids[0].price;
    intent.amount = spec.order_amount;
    intent.action = action;
    auto placed = request<place_reply>(place_atom::value, intent);
    REQUIRE(placed.has_value());
    INFO(placed->refusal);
    REQUIRE(placed->accepted());
    const auto ended = await_end(placed->client_order_id);
    REQUIRE(ended.has_value());
    INFO(to_string(order_side) << " " << to_string(action) << ": " << ended->message);
    REQUIRE(ended->kind == order_notice_kind::completed);
  }

  /// The first notice about `id` that ends it (completed, cancelled or failed).
  std::optional<order_notice> await_end(const std::string& id, std::chrono::milliseconds limit = 10s) {
    std::optional<order_notice> found;
    inbox->notices.wait_until(
        [&](const std::vector<order_notice>& notices) {
          for (const auto& notice : notices)
            if (notice.client_order_id == id
                && (notice.kind == order_notice_kind::completed
                    || notice.kind == order_notice_kind::cancelled
                    || notice.kind == order_notice_kind::failed)) {
              found = notice;
              return true;
            }
          return false;
        },
        limit);
    return found;
  }

  /// Every notice about `id` so far.
  std::vector<order_notice> notices_of(const std::string& id) {
    std::vector<order_notice> out;
    for (const auto& notice : inbox->notices.snapshot())
      if (notice.client_order_id == id)
        out.push_back(notice);
    return out;
  }

  book_snapshot engine_book() { return account.engine_book(spec.symbol); }

  /// New-order requests the simulator has recorded from this account so far.
  std::size_t orders_received() {
    std::size_t count = 0;
    for (const auto& record : account.simulator->records().since(0))
      count += record.new_order ? 1 : 0;
    return count;
  }

  /// The account's open orders at the exchange (the engine's view).
  std::size_t open_at_exchange() {
    std::size_t count = 0;
    const auto key = std::string{spec.keys.api_key()};
    account.host->run_sync([&](sim::exchange_state& state) {
      const auto* user = state.credentials(key);
      REQUIRE(user != nullptr);
      count = state.venue.market(spec.symbol)->open_orders(user->account).size();
    });
    return count;
  }
};

} // namespace tern::testing
