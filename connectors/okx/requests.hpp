#pragma once

// OKX REST request builders, spot and swap. Each returns the request exactly as sent: method,
// target (path and query), headers (the OK-ACCESS-* set on private calls, Content-Type on
// POSTs, x-simulated-trading on demo trading) and body (compact JSON on POSTs, empty on GETs).
// GET parameters travel in the query and are signed as part of the request path
// (#overview-rest-authentication).
//
// Order body members, in this order (the documented spot example's order,
// #order-book-trading-trade-post-place-order): instId, tdMode, clOrdId, side, posSide, ordType,
// px, sz, tgtCcy, reduceOnly, then extras.
//   tdMode   cash (spot); cross (swap: Tern margins swap positions cross)
//   ordType  limit (GTC), ioc, fok, post_only (limit maker), market
//   sz       spot: base amount (market orders too: tgtCcy base_ccy, as OKX would otherwise read
//            a market buy's sz as quote); swap: contracts = amount / contract size
//   posSide  hedge mode only: long (buy to open, sell to close) or short
//   reduceOnly true: one-way (net) mode closing orders

#include <string>
#include <string_view>

#include "connectors/common/protocol_types.hpp"
#include "connectors/okx/constants.hpp"
#include "core/expected.hpp"

namespace tern::okx {

/// Which product and where: every builder needs it.
struct rest_site {
  venue api = venue::spot;
  std::string origin;  ///< e.g. "https://www.okx.com"
  bool demo = false;   ///< demo trading: every request carries "x-simulated-trading: 1"
};

[[nodiscard]] prepared_request server_time_request(const rest_site& site);
[[nodiscard]] prepared_request instruments_request(const rest_site& site);
/// GET books with sz = `depth` clamped to 1..400.
[[nodiscard]] prepared_request books_request(const rest_site& site, std::string_view symbol,
                                             int depth);

[[nodiscard]] expected<prepared_request, request_error> place_order_request(
    const rest_site& site, std::string_view symbol, const order_request& order,
    const signing_context& signing);
[[nodiscard]] expected<prepared_request, request_error> cancel_order_request(
    const rest_site& site, std::string_view symbol, std::string_view client_order_id,
    const signing_context& signing);
[[nodiscard]] expected<prepared_request, request_error> order_status_request(
    const rest_site& site, std::string_view symbol, std::string_view client_order_id,
    const signing_context& signing);
[[nodiscard]] expected<prepared_request, request_error> open_orders_request(
    const rest_site& site, std::string_view symbol, const signing_context& signing);
/// fills-history from `since` (begin), one page of 100. OKX pages newest first.
[[nodiscard]] expected<prepared_request, request_error> fills_request(
    const rest_site& site, std::string_view symbol, timestamp since,
    const signing_context& signing);
[[nodiscard]] expected<prepared_request, request_error> balances_request(
    const rest_site& site, const signing_context& signing);

// Swap only (the protocol offers them on swap sites only).
[[nodiscard]] expected<prepared_request, request_error> positions_request(
    const rest_site& site, const signing_context& signing);
/// set-leverage for the instrument, cross margin; 1 to 125.
[[nodiscard]] expected<prepared_request, request_error> leverage_request(
    const rest_site& site, std::string_view symbol, int leverage, const signing_context& signing);
/// GET account/config (its posMode).
[[nodiscard]] expected<prepared_request, request_error> position_mode_request(
    const rest_site& site, const signing_context& signing);
[[nodiscard]] expected<prepared_request, request_error> set_position_mode_request(
    const rest_site& site, position_mode mode, const signing_context& signing);
[[nodiscard]] prepared_request funding_rate_request(const rest_site& site,
                                                    std::string_view symbol);
/// bills-archive, type 8 (funding fee), from `since`, one page of 100.
[[nodiscard]] expected<prepared_request, request_error> funding_payments_request(
    const rest_site& site, std::string_view symbol, timestamp since,
    const signing_context& signing);

/// The JSON body of an order (the members above), or why it cannot be sent.
[[nodiscard]] expected<std::string, request_error> order_body(venue api, std::string_view symbol,
                                                              const order_request& order);

} // namespace tern::okx
