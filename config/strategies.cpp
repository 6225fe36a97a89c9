// Reader for "strategies": the keys every strategy has, then its kind's own parameters, read
// from the same object so that unknown keys are caught across both.

#include <algorithm>
#include <array>

#include "config/reading.hpp"

namespace tern::config {

namespace {

using detail::read_state;

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

arbitrage_params read_arbitrage(object_reader& object, const read_state& state) {
  arbitrage_params params;
  params.min_profitability =
      object.required("min_profitability", decimal_field{"0"_d, "1"_d, true, true}).value_or(decimal{});
  params.order_amount = object.required("order_amount", decimal_field{"0"_d, std::nullopt, true}).value_or(decimal{});
  auto markets = object.required_field("markets", "an array of {\"exchange\", \"market\"} objects");
  if (!markets) return params;
  std::optional<std::pair<std::string, std::string>> first;  // market and its pointer
  for_each_element(*markets, "markets", 2, [&](const value_at& at) {
    object_reader leg{at, "an object with \"exchange\" and \"market\""};
    auto exchange = leg.required("exchange", name_field{});
    auto market = leg.required("market", string_field{});
    leg.finish();
    if (!exchange || !market) return;
    market_ref ref{*exchange, *market};
    if (std::find(params.markets.begin(), params.markets.end(), ref) != params.markets.end()) {
      at.error("market " + quote(ref.market) + " on exchange " + quote(ref.exchange) + " is listed twice");
      return;
    }
    if (!check_market_ref(at.context, ref, at.pointer, state)) return;
    if (!first) first.emplace(ref.market, leg.pointer_to("market"));
    else if (ref.market != first->first)
      at.context.error(leg.pointer_to("market"), "every market of an arbitrage must be the same pair: " +
                                                     quote(ref.market) + " differs from " + quote(first->first) +
                                                     " at " + first->second);
    if (!state.result.find_exchange(ref.exchange)->credentials)
      at.context.error(leg.pointer_to("exchange"), "exchange " + quote(ref.exchange) +
                                                       " has no \"credentials\"; arbitrage places orders on it");
    params.markets.push_back(std::move(ref));
  });
  return params;
}

/// A strategy kind: its name and the reader of its parameters.
struct strategy_kind {
  std::string_view name;
  strategy_params (*read)(object_reader& object, const read_state& state);
};

constexpr std::array<strategy_kind, 1> kinds = {{
    {"arbitrage", [](object_reader& object, const read_state& state) -> strategy_params {
       return read_arbitrage(object, state);
     }},
}};

} // namespace

namespace detail {

void read_strategies(object_reader& root, read_state& state) {
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
