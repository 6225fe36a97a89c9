// Binance spot WebSocket API at /ws-api/v3 (web-socket-api.md): JSON requests {"id","method",
// "params"} answered {"id","status","result"|"error","rateLimits"}; ping, time, and the user data
// stream requests userDataStream.subscribe.signature (signed: parameters sorted by name,
// "name=value&...", HMAC-SHA256), userDataStream.unsubscribe and session.subscriptions. Events
// then arrive wrapped in {"subscriptionId","event"}.

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "sim/binance/spot_dialect.hpp"

namespace tern::sim::binance {

namespace {

using json = nlohmann::ordered_json;

constexpr std::string_view ws_api_path = "/ws-api/v3";

/// A WebSocket API connection: its user data stream subscriptions (subscriptionId -> account).
struct ws_api_session final : session_state {
  std::map<std::int64_t, account_id> subscriptions;
  std::int64_t next_subscription = 0;
};

/// The signature payload: every parameter but `signature`, sorted by name, "name=value" joined
/// by '&', values as sent (web-socket-api.md "SIGNED request example (HMAC)").
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

/// One WebSocket API request being served.
struct spot_dialect::ws_call {
  stream_session& session;
  ws_api_session& api;
  std::string id;  ///< the request's id as JSON text, echoed back
  request_record record;
  timestamp now;
};

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

void spot_dialect::ws_answer(ws_call& current, unsigned status, const std::string& result, const api_error* error) {
  std::string text = R"({"id":)" + current.id + R"(,"status":)" + std::to_string(status) +
                     (error != nullptr ? R"(,"error":)" + error_body(error->code, error->msg) : R"(,"result":)" + result) +
                     R"(,"rateLimits":)" + limits_.json_entries(current.now, std::nullopt, true) + "}";
  current.record.status = status;
  current.record.code = error != nullptr ? error->code : 0;
  current.record.used_weight = limits_.used_weight(current.now);
  current.record.weight_limit = limits_.weight_limit();
  state().records.add(current.record);
  state().streams.reply(current.session, std::move(text));
}

void spot_dialect::ws_api_request(stream_session& session, std::string_view payload) {
  auto message = json::parse(payload, nullptr, false);
  bool object = !message.is_discarded() && message.is_object();
  ws_call current{session, static_cast<ws_api_session&>(*session.state),
                  object && message.contains("id") ? message["id"].dump() : "null", {}, state().now()};
  current.record.time = current.now;
  current.record.exchange = state().name();
  current.record.transport = "websocket";
  current.record.path = std::string{ws_api_path};
  current.record.connection = session.id;
  auto fail = [&](const api_error& error) { ws_answer(current, error.status, {}, &error); };
  if (!object || !message.contains("method") || !message["method"].is_string())
    return fail({400, -1135, "Invalid JSON Request"});
  std::string method = message["method"].get<std::string>();
  if (method.starts_with("v3/")) method.erase(0, 3);  // an explicit version prefix is allowed
  current.record.method = method;
  const json params = message.contains("params") && message["params"].is_object() ? message["params"] : json::object();
  current.record.weight = method == "ping" || method == "time" ? 1 : 2;
  std::chrono::seconds retry_after{0};
  if (auto refused = limits_.admit(current.now, current.record.weight, retry_after)) {
    current.record.weight = 0;
    return fail(*refused);
  }
  if (method == "ping") return ws_answer(current, 200, "{}", nullptr);
  if (method == "time")
    return ws_answer(current, 200, R"({"serverTime":)" + std::to_string(to_unix_ms(current.now)) + "}", nullptr);
  if (method == "session.subscriptions") {
    json list = json::array();
    for (const auto& [subscription, account] : current.api.subscriptions) list.push_back({{"subscriptionId", subscription}});
    return ws_answer(current, 200, list.dump(), nullptr);
  }
  if (method == "userDataStream.unsubscribe") return ws_unsubscribe(current, params);
  if (method == "userDataStream.subscribe.signature") return ws_subscribe(current, params);
  fail({400, -1020, "This operation is not supported."});
}

void spot_dialect::ws_subscribe(ws_call& current, const json& params) {
  auto fail = [&](const api_error& error) { ws_answer(current, error.status, {}, &error); };
  std::string api_key = text_of(params, "apiKey");
  current.record.api_key = api_key;
  if (api_key.empty()) return fail(missing_parameter("apiKey"));
  const account_credentials* account = state().credentials(api_key);
  if (account == nullptr) return fail({401, -2015, "Invalid API-key, IP, or permissions for action."});
  std::string timestamp_text = text_of(params, "timestamp");
  std::string window_text = text_of(params, "recvWindow");
  if (auto timing = check_timing(&timestamp_text, params.contains("recvWindow") ? &window_text : nullptr, current.now);
      !timing)
    return fail(timing.error());
  std::string signature = text_of(params, "signature");
  if (signature.empty()) return fail(missing_parameter("signature"));
  if (!equal_ignoring_case(signature, hmac_sha256_hex(account->secret, sorted_payload(params))))
    return fail({400, -1022, "Signature for this request is not valid."});
  for (const auto& [subscription, owner] : current.api.subscriptions)
    if (owner == account->account) return fail({400, -2035, "User Data Stream subscription already active."});
  std::int64_t subscription = current.api.next_subscription++;
  current.api.subscriptions[subscription] = account->account;
  user_streams_[account->account].emplace_back(current.session.id, subscription);
  current.record.executed = true;
  ws_answer(current, 200, R"({"subscriptionId":)" + std::to_string(subscription) + "}", nullptr);
}

void spot_dialect::ws_unsubscribe(ws_call& current, const json& params) {
  auto fail = [&](const api_error& error) { ws_answer(current, error.status, {}, &error); };
  std::vector<std::int64_t> ending;
  if (params.contains("subscriptionId")) {
    if (!params["subscriptionId"].is_number_integer()) return fail(illegal_characters("subscriptionId"));
    std::int64_t wanted = params["subscriptionId"].get<std::int64_t>();
    if (!current.api.subscriptions.contains(wanted)) return fail({400, -2036, "User Data Stream subscription not active."});
    ending.push_back(wanted);
  } else {
    for (const auto& [subscription, account] : current.api.subscriptions) ending.push_back(subscription);
  }
  ws_answer(current, 200, "{}", nullptr);
  for (std::int64_t subscription : ending) {
    account_id account = current.api.subscriptions[subscription];
    current.api.subscriptions.erase(subscription);
    std::erase_if(user_streams_[account], [&](const auto& entry) {
      return entry.first == current.session.id && entry.second == subscription;
    });
    // user-data-stream.md "Event Stream Terminated": sent when a subscription is stopped.
    state().streams.send(current.session, stream_kind::user, "user",
                         R"({"subscriptionId":)" + std::to_string(subscription) +
                             R"(,"event":{"e":"eventStreamTerminated","E":)" +
                             std::to_string(to_unix_ms(current.now)) + "}}");
  }
}

} // namespace tern::sim::binance
