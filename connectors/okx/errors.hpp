#pragma once

// OKX error bodies and their classification. OKX answers most failures with HTTP 200 and a
// body {"code":"51008","msg":"..."}; a request that carries per-item results answers code "1"
// ("Operation failed.") or "2" (partly) with the reason of each item in data[]:
// {"code":"1","msg":"Operation failed.","data":[{"sCode":"51008","sMsg":"...","subCode":""}]}.
// The item's sCode is the specific one and is what gets classified. Codes may carry a sub-code,
// "51008_1000" (#error-code-rest-api-public); the part before '_' decides.
//
// The table (#error-code-rest-api-public, #error-code-websocket-public), first match wins:
//
//   code or status                                          category
//   HTTP 429; 50011 rate limit, 50040 too frequent,          rate_limited (Retry-After kept)
//     50061 order rate limit, 60014 (WS) too frequent
//   50102 timestamp expired, 60006 (WS)                      clock_skew
//   51603 order does not exist; 51400 cancel failed          order_not_found
//     ("filled, canceled or does not exist")
//   51008 (and 51008_xxxx), 51127, 51131                     insufficient_balance
//   50100..50122 API class (key, IP, signature, passphrase), authentication
//     50030 no permission, 60004, 60005, 60007, 60009,
//     60024, 60032 (WS login); HTTP 401, 403
//   50001, 50004, 50013, 50026, 51054, 51149 (time-outs     server_error
//     "not meaning success or failure", busy); HTTP 5xx
//   any other code on an order placement                    order_rejected
//   any other code                                          invalid_request
//   no code                                                 other (outcome by HTTP status)
//
// There is no "post-only would take" code: OKX accepts such an order and cancels it; the order
// channel and the order details report it canceled with cancelSource "31", which
// cancel_source_reason reads into the order's reason. The outcome follows outcome_for: a 5xx,
// 429, 50004 or 51149 on an order placement is outcome_unknown, never a rejection.

#include <optional>
#include <string>
#include <string_view>

#include "connectors/common/exchange_error.hpp"
#include "net/http_types.hpp"

namespace tern::okx {

/// The category of an OKX error code (the table above); `code` is empty when there was none.
[[nodiscard]] error_category categorize(std::string_view code, unsigned http_status,
                                        request_kind kind) noexcept;

/// Reads a failed response (a non-2xx status, or a body whose code is not "0"): the most
/// specific code and message in it, classified for a request of `kind`.
[[nodiscard]] exchange_error read_error(const net::http_response& response, request_kind kind);

/// Why OKX cancelled an order, from its cancelSource code (order channel and "Get order
/// details", field cancelSource): "31" -> "post-only order would have taken liquidity
/// (cancelSource 31)". Empty for "" and "1" (the owner's own cancel: no reason to report);
/// a code this table does not know still names itself ("cancelled by OKX (cancelSource 99)"),
/// with `detail` (cancelSourceReason) appended when OKX sent one.
[[nodiscard]] std::string cancel_source_reason(std::string_view code, std::string_view detail = {});

/// An error carried in a WebSocket event ({"event":"error","code":"60009","msg":"..."}).
[[nodiscard]] exchange_error ws_error(std::string code, std::string message, request_kind kind);

} // namespace tern::okx
