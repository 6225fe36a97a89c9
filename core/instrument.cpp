#include "core/instrument.hpp"

#include <utility>

namespace tern {
namespace {

trading_rules_error rules_error(std::string what, decimal value) {
  return trading_rules_error{what + " " + value.to_string() + " is not usable"};
}

order_validation_error reject(order_rejection reason, std::string message) {
  return order_validation_error{reason, std::move(message)};
}

/// "amount 0.00019" or "amount 0.00019 (0.0001 after rounding down to the step size 0.0001)":
/// the user sees both what they asked for and what the exchange would have received.
std::string describe_amount(decimal requested, decimal quantized, decimal step) {
  auto text = "amount " + requested.to_string();
  if (requested != quantized) {
    text += " (" + quantized.to_string() + " after rounding down to the step size "
            + step.to_string() + ")";
  }
  return text;
}

bool type_supported(const trading_rules& rules, order_type type) {
  switch (type) {
    case order_type::limit: return rules.supports_limit;
    case order_type::limit_maker: return rules.supports_limit_maker;
    case order_type::market: return rules.supports_market;
  }
  return false;
}

/// Checks the proposal's own values before any rule is consulted.
expected<void, order_validation_error> check_inputs(const trading_rules& rules,
                                                    const trading_pair& pair,
                                                    const order_proposal& order) {
  const auto on = " on " + pair.to_string();
  if (!type_supported(rules, order.type)) {
    return unexpected{reject(order_rejection::unsupported_order_type,
                             "order type " + std::string{to_string(order.type)}
                                 + " is not supported" + on)};
  }
  if (!order.price.is_positive()) {
    auto what = order.type == order_type::market ? std::string{"reference price"}
                                                 : std::string{"price"};
    return unexpected{reject(order_rejection::non_positive_price,
                             what + " must be positive, got " + order.price.to_string() + on)};
  }
  if (!order.amount.is_positive()) {
    return unexpected{reject(order_rejection::non_positive_amount,
                             "amount must be positive, got " + order.amount.to_string() + on)};
  }
  return {};
}

/// Checks the quantized amount against the size limits.
expected<void, order_validation_error> check_size(const trading_rules& rules,
                                                  const trading_pair& pair,
                                                  const order_proposal& order, decimal amount) {
  const auto for_pair = " for " + pair.to_string();
  const auto described = describe_amount(order.amount, amount, rules.step_size);
  if (amount < rules.min_order_size) {
    return unexpected{reject(order_rejection::below_min_order_size,
                             described + " is below the minimum order size "
                                 + rules.min_order_size.to_string() + for_pair)};
  }
  if (amount.is_zero()) {
    return unexpected{reject(order_rejection::amount_below_step,
                             described + " is below the step size " + rules.step_size.to_string()
                                 + for_pair)};
  }
  if (rules.max_order_size && amount > *rules.max_order_size) {
    return unexpected{reject(order_rejection::above_max_order_size,
                             described + " is above the maximum order size "
                                 + rules.max_order_size->to_string() + for_pair)};
  }
  return {};
}

} // namespace

expected<void, trading_rules_error> check_rules(const trading_rules& rules) {
  if (!rules.tick_size.is_positive()) return unexpected{rules_error("tick size", rules.tick_size)};
  if (!rules.step_size.is_positive()) return unexpected{rules_error("step size", rules.step_size)};
  if (rules.min_order_size.is_negative()) {
    return unexpected{rules_error("minimum order size", rules.min_order_size)};
  }
  if (rules.max_order_size && *rules.max_order_size < rules.min_order_size) {
    return unexpected{trading_rules_error{
        "maximum order size " + rules.max_order_size->to_string()
        + " is below the minimum order size " + rules.min_order_size.to_string()}};
  }
  if (rules.min_notional && rules.min_notional->is_negative()) {
    return unexpected{rules_error("minimum notional", *rules.min_notional)};
  }
  if (rules.quote_amount_step && !rules.quote_amount_step->is_positive()) {
    return unexpected{rules_error("quote amount step", *rules.quote_amount_step)};
  }
  return {};
}

decimal quantize_price(const trading_rules& rules, decimal price) {
  return price.floor_to(rules.tick_size);
}

decimal quantize_amount(const trading_rules& rules, decimal amount) {
  return amount.floor_to(rules.step_size);
}

decimal quantize_quote_amount(const trading_rules& rules, decimal quote_amount) {
  return rules.quote_amount_step ? quote_amount.floor_to(*rules.quote_amount_step) : quote_amount;
}

std::string_view to_string(order_rejection value) noexcept {
  switch (value) {
    case order_rejection::unsupported_order_type: return "unsupported_order_type";
    case order_rejection::non_positive_price: return "non_positive_price";
    case order_rejection::non_positive_amount: return "non_positive_amount";
    case order_rejection::price_below_tick: return "price_below_tick";
    case order_rejection::amount_below_step: return "amount_below_step";
    case order_rejection::below_min_order_size: return "below_min_order_size";
    case order_rejection::above_max_order_size: return "above_max_order_size";
    case order_rejection::below_min_notional: return "below_min_notional";
    case order_rejection::notional_out_of_range: return "notional_out_of_range";
  }
  return "unknown";
}

expected<validated_order, order_validation_error> validate_order(const trading_rules& rules,
                                                                 const trading_pair& pair,
                                                                 const order_proposal& order) {
  if (auto inputs = check_inputs(rules, pair, order); !inputs) return unexpected{inputs.error()};

  const bool is_market = order.type == order_type::market;
  const decimal price = is_market ? order.price : quantize_price(rules, order.price);
  if (price.is_zero()) {
    return unexpected{reject(order_rejection::price_below_tick,
                             "price " + order.price.to_string() + " is below the tick size "
                                 + rules.tick_size.to_string() + " for " + pair.to_string())};
  }
  const decimal amount = quantize_amount(rules, order.amount);
  if (auto size = check_size(rules, pair, order, amount); !size) return unexpected{size.error()};

  decimal notional;
  try {
    notional = decimal::multiply(price, amount, rounding::down);
  } catch (const decimal_overflow&) {
    return unexpected{reject(order_rejection::notional_out_of_range,
                             "notional of price " + price.to_string() + " x amount "
                                 + amount.to_string() + " is out of range for "
                                 + pair.to_string())};
  }
  if (rules.min_notional && notional < *rules.min_notional) {
    std::string quote{" "};
    quote += pair.quote();
    return unexpected{reject(order_rejection::below_min_notional,
                             "notional " + notional.to_string() + quote
                                 + " is below the minimum notional "
                                 + rules.min_notional->to_string() + quote + " for "
                                 + pair.to_string() + " (" + (is_market ? "reference " : "")
                                 + "price " + price.to_string() + " x amount "
                                 + amount.to_string() + ")")};
  }
  return validated_order{order.order_side, order.type, price, amount, notional};
}

} // namespace tern
