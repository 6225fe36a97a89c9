#pragma once

// OKX v5 vocabulary shared by the spot and swap dialects (OKX docs, "Overview", "Error Code"):
// the {"code","msg","data"} envelope, error answers with OKX's codes, ISO-8601 millisecond
// timestamps, base64 HMAC-SHA256 signatures, number formatting (OKX sends decimals as strings
// without trailing zeros), order states and cancel sources, and the engine's refusals as OKX
// sCodes.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/decimal.hpp"
#include "core/types.hpp"
#include "net/http_server.hpp"
#include "sim/events.hpp"

namespace tern::sim::okx {

using json = nlohmann::ordered_json;

/// A refusal as OKX sends it: HTTP status plus {"code":"NNNNN","msg":"...","data":[...]}.
/// Per-order failures (place and cancel) come with status 200, code "1" (every item failed)
/// and the items' sCode / sMsg in `data`.
struct api_error {
  unsigned status = 200;
  std::string code;
  std::string msg;
  json data = json::array();
};

/// One failed order item: sCode and sMsg (plus OKX's optional sub-code).
struct item_error {
  std::string code;
  std::string msg;
  std::string sub_code;
};

/// {"code":..,"msg":..,"data":..} as a response with `status`.
[[nodiscard]] net::server_response envelope(unsigned status, std::string_view code, std::string_view msg,
                                            const json& data, const json& extra = json::object());
[[nodiscard]] net::server_response error_response(const api_error& error);

/// 50014 "Parameter {name} can not be empty." (HTTP 400).
[[nodiscard]] api_error parameter_empty(std::string_view name);
/// 51000 "Parameter {name} error" (HTTP 400).
[[nodiscard]] api_error parameter_error(std::string_view name);
/// 51001 "Instrument ID, Instrument ID code or Spread ID doesn't exist."
[[nodiscard]] api_error unknown_instrument();
/// 51000 as an order item.
[[nodiscard]] item_error item_parameter_error(std::string_view name);
/// The engine's refusal of an order as an OKX sCode. `margin_asset`: the asset the order
/// locks, named in 51008 ("Insufficient USDT balance" / "margin").
[[nodiscard]] item_error order_refusal(const error& refused, std::string_view margin_asset, bool swap);

/// OKX's decimal text: no trailing zeros ("8477", "0.01"); "0" for zero.
[[nodiscard]] std::string number(decimal value);
/// Milliseconds since the epoch, as a string ("1597026383085").
[[nodiscard]] std::string millis(timestamp time);
/// Microseconds since the epoch, as a string (inTime / outTime).
[[nodiscard]] std::string micros(timestamp time);
/// "2020-12-08T09:08:57.715Z".
[[nodiscard]] std::string iso_time(timestamp time);
/// Parses "YYYY-MM-DDThh:mm:ss[.f{1,3}]Z"; nullopt for anything else.
[[nodiscard]] std::optional<timestamp> parse_iso_time(std::string_view text);

/// Base64 of HMAC-SHA256(key, data): OK-ACCESS-SIGN and the WebSocket login sign.
[[nodiscard]] std::string hmac_sha256_base64(std::string_view key, std::string_view data);

/// clOrdId: case-sensitive letters and digits, 1 to 32 characters.
[[nodiscard]] bool valid_client_order_id(std::string_view id);

/// live, partially_filled, filled, canceled (every engine ending but a fill is a cancel on OKX).
[[nodiscard]] std::string_view state_name(const order_view& order) noexcept;
/// cancelSource: "1" by the user, "13" FOK, "14" IOC / market remainder, "31" post-only that
/// would take, "32" self-trade prevention, "0" by the system; "" while not cancelled.
[[nodiscard]] std::string_view cancel_source(const order_view& order) noexcept;
/// market, limit, post_only, fok, ioc.
[[nodiscard]] std::string_view order_type_name(const order_view& order) noexcept;
/// cancel_maker, cancel_taker, cancel_both.
[[nodiscard]] std::string_view stp_name(stp_mode mode) noexcept;
[[nodiscard]] std::string_view side_name(side s) noexcept;
/// net, long, short.
[[nodiscard]] std::string_view position_side_name(position_side s) noexcept;

/// A value of a request's JSON body or query as text: strings as they are, numbers and
/// booleans as their JSON text; nullopt when absent or null.
[[nodiscard]] std::optional<std::string> text_of(const json& object, std::string_view key);

} // namespace tern::sim::okx
