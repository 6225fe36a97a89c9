#pragma once

// Binance vocabulary shared by the spot and USD-M dialects: error answers with Binance's codes
// and messages (binance-spot-api-docs errors.md), enum spellings (enums.md), number formatting,
// HMAC-SHA256 signatures, and Binance-style generated client order ids.

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include "core/decimal.hpp"
#include "core/types.hpp"
#include "net/http_server.hpp"
#include "sim/events.hpp"

namespace tern::sim::binance {

/// A refusal as Binance sends it: HTTP status plus {"code": -NNNN, "msg": "..."}.
struct api_error {
  unsigned status = 400;
  std::int64_t code = -1000;
  std::string msg;
};

/// {"code":..,"msg":..} with JSON escaping.
[[nodiscard]] std::string error_body(std::int64_t code, std::string_view msg);
[[nodiscard]] net::server_response json_response(unsigned status, std::string body);
[[nodiscard]] net::server_response error_response(const api_error& error);

/// -1102 "Mandatory parameter 'x' was not sent, was empty/null, or malformed."
[[nodiscard]] api_error missing_parameter(std::string_view name);
/// -1100 for a value that is not a number where one is expected.
[[nodiscard]] api_error illegal_characters(std::string_view name);
/// The engine's refusal with Binance's code and message (errors.md: -1013 filter failures,
/// -2010 matching-engine rejections, -2011 / -2013 unknown orders, futures -2022, -40xx).
[[nodiscard]] api_error from_engine(const error& refused, bool cancel, bool futures);

/// Decimal text with exactly `places` digits after the point (spot sends 8).
[[nodiscard]] std::string fixed(decimal value, int places);
/// Digits after the point a step needs: 0.01 -> 2, 1 -> 0.
[[nodiscard]] int places_of(decimal step);

[[nodiscard]] std::string_view side_name(side s) noexcept;
[[nodiscard]] std::string_view order_type_name(order_type type) noexcept;
[[nodiscard]] std::string_view tif_name(time_in_force tif) noexcept;
/// An order's timeInForce as Binance reports it: market orders GTC, post-only GTX on futures
/// (spot LIMIT_MAKER reports GTC).
[[nodiscard]] std::string_view order_tif_name(const order_view& order, bool futures) noexcept;
[[nodiscard]] std::string_view stp_name(stp_mode mode) noexcept;
/// NEW, PARTIALLY_FILLED, FILLED, CANCELED, EXPIRED, EXPIRED_IN_MATCH (STP), REJECTED.
[[nodiscard]] std::string_view status_name(const order_view& order) noexcept;
/// NEW, TRADE, CANCELED, EXPIRED, TRADE_PREVENTION (STP), REPLACED (amend).
[[nodiscard]] std::string_view execution_name(execution_kind kind, const order_view& order) noexcept;
[[nodiscard]] std::string_view position_side_name(position_side s) noexcept;

/// newClientOrderId's documented pattern: ^[\.A-Z\:/a-z0-9_-]{1,36}$.
[[nodiscard]] bool valid_client_order_id(const std::string& id);
/// cumulative quote / executed quantity; zero before any fill.
[[nodiscard]] decimal average_price(const order_view& order);

/// Lower-case hex HMAC-SHA256 of `data` keyed with `key`.
[[nodiscard]] std::string hmac_sha256_hex(std::string_view key, std::string_view data);
/// Hex strings compared without regard to case (Binance: HMAC signatures are case-insensitive).
[[nodiscard]] bool equal_ignoring_case(std::string_view a, std::string_view b) noexcept;

/// Ids like the ones Binance generates when a request carries none (22 letters and digits).
class id_generator {
 public:
  explicit id_generator(std::uint64_t seed = 11) : random_(seed) {}
  std::string next(std::size_t length = 22);

 private:
  std::mt19937_64 random_;
};

/// JSON string literal of `text` (quotes and escapes added).
[[nodiscard]] std::string json_string(std::string_view text);

} // namespace tern::sim::binance
