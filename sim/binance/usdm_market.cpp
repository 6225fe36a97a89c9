// Binance USD-M futures public REST endpoints (market data: exchangeInfo, depth, bookTicker,
// premiumIndex, ping, time).

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "sim/binance/usdm_dialect.hpp"

namespace tern::sim::binance {

namespace {

using json = nlohmann::ordered_json;

/// Futures "Order Book" weight by limit: 5-50: 2, 100: 5, 500: 10, 1000: 20.
std::int64_t depth_weight(const form_params& params) {
  std::int64_t limit = 500;
  if (const std::string* text = params.find("limit")) limit = std::atoll(text->c_str());
  if (limit <= 50) return 2;
  if (limit <= 100) return 5;
  if (limit <= 500) return 10;
  return 20;
}

/// Far in the future, as Binance shows a perpetual's delivery date (2100-12-25).
constexpr std::int64_t perpetual_delivery_ms = 4133404800000;

} // namespace

void usdm_dialect::add_market_routes() {
  add_route({"GET", "/fapi/v1/ping", security::none, weight(1), false,
             [](call&) -> expected<std::string, api_error> { return std::string{"{}"}; }});
  add_route({"GET", "/fapi/v1/time", security::none, weight(1), false,
             [](call& current) -> expected<std::string, api_error> {
               return R"({"serverTime":)" + std::to_string(to_unix_ms(current.now)) + "}";
             }});
  add_route({"GET", "/fapi/v1/exchangeInfo", security::none, weight(1), false,
             [this](call& current) { return exchange_info(current); }});
  add_route({"GET", "/fapi/v1/depth", security::none, depth_weight, false,
             [this](call& current) { return depth(current); }});
  add_route({"GET", "/fapi/v1/ticker/bookTicker", security::none,
             [](const form_params& params) -> std::int64_t { return params.has("symbol") ? 2 : 5; }, false,
             [this](call& current) { return book_ticker(current); }});
  add_route({"GET", "/fapi/v1/premiumIndex", security::none,
             [](const form_params& params) -> std::int64_t { return params.has("symbol") ? 1 : 10; }, false,
             [this](call& current) { return premium_index(current); }});
}

json usdm_dialect::symbol_info(const matching_engine& engine) const {
  const market_spec& spec = engine.spec();
  int price_places = places_of(spec.tick);
  int quantity_places = places_of(spec.step);
  decimal min_quantity = spec.min_quantity.is_zero() ? spec.step : spec.min_quantity;
  json filters = json::array();
  filters.push_back({{"filterType", "PRICE_FILTER"}, {"minPrice", fixed(spec.tick, price_places)},
                     {"maxPrice", fixed(decimal::from_integer(4'529'764), price_places)},
                     {"tickSize", fixed(spec.tick, price_places)}});
  filters.push_back({{"filterType", "LOT_SIZE"}, {"minQty", fixed(min_quantity, quantity_places)},
                     {"maxQty", fixed(decimal::from_integer(1000), quantity_places)},
                     {"stepSize", fixed(spec.step, quantity_places)}});
  filters.push_back({{"filterType", "MARKET_LOT_SIZE"}, {"minQty", fixed(min_quantity, quantity_places)},
                     {"maxQty", fixed(decimal::from_integer(120), quantity_places)},
                     {"stepSize", fixed(spec.step, quantity_places)}});
  filters.push_back({{"filterType", "MAX_NUM_ORDERS"}, {"limit", 200}});
  filters.push_back({{"filterType", "MIN_NOTIONAL"}, {"notional", spec.min_notional.to_string()}});
  return {{"symbol", spec.symbol},
          {"pair", spec.symbol},
          {"contractType", "PERPETUAL"},
          {"deliveryDate", perpetual_delivery_ms},
          {"onboardDate", 1569398400000},
          {"status", "TRADING"},
          {"baseAsset", spec.base},
          {"quoteAsset", spec.quote},
          {"marginAsset", spec.quote},
          {"pricePrecision", price_places},
          {"quantityPrecision", quantity_places},
          {"baseAssetPrecision", 8},
          {"quotePrecision", 8},
          {"underlyingType", "COIN"},
          {"underlyingSubType", json::array()},
          {"triggerProtect", "0.0500"},
          {"filters", filters},
          {"orderTypes", {"LIMIT", "MARKET"}},
          {"timeInForce", {"GTC", "IOC", "FOK", "GTX"}}};
}

expected<std::string, api_error> usdm_dialect::exchange_info(call& current) {
  json assets = json::array();
  json symbols = json::array();
  std::set<std::string> margin_assets;
  for (const matching_engine* engine : state().venue.markets()) {
    symbols.push_back(symbol_info(*engine));
    margin_assets.insert(engine->spec().quote);
  }
  for (const auto& asset : margin_assets)
    assets.push_back({{"asset", asset}, {"marginAvailable", true}, {"autoAssetExchange", "0"}});
  json body = {{"timezone", "UTC"},
               {"serverTime", to_unix_ms(current.now)},
               {"futuresType", "U_MARGINED"},
               {"rateLimits", json::parse(limits_.json_entries(current.now, std::nullopt, false))},
               {"exchangeFilters", json::array()},
               {"assets", assets},
               {"symbols", symbols}};
  return body.dump();
}

expected<std::string, api_error> usdm_dialect::depth(call& current) {
  auto engine = market_of(current.req);
  if (!engine) return unexpected{engine.error()};
  auto limit = optional_integer(current.req, "limit");
  if (!limit) return unexpected{limit.error()};
  std::int64_t wanted = limit->value_or(500);
  if (wanted <= 0) return unexpected{illegal_characters("limit")};
  auto snapshot = (*engine)->snapshot(static_cast<std::size_t>(std::min<std::int64_t>(wanted, 1000)));
  int price_places = places_of((*engine)->spec().tick);
  int quantity_places = places_of((*engine)->spec().step);
  auto levels = [&](const std::vector<price_level>& side) {
    json out = json::array();
    for (const auto& level : side)
      out.push_back({fixed(level.price, price_places), fixed(level.size, quantity_places)});
    return out;
  };
  std::int64_t now = to_unix_ms(current.now);
  json body = {{"lastUpdateId", snapshot.sequence}, {"E", now}, {"T", now},
               {"bids", levels(snapshot.bids)}, {"asks", levels(snapshot.asks)}};
  return body.dump();
}

expected<std::string, api_error> usdm_dialect::book_ticker(call& current) {
  return per_market(current.req, [&](const matching_engine& engine) {
    int price_places = places_of(engine.spec().tick);
    int quantity_places = places_of(engine.spec().step);
    auto bid = engine.best_bid().value_or(price_level{});
    auto ask = engine.best_ask().value_or(price_level{});
    return json{{"symbol", engine.spec().symbol},
                {"bidPrice", fixed(bid.price, price_places)},
                {"bidQty", fixed(bid.size, quantity_places)},
                {"askPrice", fixed(ask.price, price_places)},
                {"askQty", fixed(ask.size, quantity_places)},
                {"time", to_unix_ms(current.now)}};
  });
}

json usdm_dialect::premium_json(const matching_engine& engine, timestamp now) const {
  const market_spec& spec = engine.spec();
  std::string mark = fixed(engine.mark_price(), places_of(spec.tick) + 2);
  decimal rate;
  std::int64_t next_funding = 0;
  if (auto found = state().funding.find(spec.symbol); found != state().funding.end()) {
    const funding_schedule& funding = found->second;
    rate = funding.rate;
    auto periods = (now - funding.start) / funding.interval + 1;
    next_funding = to_unix_ms(funding.start + periods * funding.interval);
  }
  return {{"symbol", spec.symbol},         {"markPrice", mark},
          {"indexPrice", mark},            {"estimatedSettlePrice", mark},
          {"lastFundingRate", fixed(rate, 8)}, {"interestRate", fixed(decimal{}, 8)},
          {"nextFundingTime", next_funding}, {"time", to_unix_ms(now)}};
}

expected<std::string, api_error> usdm_dialect::premium_index(call& current) {
  return per_market(current.req, [&](const matching_engine& engine) { return premium_json(engine, current.now); });
}

} // namespace tern::sim::binance
