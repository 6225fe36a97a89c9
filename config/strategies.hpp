#pragma once

// Parameters of each strategy kind, as the config gives them. Each kind's parameters are read
// and validated in strategies.cpp, where the list of kinds lives. The decision logic they
// configure is in strategies/ (docs/strategies.md); the actor layer maps these onto it.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/decimal.hpp"
#include "core/types.hpp"

namespace tern::config {

/// The fee rates a strategy assumes on a market, as fractions of the notional ("0.001" is
/// 0.1 %). Given per market, or for the whole strategy, or the default of 0.1 %.
struct fee_rates {
  decimal maker = decimal::from_scaled(1, 3);
  decimal taker = decimal::from_scaled(1, 3);
  friend bool operator==(const fee_rates&, const fee_rates&) = default;
};

/// A market on one configured exchange account, with the fees the strategy assumes there.
struct market_ref {
  std::string exchange;
  std::string market;
  fee_rates fees;
  /// The same market: account and pair. Fees are a property of how it is traded, not which.
  friend bool operator==(const market_ref& a, const market_ref& b) {
    return a.exchange == b.exchange && a.market == b.market;
  }
};

/// What arbitrage does when its two legs did not fill the same amount.
enum class leg_failure_action : std::uint8_t { hedge, unwind, retry };

[[nodiscard]] std::string_view to_string(leg_failure_action value) noexcept;

/// Cross-exchange arbitrage: buy where the pair is cheap, sell where it is dear, when the
/// spread after fees beats `min_profitability`.
struct arbitrage_params {
  decimal min_profitability;  ///< fraction of the order's value, e.g. 0.003 for 0.3%
  decimal order_amount;       ///< in the base asset
  std::vector<market_ref> markets;  ///< two or more, all trading the same pair
  order_type leg_order_type = order_type::limit;  ///< limit (IOC at the walked price) or market
  leg_failure_action on_leg_failure = leg_failure_action::unwind;
  int max_retries = 3;
  std::chrono::milliseconds cooldown{5000};
};

/// Pure market making on one market (Hummingbot's pure_market_making).
struct market_making_params {
  market_ref market;
  decimal order_amount;
  decimal bid_spread;
  decimal ask_spread;
  std::optional<decimal> minimum_spread;
  std::chrono::seconds order_refresh_time{30};
  decimal order_refresh_tolerance;
  int order_levels = 1;
  decimal order_level_spread;
  decimal order_level_amount;
  bool inventory_skew_enabled = false;
  decimal inventory_target_base_pct = decimal::from_scaled(5, 1);
  decimal inventory_range_multiplier = decimal::from_integer(1);
  std::chrono::seconds filled_order_delay{60};
  bool hanging_orders_enabled = false;
  decimal hanging_orders_cancel_pct = decimal::from_scaled(1, 1);
};

/// Cross-exchange market making: make on `maker`, hedge fills on `taker`.
struct xemm_params {
  market_ref maker;
  market_ref taker;
  decimal order_amount;
  decimal min_profitability;
  bool adjust_order_enabled = true;
  std::chrono::seconds anti_hysteresis{60};
  int max_hedge_retries = 3;
};

/// One alternative per strategy kind.
using strategy_params = std::variant<arbitrage_params, market_making_params, xemm_params>;

} // namespace tern::config
