#pragma once

// Binance REST response parsers, spot and USD-M, into the typed results of
// connectors/common/protocol_types.hpp. Each takes the whole HTTP response: a failed one is
// read by errors.hpp and classified for the request's kind; a 2xx body without the documented
// shape becomes a malformed_response error naming the field. Shapes: rest-api.md (spot) and
// the USD-M "Trade" and "Account" REST pages, each parser naming its section.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "connectors/binance/constants.hpp"
#include "connectors/common/protocol_types.hpp"
#include "core/expected.hpp"

namespace tern::binance {

/// A Binance order status ("NEW", "FILLED", ...) as an order state; nothing for an unknown one
/// (order state stays strict: an unknown status is an error, not a guess).
[[nodiscard]] std::optional<order_state> order_state_of(std::string_view status) noexcept;
/// "BOTH", "LONG", "SHORT" (USD-M positionSide, "ps"); nothing for anything else.
[[nodiscard]] std::optional<position_side> position_side_of(std::string_view text) noexcept;

/// GET time: {"serverTime": ms}.
[[nodiscard]] expected<timestamp, exchange_error> parse_server_time(
    const net::http_response& response);
/// GET exchangeInfo (symbols.hpp reads the markets).
[[nodiscard]] expected<instrument_list, exchange_error> parse_exchange_info(
    const net::http_response& response, venue api, std::string_view account);
/// GET depth: {"lastUpdateId", "bids", "asks"}.
[[nodiscard]] expected<book_snapshot, exchange_error> parse_depth(
    const net::http_response& response, const trading_pair& pair, timestamp received);

/// POST order: spot ACK, RESULT or FULL (fills included), USD-M ACK or RESULT.
[[nodiscard]] expected<order_ack, exchange_error> parse_order_ack(
    const net::http_response& response, venue api, const symbol_map& symbols);
/// GET order, DELETE order: one order report.
[[nodiscard]] expected<order_report, exchange_error> parse_order_report(
    const net::http_response& response, venue api, const symbol_map& symbols, request_kind kind);
/// GET openOrders: a list of order reports.
[[nodiscard]] expected<std::vector<order_report>, exchange_error> parse_order_reports(
    const net::http_response& response, venue api, const symbol_map& symbols);
/// DELETE openOrders (spot: the cancelled orders, order lists flattened) or allOpenOrders
/// (USD-M: only {"code":200,"msg":...}).
[[nodiscard]] expected<cancel_all_result, exchange_error> parse_cancel_all_orders(
    const net::http_response& response, venue api, const symbol_map& symbols);
/// GET myTrades (spot) / userTrades (USD-M): the account's fills. These carry no client order
/// id; the tracker matches them by exchange order id.
[[nodiscard]] expected<std::vector<fill>, exchange_error> parse_account_trades(
    const net::http_response& response, venue api, const symbol_map& symbols);

/// GET account: spot balances (total free + locked, available free); USD-M v2 account assets
/// (total walletBalance, available availableBalance).
[[nodiscard]] expected<std::vector<balance>, exchange_error> parse_account_balances(
    const net::http_response& response, venue api);
/// GET positionRisk: open positions on mapped markets (zero-size positions left out, §A15).
[[nodiscard]] expected<std::vector<position>, exchange_error> parse_position_risk(
    const net::http_response& response, const symbol_map& symbols);
/// POST leverage: the confirmed leverage.
[[nodiscard]] expected<int, exchange_error> parse_leverage(const net::http_response& response);
/// GET positionSide/dual: {"dualSidePosition": true} is hedge mode.
[[nodiscard]] expected<position_mode, exchange_error> parse_dual_side(
    const net::http_response& response);
/// POST positionSide/dual: {"code":200}; -4059 "No need to change position side" is success.
[[nodiscard]] expected<void, exchange_error> parse_set_dual_side(
    const net::http_response& response);
/// GET premiumIndex: mark, index, last funding rate, next funding time.
[[nodiscard]] expected<funding_info, exchange_error> parse_premium_index(
    const net::http_response& response, const trading_pair& pair);
/// GET income (FUNDING_FEE): funding payments on mapped markets. Binance does not send the
/// rate with the payment: `rate` is zero (the funding info of that period has it).
[[nodiscard]] expected<std::vector<funding_payment>, exchange_error> parse_income(
    const net::http_response& response, const symbol_map& symbols);
/// POST/PUT listenKey: {"listenKey": "..."}.
[[nodiscard]] expected<std::string, exchange_error> parse_listen_key(
    const net::http_response& response);

// Field readers shared with user_stream.cpp.
namespace detail {
/// The JSON body of a successful response, or the classified error.
[[nodiscard]] expected<nlohmann::json, exchange_error> success_body(
    const net::http_response& response, request_kind kind);
/// A position side field ("positionSide", "ps") of `object`.
[[nodiscard]] expected<position_side, std::string> position_side_field(const nlohmann::json& object,
                                                                       std::string_view field);
/// One order report object (spot or USD-M field names).
[[nodiscard]] expected<order_report, std::string> read_order_report(const nlohmann::json& object,
                                                                    venue api,
                                                                    const symbol_map& symbols);
} // namespace detail

} // namespace tern::binance
