#pragma once

// Binance error bodies ({"code":-2010,"msg":"..."}, errors.md "Error Codes") and their
// classification into exchange_error categories. The table, first match wins:
//
//   code or status                                   category
//   HTTP 429, 418; -1003 TOO_MANY_REQUESTS;          rate_limited (Retry-After kept)
//     -1015 TOO_MANY_ORDERS
//   -1021 INVALID_TIMESTAMP                          clock_skew
//   -2013 NO_SUCH_ORDER; -2026 ORDER_ARCHIVED;       order_not_found
//     -2011 with "Unknown order sent"
//   -2018, -2019 (USD-M balance, margin);            insufficient_balance
//     -2010 with "insufficient balance"
//   -5022 (USD-M GTX); -2010 with                    post_only_would_take
//     "Order would immediately match and take."
//   -1002, -1022, -2014, -2015; HTTP 401             authentication
//   -1000, -1001, -1006, -1007, -1008; HTTP 5xx      server_error
//   any other code on an order placement             order_rejected
//   any other code                                   invalid_request
//   no code                                          other (outcome by HTTP status)
//
// The outcome then follows outcome_for (connectors/common/exchange_error.hpp): a 5xx, 429 or
// -1007 on an order placement is outcome_unknown, never a rejection.

#include <optional>
#include <string_view>

#include "connectors/common/exchange_error.hpp"
#include "net/http_types.hpp"

namespace tern::binance {

/// The category of a Binance error (the table above). `code` is empty when the body had none.
[[nodiscard]] error_category categorize(std::optional<int> code, std::string_view message,
                                        unsigned http_status, request_kind kind) noexcept;

/// Reads a failed response: its code and message when the body has them, the HTTP status
/// otherwise, classified for a request of `kind`.
[[nodiscard]] exchange_error read_error(const net::http_response& response, request_kind kind);

/// An error carried in a WebSocket API response ({"status":400,"error":{"code":..,"msg":..}}).
[[nodiscard]] exchange_error ws_api_error(unsigned status, std::optional<int> code,
                                          std::string message, request_kind kind);

} // namespace tern::binance
