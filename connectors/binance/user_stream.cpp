#include "connectors/binance/user_stream.hpp"

#include <array>

#include <nlohmann/json.hpp>

#include "connectors/binance/errors.hpp"
#include "connectors/binance/responses.hpp"
#include "connectors/binance/signer.hpp"
#include "connectors/common/json_fields.hpp"

namespace tern::binance {

namespace {

using nlohmann::json;
namespace jf = json_fields;
using events = std::vector<private_event>;
using result = expected<events, frame_problem>;

// Known events Tern has no use for: order-list summaries (their orders come as execution
// reports), external locks, the lighter duplicate of ORDER_TRADE_UPDATE, account settings,
// margin calls, strategy and algo updates.
constexpr std::array<std::string_view, 9> ignored_events{
    "listStatus",    "externalLockUpdate", "TRADE_LITE",
    "ACCOUNT_CONFIG_UPDATE", "MARGIN_CALL", "STRATEGY_UPDATE",
    "GRID_UPDATE",   "CONDITIONAL_ORDER_TRIGGER_REJECT", "ALGO_UPDATE"};

frame_problem malformed(std::string_view channel, std::string detail) {
  return frame_problem{frame_problem::kind_type::malformed, std::string{channel}, std::move(detail)};
}

frame_problem unknown(std::string_view channel, std::string detail) {
  return frame_problem{frame_problem::kind_type::unknown, std::string{channel}, std::move(detail)};
}

// The fields an execution report (spot) and an ORDER_TRADE_UPDATE "o" object (USD-M) share.
struct order_fields {
  std::string pair;
  std::string client_order_id;
  std::string exchange_order_id;
  side order_side = side::buy;
  order_state state = order_state::open;
  std::string execution_type;
  std::string reject_reason;
  timestamp time{};
};

// Problems come back typed: an order on a market the connector does not map is `unknown` (not
// ours to track), anything unreadable `malformed`.
expected<order_fields, frame_problem> read_order_fields(std::string_view channel, const json& o,
                                                        const symbol_map& symbols,
                                                        timestamp time) {
  order_fields out;
  auto symbol = jf::string_of(o, "s");
  auto client = jf::string_of(o, "c");
  auto original = jf::optional_string_of(o, "C");
  auto order_id = jf::id_of(o, "i");
  auto side_text = jf::string_of(o, "S");
  auto status = jf::string_of(o, "X");
  auto execution = jf::string_of(o, "x");
  for (const std::string* problem :
       {symbol ? nullptr : &symbol.error(), client ? nullptr : &client.error(),
        original ? nullptr : &original.error(), order_id ? nullptr : &order_id.error(),
        side_text ? nullptr : &side_text.error(), status ? nullptr : &status.error(),
        execution ? nullptr : &execution.error()})
    if (problem != nullptr)
      return unexpected{malformed(channel, *problem)};
  const trading_pair* pair = symbols.pair_of(*symbol);
  if (pair == nullptr)
    return unexpected{unknown(channel, "symbol \"" + *symbol + "\" is not one of the connector's markets")};
  auto state = order_state_of(*status);
  if (!state)
    return unexpected{malformed(channel, "field \"X\": unknown order status \"" + *status + "\"")};
  if (*side_text != "BUY" && *side_text != "SELL")
    return unexpected{malformed(channel, "field \"S\": unknown side \"" + *side_text + "\"")};
  out.pair = pair->to_string();
  // On a cancel, "c" is the cancel request's id and "C" the cancelled order's.
  out.client_order_id = *original && !(*original)->empty() ? **original : *client;
  out.exchange_order_id = *order_id;
  out.order_side = *side_text == "BUY" ? side::buy : side::sell;
  out.state = *state;
  out.execution_type = *execution;
  if (auto reason = jf::optional_string_of(o, "r"); reason && *reason && **reason != "NONE")
    out.reject_reason = **reason;
  out.time = time;
  return out;
}

order_update to_update(const order_fields& fields) {
  order_update update;
  update.pair = fields.pair;
  update.client_order_id = fields.client_order_id;
  update.exchange_order_id = fields.exchange_order_id;
  update.new_state = fields.state;
  update.update_time = fields.time;
  if (fields.state == order_state::failed) {
    update.error_code = fields.reject_reason;
    update.error_message = "rejected by Binance: " + (fields.reject_reason.empty()
                                                          ? std::string{"no reason given"}
                                                          : fields.reject_reason);
  }
  return update;
}

// The execution in a TRADE report: t, L, l, n, N ("N" is null, or absent on USD-M, when no
// commission was charged), m, and Y (spot's last quote quantity; USD-M: L x l).
expected<fill, std::string> read_fill(const json& o, const order_fields& fields) {
  auto trade_id = jf::id_of(o, "t");
  auto price = jf::decimal_of(o, "L");
  auto qty = jf::decimal_of(o, "l");
  auto quote = jf::optional_decimal_of(o, "Y");
  auto commission = jf::optional_decimal_of(o, "n");
  auto asset = jf::optional_string_of(o, "N");
  auto maker = jf::bool_of(o, "m");
  for (const std::string* problem :
       {trade_id ? nullptr : &trade_id.error(), price ? nullptr : &price.error(),
        qty ? nullptr : &qty.error(), quote ? nullptr : &quote.error(),
        commission ? nullptr : &commission.error(), asset ? nullptr : &asset.error(),
        maker ? nullptr : &maker.error()})
    if (problem != nullptr)
      return unexpected{*problem};
  fill execution;
  execution.pair = fields.pair;
  execution.trade_id = *trade_id;
  execution.client_order_id = fields.client_order_id;
  execution.exchange_order_id = fields.exchange_order_id;
  execution.order_side = fields.order_side;
  execution.price = *price;
  execution.base_amount = *qty;
  execution.quote_amount =
      quote->value_or(decimal::multiply(*price, *qty, rounding::half_even));
  execution.fee = tern::fee{asset->value_or(std::string{}), commission->value_or(decimal{})};
  execution.is_taker = !*maker;
  execution.fill_time = fields.time;
  return execution;
}

// executionReport (spot) and ORDER_TRADE_UPDATE's "o" (USD-M) read the same way.
result order_event(std::string_view channel, const json& o, std::int64_t time_ms,
                   const symbol_map& symbols) {
  auto fields = read_order_fields(channel, o, symbols, from_unix_ms(time_ms));
  if (!fields)
    return unexpected{std::move(fields).error()};
  events out{to_update(*fields)};
  if (fields->execution_type == "TRADE") {
    auto execution = read_fill(o, *fields);
    if (!execution)
      return unexpected{malformed(channel, execution.error())};
    out.emplace_back(std::move(*execution));
  }
  return out;
}

result execution_report(const json& event, const symbol_map& symbols) {
  auto time = jf::integer_of(event, "T");
  if (!time)
    return unexpected{malformed("executionReport", time.error())};
  return order_event("executionReport", event, *time, symbols);
}

result order_trade_update(const json& event, const symbol_map& symbols) {
  auto o = event.find("o");
  if (o == event.end() || !o->is_object())
    return unexpected{malformed("ORDER_TRADE_UPDATE", "field \"o\": missing or not an object")};
  // The order's own trade time, else the event's transaction time.
  auto time = jf::integer_of(*o, "T");
  if (!time)
    time = jf::integer_of(event, "T");
  if (!time)
    return unexpected{malformed("ORDER_TRADE_UPDATE", time.error())};
  return order_event("ORDER_TRADE_UPDATE", *o, *time, symbols);
}

bool is_ignored(std::string_view name) {
  for (std::string_view ignored : ignored_events)
    if (ignored == name)
      return true;
  return false;
}

// outboundAccountPosition "B": [{a, f, l}] (user-data-stream.md "Account Update").
result account_position(const json& event) {
  auto list = event.find("B");
  if (list == event.end() || !list->is_array())
    return unexpected{malformed("outboundAccountPosition", "field \"B\": missing or not an array")};
  events out;
  for (const json& item : *list) {
    auto asset = jf::string_of(item, "a");
    auto free = jf::decimal_of(item, "f");
    auto locked = jf::decimal_of(item, "l");
    if (!asset || !free || !locked)
      return unexpected{malformed("outboundAccountPosition",
                                  !asset ? asset.error() : !free ? free.error() : locked.error())};
    out.emplace_back(balance{*asset, *free + *locked, *free});
  }
  return out;
}

// balanceUpdate {a, d, T} (user-data-stream.md "Balance Update").
result balance_update(const json& event) {
  auto asset = jf::string_of(event, "a");
  auto delta = jf::decimal_of(event, "d");
  auto time = jf::integer_of(event, "T");
  if (!asset || !delta || !time)
    return unexpected{malformed("balanceUpdate",
                                !asset ? asset.error() : !delta ? delta.error() : time.error())};
  return events{balance_delta{*asset, *delta, from_unix_ms(*time)}};
}

// ACCOUNT_UPDATE "a": {"B": [{a, wb, cw, bc}], "P": [{s, pa, ep, up, ps, ...}]} ("Event:
// Balance and Position Update"). The event carries no leverage: positions report 0 there.
result account_update(const json& event, const symbol_map& symbols) {
  constexpr std::string_view channel = "ACCOUNT_UPDATE";
  auto data = event.find("a");
  if (data == event.end() || !data->is_object())
    return unexpected{malformed(channel, "field \"a\": missing or not an object")};
  events out;
  for (const json& item : data->value("B", json::array())) {
    auto asset = jf::string_of(item, "a");
    auto wallet = jf::decimal_of(item, "wb");
    auto cross = jf::decimal_of(item, "cw");
    if (!asset || !wallet || !cross)
      return unexpected{malformed(channel, !asset ? asset.error() : !wallet ? wallet.error() : cross.error())};
    out.emplace_back(balance{*asset, *wallet, *cross});
  }
  for (const json& item : data->value("P", json::array())) {
    auto symbol = jf::string_of(item, "s");
    auto amount = jf::decimal_of(item, "pa");
    auto entry = jf::decimal_of(item, "ep");
    auto pnl = jf::decimal_of(item, "up");
    auto side = detail::position_side_field(item, "ps");
    if (!symbol || !amount || !entry || !pnl || !side)
      return unexpected{malformed(channel, !symbol ? symbol.error() : !amount ? amount.error()
                                           : !entry ? entry.error() : !pnl ? pnl.error() : side.error())};
    if (const trading_pair* pair = symbols.pair_of(*symbol))
      out.emplace_back(position{pair->to_string(), *side, *amount, *entry, *pnl, decimal{}});
  }
  return out;
}

// A WebSocket API response: {"id", "status", "result"} or {"id", "status", "error": {code, msg}}.
result ws_api_response(const json& frame) {
  stream_control control;
  if (auto id = jf::id_of(frame, "id"))
    control.request_id = *id;
  auto status = jf::integer_of(frame, "status");
  if (!status)
    return unexpected{malformed("ws-api response", status.error())};
  if (*status == 200) {
    control.kind = stream_control_kind::subscribed;
    return events{control};
  }
  control.kind = stream_control_kind::request_failed;
  std::optional<int> code;
  std::string message = "no error details";
  if (auto error = frame.find("error"); error != frame.end() && error->is_object()) {
    if (auto value = jf::integer_of(*error, "code"))
      code = static_cast<int>(*value);
    if (auto text = jf::string_of(*error, "msg"))
      message = *text;
  }
  control.detail = message;
  control.error = ws_api_error(static_cast<unsigned>(*status), code, message,
                               request_kind::account_change);
  return events{control};
}

result dispatch(std::string_view name, const json& event, const symbol_map& symbols) {
  if (name == "executionReport")
    return execution_report(event, symbols);
  if (name == "ORDER_TRADE_UPDATE")
    return order_trade_update(event, symbols);
  if (name == "outboundAccountPosition")
    return account_position(event);
  if (name == "balanceUpdate")
    return balance_update(event);
  if (name == "ACCOUNT_UPDATE")
    return account_update(event, symbols);
  if (name == "eventStreamTerminated" || name == "listenKeyExpired")
    return events{stream_control{stream_control_kind::stream_terminated, {}, std::string{name}, {}}};
  if (name == "serverShutdown")
    return events{stream_control{stream_control_kind::server_shutdown, {}, std::string{name}, {}}};
  if (is_ignored(name))
    return events{};
  return unexpected{unknown(name, "event not handled")};
}

} // namespace

std::string ws_api_request(std::string_view method, query_params params,
                           const signing_context& signing, std::string_view request_id) {
  params.push_back({"apiKey", signing.keys.api_key()});
  if (signing.recv_window_ms)
    params.push_back({"recvWindow", std::to_string(*signing.recv_window_ms)});
  params.push_back({"timestamp", std::to_string(signing.timestamp_ms)});
  std::string signature = sign(signing.keys.reveal_secret(), ws_api_payload(params));
  nlohmann::ordered_json body;
  body["id"] = std::string{request_id};
  body["method"] = std::string{method};
  nlohmann::ordered_json& fields = body["params"];
  fields = nlohmann::ordered_json::object();
  for (const query_param& param : params) {
    if (param.name == "timestamp")
      fields[param.name] = signing.timestamp_ms;
    else if (param.name == "recvWindow")
      fields[param.name] = *signing.recv_window_ms;
    else
      fields[param.name] = param.value;
  }
  fields["signature"] = signature;
  return body.dump();
}

std::string user_data_subscription(const signing_context& signing, std::string_view request_id) {
  return ws_api_request("userDataStream.subscribe.signature", {}, signing, request_id);
}

std::string listen_key_stream_url(std::string_view private_ws, std::string_view listen_key) {
  constexpr std::string_view placeholder = "{listenKey}";
  std::string url{private_ws};
  if (auto at = url.find(placeholder); at != std::string::npos)
    return url.replace(at, placeholder.size(), listen_key);
  if (!url.empty() && url.back() == '/')
    url.pop_back();
  return url + "/" + std::string{listen_key};
}

expected<std::vector<private_event>, frame_problem> parse_user_frame(std::string_view frame,
                                                                     const symbol_map& symbols) {
  auto parsed = jf::parse(frame);
  if (!parsed || !parsed->is_object())
    return unexpected{malformed("", "not a JSON object: " + std::string{frame.substr(0, 80)})};
  const json& root = *parsed;
  // Unwrap: WS API events {"subscriptionId", "event"}, combined streams {"stream", "data"}.
  const json* event = &root;
  if (auto inner = root.find("event"); inner != root.end() && inner->is_object())
    event = &*inner;
  else if (auto data = root.find("data"); data != root.end() && data->is_object())
    event = &*data;
  else if (root.contains("status") && root.contains("id"))
    return ws_api_response(root);
  auto name = jf::string_of(*event, "e");
  if (!name)
    return unexpected{unknown("", "no event type \"e\": " + jf::excerpt(root))};
  return dispatch(*name, *event, symbols);
}

} // namespace tern::binance
