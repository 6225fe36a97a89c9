#include "connectors/common/exchange_error.hpp"

#include <charconv>

namespace tern {

std::string_view to_string(request_kind value) noexcept {
  switch (value) {
    case request_kind::query: return "query";
    case request_kind::place_order: return "place_order";
    case request_kind::cancel_order: return "cancel_order";
    case request_kind::account_change: return "account_change";
  }
  return "unknown";
}

std::string_view to_string(error_category value) noexcept {
  switch (value) {
    case error_category::rate_limited: return "rate_limited";
    case error_category::clock_skew: return "clock_skew";
    case error_category::order_not_found: return "order_not_found";
    case error_category::insufficient_balance: return "insufficient_balance";
    case error_category::post_only_would_take: return "post_only_would_take";
    case error_category::order_rejected: return "order_rejected";
    case error_category::invalid_request: return "invalid_request";
    case error_category::authentication: return "authentication";
    case error_category::server_error: return "server_error";
    case error_category::malformed_response: return "malformed_response";
    case error_category::unsupported: return "unsupported";
    case error_category::other: return "other";
  }
  return "unknown";
}

std::string exchange_error::describe() const {
  std::string text{to_string(category)};
  text += " (";
  if (http_status != 0)
    text += "HTTP " + std::to_string(http_status) + ", ";
  if (!code.empty())
    text += "code " + code + ", ";
  text += to_string(outcome);
  text += "): ";
  text += message;
  return text;
}

net::outcome_class outcome_for(error_category category, request_kind kind,
                               unsigned http_status) noexcept {
  using net::outcome_class;
  // Does an unanswered or garbled request of this kind leave something unknown?
  const bool acts = kind == request_kind::place_order || kind == request_kind::cancel_order;
  switch (category) {
    case error_category::rate_limited:
      // A refused order is almost certainly not placed, but "almost" is not "never": the
      // order stays in flight and reconciliation settles it. Everything else may be resent
      // once the wait is over.
      return kind == request_kind::place_order ? outcome_class::outcome_unknown
                                               : outcome_class::retryable;
    case error_category::clock_skew:
      // Refused before processing: resync the clock, then resend.
      return outcome_class::retryable;
    case error_category::server_error:
    case error_category::malformed_response:
      return acts ? outcome_class::outcome_unknown : outcome_class::retryable;
    case error_category::order_not_found:
    case error_category::insufficient_balance:
    case error_category::post_only_would_take:
    case error_category::order_rejected:
    case error_category::invalid_request:
    case error_category::authentication:
    case error_category::unsupported:
      return outcome_class::fatal;
    case error_category::other:
      break;
  }
  outcome_class by_status = net::classify_http_status(http_status);
  if (by_status == outcome_class::outcome_unknown && !acts)
    return outcome_class::retryable;
  if (http_status == 0 || is_success(http_status))
    return acts ? outcome_class::outcome_unknown : outcome_class::retryable;
  return by_status;
}

exchange_error make_exchange_error(error_category category, request_kind kind,
                                   unsigned http_status, std::string code, std::string message) {
  exchange_error error;
  error.http_status = http_status;
  error.code = std::move(code);
  error.message = std::move(message);
  error.category = category;
  error.outcome = outcome_for(category, kind, http_status);
  return error;
}

exchange_error malformed_response(const net::http_response& response, request_kind kind,
                                  std::string detail) {
  // Quote the start of the body: enough to recognise an HTML error page or a changed shape.
  constexpr std::size_t quoted = 160;
  std::string body = response.body.substr(0, quoted);
  if (response.body.size() > quoted)
    body += "...";
  return make_exchange_error(error_category::malformed_response, kind, response.status, {},
                             std::move(detail) + " (body: " + body + ")");
}

std::optional<std::chrono::seconds> retry_after(const net::http_response& response) {
  auto header = response.header("Retry-After");
  if (!header)
    return std::nullopt;
  std::string_view text = *header;
  while (!text.empty() && text.front() == ' ')
    text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ')
    text.remove_suffix(1);
  long long seconds = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (error != std::errc{} || end != text.data() + text.size() || seconds < 0)
    return std::nullopt;
  return std::chrono::seconds{seconds};
}

} // namespace tern
