#pragma once

// Shared by the trading tests: a paused simulated market (its book still, so which orders rest
// and which take is certain), an account with the docs' example keys and a journal in a
// temporary folder, its whole subtree ready, and a probe subscribed to its order notices.

#include "tests/actors/account_support.hpp"

#include <filesystem>

#include <caf/send.hpp>

#include "journal/order_journal.hpp"
#include "sim/faults.hpp"

namespace tern::testing {

using sim::testing::btcusdt_walk;
using sim::testing::doc_account;
using sim::testing::doc_api_key;
using sim::testing::doc_secret;
using namespace tern::literals;

/// A temporary folder for the journal, removed afterwards.
struct temp_folder {
  std::filesystem::path path;
  temp_folder() {
    char pattern[] = "/tmp/tern_trading_XXXXXX";
    REQUIRE(::mkdtemp(pattern) != nullptr);
    path = pattern;
  }
  ~temp_folder() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

/// The simulator's BTCUSDT for `connector` ("binance" or "binance_perpetual"), with the
/// exchange's rules (perpetual: tick 0.1, step 0.001, min notional 100).
inline sim::market_setup btcusdt_for(const std::string& connector) {
  auto market = btcusdt_walk(20ms);
  if (connector == "binance_perpetual") {
    market.spec.kind = market_kind::perpetual;
    market.spec.tick = "0.1"_d;
    market.spec.step = "0.001"_d;
    market.spec.min_quantity = "0.001"_d;
    market.spec.min_notional = "100"_d;
    market.spec.maker_fee_rate = "0.0002"_d;
    market.spec.taker_fee_rate = "0.0005"_d;
    market.spec.fee_rule = sim::fee_asset_rule::quote_asset;
    market.random_walk->initial_mid = "60000.0"_d;
    market.random_walk->level_size = "2.000"_d;
  }
  return market;
}

inline sim::server_options paused_market(const std::string& connector) {
  sim::server_options options;
  sim::exchange_setup exchange;
  exchange.name = connector;
  exchange.dialect = connector;
  exchange.markets = {btcusdt_for(connector)};
  exchange.accounts = {doc_account()};
  options.exchanges = {exchange};
  options.start_paused = true;  // a still book: which orders rest and which take is certain
  options.control_port.reset();
  return options;
}

inline account_settings trading_account(const std::string& connector,
                                        const std::filesystem::path& folder) {
  account_settings settings;
  settings.name = connector + "_main";
  settings.connector = connector;
  settings.markets = {"BTC-USDT"};
  settings.keys = credentials{std::string{doc_api_key}, std::string{doc_secret}};
  settings.journal = folder / "journal.sqlite";
  settings.timings = test_timings();
  settings.timings.stale_stream = 0ms;  // the market is still: silence is not a dead stream
  return settings;
}

struct trading_fixture {
  temp_folder folder;
  account_fixture account;
  std::shared_ptr<probe_inbox> inbox = std::make_shared<probe_inbox>();
  std::string symbol;  ///< the engine's name of BTC-USDT
  caf::actor probe;
  caf::actor exchange;

  /// The account's settings, made once the journal's folder exists.
  using settings_maker = std::function<account_settings(const std::filesystem::path&)>;

  explicit trading_fixture(const std::string& connector = "binance")
      : trading_fixture{paused_market(connector), connector,
                        [connector](const std::filesystem::path& path) {
                          return trading_account(connector, path);
                        }} {}

  /// Any simulated exchange (its market paused) and account: the conformance suite's venues.
  trading_fixture(sim::server_options options, const std::string& connector,
                  const settings_maker& settings, std::string engine_symbol = "BTCUSDT")
      : account{std::move(options), connector, settings(folder.path)},
        symbol{std::move(engine_symbol)} {
    REQUIRE(account.host->step(1) == 1);  // the background liquidity
    account.start();
    for (const char* child :
         {"services", "connection", "book.BTC-USDT", "user_stream", "orders", "exchange"}) {
      const bool ready = account.await_state(child, health_state::ready);
      INFO(child << "\n" << account.describe_tree());
      REQUIRE(ready);
    }
    exchange = account.context->directory.get("exchange");
    REQUIRE(exchange);
    probe = account.spawn_probe(inbox);
    caf::scoped_actor self{account.rt.system()};
    // The subscription is the probe's: the exchange actor records the sender.
    caf::send_as(probe, exchange, subscribe_atom::value);
    REQUIRE(request<std::vector<order_notice>>(orders_atom::value).has_value());
  }
  ~trading_fixture() { caf::anon_send_exit(probe, caf::exit_reason::user_shutdown); }

  template <class Reply, class... Ts>
  std::optional<Reply> request(Ts&&... xs) {
    std::optional<Reply> out;
    caf::scoped_actor self{account.rt.system()};
    self->request(exchange, 10s, std::forward<Ts>(xs)...)
        .receive([&](Reply& reply) { out = std::move(reply); },
                 [&](caf::error& error) { FAIL_CHECK(account.rt.system().render(error)); });
    return out;
  }

  place_reply place(side order_side, decimal price, decimal amount,
                    position_action action = position_action::none) {
    order_intent intent;
    intent.action = action;
    intent.pair = "BTC-USDT";
    intent.order_side = order_side;
    intent.type = order_type::limit;
    intent.price = price;
    intent.amount = amount;
    auto reply = request<place_reply>(place_atom::value, intent);
    REQUIRE(reply.has_value());
    return *reply;
  }

  /// Waits for a notice of `kind` about `id`; the first such notice.
  std::optional<order_notice> await_notice(const std::string& id, order_notice_kind kind,
                                           std::chrono::milliseconds limit = 10s) {
    std::optional<order_notice> found;
    inbox->notices.wait_until(
        [&](const std::vector<order_notice>& notices) {
          for (const auto& notice : notices)
            if (notice.client_order_id == id && notice.kind == kind) {
              found = notice;
              return true;
            }
          return false;
        },
        limit);
    return found;
  }

  book_snapshot engine_top() { return account.engine_book(symbol); }
};

inline decimal balance_of(const std::vector<balance>& balances, const std::string& asset) {
  for (const auto& entry : balances)
    if (entry.asset == asset)
      return entry.total;
  return decimal{};
}


} // namespace tern::testing
