#pragma once

// A strategy status for board, JSON, route and dashboard tests: an arbitrage on BTC-USDT
// across two exchanges with one resting order, and peer links for the nodes panel.

#include <chrono>
#include <vector>

#include "core/decimal.hpp"
#include "supervision/node_links.hpp"
#include "supervision/strategy_status.hpp"
#include "tree_samples.hpp"

namespace tern::supervision::testing {

/// `base` plus `seconds`.
inline timestamp at_second(timestamp base, int seconds) {
  return base + std::chrono::seconds{seconds};
}

inline strategy_status sample_strategy(const char* binance_pnl = "1.7",
                                       const char* okx_pnl = "-0.25") {
  strategy_status status;
  status.name = "arb-btc";
  status.kind = "arbitrage";
  status.state = strategy_state::running;
  status.counters = {12, 8, 7};
  status.pnl_asset = "USDT";
  status.pnl_by_exchange = {{"binance", decimal::from_string(binance_pnl)},
                            {"okx", decimal::from_string(okx_pnl)}};
  status.balances = {{"binance", "BTC", decimal::from_string("0.5"), decimal::from_string("0.4")},
                     {"okx", "USDT", decimal::from_string("10250.125"),
                      decimal::from_string("9000")}};
  status.open_orders = {{"okx", "BTC-USDT", "tern-arb-0007", side::sell,
                         decimal::from_string("37250.1"), decimal::from_string("0.1"),
                         decimal::from_string("0.025")}};
  status.tops = {{"binance", "BTC-USDT", decimal::from_string("37240.01"),
                  decimal::from_string("1.234"), decimal::from_string("37240.02"),
                  decimal::from_string("0.5"), sample_published},
                 {"okx", "BTC-USDT", std::nullopt, decimal{}, decimal::from_string("37251.3"),
                  decimal::from_string("2"), sample_published}};
  return status;
}

inline fill_view sample_fill(const char* client_id, const char* price, timestamp time) {
  return fill_view{time, "binance", "BTC-USDT", client_id, side::buy,
                   decimal::from_string(price), decimal::from_string("0.01"),
                   decimal::from_string("0.00001"), "BTC"};
}

inline std::vector<node_link> sample_links() {
  node_link books{"books-eu", "10.0.0.2:4242", link_state::connected, 310, std::nullopt, ""};
  node_link strategy{"books-us", "10.0.0.3:4242", link_state::lost, std::nullopt, sample_failure,
                     "heartbeat timeout", 3};
  return {books, strategy};
}

} // namespace tern::supervision::testing
