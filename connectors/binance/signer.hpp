#pragma once

// Binance request signing (HMAC keys). Pure: the secret, the parameters and the time come in
// as arguments.
//
// REST (rest-api.md "SIGNED Endpoint Examples for POST /api/v3/order - HMAC Keys"; USD-M
// "SIGNED Endpoint Examples for POST /fapi/v1/order - HMAC Keys"): the payload is the
// percent-encoded query string as sent, parameters in the order sent, recvWindow and timestamp
// last; the signature is HMAC-SHA256 of it under the secret, lower-case hex, appended as the
// last parameter "signature". Tern sends every parameter in the query string, body empty, as
// the documented examples do, so payload and URL are the same bytes.
//
// WebSocket API (web-socket-api.md "SIGNED request example (HMAC)"): every parameter except
// the signature, apiKey included, sorted by name, joined as "name=value&..." without
// percent-encoding (UTF-8 as is).

#include <string>
#include <string_view>

#include "connectors/common/protocol_types.hpp"
#include "connectors/common/query_string.hpp"

namespace tern::binance {

/// HMAC-SHA256 of `payload` under `secret`, lower-case hex.
[[nodiscard]] std::string sign(std::string_view secret, std::string_view payload);

/// `params` with recvWindow (when set) and timestamp appended, encoded, and signed:
/// "symbol=LTCBTC&...&recvWindow=5000&timestamp=1499827319559&signature=c8db...".
[[nodiscard]] std::string signed_query(query_params params, const signing_context& signing);

/// The WS API signature payload: `params` sorted by name, "name=value" joined with '&',
/// values not encoded.
[[nodiscard]] std::string ws_api_payload(query_params params);

} // namespace tern::binance
