// Binance spot trading and account endpoints (rest-api.md "Trading endpoints", "Account
// Endpoints"): new order (and its test), cancel, cancel all, query, open orders, account, trades.

#include <algorithm>

#include <nlohmann/json.hpp>

#include "sim/binance/spot_dialect.hpp"

namespace tern::sim::binance {

namespace {

using json = nlohmann::ordered_json;

api_error not_required(std::string_view name) {
  return {400, -1106, "Parameter '" + std::string{name} + "' sent when not required."};
}

expected<void, api_error> read_type(const request& req, order_request& out) {
  const std::string* type = sent(req, "type");
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
  const std::string* tif = sent(req, "timeInForce");
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

} // namespace

void spot_dialect::add_trading_routes() {
  add_route({"POST", "/api/v3/order", security::signed_, weight(1), true,
             [this](call& current) { return new_order(current, false); }});
  add_route({"POST", "/api/v3/order/test", security::signed_, weight(1), false,
             [this](call& current) { return new_order(current, true); }});
  add_route({"DELETE", "/api/v3/order", security::signed_, weight(1), false,
             [this](call& current) { return cancel_order(current); }});
  add_route({"DELETE", "/api/v3/openOrders", security::signed_, weight(1), false,
             [this](call& current) { return cancel_all(current); }});
  add_route({"GET", "/api/v3/order", security::signed_, weight(4), false,
             [this](call& current) { return query_order(current, [this](const order_view& o) { return order_json(o); }); }});
  add_route({"GET", "/api/v3/openOrders", security::signed_,
             [](const form_params& params) -> std::int64_t { return params.has("symbol") ? 6 : 80; }, false,
             [this](call& current) { return open_orders(current, [this](const order_view& o) { return order_json(o); }); }});
  add_route({"GET", "/api/v3/account", security::signed_, weight(20), false,
             [this](call& current) { return account(current); }});
  add_route({"GET", "/api/v3/myTrades", security::signed_,
             [](const form_params& params) -> std::int64_t { return params.has("orderId") ? 5 : 20; }, false,
             [this](call& current) { return my_trades(current); }});
}

expected<order_request, api_error> spot_dialect::read_order(call& current) {
  const request& req = current.req;
  order_request order;
  order.account = current.account->account;
  for (auto r : {read_type(req, order), read_time_in_force(req, order)})
    if (!r) return unexpected{r.error()};
  if (sent(req, "icebergQty") != nullptr)
    return unexpected{api_error{400, -2010, "Iceberg orders are not supported for this symbol."}};
  if (sent(req, "quoteOrderQty") != nullptr)
    return unexpected{api_error{400, -2010, "Quote order qty market orders are not support for this symbol."}};
  if (sent(req, "trailingDelta") != nullptr)
    return unexpected{api_error{400, -2010, "Trailing stop orders are not supported for this symbol."}};
  if (order.type == order_type::market && sent(req, "price") != nullptr) return unexpected{not_required("price")};
  if (auto fields = read_order_fields(req, order); !fields) return unexpected{fields.error()};
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
  const std::string* response_type = sent(current.req, "newOrderRespType");
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

expected<std::string, api_error> spot_dialect::cancel_order(call& current) {
  auto engine = market_of(current.req);
  if (!engine) return unexpected{engine.error()};
  const std::string* restriction = sent(current.req, "cancelRestrictions");
  if (restriction != nullptr && *restriction != "ONLY_NEW" && *restriction != "ONLY_PARTIALLY_FILLED")
    return unexpected{api_error{400, -1145, "Invalid cancelRestrictions"}};
  auto target = find_order(current, **engine);
  if (!target || !target->is_open()) return unexpected{api_error{400, -2011, "Unknown order sent."}};
  if (restriction != nullptr && (*restriction == "ONLY_NEW") != (target->status == order_status::new_order))
    return unexpected{api_error{400, -2011, "Order was not canceled due to cancel restrictions."}};
  const std::string* cancel_id = sent(current.req, "newClientOrderId");
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

expected<std::string, api_error> spot_dialect::account(call& current) {
  const std::string* omit = sent(current.req, "omitZeroBalances");
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
