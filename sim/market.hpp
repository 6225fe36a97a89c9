#pragma once

// A simulated market's static description: what is traded, its trading rules and fees.

#include <string>

#include "core/decimal.hpp"
#include "core/expected.hpp"
#include "core/types.hpp"
#include "sim/events.hpp"

namespace tern::sim {

/// In which asset a fill's fee is charged.
enum class fee_asset_rule : std::uint8_t {
  received_asset, ///< what the side receives: base for buyers, quote for sellers (Binance spot)
  quote_asset,    ///< always the quote asset (perpetuals: the margin asset)
};

/// One market of the simulated exchange.
struct market_spec {
  std::string symbol;            ///< e.g. "BTCUSDT"
  std::string base;              ///< e.g. "BTC"
  std::string quote;             ///< e.g. "USDT"; the margin asset of a perpetual
  market_kind kind = market_kind::spot;
  decimal tick;                  ///< price increment
  decimal step;                  ///< quantity increment
  decimal min_quantity;
  decimal min_notional;          ///< price x quantity, checked for limit orders (and market
                                 ///< orders against the best opposite price)
  decimal maker_fee_rate;        ///< fraction of the fill, e.g. 0.001 for 0.1 %; >= 0
  decimal taker_fee_rate;        ///< >= 0
  fee_asset_rule fee_rule = fee_asset_rule::received_asset;
  int fee_places = 8;            ///< fees are rounded down to this many decimal places
  int max_leverage = 125;        ///< perpetuals only
  int default_leverage = 20;     ///< perpetuals: leverage before the account sets one
};

/// Checks that a spec makes sense: names set, tick/step positive, rates in [0, 1), a perpetual
/// charges fees in its quote asset, leverage bounds in 1..1000.
[[nodiscard]] expected<void, error> validate(const market_spec& spec);

/// Fee for a fill of `notional` (in the fee asset's units) at `rate`: rounded down to the
/// market's fee places, so the sum of a split order's fees never exceeds the fee of the whole.
[[nodiscard]] decimal fee_for(const market_spec& spec, decimal amount, decimal rate);

/// Fee reserve for `amount` at the market's highest rate: rounded up, so it covers the fees of
/// any split of `amount` into fills (see fee_for).
[[nodiscard]] decimal fee_reserve_for(const market_spec& spec, decimal amount);

} // namespace tern::sim
