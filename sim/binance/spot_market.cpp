// Binance spot public REST endpoints (rest-api.md "General endpoints", "Market Data endpoints").

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "sim/binance/spot_dialect.hpp"

namespace tern::sim::binance {

namespace {

using json = nlohmann::ordered_json;

/// rest-api.md "Order book": weight by limit.
std::int64_t depth_weight(const form_params& params) {
  std::int64_t limit = 100;
  if (const std::string* text = params.find("limit")) limit = std::atoll(text->c_str());
  if (limit <= 100) return 5;
  if (limit <= 500) return 25;
  if (limit <= 1000) return 50;
  return 250;
}

json levels(const std::vector<price_level>& side) {
  json out = json::array();
  for (const auto& level : side) out.push_back({fixed(level.price, 8), fixed(level.size, 8)});
  return out;
}

} // namespace

void spot_dialect::add_market_routes() {
  add_route({"GET", "/api/v3/ping", security::none, weight(1), false,
             [](call&) -> expected<std::string, api_error> { return std::string{"{}"}; }});
  add_route({"GET", "/api/v3/time", security::none, weight(1), false,
             [](call& current) -> expected<std::string, api_error> {
               return R"({"serverTime":)" + std::to_string(to_unix_ms(current.now)) + "}";
             }});
  add_route({"GET", "/api/v3/exchangeInfo", security::none, weight(20), false,
             [this](call& current) { return exchange_info(current); }});
  add_route({"GET", "/api/v3/depth", security::none, depth_weight, false,
             [this](call& current) { return depth(current); }});
  auto ticker_weight = [](std::int64_t one, std::int64_t all) {
    return [one, all](const form_params& params) { return params.has("symbol") ? one : all; };
  };
  add_route({"GET", "/api/v3/ticker/bookTicker", security::none, ticker_weight(2, 4), false,
             [this](call& current) { return book_ticker(current); }});
  add_route({"GET", "/api/v3/ticker/price", security::none, ticker_weight(2, 4), false,
             [this](call& current) { return price_ticker(current); }});
}

json spot_dialect::symbol_info(const matching_engine& engine) const {
  const market_spec& spec = engine.spec();
  json filters = json::array();
  filters.push_back({{"filterType", "PRICE_FILTER"}, {"minPrice", fixed(spec.tick, 8)},
                     {"maxPrice", fixed(decimal::from_integer(1'000'000), 8)}, {"tickSize", fixed(spec.tick, 8)}});
  filters.push_back({{"filterType", "LOT_SIZE"},
                     {"minQty", fixed(spec.min_quantity.is_zero() ? spec.step : spec.min_quantity, 8)},
                     {"maxQty", fixed(decimal::from_integer(9'000), 8)}, {"stepSize", fixed(spec.step, 8)}});
  filters.push_back({{"filterType", "NOTIONAL"}, {"minNotional", fixed(spec.min_notional, 8)},
                     {"applyMinToMarket", true}, {"maxNotional", fixed(decimal::from_integer(9'000'000), 8)},
                     {"applyMaxToMarket", false}, {"avgPriceMins", 5}});
  return {{"symbol", spec.symbol},
          {"status", "TRADING"},
          {"baseAsset", spec.base},
          {"baseAssetPrecision", 8},
          {"quoteAsset", spec.quote},
          {"quotePrecision", 8},
          {"quoteAssetPrecision", 8},
          {"baseCommissionPrecision", spec.fee_places},
          {"quoteCommissionPrecision", spec.fee_places},
          {"orderTypes", {"LIMIT", "LIMIT_MAKER", "MARKET"}},
          {"icebergAllowed", false},
          {"ocoAllowed", false},
          {"otoAllowed", false},
          {"quoteOrderQtyMarketAllowed", false},
          {"allowTrailingStop", false},
          {"cancelReplaceAllowed", false},
          {"amendAllowed", false},
          {"isSpotTradingAllowed", true},
          {"isMarginTradingAllowed", false},
          {"filters", filters},
          {"permissions", json::array()},
          {"permissionSets", {{"SPOT"}}},
          {"defaultSelfTradePreventionMode", "EXPIRE_MAKER"},
          {"allowedSelfTradePreventionModes", {"EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH"}}};
}

expected<std::string, api_error> spot_dialect::exchange_info(call& current) {
  std::vector<const matching_engine*> chosen;
  std::vector<std::string> names;
  if (const std::string* one = current.req.params.find("symbol")) names.push_back(*one);
  if (const std::string* list = current.req.params.find("symbols")) {
    auto parsed = json::parse(*list, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_array()) return unexpected{api_error{400, -1100, "Illegal characters found in parameter 'symbols'."}};
    for (const auto& name : parsed)
      if (name.is_string()) names.push_back(name.get<std::string>());
  }
  for (const auto& name : names) {
    const matching_engine* engine = state().venue.market(name);
    if (engine == nullptr) return unexpected{api_error{400, -1121, "Invalid symbol."}};
    chosen.push_back(engine);
  }
  if (names.empty())
    for (const matching_engine* engine : state().venue.markets()) chosen.push_back(engine);
  json symbols = json::array();
  for (const matching_engine* engine : chosen) symbols.push_back(symbol_info(*engine));
  json body = {{"timezone", "UTC"},
               {"serverTime", to_unix_ms(current.now)},
               {"rateLimits", json::parse(limits_.json_entries(current.now, std::nullopt, false))},
               {"exchangeFilters", json::array()},
               {"symbols", symbols}};
  return body.dump();
}

expected<std::string, api_error> spot_dialect::depth(call& current) {
  auto engine = market_of(current.req);
  if (!engine) return unexpected{engine.error()};
  auto limit = optional_integer(current.req, "limit");
  if (!limit) return unexpected{limit.error()};
  std::int64_t levels_wanted = limit->value_or(100);
  if (levels_wanted <= 0) return unexpected{illegal_characters("limit")};
  auto snapshot = (*engine)->snapshot(static_cast<std::size_t>(std::min<std::int64_t>(levels_wanted, 5000)));
  json body = {{"lastUpdateId", snapshot.sequence}, {"bids", levels(snapshot.bids)}, {"asks", levels(snapshot.asks)}};
  return body.dump();
}

expected<std::string, api_error> spot_dialect::book_ticker(call& current) {
  return per_market(current.req, [](const matching_engine& engine) {
    auto bid = engine.best_bid().value_or(price_level{});
    auto ask = engine.best_ask().value_or(price_level{});
    return json{{"symbol", engine.spec().symbol}, {"bidPrice", fixed(bid.price, 8)}, {"bidQty", fixed(bid.size, 8)},
                {"askPrice", fixed(ask.price, 8)}, {"askQty", fixed(ask.size, 8)}};
  });
}

expected<std::string, api_error> spot_dialect::price_ticker(call& current) {
  return per_market(current.req, [](const matching_engine& engine) {
    return json{{"symbol", engine.spec().symbol}, {"price", fixed(engine.last_price().value_or(decimal{}), 8)}};
  });
}

} // namespace tern::sim::binance
