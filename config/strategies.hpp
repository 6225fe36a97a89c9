#pragma once

// Parameters of each strategy kind, as the config gives them. Each kind's parameters are read
// and validated in strategies.cpp, where the list of kinds lives.

#include <string>
#include <variant>
#include <vector>

#include "core/decimal.hpp"

namespace tern::config {

/// A market on one configured exchange account.
struct market_ref {
  std::string exchange;
  std::string market;
  friend bool operator==(const market_ref&, const market_ref&) = default;
};

/// Cross-exchange arbitrage: buy where the pair is cheap, sell where it is dear, when the
/// spread after fees beats `min_profitability`.
struct arbitrage_params {
  decimal min_profitability;  ///< fraction of the order's value, e.g. 0.003 for 0.3%
  decimal order_amount;       ///< in the base asset
  std::vector<market_ref> markets;  ///< two or more, all trading the same pair
};

/// One alternative per strategy kind.
using strategy_params = std::variant<arbitrage_params>;

} // namespace tern::config
