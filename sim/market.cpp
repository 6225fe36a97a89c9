#include "sim/market.hpp"

namespace tern::sim {

namespace {

expected<void, error> invalid(const market_spec& spec, const std::string& what) {
  return unexpected{error{error_code::invalid_market, "market '" + spec.symbol + "': " + what}};
}

} // namespace

expected<void, error> validate(const market_spec& spec) {
  if (spec.symbol.empty() || spec.base.empty() || spec.quote.empty())
    return invalid(spec, "symbol, base and quote must be set");
  if (spec.base == spec.quote)
    return invalid(spec, "base and quote are both '" + spec.base + "'");
  if (!spec.tick.is_positive() || !spec.step.is_positive())
    return invalid(spec, "tick " + spec.tick.to_string() + " and step " + spec.step.to_string()
                             + " must be positive");
  if (spec.min_quantity.is_negative() || spec.min_notional.is_negative())
    return invalid(spec, "min quantity and min notional must not be negative");
  decimal one = decimal::from_integer(1);
  for (decimal rate : {spec.maker_fee_rate, spec.taker_fee_rate})
    if (rate.is_negative() || rate >= one)
      return invalid(spec, "fee rate " + rate.to_string() + " is outside [0, 1)");
  if (spec.fee_places < 0 || spec.fee_places > decimal::places)
    return invalid(spec, "fee places " + std::to_string(spec.fee_places) + " outside 0..18");
  if (spec.kind == market_kind::perpetual) {
    if (spec.fee_rule != fee_asset_rule::quote_asset)
      return invalid(spec, "a perpetual charges fees in its quote (margin) asset");
    if (spec.max_leverage < 1 || spec.max_leverage > 1000)
      return invalid(spec, "max leverage " + std::to_string(spec.max_leverage) + " outside 1..1000");
    if (spec.default_leverage < 1 || spec.default_leverage > spec.max_leverage)
      return invalid(spec, "default leverage " + std::to_string(spec.default_leverage)
                               + " outside 1.." + std::to_string(spec.max_leverage));
  }
  return {};
}

decimal fee_for(const market_spec& spec, decimal amount, decimal rate) {
  return decimal::multiply(amount, rate, rounding::down).round(spec.fee_places, rounding::down);
}

decimal fee_reserve_for(const market_spec& spec, decimal amount) {
  decimal rate = max(spec.maker_fee_rate, spec.taker_fee_rate);
  return decimal::multiply(amount, rate, rounding::up).round(spec.fee_places, rounding::up);
}

} // namespace tern::sim
