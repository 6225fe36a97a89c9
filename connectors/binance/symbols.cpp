#include "connectors/binance/symbols.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "connectors/common/json_fields.hpp"

namespace tern::binance {

namespace {

using nlohmann::json;
namespace jf = json_fields;

bool has_string(const json& list, std::string_view wanted) {
  if (!list.is_array())
    return false;
  return std::any_of(list.begin(), list.end(), [wanted](const json& item) {
    return item.is_string() && item.get_ref<const std::string&>() == wanted;
  });
}

bool spot_trading_allowed(const json& entry) {
  if (auto flag = entry.find("isSpotTradingAllowed"); flag != entry.end() && flag->is_boolean())
    return flag->get<bool>();
  if (auto sets = entry.find("permissionSets"); sets != entry.end() && sets->is_array())
    return std::any_of(sets->begin(), sets->end(),
                       [](const json& set) { return has_string(set, "SPOT"); });
  if (auto list = entry.find("permissions"); list != entry.end())
    return has_string(*list, "SPOT");
  return false;
}

bool wanted(const json& entry, venue api) {
  auto status = jf::string_of(entry, "status");
  if (!status || *status != "TRADING")
    return false;
  if (api == venue::spot)
    return spot_trading_allowed(entry);
  auto contract = jf::string_of(entry, "contractType");
  return contract && *contract == "PERPETUAL";
}

const json* filter(const json& entry, std::string_view type) {
  auto filters = entry.find("filters");
  if (filters == entry.end() || !filters->is_array())
    return nullptr;
  for (const json& item : *filters) {
    auto found = item.find("filterType");
    if (found != item.end() && found->is_string() && found->get_ref<const std::string&>() == type)
      return &item;
  }
  return nullptr;
}

// The minimum notional: NOTIONAL.minNotional, else MIN_NOTIONAL.minNotional (spot) or
// MIN_NOTIONAL.notional (USD-M).
expected<std::optional<decimal>, std::string> min_notional(const json& entry, venue api) {
  if (const json* notional = filter(entry, "NOTIONAL"))
    return jf::optional_decimal_of(*notional, "minNotional");
  if (const json* legacy = filter(entry, "MIN_NOTIONAL"))
    return jf::optional_decimal_of(*legacy, api == venue::spot ? "minNotional" : "notional");
  return std::optional<decimal>{};
}

expected<trading_rules, std::string> read_rules(const json& entry, venue api) {
  const json* price = filter(entry, "PRICE_FILTER");
  const json* lot = filter(entry, "LOT_SIZE");
  if (price == nullptr || lot == nullptr)
    return unexpected{std::string{"no PRICE_FILTER or LOT_SIZE filter"}};
  trading_rules rules;
  auto tick = jf::decimal_of(*price, "tickSize");
  auto step = jf::decimal_of(*lot, "stepSize");
  auto min_qty = jf::decimal_of(*lot, "minQty");
  auto max_qty = jf::optional_decimal_of(*lot, "maxQty");
  auto notional = min_notional(entry, api);
  for (const std::string* problem :
       {tick ? nullptr : &tick.error(), step ? nullptr : &step.error(),
        min_qty ? nullptr : &min_qty.error(), max_qty ? nullptr : &max_qty.error(),
        notional ? nullptr : &notional.error()})
    if (problem != nullptr)
      return unexpected{*problem};
  rules.tick_size = *tick;
  rules.step_size = *step;
  rules.min_order_size = *min_qty;
  if (*max_qty && (*max_qty)->is_positive())
    rules.max_order_size = **max_qty;
  if (*notional && (*notional)->is_positive())
    rules.min_notional = **notional;
  const json& types = entry.contains("orderTypes") ? entry["orderTypes"] : json::array();
  rules.supports_limit = has_string(types, "LIMIT");
  rules.supports_market = has_string(types, "MARKET");
  rules.supports_limit_maker = api == venue::spot
                                   ? has_string(types, "LIMIT_MAKER")
                                   : rules.supports_limit
                                         && has_string(entry.value("timeInForce", json::array()), "GTX");
  if (auto usable = check_rules(rules); !usable)
    return unexpected{usable.error().message};
  return rules;
}

expected<instrument, std::string> read_instrument(const json& entry, venue api,
                                                  std::string_view account) {
  auto base = jf::string_of(entry, "baseAsset");
  auto quote = jf::string_of(entry, "quoteAsset");
  if (!base || !quote)
    return unexpected{base ? quote.error() : base.error()};
  auto pair = trading_pair::from_assets(*base, *quote);
  if (!pair)
    return unexpected{pair.error().message()};
  auto rules = read_rules(entry, api);
  if (!rules)
    return unexpected{rules.error()};
  return instrument{std::string{account}, *pair,
                    api == venue::spot ? market_kind::spot : market_kind::perpetual, *rules};
}

} // namespace

std::string symbol_for(const trading_pair& pair) {
  return std::string{pair.base()} + std::string{pair.quote()};
}

expected<instrument_list, std::string> read_exchange_info(const json& document, venue api,
                                                          std::string_view account) {
  if (!document.is_object() || !document.contains("symbols") || !document["symbols"].is_array())
    return unexpected{std::string{"exchangeInfo has no \"symbols\" array"}};
  instrument_list out;
  for (const json& entry : document["symbols"]) {
    auto symbol = jf::string_of(entry, "symbol");
    if (!symbol) {
      out.skipped.push_back("entry without a symbol: " + jf::excerpt(entry));
      continue;
    }
    if (!wanted(entry, api))
      continue;
    auto market = read_instrument(entry, api, account);
    if (!market) {
      out.skipped.push_back(*symbol + ": " + market.error());
      continue;
    }
    out.symbols.add(market->pair, *symbol);
    out.instruments.push_back(std::move(*market));
  }
  std::sort(out.instruments.begin(), out.instruments.end(),
            [](const instrument& a, const instrument& b) { return a.pair < b.pair; });
  return out;
}

} // namespace tern::binance
