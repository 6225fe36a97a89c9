#pragma once

// OKX request signing. Pure: the secret, the request and the time come in as arguments.
//
// REST (#overview-rest-authentication): the pre-hash string is timestamp + METHOD + requestPath
// + body, where timestamp is the OK-ACCESS-TIMESTAMP header (ISO 8601 UTC with milliseconds,
// "2020-12-08T09:08:57.715Z"), requestPath includes the query string of a GET, and body is the
// JSON text sent (empty for a GET). The signature is the base64 of HMAC-SHA256 of it under the
// secret key, sent as OK-ACCESS-SIGN with OK-ACCESS-KEY, OK-ACCESS-TIMESTAMP and
// OK-ACCESS-PASSPHRASE.
//
// WebSocket login (#overview-websocket-login): the same signature over timestamp + "GET" +
// "/users/self/verify", with the timestamp in Unix seconds.

#include <cstdint>
#include <string>
#include <string_view>

#include "connectors/common/credentials.hpp"
#include "net/http_types.hpp"

namespace tern::okx {

/// A Unix time in milliseconds as OKX's REST timestamp: "2020-12-08T09:08:57.715Z" (UTC).
[[nodiscard]] std::string iso8601_ms(std::int64_t unix_ms);

/// base64(HMAC-SHA256(secret, timestamp + method + request_path + body)).
[[nodiscard]] std::string sign(std::string_view secret, std::string_view timestamp,
                               std::string_view method, std::string_view request_path,
                               std::string_view body);

/// The four OK-ACCESS-* headers of a signed request sent at `timestamp_ms`.
[[nodiscard]] net::header_list auth_headers(const credentials& keys, std::int64_t timestamp_ms,
                                            std::string_view method,
                                            std::string_view request_path,
                                            std::string_view body);

/// The login signature for a Unix time in seconds (as text, the value sent as "timestamp").
[[nodiscard]] std::string login_signature(std::string_view secret,
                                          std::string_view timestamp_seconds);

} // namespace tern::okx
