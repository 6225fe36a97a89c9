#pragma once

// What an exchange said went wrong, and what the caller may do about it. Every connector
// reads its own error bodies and codes (connectors/<exchange>/errors.*) into this one type,
// so actors decide retries, resyncs and order outcomes without knowing any exchange.
//
// The rule that matters most (DEVELOPERS.md): an ambiguous answer to an order request is never
// a rejection. 5xx, 408, 429/418, an unreadable 2xx body, an exchange "timeout, status
// unknown" code: the order may exist, so it stays in flight until a stream event or a status
// query settles it (outcome_unknown).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/expected.hpp"
#include "net/errors.hpp"
#include "net/http_types.hpp"

namespace tern {

/// What a request does, which decides what a failure of it means.
enum class request_kind : std::uint8_t {
  query,          ///< reads state (time, rules, book, status, balances, fills): safe to resend
  place_order,    ///< creates an order: a lost or garbled answer leaves its existence unknown
  cancel_order,   ///< cancels one or all orders: safe to resend, but the order's state is unknown
                  ///< until confirmed
  account_change, ///< sets leverage or position mode, manages stream tokens: idempotent
};

[[nodiscard]] std::string_view to_string(request_kind value) noexcept;

/// What kind of failure the exchange reported.
enum class error_category : std::uint8_t {
  rate_limited,         ///< over a request or order limit (429, 418, exchange code): back off
  clock_skew,           ///< the signed timestamp was outside the receive window: resync, retry
  order_not_found,      ///< the exchange does not know the order (counts toward "lost", §A6)
  insufficient_balance, ///< not enough balance or margin for the order
  post_only_would_take, ///< a post-only (limit maker) order would have taken liquidity
  order_rejected,       ///< any other definite refusal of an order (filters, market closed)
  invalid_request,      ///< a malformed or refused request that is not about an order's merits
  authentication,       ///< bad API key, signature, IP or permissions
  server_error,         ///< the exchange failed (5xx, its own "unknown, timeout" codes)
  malformed_response,   ///< the body could not be read as the documented shape
  unsupported,          ///< the connector does not offer the call (e.g. leverage on spot)
  other,                ///< anything not classified above; outcome follows the HTTP status
};

[[nodiscard]] std::string_view to_string(error_category value) noexcept;

/// One failure, from an HTTP response or a stream message. Carries no secret: messages quote
/// the exchange's text or name the field that was wrong.
struct exchange_error {
  unsigned http_status = 0; ///< 0 when the error did not come with an HTTP status
  std::string code;         ///< the exchange's code as text ("-2010", "51008"); empty if none
  std::string message;      ///< the exchange's message, or what could not be read
  error_category category = error_category::other;
  net::outcome_class outcome = net::outcome_class::fatal;
  /// How long to wait before the next request, from Retry-After (429/418), when sent.
  std::optional<std::chrono::seconds> retry_after;

  /// "rate_limited (HTTP 429, code -1003, outcome_unknown): Too many requests".
  [[nodiscard]] std::string describe() const;
};

/// The outcome of a failure of `kind` in `category` (docs/connectors/writing-a-connector.md
/// has the table). `http_status` decides for `other`.
[[nodiscard]] net::outcome_class outcome_for(error_category category, request_kind kind,
                                             unsigned http_status) noexcept;

/// Builds an error and fills in its outcome with `outcome_for`.
[[nodiscard]] exchange_error make_exchange_error(error_category category, request_kind kind,
                                                 unsigned http_status, std::string code,
                                                 std::string message);

/// A body that does not have the documented shape. `detail` names what was missing or wrong.
[[nodiscard]] exchange_error malformed_response(const net::http_response& response,
                                                request_kind kind, std::string detail);

/// A value read from a 2xx body, or the reader's complaint (naming the field) as a
/// malformed_response.
template <class T>
[[nodiscard]] expected<T, exchange_error> or_malformed(expected<T, std::string> value,
                                                       const net::http_response& response,
                                                       request_kind kind) {
  if (!value)
    return unexpected{malformed_response(response, kind, std::move(value).error())};
  return std::move(value).value();
}

/// Retry-After as whole seconds when the header holds a non-negative integer (the only form
/// Binance and OKX send); nothing otherwise.
[[nodiscard]] std::optional<std::chrono::seconds> retry_after(const net::http_response& response);

/// True for 2xx.
[[nodiscard]] constexpr bool is_success(unsigned http_status) noexcept {
  return http_status >= 200 && http_status < 300;
}

} // namespace tern
