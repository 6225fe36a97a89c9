// Reader for "strategies": the keys every strategy has, then its kind's own parameters, read
// from the same object so that unknown keys are caught across both.

#include <algorithm>
#include <array>

#include "config/reading.hpp"

namespace tern::config {

std::string_view to_string(leg_failure_action value) noexcept {
  switch (value) {
    case leg_failure_action::hedge: return "hedge";
    case leg_failure_action::unwind: return "unwind";
    case leg_failure_action::retry: return "retry";
  }
  return "unknown";
}

namespace {

using detail::read_state;

constexpr std::array<choice<leg_failure_action>, 3> leg_failure_choices = {{
    {"hedge", leg_failure_action::hedge},
    {"unwind", leg_failure_action::unwind},
    {"retry", leg_failure_action::retry},
}};

constexpr std::array<choice<order_type>, 2> leg_order_type_choices = {{
    {"limit", order_type::limit},
    {"market", order_type::market},
}};

/// A fraction in [0, 1): spreads, tolerances, profitability.
decimal_field fraction(bool zero_allowed = true) { return decimal_field{"0"_d, "1"_d, !zero_allowed, true}; }

/// Checks that `ref` names a configured exchange and one of its markets; reports at `pointer`.
bool check_market_ref(reader_context& context, const market_ref& ref, const std::string& pointer,
                      const read_state& state) {
  const topology& so_far = state.result;
  const exchange_config* exchange = so_far.find_exchange(ref.exchange);
  if (exchange == nullptr) {
    if (state.exchange_names_complete) {
      std::vector<std::string_view> names;
      for (const auto& e : so_far.exchanges) names.push_back(e.name);
      context.error(pointer_append(pointer, "exchange"), "undefined exchange " + describe_unknown(ref.exchange, names));
    }
    return false;
  }
  if (std::find(exchange->markets.begin(), exchange->markets.end(), ref.market) == exchange->markets.end()) {
    if (!state.exchanges_with_unread_markets.contains(ref.exchange)) {
      std::string configured;
      for (const auto& market : exchange->markets) configured += (configured.empty() ? "" : ", ") + market;
      context.error(pointer_append(pointer, "market"), "market " + quote(ref.market) +
                                                           " is not configured on exchange " + quote(ref.exchange) +
                                                           ", which has: " + configured);
    }
    return false;
  }
  return true;
}

/// "maker_fee" and "taker_fee" of `object`, each defaulting to `defaults`. A negative maker fee
/// is a rebate; no fee reaches 100 %.
fee_rates read_fees(object_reader& object, const fee_rates& defaults) {
  const decimal_field rate{"-1"_d, "1"_d, true, true};
  return fee_rates{object.optional("maker_fee", rate, defaults.maker), object.optional("taker_fee", rate, defaults.taker)};
}

/// "exchange" and "market" of `object` as a checked market the strategy places orders on.
std::optional<market_ref> read_market_keys(object_reader& object, const read_state& state, const fee_rates& fees,
                                           std::string_view kind) {
  auto exchange = object.required("exchange", name_field{});
  auto market = object.required("market", detail::market_field{});
  if (!exchange || !market) return std::nullopt;
  market_ref ref{*exchange, *market, fees};
  if (!check_market_ref(object.context(), ref, object.pointer(), state)) return std::nullopt;
  if (!state.result.find_exchange(ref.exchange)->credentials) {
    object.context().error(object.pointer_to("exchange"), "exchange " + quote(ref.exchange) + " has no \"credentials\"; " +
                                                              std::string{kind} + " places orders on it");
    return std::nullopt;
  }
  return ref;
}

/// A market given as its own object: {"exchange", "market", "maker_fee"?, "taker_fee"?}.
std::optional<market_ref> read_market_object(const value_at& at, const read_state& state, const fee_rates& defaults,
                                             std::string_view kind) {
  object_reader leg{at, "an object with \"exchange\" and \"market\""};
  if (!leg.is_object()) return std::nullopt;
  fee_rates fees = read_fees(leg, defaults);
  auto ref = read_market_keys(leg, state, fees, kind);
  leg.finish();
  return ref;
}

arbitrage_params read_arbitrage(object_reader& object, const read_state& state) {
  arbitrage_params params;
  params.min_profitability = object.required("min_profitability", fraction(false)).value_or(decimal{});
  params.order_amount = object.required("order_amount", decimal_field{"0"_d, std::nullopt, true}).value_or(decimal{});
  const fee_rates fees = read_fees(object, fee_rates{});
  params.leg_order_type = object.optional("order_type", choice_field<order_type>{leg_order_type_choices, "order type"},
                                          params.leg_order_type);
  params.on_leg_failure = object.optional(
      "on_leg_failure", choice_field<leg_failure_action>{leg_failure_choices, "leg failure action"}, params.on_leg_failure);
  params.max_retries = static_cast<int>(object.optional("max_retries", integer_field{0, 20}, std::int64_t{3}));
  params.cooldown = std::chrono::milliseconds{object.optional("cooldown_ms", integer_field{0, 86'400'000}, 5000)};
  auto markets = object.required_field("markets", "an array of {\"exchange\", \"market\"} objects");
  if (!markets) return params;
  std::optional<std::pair<std::string, std::string>> first;  // market and its pointer
  for_each_element(*markets, "markets", 2, [&](const value_at& at) {
    auto ref = read_market_object(at, state, fees, "arbitrage");
    if (!ref) return;
    if (std::find(params.markets.begin(), params.markets.end(), *ref) != params.markets.end()) {
      at.error("market " + quote(ref->market) + " on exchange " + quote(ref->exchange) + " is listed twice");
      return;
    }
    const std::string market_pointer = pointer_append(at.pointer, "market");
    if (!first) first.emplace(ref->market, market_pointer);
    else if (ref->market != first->first)
      at.context.error(market_pointer, "every market of an arbitrage must be the same pair: " + quote(ref->market) +
                                           " differs from " + quote(first->first) + " at " + first->second);
    params.markets.push_back(std::move(*ref));
  });
  return params;
}

market_making_params read_market_making(object_reader& object, const read_state& state) {
  market_making_params p;
  const fee_rates fees = read_fees(object, fee_rates{});
  if (auto ref = read_market_keys(object, state, fees, "pure_market_making")) p.market = *ref;
  p.order_amount = object.required("order_amount", decimal_field{"0"_d, std::nullopt, true}).value_or(decimal{});
  p.bid_spread = object.required("bid_spread", fraction()).value_or(decimal{});
  p.ask_spread = object.required("ask_spread", fraction()).value_or(decimal{});
  p.minimum_spread = object.optional("minimum_spread", fraction());
  p.order_refresh_time = std::chrono::seconds{object.optional("order_refresh_seconds", integer_field{1, 86'400}, 30)};
  p.order_refresh_tolerance = object.optional("order_refresh_tolerance", fraction(), decimal{});
  p.order_levels = static_cast<int>(object.optional("order_levels", integer_field{1, 50}, std::int64_t{1}));
  p.order_level_spread = object.optional("order_level_spread", fraction(), decimal{});
  p.order_level_amount = object.optional("order_level_amount", decimal_field{"0"_d, std::nullopt}, decimal{});
  p.inventory_skew_enabled = object.optional("inventory_skew_enabled", bool_field{}, false);
  p.inventory_target_base_pct = object.optional("inventory_target_base_pct", decimal_field{"0"_d, "1"_d},
                                                p.inventory_target_base_pct);
  p.inventory_range_multiplier = object.optional("inventory_range_multiplier",
                                                 decimal_field{"0"_d, std::nullopt, true}, p.inventory_range_multiplier);
  p.filled_order_delay =
      std::chrono::seconds{object.optional("filled_order_delay_seconds", integer_field{0, 86'400}, 60)};
  p.hanging_orders_enabled = object.optional("hanging_orders_enabled", bool_field{}, false);
  p.hanging_orders_cancel_pct = object.optional("hanging_orders_cancel_pct", fraction(false), p.hanging_orders_cancel_pct);
  // The outermost bid must stay above zero.
  const decimal widest_bid = p.bid_spread + p.order_level_spread * (p.order_levels - 1);
  if (widest_bid >= "1"_d)
    object.context().error(object.pointer_to("order_level_spread"),
                           "the outermost bid's spread " + widest_bid.to_string() + " (bid_spread + order_level_spread x " +
                               std::to_string(p.order_levels - 1) + ") must be below 1");
  // A minimum above a spread would cancel that side's orders as soon as they are placed.
  if (p.minimum_spread && (*p.minimum_spread > p.bid_spread || *p.minimum_spread > p.ask_spread))
    object.context().error(object.pointer_to("minimum_spread"),
                           "minimum_spread " + p.minimum_spread->to_string() + " is above bid_spread " +
                               p.bid_spread.to_string() + " or ask_spread " + p.ask_spread.to_string() +
                               ", so new orders would be cancelled at once");
  return p;
}

xemm_params read_xemm(object_reader& object, const read_state& state) {
  xemm_params p;
  auto maker_at = object.required_field("maker", "an object with \"exchange\" and \"market\"");
  auto taker_at = object.required_field("taker", "an object with \"exchange\" and \"market\"");
  p.order_amount = object.required("order_amount", decimal_field{"0"_d, std::nullopt, true}).value_or(decimal{});
  p.min_profitability = object.required("min_profitability", fraction(false)).value_or(decimal{});
  p.adjust_order_enabled = object.optional("adjust_order_enabled", bool_field{}, true);
  p.anti_hysteresis = std::chrono::seconds{object.optional("anti_hysteresis_seconds", integer_field{0, 86'400}, 60)};
  p.max_hedge_retries = static_cast<int>(object.optional("max_hedge_retries", integer_field{0, 20}, std::int64_t{3}));
  auto maker = maker_at ? read_market_object(*maker_at, state, fee_rates{}, "xemm") : std::nullopt;
  auto taker = taker_at ? read_market_object(*taker_at, state, fee_rates{}, "xemm") : std::nullopt;
  if (maker) p.maker = *maker;
  if (taker) p.taker = *taker;
  if (maker && taker && *maker == *taker)
    object.context().error(object.pointer_to("taker"), "the taker market must differ from the maker market");
  else if (maker && taker && maker->market != taker->market)
    object.context().error(pointer_append(object.pointer_to("taker"), "market"),
                           "the taker market must be the maker's pair: " + quote(taker->market) + " differs from " +
                               quote(maker->market));
  return p;
}

/// A strategy kind: its name and the reader of its parameters.
struct strategy_kind {
  std::string_view name;
  strategy_params (*read)(object_reader& object, const read_state& state);
};

constexpr std::array<strategy_kind, 3> kinds = {{
    {"arbitrage", [](object_reader& object, const read_state& state) -> strategy_params {
       return read_arbitrage(object, state);
     }},
    {"pure_market_making", [](object_reader& object, const read_state& state) -> strategy_params {
       return read_market_making(object, state);
     }},
    {"xemm", [](object_reader& object, const read_state& state) -> strategy_params {
       return read_xemm(object, state);
     }},
}};

const decimal_field loss_field{"0"_d, std::nullopt, true};

constexpr std::array<choice<node_loss_action>, 2> node_loss_choices = {{
    {"cancel", node_loss_action::cancel},
    {"leave", node_loss_action::leave},
}};

} // namespace

namespace detail {

void read_strategies(object_reader& root, read_state& state) {
  const auto global_loss = root.optional("kill_switch_loss", loss_field);
  auto strategies = root.optional_field("strategies");
  if (!strategies) return;
  unique_names names{"strategy name"};
  for_each_element(*strategies, "strategies", 0, [&](const value_at& at) {
    object_reader object{at, "a strategy object"};
    strategy_config strategy;
    auto name = object.required("name", name_field{});
    auto kind = object.required("kind", table_field<strategy_kind>{kinds, "strategy kind"});
    strategy.node = read_node_reference(object, state);
    strategy.supervision = read_supervision(object, state.result.supervision);
    strategy.kill_switch_loss = object.optional("kill_switch_loss", loss_field);
    if (!strategy.kill_switch_loss) strategy.kill_switch_loss = global_loss;
    strategy.on_node_loss = object.optional(
        "on_node_loss", choice_field<node_loss_action>{node_loss_choices, "node loss action"},
        strategy.on_node_loss);
    bool unique = name && names.insert(at.context, *name, object.pointer_to("name"));
    if (!kind) return;  // its parameter keys are unknown, so they are not reported as unknown keys
    strategy.kind = (*kind)->name;
    strategy.params = (*kind)->read(object, state);
    object.finish();
    if (unique) {
      strategy.name = *name;
      state.result.strategies.push_back(std::move(strategy));
    }
  });
}

} // namespace detail

} // namespace tern::config
