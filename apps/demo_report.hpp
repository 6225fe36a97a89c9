#pragma once

// What `tern demo` prints: the live summary line, the balance reconciliation against the
// simulator, and the final report, all read from the ops endpoint's /strategies document.

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/topology.hpp"

namespace tern::sim {
class control_client;
} // namespace tern::sim

namespace tern::apps {

/// Whether the balances Tern tracks equal the simulator's, and every difference found.
struct reconciliation {
  bool agrees = false;
  std::vector<std::string> lines;  ///< "binance BTC: tern 1.01 = simulator 1.01", or a difference
};

/// Compares the balances the strategies report (`strategies`: the /strategies document) with the
/// simulator's accounts of each exchange of `topology` that has credentials.
[[nodiscard]] reconciliation reconcile(const config::topology& topology,
                                       const nlohmann::json& strategies,
                                       const sim::control_client& control);

/// "[ 12s] btc_arbitrage running  opp 3  orders 6  fills 6  pnl binance -1.2 okx 2.5 total 1.3 |
/// binance BTC 1.01 USDT 49401.2 | okx ..."
[[nodiscard]] std::string summary_line(const nlohmann::json& strategies,
                                       std::chrono::steady_clock::duration elapsed);

/// The closing report: per strategy its figures and balances, then the reconciliation.
[[nodiscard]] std::string final_report(const nlohmann::json& strategies,
                                       const reconciliation& outcome, const std::string& ended,
                                       std::chrono::steady_clock::duration elapsed);

} // namespace tern::apps
