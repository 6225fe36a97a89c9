#include "connectors/okx/errors.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

#include "connectors/common/json_fields.hpp"
#include "connectors/okx/constants.hpp"

namespace tern::okx {

namespace {

using nlohmann::json;

// The numeric code before any sub-code: "51008_1000" -> 51008.
std::optional<int> base_code(std::string_view code) {
  code = code.substr(0, code.find('_'));
  int value = 0;
  auto [end, error] = std::from_chars(code.data(), code.data() + code.size(), value);
  if (code.empty() || error != std::errc{} || end != code.data() + code.size())
    return std::nullopt;
  return value;
}

std::optional<error_category> category_of_code(int code) {
  switch (code) {
    case codes::rate_limited:
    case codes::too_frequent:
    case codes::order_rate_limit:
    case codes::ws_requests_too_frequent:
      return error_category::rate_limited;
    case codes::timestamp_expired:
    case codes::ws_timestamp_expired:
      return error_category::clock_skew;
    case codes::order_not_exist:
    case codes::cancel_failed:
      return error_category::order_not_found;
    case codes::insufficient_balance:
    case codes::available_balance_zero:
    case codes::insufficient_balance_2:
      return error_category::insufficient_balance;
    case codes::no_permission:
    case 60004:  // invalid timestamp
    case 60005:  // invalid apiKey
    case 60007:  // invalid sign
    case 60009:  // login failure
    case 60024:  // wrong passphrase
    case 60032:  // API key doesn't exist
      return error_category::authentication;
    case codes::service_unavailable:
    case codes::endpoint_timeout:
    case codes::systems_busy:
    case codes::system_error:
    case codes::request_timed_out:
    case codes::order_timed_out:
      return error_category::server_error;
    default:
      if (code >= codes::auth_first && code <= codes::auth_last)
        return error_category::authentication;
      return std::nullopt;
  }
}

// The first item of data[] that failed ({"sCode": not "0", "sMsg"}), if any.
const json* failed_item(const json& body) {
  auto data = body.find("data");
  if (data == body.end() || !data->is_array())
    return nullptr;
  for (const json& item : *data) {
    auto code = item.find("sCode");
    if (code != item.end() && code->is_string() && code->get_ref<const std::string&>() != "0")
      return &item;
  }
  return nullptr;
}

} // namespace

std::string cancel_source_reason(std::string_view code, std::string_view detail) {
  if (code.empty() || code == "1")
    return {};
  // cancelSource values (#order-book-trading-trade-get-order-details,
  // #order-book-trading-trade-ws-order-channel), in Tern's words.
  struct source {
    std::string_view code;
    std::string_view meaning;
  };
  static constexpr source sources[] = {
      {"0", "cancelled by OKX's system"},
      {"13", "FOK order not completely fillable"},
      {"14", "IOC order's unfilled remainder cancelled"},
      {"15", "order price beyond the price limit"},
      {"20", "cancel-all-after timer triggered"},
      {"22", "reduce-only order would not reduce the position"},
      {"23", "reduce-only order would not reduce the position"},
      {"31", "post-only order would have taken liquidity"},
      {"32", "self-trade prevention"},
      {"34", "insufficient margin to settle the order"},
      {"35", "insufficient margin after another order"},
  };
  std::string text = "cancelled by OKX";
  for (const source& entry : sources)
    if (entry.code == code)
      text = std::string{entry.meaning};
  text += " (cancelSource " + std::string{code} + ")";
  if (!detail.empty())
    text += ": " + std::string{detail};
  return text;
}

error_category categorize(std::string_view code, unsigned http_status,
                          request_kind kind) noexcept {
  if (http_status == 429)
    return error_category::rate_limited;
  std::optional<int> number = base_code(code);
  if (number) {
    if (auto known = category_of_code(*number))
      return *known;
  }
  if (http_status == 401 || http_status == 403)
    return error_category::authentication;
  if (http_status >= 500)
    return error_category::server_error;
  if (!code.empty())
    return kind == request_kind::place_order ? error_category::order_rejected
                                             : error_category::invalid_request;
  return error_category::other;
}

exchange_error read_error(const net::http_response& response, request_kind kind) {
  std::string code;
  std::string message;
  auto body = json_fields::parse(response.body);
  if (body && body->is_object()) {
    if (auto text = json_fields::id_of(*body, "code"))
      code = *text;
    if (auto text = json_fields::string_of(*body, "msg"))
      message = *text;
    // The item's own code says what happened to the order; the envelope only that it failed.
    if (const json* item = failed_item(*body)) {
      code = item->value("sCode", code);
      std::string item_message = item->value("sMsg", std::string{});
      if (!item_message.empty())
        message = std::move(item_message);
    }
  }
  if (code == "0")
    code.clear();  // a success code on a failed status says nothing about the failure
  if (message.empty()) {
    // No OKX error body (a proxy's page, an empty 5xx): quote what there is.
    message = "HTTP " + std::to_string(response.status);
    if (!response.body.empty())
      message += ": " + response.body.substr(0, 160);
  }
  error_category category = categorize(code, response.status, kind);
  exchange_error error = make_exchange_error(category, kind, response.status, std::move(code),
                                             std::move(message));
  error.retry_after = retry_after(response);
  return error;
}

exchange_error ws_error(std::string code, std::string message, request_kind kind) {
  error_category category = categorize(code, 0, kind);
  return make_exchange_error(category, kind, 0, std::move(code), std::move(message));
}

} // namespace tern::okx
