// OKX public REST ("Public Data" and "Order Book Trading" > "Market Data"): server time,
// instruments, order book, funding rate and mark price; and the size conversion between the
// engine's base units and OKX's (contracts of ctVal base each on swaps).

#include <algorithm>

#include "sim/okx/okx_dialect.hpp"

namespace tern::sim::okx {

namespace {

using std::chrono::milliseconds;

constexpr std::size_t max_book_depth = 400;

limit_rule per_ip(std::int64_t count) { return {count, milliseconds{2000}, limit_scope::ip}; }
limit_rule per_ip_instrument(std::int64_t count) { return {count, milliseconds{2000}, limit_scope::ip_instrument}; }

} // namespace

void okx_dialect::add_public_routes() {
  // Each endpoint's "Rate Limit" line: public endpoints count per IP (funding rate and mark
  // price per IP and instrument).
  add_route({"GET", "/api/v5/public/time", false, per_ip(10), false, [](call& current) -> expected<answer, api_error> {
               answer out;
               out.data = json::array({{{"ts", millis(current.now)}}});
               return out;
             }});
  add_route({"GET", "/api/v5/public/instruments", false, per_ip(20), false,
             [this](call& current) { return instruments(current); }});
  add_route({"GET", "/api/v5/market/books", false, per_ip(40), false, [this](call& current) { return books(current); }});
  add_route({"GET", "/api/v5/public/funding-rate", false, per_ip_instrument(20), false,
             [this](call& current) { return funding_rate(current); }});
  add_route({"GET", "/api/v5/public/mark-price", false, per_ip_instrument(10), false,
             [this](call& current) { return mark_price(current); }});
}

decimal okx_dialect::contract_value(std::string_view symbol) const {
  auto found = state_->contract_values.find(symbol);
  return found == state_->contract_values.end() ? decimal::from_integer(1) : found->second;
}

decimal okx_dialect::to_venue_size(std::string_view symbol, decimal base) const {
  return decimal::divide(base, contract_value(symbol), rounding::down);
}

std::optional<decimal> okx_dialect::to_base(std::string_view symbol, decimal size) const {
  if (!size.is_positive()) return std::nullopt;
  return decimal::multiply(size, contract_value(symbol), rounding::down);
}

expected<matching_engine*, api_error> okx_dialect::instrument_of(const request& req) const {
  auto inst_id = param(req, "instId");
  if (!inst_id) return unexpected{parameter_empty("instId")};
  matching_engine* engine = state_->venue.market(*inst_id);
  if (engine == nullptr) return unexpected{unknown_instrument()};
  return engine;
}

json okx_dialect::instrument_json(const matching_engine& engine) const {
  const market_spec& spec = engine.spec();
  bool swap = flavour_ == flavour::swap;
  std::string family = spec.base + "-" + spec.quote;
  return {{"instType", inst_type()},
          {"instId", spec.symbol},
          {"uly", swap ? family : ""},
          {"instFamily", swap ? family : ""},
          {"baseCcy", swap ? "" : spec.base},
          {"quoteCcy", swap ? "" : spec.quote},
          {"settleCcy", swap ? spec.quote : ""},
          {"ctVal", swap ? number(contract_value(spec.symbol)) : ""},
          {"ctMult", swap ? "1" : ""},
          {"ctValCcy", swap ? spec.base : ""},
          {"ctType", swap ? "linear" : ""},
          {"tickSz", number(spec.tick)},
          {"lotSz", size_text(spec.symbol, spec.step)},
          {"minSz", size_text(spec.symbol, std::max(spec.min_quantity, spec.step))},
          {"lever", swap ? std::to_string(spec.max_leverage) : ""},
          {"state", "live"},
          {"listTime", "1606468572000"},
          {"expTime", ""},
          {"maxLmtSz", "1000000000"},
          {"maxMktSz", "1000000"},
          {"ruleType", "normal"}};
}

expected<okx_dialect::answer, api_error> okx_dialect::instruments(call& current) {
  auto type = param(current.req, "instType");
  if (!type) return unexpected{parameter_empty("instType")};
  if (*type != "SPOT" && *type != "SWAP" && *type != "MARGIN" && *type != "FUTURES" && *type != "OPTION")
    return unexpected{parameter_error("instType")};
  auto inst_id = param(current.req, "instId");
  answer out;
  if (*type != inst_type()) return out;  // this exchange lists one instrument type
  for (const matching_engine* engine : state_->venue.markets())
    if (!inst_id || *inst_id == engine->spec().symbol) out.data.push_back(instrument_json(*engine));
  return out;
}

json okx_dialect::level_list(const matching_engine& engine, side s, const std::vector<price_level>& levels) const {
  // [price, size, "0" (deprecated liquidated orders), number of orders]
  json out = json::array();
  for (const auto& level : levels)
    out.push_back({number(level.price), size_text(engine.spec().symbol, level.size), "0",
                   std::to_string(engine.orders_at(s, level.price))});
  return out;
}

expected<okx_dialect::answer, api_error> okx_dialect::books(call& current) {
  auto engine = instrument_of(current.req);
  if (!engine) return unexpected{engine.error()};
  std::size_t depth = 1;  // "sz": default 1, at most 400
  if (auto sz = param(current.req, "sz")) {
    auto value = decimal::parse(*sz);
    if (!value || !value->is_positive() || value->round(0, rounding::down) != *value ||
        *value > decimal::from_integer(static_cast<std::int64_t>(max_book_depth)))
      return unexpected{parameter_error("sz")};
    depth = static_cast<std::size_t>(std::stoul(*sz));
  }
  book_snapshot snap = (*engine)->snapshot(depth);
  answer out;
  out.data = json::array({{{"asks", level_list(**engine, side::sell, snap.asks)},
                           {"bids", level_list(**engine, side::buy, snap.bids)},
                           {"ts", millis(current.now)}}});
  return out;
}

json okx_dialect::funding_json(const matching_engine& engine, timestamp now) const {
  decimal rate;
  std::int64_t next = 0;
  std::int64_t after = 0;
  if (auto found = state_->funding.find(engine.spec().symbol); found != state_->funding.end()) {
    const funding_schedule& funding = found->second;
    rate = funding.rate;
    auto periods = (now - funding.start) / funding.interval + 1;
    next = to_unix_ms(funding.start + periods * funding.interval);
    after = to_unix_ms(funding.start + (periods + 1) * funding.interval);
  }
  return {{"instType", "SWAP"},          {"instId", engine.spec().symbol},
          {"method", "current_period"},  {"fundingRate", number(rate)},
          {"nextFundingRate", ""},       {"fundingTime", std::to_string(next)},
          {"nextFundingTime", std::to_string(after)},
          {"minFundingRate", "-0.0075"}, {"maxFundingRate", "0.0075"},
          {"settState", "settled"},      {"settFundingRate", number(rate)},
          {"premium", "0"},              {"ts", millis(now)}};
}

expected<okx_dialect::answer, api_error> okx_dialect::funding_rate(call& current) {
  auto engine = instrument_of(current.req);
  if (!engine) return unexpected{engine.error()};
  if (flavour_ != flavour::swap) return unexpected{unknown_instrument()};
  answer out;
  out.data.push_back(funding_json(**engine, current.now));
  return out;
}

expected<okx_dialect::answer, api_error> okx_dialect::mark_price(call& current) {
  auto type = param(current.req, "instType");
  if (!type) return unexpected{parameter_empty("instType")};
  if (*type != "SWAP" && *type != "MARGIN" && *type != "FUTURES" && *type != "OPTION")
    return unexpected{parameter_error("instType")};
  auto inst_id = param(current.req, "instId");
  answer out;
  if (*type != "SWAP" || flavour_ != flavour::swap) return out;
  for (const matching_engine* engine : state_->venue.markets()) {
    if (inst_id && *inst_id != engine->spec().symbol) continue;
    out.data.push_back({{"instType", "SWAP"}, {"instId", engine->spec().symbol},
                        {"markPx", number(engine->mark_price())}, {"ts", millis(current.now)}});
  }
  return out;
}

} // namespace tern::sim::okx
