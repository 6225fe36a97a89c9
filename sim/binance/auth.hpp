#pragma once

// Reading and authenticating Binance requests, as rest-api.md "Request Security" and
// "Timing security" describe them: parameters from the query string and the form body (the
// query string wins), the API key in X-MBX-APIKEY, an HMAC-SHA256 signature over the query
// string concatenated with the body (signature excluded), and `timestamp` (milliseconds or
// microseconds) within `recvWindow` (default 5000, at most 60000 ms) of the server's time and
// not more than 1000 ms ahead of it.

#include <optional>
#include <string>

#include "core/expected.hpp"
#include "core/types.hpp"
#include "net/http_server.hpp"
#include "sim/binance/wire.hpp"
#include "sim/exchange_state.hpp"
#include "sim/form_params.hpp"

namespace tern::sim::binance {

/// What an endpoint requires.
enum class security : std::uint8_t {
  none,     ///< public market data
  api_key,  ///< the API key only (futures listen keys: USER_STREAM)
  signed_,  ///< TRADE, USER_DATA: key, timestamp and signature
};

/// A REST request, parsed.
struct request {
  std::string method;
  std::string path;
  form_params params;         ///< query string first, then the body's parameters
  std::string signed_payload; ///< query + body as sent, without the signature parameter
  std::string api_key;        ///< X-MBX-APIKEY ("" when absent)
};

/// The value of parameter `name` when it was sent and is not empty, else null.
[[nodiscard]] const std::string* sent(const request& incoming, std::string_view name);

/// Splits the target and the form body; a broken percent escape is -1100.
expected<request, api_error> parse_request(const net::server_request& raw);

/// Checks the request against `level` and returns the caller's account (null for `none`).
/// Errors are Binance's: -2014 / -2015 for the key, -1102 for a missing timestamp or
/// signature, -1021 for timing, -1022 for a signature that does not verify.
expected<const account_credentials*, api_error> authenticate(const request& incoming, security level,
                                                             const exchange_state& state, timestamp now);

/// The timing rule alone, shared with the WebSocket API (its parameters are JSON).
expected<void, api_error> check_timing(const std::string* timestamp_text, const std::string* window_text,
                                       timestamp now);

} // namespace tern::sim::binance
