#pragma once

// Reading and authenticating OKX requests, as the v5 docs describe them ("Overview", "REST
// Authentication", "WebSocket" "Login"): GET parameters in the query string, POST parameters
// in a JSON body; private requests carry OK-ACCESS-KEY, OK-ACCESS-PASSPHRASE,
// OK-ACCESS-TIMESTAMP (ISO 8601 UTC with milliseconds, refused when more than 30 s from the
// server's time) and OK-ACCESS-SIGN = base64(HMAC-SHA256(secret, timestamp + METHOD +
// requestPath[?query] + body)). A WebSocket login signs timestamp (seconds) + "GET" +
// "/users/self/verify" the same way.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/expected.hpp"
#include "core/types.hpp"
#include "net/http_server.hpp"
#include "sim/exchange_state.hpp"
#include "sim/form_params.hpp"
#include "sim/okx/wire.hpp"

namespace tern::sim::okx {

/// How far a request's timestamp may be from the server's (REST 50102, WebSocket 60006).
inline constexpr std::chrono::seconds timestamp_tolerance{30};

/// A REST request, parsed.
struct request {
  std::string method;
  std::string path;            ///< without the query string
  std::string request_path;    ///< path and query as sent: what the signature covers
  form_params query;
  json body;                   ///< POST: the JSON body (object, or array for batch endpoints)
  std::string raw_body;
  std::optional<api_error> body_error;  ///< 50000 / 50002, reported after authentication
  std::string api_key;         ///< OK-ACCESS-KEY ("" when absent)
  std::string passphrase;
  std::string sign;
  std::string timestamp_text;
};

/// A parameter of a single-item request: the query's for GET, the body object's for POST.
[[nodiscard]] std::optional<std::string> param(const request& incoming, std::string_view name);

/// Splits the target, decodes the query, parses a POST body; a broken query is 51000.
expected<request, api_error> parse_request(const net::server_request& raw);

/// Checks the OK-ACCESS-* headers and returns the caller's account. Errors are OKX's, HTTP
/// 401: 50103 / 50104 / 50106 / 50107 for a missing header, 50112 for a timestamp that is not
/// ISO 8601, 50102 when it is more than 30 s off, 50111 for an unknown key, 50105 for a wrong
/// passphrase, 50113 for a signature that does not verify.
expected<const account_credentials*, api_error> authenticate(const request& incoming, const exchange_state& state,
                                                             timestamp now);

/// A WebSocket error event's code and message.
struct ws_error {
  std::string code;
  std::string msg;
};

/// Verifies one login argument {apiKey, passphrase, timestamp, sign}: 60027 for an empty
/// field, 60004 for a timestamp that is not a number of seconds, 60006 when it is more than
/// 30 s off, 60005 for an unknown key, 60024 for a wrong passphrase, 60007 for a bad sign.
expected<const account_credentials*, ws_error> verify_login(const json& arg, const exchange_state& state,
                                                            timestamp now);

} // namespace tern::sim::okx
