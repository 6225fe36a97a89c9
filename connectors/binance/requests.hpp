#pragma once

// Binance REST request builders, spot and USD-M. Each returns the request exactly as sent:
// method, target (path and query), the API-key header where one is needed, an empty body.
// Signed requests carry every parameter in the query string (signer.hpp says why).
//
// Parameter order follows the documented examples, so that a request built from an example's
// values reproduces the example's signature byte for byte:
//   spot  POST /api/v3/order   symbol, side, type, timeInForce, quantity, price,
//                              newClientOrderId, extras, recvWindow, timestamp
//   USD-M POST /fapi/v1/order  symbol, side, positionSide, type, quantity, price, timeInForce,
//                              reduceOnly, newClientOrderId, extras, recvWindow, timestamp

#include <string>
#include <string_view>

#include "connectors/binance/constants.hpp"
#include "connectors/common/protocol_types.hpp"
#include "core/expected.hpp"

namespace tern::binance {

/// Which API and where: every builder needs both.
struct rest_site {
  venue api = venue::spot;
  std::string origin;  ///< e.g. "https://api.binance.com"
};

[[nodiscard]] prepared_request server_time_request(const rest_site& site);
[[nodiscard]] prepared_request exchange_info_request(const rest_site& site);
/// `depth` is rounded up to the next depth the venue serves (largest if above all).
[[nodiscard]] prepared_request depth_request(const rest_site& site, std::string_view symbol,
                                             int depth);

[[nodiscard]] expected<prepared_request, request_error> place_order_request(
    const rest_site& site, std::string_view symbol, const order_request& order,
    const signing_context& signing);
[[nodiscard]] expected<prepared_request, request_error> cancel_order_request(
    const rest_site& site, std::string_view symbol, std::string_view client_order_id,
    const signing_context& signing);
[[nodiscard]] expected<prepared_request, request_error> cancel_all_request(
    const rest_site& site, std::string_view symbol, const signing_context& signing);
[[nodiscard]] expected<prepared_request, request_error> order_status_request(
    const rest_site& site, std::string_view symbol, std::string_view client_order_id,
    const signing_context& signing);
[[nodiscard]] expected<prepared_request, request_error> open_orders_request(
    const rest_site& site, std::string_view symbol, const signing_context& signing);
/// myTrades / userTrades from `since` (startTime), 1000 a page, oldest first.
[[nodiscard]] expected<prepared_request, request_error> fills_request(
    const rest_site& site, std::string_view symbol, timestamp since,
    const signing_context& signing);
[[nodiscard]] expected<prepared_request, request_error> balances_request(
    const rest_site& site, const signing_context& signing);

// USD-M only (the protocol offers them for usd_m sites only).
[[nodiscard]] expected<prepared_request, request_error> positions_request(
    const rest_site& site, const signing_context& signing);
[[nodiscard]] expected<prepared_request, request_error> leverage_request(
    const rest_site& site, std::string_view symbol, int leverage, const signing_context& signing);
[[nodiscard]] expected<prepared_request, request_error> position_mode_request(
    const rest_site& site, const signing_context& signing);
[[nodiscard]] expected<prepared_request, request_error> set_position_mode_request(
    const rest_site& site, position_mode mode, const signing_context& signing);
[[nodiscard]] prepared_request premium_index_request(const rest_site& site,
                                                     std::string_view symbol);
/// Funding payments: income with incomeType=FUNDING_FEE from `since`, 1000 a page.
[[nodiscard]] expected<prepared_request, request_error> funding_payments_request(
    const rest_site& site, std::string_view symbol, timestamp since,
    const signing_context& signing);
/// Listen-key management: POST creates (no token), PUT keeps alive, DELETE closes. Keyed
/// (API-key header), not signed ("Start User Data Stream (USER_STREAM)").
[[nodiscard]] expected<prepared_request, request_error> listen_key_request(
    const rest_site& site, std::string_view method, const credentials& keys);

/// The query parameters of an order, before recvWindow, timestamp and signature.
[[nodiscard]] expected<query_params, request_error> order_params(venue api,
                                                                 std::string_view symbol,
                                                                 const order_request& order);

} // namespace tern::binance
