#pragma once

// How orders and fills map to the journal's rows: the column lists, binding a record's values
// and reading a row back. Enums are stored as their to_string text and decimals as exact
// text, so the file reads well in the sqlite3 shell and never rounds money.

#include <string>
#include <string_view>

#include "core/expected.hpp"
#include "core/in_flight_order.hpp"
#include "journal/intent_log.hpp"
#include "journal/order_journal.hpp"
#include "journal/sqlite_handle.hpp"

namespace tern::journal {

/// The orders table's columns, in binding and reading order (23 of them).
inline constexpr std::string_view order_columns =
    "account, client_order_id, exchange_order_id, pair, side, type, time_in_force, price, "
    "amount, position_action, leverage, created_ns, state, executed_base, executed_quote, "
    "last_update_ns, error_code, error_message, not_found_count, lost, created_emitted, "
    "completed_emitted, adopted";
inline constexpr int order_column_count = 23;

/// The fills table's columns, in binding and reading order (13 of them).
inline constexpr std::string_view fill_columns =
    "account, pair, trade_id, client_order_id, exchange_order_id, side, price, base_amount, "
    "quote_amount, fee_asset, fee_amount, is_taker, fill_ns";
inline constexpr int fill_column_count = 13;

/// An order's snapshot as the orders row's values (order_columns order).
[[nodiscard]] sql_values order_values(std::string_view account, const order_snapshot& order,
                                      bool adopted);
/// Binds `values` to parameters 1..n.
void bind_values(statement& stmt, const sql_values& values);
/// Binds an order's snapshot to parameters 1..23.
void bind_order(statement& stmt, std::string_view account, const order_snapshot& order,
                bool adopted);
/// Binds a fill to parameters 1..13.
void bind_fill(statement& stmt, std::string_view account, std::string_view client_order_id,
               const fill& execution);

/// Reads an order row (columns as order_columns, from column 0). Fills are not read.
expected<order_row, journal_error> read_order(const statement& stmt, const std::string& path);
/// Reads a fill row (columns as fill_columns, from column 0).
expected<trade_record, journal_error> read_fill(const statement& stmt, const std::string& path);

} // namespace tern::journal
