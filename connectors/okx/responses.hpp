#pragma once

// OKX REST response parsers, spot and swap, into the typed results of
// connectors/common/protocol_types.hpp. Every OKX answer is {"code":"0","msg":"","data":[...]};
// a code other than "0", or a failed status, is read by errors.hpp and classified for the
// request's kind. A 2xx body without the documented shape is a malformed_response naming the
// field. Swap sizes come in contracts and leave here as base amounts, through the symbol map's
// contract size (symbols.hpp); a swap symbol without one is an error, never a guess.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "connectors/common/protocol_types.hpp"
#include "connectors/okx/constants.hpp"
#include "core/expected.hpp"

namespace tern::okx {

/// An OKX order state ("live", "filled", ...) as an order state; nothing for an unknown one.
[[nodiscard]] std::optional<order_state> order_state_of(std::string_view state) noexcept;

/// GET public/time: data[0].ts.
[[nodiscard]] expected<timestamp, exchange_error> parse_server_time(
    const net::http_response& response);
/// GET public/instruments (symbols.hpp reads the entries).
[[nodiscard]] expected<instrument_list, exchange_error> parse_instruments(
    const net::http_response& response, venue api, std::string_view account);
/// GET market/books: data[0] {asks, bids, ts}; the sequence is 0 (the REST book carries no
/// seqId). Sizes are base amounts on spot; swap sizes are contracts and need `contract_size`.
[[nodiscard]] expected<book_snapshot, exchange_error> parse_books(
    const net::http_response& response, const trading_pair& pair, timestamp received,
    std::optional<decimal> contract_size);

/// POST trade/order: data[0] {ordId, clOrdId, ts, sCode}. The answer names no instrument, so
/// the ack's pair is empty; the state is open (accepted; fills come by stream or query).
[[nodiscard]] expected<order_ack, exchange_error> parse_order_ack(
    const net::http_response& response);
/// POST trade/cancel-order: data[0] {ordId, clOrdId, sCode}. OKX cancels asynchronously ("not
/// strictly considered that the order has been canceled"): the report says pending_cancel and
/// names the order only by its ids.
[[nodiscard]] expected<order_report, exchange_error> parse_cancel(
    const net::http_response& response);
/// GET trade/order: data[0], one order.
[[nodiscard]] expected<order_report, exchange_error> parse_order_details(
    const net::http_response& response, const symbol_map& symbols);
/// GET trade/orders-pending: the open orders.
[[nodiscard]] expected<std::vector<order_report>, exchange_error> parse_pending_orders(
    const net::http_response& response, const symbol_map& symbols);
/// GET trade/fills-history: the account's fills, oldest first (OKX sends newest first).
[[nodiscard]] expected<std::vector<fill>, exchange_error> parse_fills(
    const net::http_response& response, const symbol_map& symbols);

/// GET account/balance: data[0].details[] {ccy, eq, availBal}: total eq, available availBal
/// (availEq where availBal is empty, as in the margin modes).
[[nodiscard]] expected<std::vector<balance>, exchange_error> parse_balances(
    const net::http_response& response);
/// GET account/positions: positions on mapped markets, zero ones left out (§A15).
[[nodiscard]] expected<std::vector<position>, exchange_error> parse_positions(
    const net::http_response& response, const symbol_map& symbols);
/// POST account/set-leverage: data[0].lever.
[[nodiscard]] expected<int, exchange_error> parse_leverage(const net::http_response& response);
/// GET account/config: data[0].posMode (long_short_mode is hedge, net_mode one-way).
[[nodiscard]] expected<position_mode, exchange_error> parse_account_config(
    const net::http_response& response);
/// POST account/set-position-mode: code "0".
[[nodiscard]] expected<void, exchange_error> parse_set_position_mode(
    const net::http_response& response);
/// GET public/funding-rate: the rate and the time it settles (fundingTime). Mark and index
/// prices are not in this answer and stay zero.
[[nodiscard]] expected<funding_info, exchange_error> parse_funding_rate(
    const net::http_response& response, const trading_pair& pair);
/// GET account/bills-archive (type 8): funding payments on mapped markets; the amount is the
/// bill's pnl (negative: paid), the rate is not sent (zero).
[[nodiscard]] expected<std::vector<funding_payment>, exchange_error> parse_funding_bills(
    const net::http_response& response, const symbol_map& symbols);

// Readers shared with user_stream.cpp (the orders, account and positions channels push the
// same objects the REST endpoints return).
namespace detail {
/// The "data" array of a successful response, or the classified error.
[[nodiscard]] expected<nlohmann::json, exchange_error> success_data(
    const net::http_response& response, request_kind kind);
/// `units` of `symbol` as a base amount: times the contract size where the map has one; a swap
/// ("...-SWAP") without one is an error.
[[nodiscard]] expected<decimal, std::string> to_base(const symbol_map& symbols,
                                                     std::string_view symbol, decimal units);
/// One order object (REST order details, orders-pending, the orders channel).
[[nodiscard]] expected<order_report, std::string> read_order(const nlohmann::json& object,
                                                             const symbol_map& symbols);
/// One execution: REST fills use "fee"/"feeCcy", the orders channel "fillFee"/"fillFeeCcy".
/// OKX fees are negative when charged; Tern's fee amount is what was paid.
[[nodiscard]] expected<fill, std::string> read_execution(const nlohmann::json& object,
                                                         const symbol_map& symbols,
                                                         std::string_view fee_field,
                                                         std::string_view fee_asset_field);
/// The details[] of a balance object (REST balance, the account channel).
[[nodiscard]] expected<std::vector<balance>, std::string> read_balance_details(
    const nlohmann::json& account);
/// One position object; nothing for unmapped markets, nor for zero positions unless
/// `keep_zero` (a push saying a position closed must reach the tracker; a REST list leaves
/// closed positions out).
[[nodiscard]] expected<std::optional<position>, std::string> read_position(
    const nlohmann::json& object, const symbol_map& symbols, bool keep_zero);
} // namespace detail

} // namespace tern::okx
