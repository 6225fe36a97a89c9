// Binance spot trading and account endpoints (rest-api.md "Trading endpoints", "Account
// Endpoints"): new order (and its test), cancel, cancel all, query, open orders, account, trades.

#include <algorithm>
#include <regex>

#include <nlohmann/json.hpp>

#include "sim/binance/spot_dialect.hpp"

namespace tern::sim::binance {

namespace {

using json = nlohmann::ordered_json;

const std::string* param(const request& req, std::string_view name) {
  const std::string* value = req.params.find(name);
  return value != nullptr && !value->empty() ? value : nullptr;
}

api_error not_required(std::string_view name) {
  return {400, -1106, "Parameter '" + std::string{name} + "' sent when not required."};
}

/// newClientOrderId: ^[\.A-Z\:/a-z0-9_-]{1,36}$ (Binance's documented client id pattern).
bool valid_client_id(const std::string& id) {
  static const std::regex pattern{R"(^[\.A-Z\:/a-z0-9_-]{1,36}$)"};
  return std::regex_match(id, pattern);
}

expected<void, api_error> read_type(const request& req, order_request& out) {
  const std::string* type = param(req, "type");
  if (type == nullptr) return unexpected{missing_parameter("type")};
  if (*type == "LIMIT") out.type = order_type::limit;
  else if (*type == "LIMIT_MAKER") out.type = order_type::limit_maker;
  else if (*type == "MARKET") out.type = order_type::market;
  else if (*type == "STOP_LOSS") return unexpected{api_error{400, -2010, "Stop loss orders are not supported for this symbol."}};
  else if (*type == "STOP_LOSS_LIMIT")
    return unexpected{api_error{400, -2010, "Stop loss limit orders are not supported for this symbol."}};
  else if (*type == "TAKE_PROFIT") return unexpected{api_error{400, -2010, "Take profit orders are not supported for this symbol."}};
  else if (*type == "TAKE_PROFIT_LIMIT")
    return unexpected{api_error{400, -2010, "Take profit limit orders are not supported for this symbol."}};
  else return unexpected{api_error{400, -1116, "Invalid orderType."}};
  return {};
}

expected<void, api_error> read_time_in_force(const request& req, order_request& out) {
  const std::string* tif = param(req, "timeInForce");
  if (out.type != order_type::limit) {
    if (tif != nullptr) return unexpected{not_required("timeInForce")};
    return {};
  }
  if (tif == nullptr) return unexpected{missing_parameter("timeInForce")};
  if (*tif == "GTC") out.tif = time_in_force::gtc;
  else if (*tif == "IOC") out.tif = time_in_force::ioc;
  else if (*tif == "FOK") out.tif = time_in_force::fok;
  else return unexpected{api_error{400, -1115, "Invalid timeInForce."}};
  return {};
}

expected<void, api_error> read_stp(const request& req, order_request& out) {
  out.stp = stp_mode::expire_maker;  // the symbols' defaultSelfTradePreventionMode
  const std::string* mode = param(req, "selfTradePreventionMode");
  if (mode == nullptr) return {};
  if (*mode == "EXPIRE_TAKER") out.stp = stp_mode::expire_taker;
  else if (*mode == "EXPIRE_MAKER") out.stp = stp_mode::expire_maker;
  else if (*mode == "EXPIRE_BOTH") out.stp = stp_mode::expire_both;
  else return unexpected{api_error{400, -1130, "Data sent for parameter 'selfTradePreventionMode' is not valid."}};
  return {};
}

} // namespace

void spot_dialect::add_trading_routes() {
  auto constant = [](std::int64_t weight) { return [weight](const form_params&) { return weight; }; };
  add_route({"POST", "/api/v3/order", security::signed_, constant(1), true,
             [this](call& current) { return new_order(current, false); }});
  add_route({"POST", "/api/v3/order/test", security::signed_, constant(1), false,
             [this](call& current) { return new_order(current, true); }});
  add_route({"DELETE", "/api/v3/order", security::signed_, constant(1), false,
             [this](call& current) { return cancel_order(current); }});
  add_route({"DELETE", "/api/v3/openOrders", security::signed_, constant(1), false,
             [this](call& current) { return cancel_all(current); }});
  add_route({"GET", "/api/v3/order", security::signed_, constant(4), false,
             [this](call& current) { return query_order(current); }});
  add_route({"GET", "/api/v3/openOrders", security::signed_,
             [](const form_params& params) -> std::int64_t { return params.has("symbol") ? 6 : 80; }, false,
             [this](call& current) { return open_orders(current); }});
  add_route({"GET", "/api/v3/account", security::signed_, constant(20), false,
             [this](call& current) { return account(current); }});
  add_route({"GET", "/api/v3/myTrades", security::signed_,
             [](const form_params& params) -> std::int64_t { return params.has("orderId") ? 5 : 20; }, false,
             [this](call& current) { return my_trades(current); }});
}

expected<order_request, api_error> spot_dialect::read_order(call& current) {
  const request& req = current.req;
  order_request order;
  order.account = current.account->account;
  const std::string* side_text = param(req, "side");
  if (side_text == nullptr) return unexpected{missing_parameter("side")};
  if (*side_text != "BUY" && *side_text != "SELL") return unexpected{api_error{400, -1117, "Invalid side."}};
  order.side = *side_text == "BUY" ? side::buy : side::sell;
  for (auto r : {read_type(req, order), read_time_in_force(req, order), read_stp(req, order)})
    if (!r) return unexpected{r.error()};
  if (param(req, "icebergQty") != nullptr)
    return unexpected{api_error{400, -2010, "Iceberg orders are not supported for this symbol."}};
  if (param(req, "quoteOrderQty") != nullptr)
    return unexpected{api_error{400, -2010, "Quote order qty market orders are not support for this symbol."}};
  if (param(req, "trailingDelta") != nullptr)
    return unexpected{api_error{400, -2010, "Trailing stop orders are not supported for this symbol."}};
  auto quantity = required_decimal(req, "quantity");
  if (!quantity) return unexpected{quantity.error()};
  order.quantity = *quantity;
  if (order.type == order_type::market) {
    if (param(req, "price") != nullptr) return unexpected{not_required("price")};
  } else {
    auto price = required_decimal(req, "price");
    if (!price) return unexpected{price.error()};
    order.price = *price;
  }
  if (const std::string* id = param(req, "newClientOrderId")) {
    if (!valid_client_id(*id)) return unexpected{illegal_characters("newClientOrderId")};
    order.client_order_id = *id;
  } else {
    order.client_order_id = ids_.next();
  }
  return order;
}

expected<std::string, api_error> spot_dialect::new_order(call& current, bool test_only) {
  auto engine = market_of(current.req);
  if (!engine) return unexpected{engine.error()};
  auto order = read_order(current);
  if (!order) return unexpected{order.error()};
  current.record.client_order_id = order->client_order_id;
  if (test_only) return std::string{"{}"};
  auto placed = (*engine)->place(*order, current.now, state().events);
  if (!placed) return unexpected{from_engine(placed.error(), false, false)};
  current.record.order_id = placed->id;
  current.record.executed = true;
  // rest-api.md: MARKET and LIMIT answer FULL by default, other types ACK.
  const std::string* response_type = param(current.req, "newOrderRespType");
  std::string kind = response_type != nullptr ? *response_type
                                              : (placed->type == order_type::limit_maker ? "ACK" : "FULL");
  json body = order_json(*placed);
  body["transactTime"] = to_unix_ms(current.now);
  if (kind == "ACK")
    return json{{"symbol", placed->symbol}, {"orderId", placed->id}, {"orderListId", -1},
                {"clientOrderId", placed->client_order_id}, {"transactTime", to_unix_ms(current.now)}}
        .dump();
  for (const char* gone : {"time", "updateTime", "isWorking", "stopPrice", "icebergQty"}) body.erase(gone);
  if (kind == "FULL") {
    json fills = json::array();
    for (const auto& item : state().events) {
      const auto* change = std::get_if<order_event>(&item);
      if (change == nullptr || change->order.id != placed->id || !change->fill ||
          change->order.symbol != placed->symbol)
        continue;
      fills.push_back({{"price", fixed(change->fill->price, 8)}, {"qty", fixed(change->fill->quantity, 8)},
                       {"commission", fixed(change->fill->fee, 8)}, {"commissionAsset", change->fill->fee_asset},
                       {"tradeId", change->fill->trade}});
    }
    body["fills"] = fills;
  }
  return body.dump();
}

expected<order_view, api_error> spot_dialect::find_order(call& current, const matching_engine& engine) {
  auto order_id_value = optional_integer(current.req, "orderId");
  if (!order_id_value) return unexpected{order_id_value.error()};
  const std::string* client_id = param(current.req, "origClientOrderId");
  if (!*order_id_value && client_id == nullptr)
    return unexpected{api_error{400, -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!"}};
  account_id owner = current.account->account;
  auto found = *order_id_value ? engine.find_order(owner, **order_id_value)
                               : engine.find_order_by_client_id(owner, *client_id);
  if (!found || (client_id != nullptr && found->client_order_id != *client_id))
    return unexpected{api_error{400, -2013, "Order does not exist."}};
  current.record.order_id = found->id;
  current.record.client_order_id = found->client_order_id;
  return *found;
}

expected<std::string, api_error> spot_dialect::cancel_order(call& current) {
  auto engine = market_of(current.req);
  if (!engine) return unexpected{engine.error()};
  const std::string* restriction = param(current.req, "cancelRestrictions");
  if (restriction != nullptr && *restriction != "ONLY_NEW" && *restriction != "ONLY_PARTIALLY_FILLED")
    return unexpected{api_error{400, -1145, "Invalid cancelRestrictions"}};
  auto target = find_order(current, **engine);
  if (!target || !target->is_open()) return unexpected{api_error{400, -2011, "Unknown order sent."}};
  if (restriction != nullptr && (*restriction == "ONLY_NEW") != (target->status == order_status::new_order))
    return unexpected{api_error{400, -2011, "Order was not canceled due to cancel restrictions."}};
  const std::string* cancel_id = param(current.req, "newClientOrderId");
  std::string id = cancel_id != nullptr ? *cancel_id : ids_.next();
  cancel_ids_[target->id] = id;
  auto cancelled = (*engine)->cancel(current.account->account, target->id, current.now, state().events);
  if (!cancelled) {
    cancel_ids_.erase(target->id);
    return unexpected{from_engine(cancelled.error(), true, false)};
  }
  current.record.executed = true;
  return cancel_json(*cancelled, id).dump();
}

expected<std::string, api_error> spot_dialect::cancel_all(call& current) {
  auto engine = market_of(current.req);
  if (!engine) return unexpected{engine.error()};
  if (!(*engine)->has_open_orders(current.account->account))
    return unexpected{api_error{400, -2011, "Unknown order sent."}};
  std::string id = ids_.next();
  for (const auto& order : (*engine)->open_orders(current.account->account)) cancel_ids_[order.id] = id;
  auto cancelled = (*engine)->cancel_all(current.account->account, current.now, state().events);
  current.record.executed = true;
  json all = json::array();
  for (const auto& order : cancelled) all.push_back(cancel_json(order, id));
  return all.dump();
}

expected<std::string, api_error> spot_dialect::query_order(call& current) {
  auto engine = market_of(current.req);
  if (!engine) return unexpected{engine.error()};
  auto found = find_order(current, **engine);
  if (!found) return unexpected{found.error()};
  return order_json(*found).dump();
}

expected<std::string, api_error> spot_dialect::open_orders(call& current) {
  std::vector<matching_engine*> engines;
  if (current.req.params.has("symbol")) {
    auto engine = market_of(current.req);
    if (!engine) return unexpected{engine.error()};
    engines.push_back(*engine);
  } else {
    engines = state().venue.markets();
  }
  json all = json::array();
  for (matching_engine* engine : engines)
    for (const auto& order : engine->open_orders(current.account->account)) all.push_back(order_json(order));
  return all.dump();
}

expected<std::string, api_error> spot_dialect::account(call& current) {
  const std::string* omit = param(current.req, "omitZeroBalances");
  bool omit_zero = omit != nullptr && *omit == "true";
  json balances = json::array();
  for (const auto& [asset, balance] : state().venue.accounts().balances(current.account->account)) {
    if (omit_zero && balance.total().is_zero()) continue;
    balances.push_back({{"asset", asset}, {"free", fixed(balance.free, 8)}, {"locked", fixed(balance.locked, 8)}});
  }
  decimal maker;
  decimal taker;
  if (auto markets = state().venue.markets(); !markets.empty()) {
    maker = markets.front()->spec().maker_fee_rate;
    taker = markets.front()->spec().taker_fee_rate;
  }
  auto bps = [](decimal rate) { return static_cast<std::int64_t>((rate * 10'000).raw() / decimal::one_raw); };
  json body = {{"makerCommission", bps(maker)}, {"takerCommission", bps(taker)}, {"buyerCommission", 0},
               {"sellerCommission", 0},
               {"commissionRates", {{"maker", fixed(maker, 8)}, {"taker", fixed(taker, 8)},
                                    {"buyer", fixed(decimal{}, 8)}, {"seller", fixed(decimal{}, 8)}}},
               {"canTrade", true}, {"canWithdraw", true}, {"canDeposit", true}, {"brokered", false},
               {"requireSelfTradePrevention", false}, {"preventSor", false},
               {"updateTime", to_unix_ms(current.now)}, {"accountType", "SPOT"}, {"balances", balances},
               {"permissions", {"SPOT"}}, {"uid", current.account->account}};
  return body.dump();
}

expected<std::string, api_error> spot_dialect::my_trades(call& current) {
  auto engine = market_of(current.req);
  if (!engine) return unexpected{engine.error()};
  auto order_filter = optional_integer(current.req, "orderId");
  auto from_id = optional_integer(current.req, "fromId");
  auto start = optional_integer(current.req, "startTime");
  auto end = optional_integer(current.req, "endTime");
  auto limit = optional_integer(current.req, "limit");
  for (const auto* r : {&order_filter, &from_id, &start, &end, &limit})
    if (!*r) return unexpected{r->error()};
  std::size_t most = static_cast<std::size_t>(std::clamp<std::int64_t>(limit->value_or(500), 1, 1000));
  std::vector<json> rows;
  for (const auto& f : state().fills(current.account->account, (*engine)->spec().symbol)) {
    std::int64_t time = to_unix_ms(f.time);
    if ((*order_filter && f.order != **order_filter) || (*from_id && f.fill.trade < **from_id) ||
        (*start && time < **start) || (*end && time > **end))
      continue;
    rows.push_back({{"symbol", f.symbol}, {"id", f.fill.trade}, {"orderId", f.order}, {"orderListId", -1},
                    {"price", fixed(f.fill.price, 8)}, {"qty", fixed(f.fill.quantity, 8)},
                    {"quoteQty", fixed(f.fill.quote_quantity, 8)}, {"commission", fixed(f.fill.fee, 8)},
                    {"commissionAsset", f.fill.fee_asset}, {"time", time}, {"isBuyer", f.side == side::buy},
                    {"isMaker", f.fill.is_maker}, {"isBestMatch", true}});
  }
  // fromId or startTime: the oldest from there; otherwise the most recent, in time order.
  std::size_t first = (*from_id || *start) ? 0 : (rows.size() > most ? rows.size() - most : 0);
  json out = json::array();
  for (std::size_t i = first; i < rows.size() && out.size() < most; ++i) out.push_back(std::move(rows[i]));
  return out.dump();
}

} // namespace tern::sim::binance
