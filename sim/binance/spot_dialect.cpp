// Binance spot: routes, order rendering, and the user data stream over the WebSocket API
// (web-socket-api.md "User Data Stream requests"; user-data-stream.md for the events).

#include "sim/binance/spot_dialect.hpp"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

namespace tern::sim::binance {

namespace {

using nlohmann::json;

constexpr std::string_view ws_api_path = "/ws-api/v3";

/// A WebSocket API connection: its user data stream subscriptions (subscriptionId -> account).
struct ws_api_session final : session_state {
  std::map<std::int64_t, account_id> subscriptions;
  std::int64_t next_subscription = 0;
};

/// user-data-stream.md "Order Expiry Reason".
std::string_view expiry_reason(const order_view& order) {
  switch (order.reason) {
    case end_reason::ioc_remainder:
      return order.type == order_type::market ? "INSUFFICIENT_LIQUIDITY" : "UNFILLED_IOC_QUANTITY_EXPIRED";
    case end_reason::fok_unfillable: return "UNFILLED_FOK_ORDER_EXPIRED";
    default: return "";
  }
}

/// The WebSocket API signature payload: every parameter but `signature`, sorted by name,
/// "name=value" joined by '&', values as sent (web-socket-api.md "SIGNED request example").
std::string sorted_payload(const json& params) {
  std::vector<std::pair<std::string, std::string>> items;
  for (const auto& [key, value] : params.items())
    if (key != "signature") items.emplace_back(key, value.is_string() ? value.get<std::string>() : value.dump());
  std::sort(items.begin(), items.end());
  std::string out;
  for (const auto& [key, value] : items) out += (out.empty() ? "" : "&") + key + "=" + value;
  return out;
}

std::string text_of(const json& params, const char* key) {
  if (!params.contains(key)) return {};
  const json& value = params[key];
  return value.is_string() ? value.get<std::string>() : value.dump();
}

} // namespace

spot_dialect::spot_dialect() : binance_dialect(flavour::spot) {
  add_market_routes();
  add_trading_routes();
}

std::vector<endpoint_info> spot_dialect::endpoints(std::string_view host, std::uint16_t port) const {
  std::string origin = std::string{host} + ":" + std::to_string(port);
  return {{"rest", "https://" + origin},
          {"ws", "wss://" + origin + "/ws"},
          {"ws-api", "wss://" + origin + std::string{ws_api_path}}};
}

json spot_dialect::order_json(const order_view& order) const {
  std::int64_t created = to_unix_ms(order.created_time);
  return {{"symbol", order.symbol},
          {"orderId", order.id},
          {"orderListId", -1},
          {"clientOrderId", order.client_order_id},
          {"price", fixed(order.price, 8)},
          {"origQty", fixed(order.quantity, 8)},
          {"executedQty", fixed(order.executed_quantity, 8)},
          {"cummulativeQuoteQty", fixed(order.cumulative_quote, 8)},
          {"status", status_name(order)},
          {"timeInForce", tif_name(order.tif)},
          {"type", order_type_name(order.type)},
          {"side", side_name(order.side)},
          {"stopPrice", fixed(decimal{}, 8)},
          {"icebergQty", fixed(decimal{}, 8)},
          {"time", created},
          {"updateTime", to_unix_ms(order.updated_time)},
          {"isWorking", true},
          {"workingTime", created},
          {"origQuoteOrderQty", fixed(decimal{}, 8)},
          {"selfTradePreventionMode", stp_name(order.stp)}};
}

json spot_dialect::cancel_json(const order_view& order, const std::string& cancel_id) const {
  return {{"symbol", order.symbol},
          {"origClientOrderId", order.client_order_id},
          {"orderId", order.id},
          {"orderListId", -1},
          {"clientOrderId", cancel_id},
          {"transactTime", to_unix_ms(order.updated_time)},
          {"price", fixed(order.price, 8)},
          {"origQty", fixed(order.quantity, 8)},
          {"executedQty", fixed(order.executed_quantity, 8)},
          {"origQuoteOrderQty", fixed(decimal{}, 8)},
          {"cummulativeQuoteQty", fixed(order.cumulative_quote, 8)},
          {"status", status_name(order)},
          {"timeInForce", tif_name(order.tif)},
          {"type", order_type_name(order.type)},
          {"side", side_name(order.side)},
          {"selfTradePreventionMode", stp_name(order.stp)}};
}

std::string spot_dialect::execution_report(const order_event& change) {
  const order_view& order = change.order;
  std::string client_id = order.client_order_id;
  std::string original_id;
  if (change.kind == execution_kind::cancelled) {
    if (auto found = cancel_ids_.find(order.id); found != cancel_ids_.end()) {
      original_id = client_id;
      client_id = found->second;
      cancel_ids_.erase(found);
    }
  }
  const fill_detail empty_fill{};
  const fill_detail& fill = change.fill ? *change.fill : empty_fill;
  json report = {{"e", "executionReport"}, {"E", to_unix_ms(change.time)}, {"s", order.symbol},
                 {"c", client_id}, {"S", side_name(order.side)}, {"o", order_type_name(order.type)},
                 {"f", tif_name(order.tif)}, {"q", fixed(order.quantity, 8)}, {"p", fixed(order.price, 8)},
                 {"P", fixed(decimal{}, 8)}, {"F", fixed(decimal{}, 8)}, {"g", -1}, {"C", original_id},
                 {"x", execution_name(change.kind, order)}, {"X", status_name(order)}, {"r", "NONE"},
                 {"i", order.id}, {"l", fixed(fill.quantity, 8)}, {"z", fixed(order.executed_quantity, 8)},
                 {"L", fixed(fill.price, 8)}, {"n", change.fill ? fixed(fill.fee, 8) : "0"},
                 {"N", change.fill ? json(fill.fee_asset) : json(nullptr)}, {"T", to_unix_ms(change.time)},
                 {"t", change.fill ? fill.trade : -1}, {"I", next_execution_id_++},
                 {"w", order.is_open() && order.type != order_type::market}, {"m", fill.is_maker},
                 {"M", false}, {"O", to_unix_ms(order.created_time)}, {"Z", fixed(order.cumulative_quote, 8)},
                 {"Y", fixed(fill.quote_quantity, 8)}, {"Q", fixed(decimal{}, 8)},
                 {"W", to_unix_ms(order.created_time)}, {"V", stp_name(order.stp)}};
  if (auto reason = expiry_reason(order); !reason.empty() && order.status == order_status::expired)
    report["eR"] = reason;
  return report.dump();
}

void spot_dialect::send_user(account_id account, const std::string& event_json) {
  auto found = user_streams_.find(account);
  if (found == user_streams_.end()) return;
  for (const auto& [connection, subscription] : found->second) {
    stream_session* session = state().streams.find(connection);
    if (session == nullptr) continue;
    state().streams.send(*session, stream_kind::user, "user",
                         R"({"subscriptionId":)" + std::to_string(subscription) + R"(,"event":)" + event_json + "}");
  }
}

void spot_dialect::publish_user(const event_buffer& events) {
  // Latest balance per account and asset, sent after the batch's execution reports.
  std::map<account_id, std::map<std::string, const balance_update*>> balances;
  timestamp last_time{};
  for (const auto& item : events) {
    if (const auto* change = std::get_if<order_event>(&item)) {
      bool watched = user_streams_.contains(change->order.account);
      if (watched || change->kind == execution_kind::cancelled) {
        std::string report = execution_report(*change);  // also retires the cancel's client id
        if (watched) send_user(change->order.account, report);
      }
    } else if (const auto* balance = std::get_if<balance_update>(&item)) {
      if (user_streams_.contains(balance->account)) balances[balance->account][balance->asset] = balance;
      last_time = std::max(last_time, balance->time);
    }
  }
  for (const auto& [account, assets] : balances) {
    json list = json::array();
    for (const auto& [asset, balance] : assets)
      list.push_back({{"a", asset}, {"f", fixed(balance->free, 8)}, {"l", fixed(balance->locked, 8)}});
    json position = {{"e", "outboundAccountPosition"}, {"E", to_unix_ms(state().now())},
                     {"u", to_unix_ms(last_time)}, {"B", list}};
    send_user(account, position.dump());
  }
}

bool spot_dialect::open_stream(stream_session& session) {
  if (split_target(session.target).first == ws_api_path) {
    session.state = std::make_unique<ws_api_session>();
    return true;
  }
  return binance_dialect::open_stream(session);
}

void spot_dialect::on_stream_message(stream_session& session, std::string_view payload) {
  if (dynamic_cast<ws_api_session*>(session.state.get()) != nullptr) ws_api_request(session, payload);
  else binance_dialect::on_stream_message(session, payload);
}

void spot_dialect::on_stream_closed(stream_session& session) {
  for (auto& [account, list] : user_streams_)
    std::erase_if(list, [&](const auto& entry) { return entry.first == session.id; });
}

void spot_dialect::ws_api_request(stream_session& session, std::string_view payload) {
  auto& api = static_cast<ws_api_session&>(*session.state);
  timestamp now = state().now();
  auto message = json::parse(payload, nullptr, false);
  std::string id = !message.is_discarded() && message.is_object() && message.contains("id") ? message["id"].dump() : "null";
  request_record record;
  record.time = now;
  record.exchange = state().name();
  record.transport = "websocket";
  record.path = std::string{ws_api_path};
  record.connection = session.id;
  auto answer = [&](unsigned status, const std::string& result, const api_error* error) {
    std::string text = R"({"id":)" + id + R"(,"status":)" + std::to_string(status) +
                       (error != nullptr ? R"(,"error":)" + error_body(error->code, error->msg) : R"(,"result":)" + result) +
                       R"(,"rateLimits":)" + limits_.json_entries(now, std::nullopt, true) + "}";
    record.status = status;
    record.code = error != nullptr ? error->code : 0;
    record.used_weight = limits_.used_weight(now);
    record.weight_limit = limits_.weight_limit();
    state().records.add(record);
    state().streams.reply(session, std::move(text));
  };
  auto fail = [&](const api_error& error) { answer(error.status, {}, &error); };
  if (message.is_discarded() || !message.is_object() || !message.contains("method") || !message["method"].is_string())
    return fail({400, -1135, "Invalid JSON Request"});
  std::string method = message["method"].get<std::string>();
  if (method.starts_with("v3/")) method.erase(0, 3);
  record.method = method;
  const json params = message.contains("params") && message["params"].is_object() ? message["params"] : json::object();
  record.weight = method == "ping" || method == "time" ? 1 : 2;
  std::chrono::seconds retry_after{0};
  if (auto refused = limits_.admit(now, record.weight, retry_after)) {
    record.weight = 0;
    return fail(*refused);
  }
  if (method == "ping") return answer(200, "{}", nullptr);
  if (method == "time") return answer(200, R"({"serverTime":)" + std::to_string(to_unix_ms(now)) + "}", nullptr);
  if (method == "session.subscriptions") {
    json list = json::array();
    for (const auto& [subscription, account] : api.subscriptions) list.push_back({{"subscriptionId", subscription}});
    return answer(200, list.dump(), nullptr);
  }
  if (method == "userDataStream.unsubscribe") {
    std::vector<std::int64_t> ending;
    if (params.contains("subscriptionId")) {
      if (!params["subscriptionId"].is_number_integer()) return fail(illegal_characters("subscriptionId"));
      std::int64_t wanted = params["subscriptionId"].get<std::int64_t>();
      if (!api.subscriptions.contains(wanted)) return fail({400, -2036, "User Data Stream subscription not active."});
      ending.push_back(wanted);
    } else {
      for (const auto& [subscription, account] : api.subscriptions) ending.push_back(subscription);
    }
    answer(200, "{}", nullptr);
    for (std::int64_t subscription : ending) {
      account_id account = api.subscriptions[subscription];
      api.subscriptions.erase(subscription);
      std::erase_if(user_streams_[account], [&](const auto& entry) {
        return entry.first == session.id && entry.second == subscription;
      });
      state().streams.send(session, stream_kind::user, "user",
                           R"({"subscriptionId":)" + std::to_string(subscription) +
                               R"(,"event":{"e":"eventStreamTerminated","E":)" + std::to_string(to_unix_ms(now)) + "}}");
    }
    return;
  }
  if (method != "userDataStream.subscribe.signature") return fail({400, -1020, "This operation is not supported."});
  std::string api_key = text_of(params, "apiKey");
  record.api_key = api_key;
  if (api_key.empty()) return fail(missing_parameter("apiKey"));
  const account_credentials* account = state().credentials(api_key);
  if (account == nullptr) return fail({401, -2015, "Invalid API-key, IP, or permissions for action."});
  std::string timestamp_text = text_of(params, "timestamp");
  std::string window_text = text_of(params, "recvWindow");
  if (auto timing = check_timing(&timestamp_text, params.contains("recvWindow") ? &window_text : nullptr, now); !timing)
    return fail(timing.error());
  std::string signature = text_of(params, "signature");
  if (signature.empty()) return fail(missing_parameter("signature"));
  if (!equal_ignoring_case(signature, hmac_sha256_hex(account->secret, sorted_payload(params))))
    return fail({400, -1022, "Signature for this request is not valid."});
  for (const auto& [subscription, owner] : api.subscriptions)
    if (owner == account->account) return fail({400, -2035, "User Data Stream subscription already active."});
  std::int64_t subscription = api.next_subscription++;
  api.subscriptions[subscription] = account->account;
  user_streams_[account->account].emplace_back(session.id, subscription);
  record.executed = true;
  answer(200, R"({"subscriptionId":)" + std::to_string(subscription) + "}", nullptr);
}

} // namespace tern::sim::binance
