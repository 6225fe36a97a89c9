// Binance USD-M futures trading endpoints: new order, cancel, cancel all, query, open orders,
// account trade list, leverage and position mode.

#include <algorithm>

#include <nlohmann/json.hpp>

#include "sim/binance/usdm_dialect.hpp"

namespace tern::sim::binance {

namespace {

using json = nlohmann::ordered_json;

/// type + timeInForce: LIMIT with GTC/IOC/FOK, or GTX (post-only); MARKET.
expected<void, api_error> read_type(const request& req, order_request& out) {
  const std::string* type = sent(req, "type");
  if (type == nullptr) return unexpected{missing_parameter("type")};
  const std::string* tif = sent(req, "timeInForce");
  if (*type == "MARKET") {
    out.type = order_type::market;
    return {};
  }
  if (*type != "LIMIT") return unexpected{api_error{400, -1116, "Invalid orderType."}};
  if (tif == nullptr) return unexpected{missing_parameter("timeInForce")};
  out.type = order_type::limit;
  if (*tif == "GTC") out.tif = time_in_force::gtc;
  else if (*tif == "IOC") out.tif = time_in_force::ioc;
  else if (*tif == "FOK") out.tif = time_in_force::fok;
  else if (*tif == "GTX") out.type = order_type::limit_maker;
  else return unexpected{api_error{400, -1115, "Invalid timeInForce."}};
  return {};
}

expected<void, api_error> read_position(const request& req, order_request& out) {
  if (const std::string* side = sent(req, "positionSide")) {
    if (*side == "BOTH") out.pos_side = position_side::both;
    else if (*side == "LONG") out.pos_side = position_side::long_side;
    else if (*side == "SHORT") out.pos_side = position_side::short_side;
    else return unexpected{api_error{400, -4060, "Invalid position side."}};
  }
  if (const std::string* reduce = sent(req, "reduceOnly")) {
    if (*reduce != "true" && *reduce != "false") return unexpected{illegal_characters("reduceOnly")};
    out.reduce_only = *reduce == "true";
    if (out.reduce_only && out.pos_side != position_side::both)
      return unexpected{api_error{400, -1106, "Parameter 'reduceonly' sent when not required."}};
  }
  return {};
}

} // namespace

void usdm_dialect::add_trading_routes() {
  // New orders cost no IP weight, only order counts (futures "New Order (TRADE)").
  add_route({"POST", "/fapi/v1/order", security::signed_, weight(0), true,
             [this](call& current) { return new_order(current); }});
  add_route({"DELETE", "/fapi/v1/order", security::signed_, weight(1), false,
             [this](call& current) { return cancel_order(current); }});
  add_route({"DELETE", "/fapi/v1/allOpenOrders", security::signed_, weight(1), false,
             [this](call& current) { return cancel_all(current); }});
  add_route({"GET", "/fapi/v1/order", security::signed_, weight(1), false,
             [this](call& current) { return query_order(current, [this](const order_view& o) { return order_json(o); }); }});
  add_route({"GET", "/fapi/v1/openOrders", security::signed_,
             [](const form_params& params) -> std::int64_t { return params.has("symbol") ? 1 : 40; }, false,
             [this](call& current) { return open_orders(current, [this](const order_view& o) { return order_json(o); }); }});
  add_route({"GET", "/fapi/v1/userTrades", security::signed_, weight(5), false,
             [this](call& current) { return user_trades(current); }});
  add_route({"POST", "/fapi/v1/leverage", security::signed_, weight(1), false,
             [this](call& current) { return set_leverage(current); }});
  add_route({"POST", "/fapi/v1/positionSide/dual", security::signed_, weight(1), false,
             [this](call& current) { return dual_side_position(current, true); }});
  add_route({"GET", "/fapi/v1/positionSide/dual", security::signed_, weight(30), false,
             [this](call& current) { return dual_side_position(current, false); }});
}

json usdm_dialect::order_json(const order_view& order) const {
  const market_spec& spec = state().venue.market(order.symbol)->spec();
  int price_places = places_of(spec.tick);
  int quantity_places = places_of(spec.step);
  decimal average = average_price(order);
  std::string type = order.type == order_type::market ? "MARKET" : "LIMIT";
  return {{"orderId", order.id},
          {"symbol", order.symbol},
          {"status", status_name(order)},
          {"clientOrderId", order.client_order_id},
          {"price", fixed(order.price, price_places)},
          {"avgPrice", fixed(average, price_places + 5)},
          {"origQty", fixed(order.quantity, quantity_places)},
          {"executedQty", fixed(order.executed_quantity, quantity_places)},
          {"cumQty", fixed(order.executed_quantity, quantity_places)},
          {"cumQuote", fixed(order.cumulative_quote, price_places + quantity_places)},
          {"timeInForce", order_tif_name(order, true)},
          {"type", type},
          {"reduceOnly", order.reduce_only},
          {"closePosition", false},
          {"side", side_name(order.side)},
          {"positionSide", position_side_name(order.pos_side)},
          {"stopPrice", "0"},
          {"workingType", "CONTRACT_PRICE"},
          {"priceProtect", false},
          {"origType", type},
          {"priceMatch", "NONE"},
          {"selfTradePreventionMode", stp_name(order.stp)},
          {"goodTillDate", 0},
          {"time", to_unix_ms(order.created_time)},
          {"updateTime", to_unix_ms(order.updated_time)}};
}

expected<order_request, api_error> usdm_dialect::read_order(call& current) {
  const request& req = current.req;
  order_request order;
  order.account = current.account->account;
  if (auto type = read_type(req, order); !type) return unexpected{type.error()};
  if (auto position = read_position(req, order); !position) return unexpected{position.error()};
  if (auto fields = read_order_fields(req, order); !fields) return unexpected{fields.error()};
  return order;
}

expected<std::string, api_error> usdm_dialect::new_order(call& current) {
  auto engine = market_of(current.req);
  if (!engine) return unexpected{engine.error()};
  auto order = read_order(current);
  if (!order) return unexpected{order.error()};
  current.record.client_order_id = order->client_order_id;
  auto placed = (*engine)->place(*order, current.now, state().events);
  if (!placed && placed.error().code == error_code::below_min_notional)
    return unexpected{api_error{400, -4164, "Order's notional must be no smaller than " +
                                                (*engine)->spec().min_notional.to_string() +
                                                " (unless you choose reduce only)"}};
  if (!placed) return unexpected{from_engine(placed.error(), false, true)};
  current.record.order_id = placed->id;
  current.record.executed = true;
  // newOrderRespType: ACK (the default) answers the order as accepted, before matching;
  // RESULT answers its state after matching (FILLED, EXPIRED, ...).
  const std::string* response_type = sent(current.req, "newOrderRespType");
  order_view shown = *placed;
  if (response_type == nullptr || *response_type != "RESULT") {
    shown.status = order_status::new_order;
    shown.reason = end_reason::none;
    shown.executed_quantity = decimal{};
    shown.cumulative_quote = decimal{};
    shown.updated_time = shown.created_time;
  }
  json body = order_json(shown);
  body.erase("time");
  return body.dump();
}

expected<std::string, api_error> usdm_dialect::cancel_order(call& current) {
  auto engine = market_of(current.req);
  if (!engine) return unexpected{engine.error()};
  auto target = find_order(current, **engine);
  if (!target || !target->is_open()) return unexpected{api_error{400, -2011, "Unknown order sent."}};
  auto cancelled = (*engine)->cancel(current.account->account, target->id, current.now, state().events);
  if (!cancelled) return unexpected{from_engine(cancelled.error(), true, true)};
  current.record.executed = true;
  return order_json(*cancelled).dump();
}

expected<std::string, api_error> usdm_dialect::cancel_all(call& current) {
  auto engine = market_of(current.req);
  if (!engine) return unexpected{engine.error()};
  auto cancelled = (*engine)->cancel_all(current.account->account, current.now, state().events);
  current.record.executed = !cancelled.empty();
  return std::string{R"({"code":200,"msg":"The operation of cancel all open order is done."})"};
}

expected<std::string, api_error> usdm_dialect::user_trades(call& current) {
  auto engine = market_of(current.req);
  if (!engine) return unexpected{engine.error()};
  auto order_filter = optional_integer(current.req, "orderId");
  auto from_id = optional_integer(current.req, "fromId");
  auto limit = optional_integer(current.req, "limit");
  for (const auto* r : {&order_filter, &from_id, &limit})
    if (!*r) return unexpected{r->error()};
  const market_spec& spec = (*engine)->spec();
  int price_places = places_of(spec.tick);
  int quantity_places = places_of(spec.step);
  std::vector<json> rows;
  for (const auto& f : state().fills(current.account->account, spec.symbol)) {
    if ((*order_filter && f.order != **order_filter) || (*from_id && f.fill.trade < **from_id)) continue;
    rows.push_back({{"buyer", f.side == side::buy}, {"commission", fixed(f.fill.fee, 8)},
                    {"commissionAsset", f.fill.fee_asset}, {"id", f.fill.trade}, {"maker", f.fill.is_maker},
                    {"orderId", f.order}, {"price", fixed(f.fill.price, price_places)},
                    {"qty", fixed(f.fill.quantity, quantity_places)},
                    {"quoteQty", fixed(f.fill.quote_quantity, price_places + quantity_places)},
                    {"realizedPnl", fixed(f.fill.realized_pnl, 8)}, {"side", side_name(f.side)},
                    {"positionSide", position_side_name(f.pos_side)}, {"symbol", f.symbol},
                    {"time", to_unix_ms(f.time)}});
  }
  auto most = static_cast<std::size_t>(std::clamp<std::int64_t>(limit->value_or(500), 1, 1000));
  std::size_t first = *from_id ? 0 : (rows.size() > most ? rows.size() - most : 0);
  json out = json::array();
  for (std::size_t i = first; i < rows.size() && out.size() < most; ++i) out.push_back(std::move(rows[i]));
  return out.dump();
}

expected<std::string, api_error> usdm_dialect::set_leverage(call& current) {
  auto engine = market_of(current.req);
  if (!engine) return unexpected{engine.error()};
  auto leverage = optional_integer(current.req, "leverage");
  if (!leverage) return unexpected{leverage.error()};
  if (!*leverage) return unexpected{missing_parameter("leverage")};
  auto value = static_cast<int>(std::clamp<std::int64_t>(**leverage, -1, 100'000));
  if (auto set = (*engine)->set_leverage(current.account->account, value); !set)
    return unexpected{api_error{400, -4028, "Leverage " + std::to_string(**leverage) + " is not valid"}};
  current.record.executed = true;
  // ACCOUNT_CONFIG_UPDATE tells the user stream about the new leverage.
  std::string now = std::to_string(to_unix_ms(current.now));
  send_user(current.account->account, R"({"e":"ACCOUNT_CONFIG_UPDATE","E":)" + now + R"(,"T":)" + now +
                                          R"(,"ac":{"s":")" + (*engine)->spec().symbol + R"(","l":)" +
                                          std::to_string(value) + "}}");
  json body = {{"leverage", value}, {"maxNotionalValue", "1000000"}, {"symbol", (*engine)->spec().symbol}};
  return body.dump();
}

expected<std::string, api_error> usdm_dialect::dual_side_position(call& current, bool change) {
  account_id account = current.account->account;
  if (!change) {
    bool dual = state().venue.accounts().mode(account) == position_mode::hedge;
    return json{{"dualSidePosition", dual}}.dump();
  }
  const std::string* dual = sent(current.req, "dualSidePosition");
  if (dual == nullptr) return unexpected{missing_parameter("dualSidePosition")};
  if (*dual != "true" && *dual != "false") return unexpected{illegal_characters("dualSidePosition")};
  auto changed = state().venue.set_position_mode(account, *dual == "true" ? position_mode::hedge : position_mode::one_way);
  if (!changed) return unexpected{from_engine(changed.error(), false, true)};
  current.record.executed = true;
  return std::string{R"({"code":200,"msg":"success"})"};
}

} // namespace tern::sim::binance
