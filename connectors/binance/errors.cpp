#include "connectors/binance/errors.hpp"

#include <string>

#include "connectors/binance/constants.hpp"
#include "connectors/common/json_fields.hpp"

namespace tern::binance {

namespace {

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// Case-insensitive for ASCII: "insufficient balance" appears capitalised in some messages.
bool contains_nocase(std::string_view text, std::string_view part) {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  if (part.size() > text.size())
    return false;
  for (std::size_t i = 0; i + part.size() <= text.size(); ++i) {
    std::size_t j = 0;
    while (j < part.size() && lower(text[i + j]) == lower(part[j]))
      ++j;
    if (j == part.size())
      return true;
  }
  return false;
}

std::optional<error_category> category_of_code(int code, std::string_view message) {
  switch (code) {
    case codes::too_many_requests:
    case codes::too_many_orders:
      return error_category::rate_limited;
    case codes::invalid_timestamp:
      return error_category::clock_skew;
    case codes::no_such_order:
    case codes::order_archived:
      return error_category::order_not_found;
    case codes::cancel_rejected:
      if (contains(message, "Unknown order sent"))
        return error_category::order_not_found;
      return std::nullopt;
    case codes::balance_not_sufficient:
    case codes::margin_not_sufficient:
      return error_category::insufficient_balance;
    case codes::post_only_rejected:
      return error_category::post_only_would_take;
    case codes::new_order_rejected:
      if (contains_nocase(message, "insufficient balance"))
        return error_category::insufficient_balance;
      if (contains(message, message_would_take))
        return error_category::post_only_would_take;
      return std::nullopt;
    case codes::unauthorized:
    case codes::invalid_signature:
    case codes::bad_api_key_format:
    case codes::rejected_api_key:
      return error_category::authentication;
    case codes::unknown:
    case codes::disconnected:
    case codes::unexpected_response:
    case codes::timeout:
    case codes::server_busy:
      return error_category::server_error;
    default:
      return std::nullopt;
  }
}

} // namespace

error_category categorize(std::optional<int> code, std::string_view message,
                          unsigned http_status, request_kind kind) noexcept {
  if (http_status == 429 || http_status == 418)
    return error_category::rate_limited;
  if (code) {
    if (auto known = category_of_code(*code, message))
      return *known;
  }
  if (http_status == 401)
    return error_category::authentication;
  if (http_status >= 500)
    return error_category::server_error;
  if (code)
    return kind == request_kind::place_order ? error_category::order_rejected
                                             : error_category::invalid_request;
  return error_category::other;
}

exchange_error read_error(const net::http_response& response, request_kind kind) {
  std::optional<int> code;
  std::string message;
  auto body = json_fields::parse(response.body);
  if (body && body->is_object()) {
    if (auto value = json_fields::integer_of(*body, "code"))
      code = static_cast<int>(*value);
    if (auto text = json_fields::string_of(*body, "msg"))
      message = *text;
  }
  if (message.empty()) {
    // No Binance error body (a proxy's page, an empty 5xx): quote what there is.
    message = "HTTP " + std::to_string(response.status);
    if (!response.body.empty())
      message += ": " + response.body.substr(0, 160);
  }
  error_category category = categorize(code, message, response.status, kind);
  exchange_error error = make_exchange_error(category, kind, response.status,
                                             code ? std::to_string(*code) : std::string{},
                                             std::move(message));
  error.retry_after = retry_after(response);
  return error;
}

exchange_error ws_api_error(unsigned status, std::optional<int> code, std::string message,
                            request_kind kind) {
  error_category category = categorize(code, message, status, kind);
  return make_exchange_error(category, kind, status, code ? std::to_string(*code) : std::string{},
                             std::move(message));
}

} // namespace tern::binance
