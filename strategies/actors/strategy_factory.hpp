#pragma once

// From a strategy's config entry to the pure strategy that decides (strategies/): the markets
// it needs, and, once their trading rules are known, the strategy object itself. CAF-free, so
// the mapping is tested without actors.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/topology.hpp"
#include "core/expected.hpp"
#include "core/instrument.hpp"
#include "strategies/strategy.hpp"

namespace tern::strategy_actors {

/// One market a configured strategy trades, with the fees it assumes there.
struct market_need {
  strategies::market_id id;
  config::fee_rates fees;
};

/// The markets of `config` in the order its kind lists them (arbitrage: as configured; market
/// making: its one market; xemm: maker, then taker). Fails naming a malformed pair.
[[nodiscard]] expected<std::vector<market_need>, std::string> markets_of(
    const config::strategy_config& config);

/// The pure strategy for `config`, given each market's trading rules (keyed by
/// market_id::to_string()), its client ids starting with `client_id_prefix` (empty: the
/// strategy's name). Fails naming a market without rules.
[[nodiscard]] expected<std::unique_ptr<strategies::strategy>, std::string> make_strategy(
    const config::strategy_config& config, const std::map<std::string, trading_rules>& rules,
    const std::string& client_id_prefix = {});

} // namespace tern::strategy_actors
