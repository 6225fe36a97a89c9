#pragma once

// The strategy board as JSON, for /strategies, /strategies/pnl and the dashboard, and back
// again for `tern status`. Money is a decimal string ("12.5"), never a JSON number.
//
//   {"generated_at": "2026-11-24T22:13:01.023Z", "generated_at_unix_ms": 1795...,
//    "kill_switch": {"armed": true, "running": false, "invocations": 0, "last": null},
//    "strategies": [{"name": "arb-btc", "kind": "arbitrage", "state": "running", "reason": "",
//      "updated_at": "...", "updated_at_unix_ms": ...,
//      "counters": {"opportunities": 12, "orders_placed": 8, "fills": 7},
//      "pnl": {"asset": "USDT", "total": "3.2", "by_exchange": [{"exchange": "binance",
//              "realised": "1.7"}, ...]},
//      "balances": [{"exchange", "asset", "total", "available"}],
//      "open_orders": [{"exchange", "market", "client_order_id", "side", "price", "amount",
//                       "filled"}],
//      "recent_fills": [{"time", "unix_ms", "exchange", "market", "client_order_id", "side",
//                        "price", "amount", "fee", "fee_asset"}],          (oldest first)
//      "top_of_book": [{"exchange", "market", "bid_price" (null: no bids), "bid_size",
//                       "ask_price", "ask_size", "updated_at_unix_ms"}],
//      "pnl_series": [{"unix_ms": ..., "total": "3.2"}, ...]}]}             (oldest first)
//
// /strategies/pnl is the same document with only "name" and "pnl_series" per strategy.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "core/types.hpp"
#include "supervision/strategy_board.hpp"

namespace tern::supervision {

/// A /strategies document read back.
struct strategies_document {
  std::vector<strategy_snapshot> strategies;
  kill_switch_status kill_switch;
  timestamp generated_at{};
};

/// The /strategies body for `snapshot` at `now`.
[[nodiscard]] std::string render_strategies_json(const strategy_board_snapshot& snapshot,
                                                 timestamp now);

/// The /strategies/pnl body: each strategy's P&L series, only `strategy` if not empty, only
/// points after `since` if given.
[[nodiscard]] std::string render_pnl_json(const strategy_board_snapshot& snapshot, timestamp now,
                                          std::string_view strategy,
                                          std::optional<timestamp> since);

/// Reads a /strategies body; the error names what is missing or malformed.
[[nodiscard]] expected<strategies_document, std::string> parse_strategies_json(
    std::string_view text);

} // namespace tern::supervision
