#pragma once

// Instruments, their trading rules, and the checks an order passes before any request is sent
// (../shared/reference/exchanges.md §A3). An order that fails here is rejected locally with a
// reason a person can act on; the exchange never sees it.

#include <cstdint>
#include <optional>
#include <string>

#include "core/decimal.hpp"
#include "core/expected.hpp"
#include "core/trading_pair.hpp"
#include "core/types.hpp"

namespace tern {

/// What an exchange allows on one market. Amounts are in the base asset, notional and quote
/// increments in the quote asset.
struct trading_rules {
  decimal tick_size;       ///< minimum price increment; > 0
  decimal step_size;       ///< base amount increment (lot step); > 0
  decimal min_order_size;  ///< smallest base amount; >= 0
  std::optional<decimal> max_order_size;      ///< largest base amount, where the exchange has one
  std::optional<decimal> min_notional;        ///< smallest price x amount, in quote
  std::optional<decimal> quote_amount_step;   ///< quote increment, for orders sized in quote
  bool supports_limit = true;
  bool supports_limit_maker = true;
  bool supports_market = true;

  friend bool operator==(const trading_rules&, const trading_rules&) = default;
};

/// Why a set of trading rules cannot be used. Connectors log and skip such entries (§A3).
struct trading_rules_error {
  std::string message;
};

/// Checks the rules are usable: positive tick and step, non-negative minimum size, a maximum
/// not below the minimum, positive optional increments, a non-negative minimum notional.
expected<void, trading_rules_error> check_rules(const trading_rules& rules);

/// A market on one exchange account. `exchange` is the connector account's name from config
/// ("binance_main"), not the exchange's brand, so two accounts on one exchange are two instruments.
struct instrument {
  std::string exchange;
  trading_pair pair;
  market_kind kind = market_kind::spot;
  trading_rules rules;
};

/// `price` floored to a multiple of the tick size. Floor, as every connector does (§A3): the
/// exchange rejects prices off the tick grid. Market orders carry no price and are never
/// quantized; `validate_order` skips this for them.
[[nodiscard]] decimal quantize_price(const trading_rules& rules, decimal price);
/// `amount` floored to a multiple of the step size, so an order never exceeds what was asked.
[[nodiscard]] decimal quantize_amount(const trading_rules& rules, decimal amount);
/// `quote_amount` floored to the quote increment; unchanged when the market has none.
[[nodiscard]] decimal quantize_quote_amount(const trading_rules& rules, decimal quote_amount);

/// An order as a strategy proposes it. For a market order `price` is the reference price
/// (the current best price or mid) used to check the minimum notional; it is not sent.
struct order_proposal {
  side order_side = side::buy;
  order_type type = order_type::limit;
  decimal price;
  decimal amount;
};

/// An order that passed the checks, quantized to the market's grid.
struct validated_order {
  side order_side = side::buy;
  order_type type = order_type::limit;
  decimal price;     ///< floored to tick; for market orders the unchanged reference price
  decimal amount;    ///< floored to step
  decimal notional;  ///< price x amount in quote, rounded down
  friend bool operator==(const validated_order&, const validated_order&) = default;
};

/// Which rule an order broke.
enum class order_rejection : std::uint8_t {
  unsupported_order_type,
  non_positive_price,
  non_positive_amount,
  price_below_tick,      ///< the price floors to zero at the tick size
  amount_below_step,     ///< the amount floors to zero at the step size
  below_min_order_size,
  above_max_order_size,
  below_min_notional,
  notional_out_of_range, ///< price x amount exceeds what a decimal holds (about 1.7e20)
};

[[nodiscard]] std::string_view to_string(order_rejection value) noexcept;

/// The first rule an order broke, with a message naming the rule, the values and the pair,
/// e.g. "amount 0.00001 is below the minimum order size 0.0001 for BTC-USDT".
struct order_validation_error {
  order_rejection reason;
  std::string message;
};

/// Checks a proposed order against the rules and quantizes it. Checks run in this order and
/// the first failure is returned: order type supported; price positive; amount positive;
/// price and amount still positive after flooring; amount within the minimum and maximum
/// order size (after flooring, as the exchange sees it); notional at or above the minimum.
/// `pair` only names the market and its quote asset in messages.
expected<validated_order, order_validation_error> validate_order(const trading_rules& rules,
                                                                 const trading_pair& pair,
                                                                 const order_proposal& order);

/// `validate_order` with the instrument's rules and pair.
inline expected<validated_order, order_validation_error> validate_order(
    const instrument& market, const order_proposal& order) {
  return validate_order(market.rules, market.pair, order);
}

} // namespace tern
