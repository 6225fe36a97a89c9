#include "connectors/okx/user_stream.hpp"

#include <nlohmann/json.hpp>

#include "connectors/common/json_fields.hpp"
#include "connectors/okx/errors.hpp"
#include "connectors/okx/market_data.hpp"
#include "connectors/okx/responses.hpp"
#include "connectors/okx/signer.hpp"

namespace tern::okx {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;
namespace jf = json_fields;
using events = std::vector<private_event>;
using result = expected<events, frame_problem>;

frame_problem malformed(std::string_view channel, std::string detail) {
  return frame_problem{frame_problem::kind_type::malformed, std::string{channel}, std::move(detail)};
}

frame_problem unknown(std::string_view channel, std::string detail) {
  return frame_problem{frame_problem::kind_type::unknown, std::string{channel}, std::move(detail)};
}

ordered_json channel_arg(std::string_view channel, std::string_view type) {
  ordered_json arg;
  arg["channel"] = std::string{channel};
  if (!type.empty())
    arg["instType"] = std::string{type};
  return arg;
}

result event_frame(const json& frame, const std::string& event) {
  stream_control control;
  control.detail = event;
  if (auto id = jf::optional_string_of(frame, "id"); id && *id)
    control.request_id = **id;
  std::string code = frame.value("code", std::string{});
  std::string message = frame.value("msg", std::string{});
  if (event == "login" || event == "subscribe" || event == "unsubscribe") {
    control.kind = stream_control_kind::subscribed;
  } else if (event == "error") {
    control.kind = stream_control_kind::request_failed;
    control.detail = message;
    control.error = ws_error(code, message, request_kind::account_change);
  } else if (event == "notice" && code == std::to_string(codes::ws_service_upgrade)) {
    control.kind = stream_control_kind::server_shutdown;
    control.detail = message;
  } else if (event == "channel-conn-count") {
    return events{};
  } else {
    return unexpected{unknown(event, "event not handled" + (code.empty() ? "" : ", code " + code))};
  }
  return events{std::move(control)};
}

// Whether an orders push reports an execution: a trade id and a positive fill size.
bool carries_fill(const json& order) {
  std::string trade_id = order.value("tradeId", std::string{});
  auto size = jf::optional_decimal_or_empty_of(order, "fillSz");
  return !trade_id.empty() && size && *size && (*size)->is_positive();
}

// Runs `read` (item -> expected<events, string>) over data[]; items on unmapped markets are
// left out, and a push of nothing but those is reported unknown.
template <class Read>
result each_item(std::string_view channel, const json& data, const symbol_map& symbols,
                 Read read) {
  events out;
  std::string unmapped;
  for (const json& item : data) {
    std::string symbol = item.value("instId", std::string{});
    if (!symbol.empty() && symbols.pair_of(symbol) == nullptr) {
      unmapped = symbol;
      continue;
    }
    auto produced = read(item);
    if (!produced)
      return unexpected{malformed(channel, std::move(produced).error())};
    for (private_event& event : *produced)
      out.push_back(std::move(event));
  }
  if (out.empty() && !unmapped.empty())
    return unexpected{
        unknown(channel, "symbol \"" + unmapped + "\" is not one of the connector's markets")};
  return out;
}

expected<events, std::string> order_events(const json& item, const symbol_map& symbols) {
  auto report = detail::read_order(item, symbols);
  if (!report)
    return unexpected{std::move(report).error()};
  events out{report->to_update()};
  if (carries_fill(item)) {
    auto execution = detail::read_execution(item, symbols, "fillFee", "fillFeeCcy");
    if (!execution)
      return unexpected{std::move(execution).error()};
    out.emplace_back(std::move(*execution));
  }
  return out;
}

result channel_frame(const json& frame, const std::string& channel, const symbol_map& symbols) {
  auto data = frame.find("data");
  if (data == frame.end() || !data->is_array())
    return unexpected{malformed(channel, "field \"data\": missing or not an array")};
  if (channel == "orders")
    return each_item(channel, *data, symbols,
                     [&](const json& item) { return order_events(item, symbols); });
  if (channel == "positions")
    return each_item(channel, *data, symbols, [&](const json& item) -> expected<events, std::string> {
      auto read = detail::read_position(item, symbols, true);
      if (!read)
        return unexpected{std::move(read).error()};
      return *read ? events{std::move(**read)} : events{};
    });
  if (channel == "account") {
    events out;
    for (const json& account : *data) {
      auto balances = detail::read_balance_details(account);
      if (!balances)
        return unexpected{malformed(channel, std::move(balances).error())};
      for (balance& each : *balances)
        out.emplace_back(std::move(each));
    }
    return out;
  }
  return unexpected{unknown(channel, "channel not handled")};
}

} // namespace

std::string login_message(const signing_context& signing) {
  std::string seconds = std::to_string(signing.timestamp_ms / 1000);
  ordered_json arg;
  arg["apiKey"] = signing.keys.api_key();
  arg["passphrase"] = std::string{signing.keys.reveal_passphrase()};
  arg["timestamp"] = seconds;
  arg["sign"] = login_signature(signing.keys.reveal_secret(), seconds);
  ordered_json message;
  message["op"] = "login";
  message["args"] = ordered_json::array({arg});
  return message.dump();
}

std::string private_subscription(venue api, std::string_view request_id) {
  ordered_json args = ordered_json::array({channel_arg("orders", inst_type(api))});
  if (api == venue::swap)
    args.push_back(channel_arg("positions", inst_type(api)));
  args.push_back(channel_arg("account", ""));
  ordered_json message;
  message["id"] = std::string{request_id};
  message["op"] = "subscribe";
  message["args"] = std::move(args);
  return message.dump();
}

expected<std::vector<private_event>, frame_problem> parse_user_frame(std::string_view frame,
                                                                     const symbol_map& symbols) {
  std::string_view text = frame;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.remove_suffix(1);
  if (text == pong_message)
    return events{stream_control{stream_control_kind::heartbeat, {}, std::string{pong_message}, {}}};
  auto parsed = jf::parse(frame);
  if (!parsed || !parsed->is_object())
    return unexpected{
        malformed(frame_channel(frame), "not a JSON object: " + std::string{frame.substr(0, 80)})};
  const json& root = *parsed;
  if (auto event = root.find("event"); event != root.end() && event->is_string())
    return event_frame(root, event->get<std::string>());
  auto arg = root.find("arg");
  if (arg == root.end() || !arg->is_object() || !arg->contains("channel"))
    return unexpected{unknown("", "no \"event\" and no \"arg\".\"channel\": " + jf::excerpt(root))};
  return channel_frame(root, arg->value("channel", std::string{}), symbols);
}

} // namespace tern::okx
