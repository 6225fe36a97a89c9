// OKX trading ("Order Book Trading" > "Trade"): place, cancel, batch cancel, amend (size down),
// order details, pending orders and fills. Order endpoints answer per item with sCode / sMsg;
// the envelope's code is "0" when every item succeeded, "1" when all failed, "2" when some did.

#include <algorithm>

#include "sim/okx/okx_dialect.hpp"

namespace tern::sim::okx {

namespace {

using std::chrono::milliseconds;

limit_rule per_user(std::int64_t count) { return {count, milliseconds{2000}, limit_scope::user}; }
limit_rule per_user_instrument(std::int64_t count) {
  return {count, milliseconds{2000}, limit_scope::user_instrument};
}

std::optional<decimal> positive_decimal(const json& item, std::string_view key) {
  auto text = text_of(item, key);
  if (!text) return std::nullopt;
  auto value = decimal::parse(*text);
  if (!value || !value->is_positive()) return std::nullopt;
  return *value;
}

/// "All operations failed" / partial / success, from the items' outcomes.
void set_batch_code(json& data, std::string& code, std::string& msg) {
  std::size_t failed = 0;
  for (const auto& item : data) failed += item.value("sCode", "0") != "0" ? 1 : 0;
  if (failed == 0) return;
  code = failed == data.size() ? "1" : "2";
  msg = failed == data.size() ? "All operations failed" : "Batch operation partially succeeded";
}

} // namespace

void okx_dialect::add_trading_routes() {
  // Each endpoint's "Rate Limit": order endpoints per user and instrument, queries per user.
  add_route({"POST", "/api/v5/trade/order", true, per_user_instrument(60), true,
             [this](call& current) { return place(current); }});
  add_route({"POST", "/api/v5/trade/cancel-order", true, per_user_instrument(60), false,
             [this](call& current) { return cancel(current); }});
  add_route({"POST", "/api/v5/trade/cancel-batch-orders", true, per_user_instrument(300), false,
             [this](call& current) { return cancel_batch(current); }});
  add_route({"POST", "/api/v5/trade/amend-order", true, per_user_instrument(60), false,
             [this](call& current) { return amend(current); }});
  add_route({"GET", "/api/v5/trade/order", true, per_user_instrument(60), false,
             [this](call& current) { return order_details(current); }});
  add_route({"GET", "/api/v5/trade/orders-pending", true, per_user(60), false,
             [this](call& current) { return pending_orders(current); }});
  add_route({"GET", "/api/v5/trade/fills", true, per_user(60), false, [this](call& current) { return fills(current); }});
  add_route({"GET", "/api/v5/trade/fills-history", true, per_user(10), false,
             [this](call& current) { return fills(current); }});
}

expected<order_request, item_error> okx_dialect::read_order(call& current, const json& item, matching_engine& engine,
                                                            order_extras& extras) {
  const std::string& symbol = engine.spec().symbol;
  bool swap = flavour_ == flavour::swap;
  order_request out;
  out.account = current.account->account;
  out.post_only_expires = true;  // OKX accepts a post-only order that would take, then cancels it
  out.stp = stp_mode::expire_maker;  // stpMode default cancel_maker
  auto mode = text_of(item, "tdMode");
  if (!mode) return unexpected{item_error{"50014", "Parameter tdMode can not be empty.", ""}};
  if (swap ? (*mode != "cross" && *mode != "isolated") : *mode != "cash") return unexpected{item_parameter_error("tdMode")};
  extras.trade_mode = *mode;
  auto side_text = text_of(item, "side");
  if (side_text != "buy" && side_text != "sell") return unexpected{item_parameter_error("side")};
  out.side = *side_text == "buy" ? side::buy : side::sell;
  auto type = text_of(item, "ordType").value_or("");
  if (type == "market") out.type = order_type::market;
  else if (type == "post_only") out.type = order_type::limit_maker;
  else if (type == "limit" || type == "ioc" || type == "fok") out.tif = type == "ioc" ? time_in_force::ioc
                                                                        : type == "fok" ? time_in_force::fok
                                                                                        : time_in_force::gtc;
  else return unexpected{item_parameter_error("ordType")};
  auto size = positive_decimal(item, "sz");
  if (!size) return unexpected{item_parameter_error("sz")};
  out.quantity = *to_base(symbol, *size);
  if (out.type != order_type::market) {
    auto price = positive_decimal(item, "px");
    if (!price) return unexpected{item_parameter_error("px")};
    out.price = *price;
  }
  // Spot market buys count sz in the quote currency unless tgtCcy is base_ccy; the engine has
  // no orders by quote amount, so only base_ccy is served.
  auto target = text_of(item, "tgtCcy");
  bool quote_sized = target ? *target == "quote_ccy" : (!swap && out.type == order_type::market && out.side == side::buy);
  if (quote_sized) return unexpected{item_parameter_error("tgtCcy")};
  if (auto id = text_of(item, "clOrdId")) {
    if (!valid_client_order_id(*id)) return unexpected{item_parameter_error("clOrdId")};
    out.client_order_id = *id;
  }
  if (auto stp = text_of(item, "stpMode")) {
    if (*stp == "cancel_maker") out.stp = stp_mode::expire_maker;
    else if (*stp == "cancel_taker") out.stp = stp_mode::expire_taker;
    else if (*stp == "cancel_both") out.stp = stp_mode::expire_both;
    else return unexpected{item_parameter_error("stpMode")};
  }
  if (!swap) return out;
  bool hedge = state_->venue.accounts().mode(out.account) == position_mode::hedge;
  auto pos_side = text_of(item, "posSide").value_or("net");
  if (hedge) {
    if (pos_side != "long" && pos_side != "short") return unexpected{item_parameter_error("posSide")};
    out.pos_side = pos_side == "long" ? position_side::long_side : position_side::short_side;
  } else if (pos_side != "net") {
    return unexpected{item_parameter_error("posSide")};
  }
  auto reduce = text_of(item, "reduceOnly").value_or("false");
  if (reduce != "true" && reduce != "false") return unexpected{item_parameter_error("reduceOnly")};
  out.reduce_only = reduce == "true" && !hedge;  // long/short mode closes by posSide
  return out;
}

expected<okx_dialect::answer, api_error> okx_dialect::place(call& current) {
  const json& item = current.req.body;
  if (!item.is_object()) return unexpected{parameter_error("body")};
  answer out;
  out.gateway_times = true;
  json result = {{"ordId", ""}, {"clOrdId", text_of(item, "clOrdId").value_or("")}, {"tag", ""},
                 {"ts", millis(current.now)}, {"sCode", "0"}, {"sMsg", "Order placed"}};
  current.record.client_order_id = result["clOrdId"].get<std::string>();
  auto fail = [&](const item_error& failure) {
    result["sCode"] = failure.code;
    result["sMsg"] = failure.msg;
    out.data.push_back(result);
    set_batch_code(out.data, out.code, out.msg);
    current.record.code = std::strtoll(failure.code.c_str(), nullptr, 10);
    return out;
  };
  auto engine = instrument_of(current.req);
  if (!engine) return fail({engine.error().code, engine.error().msg, ""});
  order_extras extras;
  auto request = read_order(current, item, **engine, extras);
  if (!request) return fail(request.error());
  auto placed = (*engine)->place(*request, current.now, state_->events);
  if (!placed) return fail(order_refusal(placed.error(), (*engine)->spec().quote, flavour_ == flavour::swap));
  remember(*placed, std::move(extras));
  current.record.order_id = placed->id;
  current.record.executed = true;
  result["ordId"] = order_id_text(*placed);
  out.data.push_back(result);
  return out;
}

expected<order_view, item_error> okx_dialect::find_named(call& current, const json& item,
                                                         matching_engine& engine) const {
  account_id account = current.account->account;
  auto ord_id = text_of(item, "ordId");
  auto client_id = text_of(item, "clOrdId");
  expected<order_view, error> found = unexpected{error{error_code::unknown_order, ""}};
  if (ord_id && !ord_id->empty()) {
    if (auto id = engine_order_id(engine.spec().symbol, *ord_id)) found = engine.find_order(account, *id);
  } else if (client_id && !client_id->empty()) {
    found = engine.find_order_by_client_id(account, *client_id);
  } else {
    return unexpected{item_error{"50014", "Parameter ordId can not be empty.", ""}};
  }
  if (!found) return unexpected{item_error{"51603", "Order does not exist", ""}};
  current.record.order_id = found->id;
  current.record.client_order_id = found->client_order_id;
  return *found;
}

json okx_dialect::cancel_item(call& current, const json& item, item_error& failure) {
  json result = {{"ordId", text_of(item, "ordId").value_or("")}, {"clOrdId", text_of(item, "clOrdId").value_or("")},
                 {"ts", millis(current.now)}, {"sCode", "0"}, {"sMsg", ""}};
  auto fail = [&](item_error problem) {
    failure = std::move(problem);
    result["sCode"] = failure.code;
    result["sMsg"] = failure.msg;
    return result;
  };
  auto inst_id = text_of(item, "instId");
  if (!inst_id) return fail({"50014", "Parameter instId can not be empty.", ""});
  matching_engine* engine = state_->venue.market(*inst_id);
  if (engine == nullptr) return fail({"51001", unknown_instrument().msg, ""});
  auto named = find_named(current, item, *engine);
  if (!named && named.error().code == "50014") return fail(named.error());
  if (!named || !named->is_open())
    return fail({"51400", "Order cancellation failed as the order has been filled, canceled or does not exist.", ""});
  auto cancelled = engine->cancel(current.account->account, named->id, current.now, state_->events);
  if (!cancelled)
    return fail({"51400", "Order cancellation failed as the order has been filled, canceled or does not exist.", ""});
  current.record.executed = true;
  result["ordId"] = order_id_text(*cancelled);
  result["clOrdId"] = cancelled->client_order_id;
  return result;
}

expected<okx_dialect::answer, api_error> okx_dialect::cancel(call& current) {
  if (!current.req.body.is_object()) return unexpected{parameter_error("body")};
  answer out;
  out.gateway_times = true;
  item_error failure;
  out.data.push_back(cancel_item(current, current.req.body, failure));
  set_batch_code(out.data, out.code, out.msg);
  if (!failure.code.empty()) current.record.code = std::strtoll(failure.code.c_str(), nullptr, 10);
  return out;
}

expected<okx_dialect::answer, api_error> okx_dialect::cancel_batch(call& current) {
  const json& items = current.req.body;
  // "Cancel multiple orders": at most 20 orders per request.
  if (!items.is_array() || items.empty() || items.size() > 20) return unexpected{parameter_error("body")};
  answer out;
  out.gateway_times = true;
  for (const auto& item : items) {
    item_error failure;
    out.data.push_back(cancel_item(current, item, failure));
  }
  set_batch_code(out.data, out.code, out.msg);
  return out;
}

expected<okx_dialect::answer, api_error> okx_dialect::amend(call& current) {
  const json& item = current.req.body;
  if (!item.is_object()) return unexpected{parameter_error("body")};
  answer out;
  out.gateway_times = true;
  json result = {{"ordId", text_of(item, "ordId").value_or("")}, {"clOrdId", text_of(item, "clOrdId").value_or("")},
                 {"reqId", text_of(item, "reqId").value_or("")}, {"ts", millis(current.now)}, {"sCode", "0"},
                 {"sMsg", ""}};
  auto finish = [&](const item_error* failure) {
    if (failure != nullptr) {
      result["sCode"] = failure->code;
      result["sMsg"] = failure->msg;
    }
    out.data.push_back(result);
    set_batch_code(out.data, out.code, out.msg);
    return out;
  };
  auto engine = instrument_of(current.req);
  if (!engine) {
    item_error failure{engine.error().code, engine.error().msg, ""};
    return finish(&failure);
  }
  // The engine amends by lowering the size in place (priority kept); a new price is not served.
  auto new_size = positive_decimal(item, "newSz");
  if (text_of(item, "newPx") || !new_size) {
    item_error failure = item_parameter_error(new_size ? "newPx" : "newSz");
    return finish(&failure);
  }
  auto named = find_named(current, item, **engine);
  if (!named || !named->is_open()) {
    item_error failure{"51503", "Order modification failed as the order has been filled, canceled or does not exist.", ""};
    return finish(&failure);
  }
  auto amended = (*engine)->amend_keep_priority(current.account->account, named->id,
                                                *to_base((*engine)->spec().symbol, *new_size), current.now, state_->events);
  if (!amended) {
    item_error failure = item_parameter_error("newSz");
    return finish(&failure);
  }
  current.record.executed = true;
  result["ordId"] = order_id_text(*amended);
  result["clOrdId"] = amended->client_order_id;
  return finish(nullptr);
}

expected<okx_dialect::answer, api_error> okx_dialect::order_details(call& current) {
  auto engine = instrument_of(current.req);
  if (!engine) return unexpected{engine.error()};
  json item = json::object();
  for (std::string_view key : {"ordId", "clOrdId"})
    if (auto value = param(current.req, key)) item[std::string{key}] = *value;
  auto named = find_named(current, item, **engine);
  if (!named) return unexpected{api_error{200, named.error().code, named.error().msg}};
  answer out;
  out.data.push_back(order_json(*named, nullptr, false));
  return out;
}

expected<okx_dialect::answer, api_error> okx_dialect::pending_orders(call& current) {
  auto type = param(current.req, "instType");
  auto inst_id = param(current.req, "instId");
  std::vector<order_view> open;
  if (!type || *type == inst_type())
    for (const matching_engine* engine : state_->venue.markets())
      if (!inst_id || *inst_id == engine->spec().symbol)
        for (auto& order : engine->open_orders(current.account->account)) open.push_back(std::move(order));
  // Newest first, as OKX lists them.
  std::sort(open.begin(), open.end(), [](const order_view& a, const order_view& b) {
    return a.created_time != b.created_time ? a.created_time > b.created_time : a.id > b.id;
  });
  answer out;
  for (const auto& order : open) out.data.push_back(order_json(order, nullptr, false));
  return out;
}

expected<okx_dialect::answer, api_error> okx_dialect::fills(call& current) {
  auto type = param(current.req, "instType");
  auto inst_id = param(current.req, "instId");
  auto ord_id = param(current.req, "ordId");
  std::vector<std::pair<const matching_engine*, fill_record>> found;
  if (!type || *type == inst_type())
    for (const matching_engine* engine : state_->venue.markets())
      if (!inst_id || *inst_id == engine->spec().symbol)
        for (auto& record : state_->fills(current.account->account, engine->spec().symbol))
          found.emplace_back(engine, std::move(record));
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.second.time > b.second.time; });
  answer out;
  for (const auto& [engine, record] : found) {
    order_view named;
    named.id = record.order;
    named.symbol = record.symbol;
    std::string order_text = order_id_text(named);
    if (ord_id && *ord_id != order_text) continue;
    out.data.push_back({{"instType", inst_type()}, {"instId", record.symbol},
                        {"tradeId", std::to_string(record.fill.trade)}, {"ordId", order_text},
                        {"clOrdId", record.client_order_id}, {"billId", order_text + std::to_string(record.fill.trade)},
                        {"tag", ""}, {"fillPx", number(record.fill.price)},
                        {"fillSz", size_text(record.symbol, record.fill.quantity)},
                        {"fillPnl", number(record.fill.realized_pnl)}, {"side", side_name(record.side)},
                        {"posSide", flavour_ == flavour::swap ? position_side_name(record.pos_side) : "net"},
                        {"execType", record.fill.is_maker ? "M" : "T"}, {"feeCcy", record.fill.fee_asset},
                        {"fee", number(decimal{} - record.fill.fee)}, {"ts", millis(record.time)},
                        {"fillTime", millis(record.time)}});
    if (out.data.size() == 100) break;  // "limit": default and maximum 100
  }
  return out;
}

} // namespace tern::sim::okx
