#pragma once

// What a strategy shows an operator: the snapshot a strategy actor publishes to the strategy
// board (supervision/strategy_board.hpp) whenever something it shows changes, and the fills
// and P&L points the board keeps for it. Pure data; money stays tern::decimal and is rendered
// as decimal strings in JSON, never as floating point.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"
#include "core/types.hpp"

namespace tern::supervision {

/// Where a strategy is in its life, as the operator sees it.
enum class strategy_state : std::uint8_t {
  running,  ///< trading
  degraded, ///< running but not opening positions (a book or exchange it needs is missing)
  stopped,  ///< stopped by its supervisor or by configuration
  killed,   ///< stopped by the kill switch; its orders were cancelled
};

inline constexpr strategy_state all_strategy_states[] = {
    strategy_state::running, strategy_state::degraded, strategy_state::stopped,
    strategy_state::killed};

[[nodiscard]] constexpr std::string_view to_string(strategy_state value) noexcept {
  switch (value) {
    case strategy_state::running: return "running";
    case strategy_state::degraded: return "degraded";
    case strategy_state::stopped: return "stopped";
    case strategy_state::killed: return "killed";
  }
  return "unknown";
}

[[nodiscard]] constexpr std::optional<strategy_state> parse_strategy_state(
    std::string_view text) noexcept {
  for (const auto state : all_strategy_states)
    if (to_string(state) == text)
      return state;
  return std::nullopt;
}

/// Counts since the strategy started (they survive its restarts only if the strategy
/// restores them; the board stores what it is given).
struct strategy_counters {
  std::uint64_t opportunities = 0; ///< profitable set-ups seen
  std::uint64_t orders_placed = 0;
  std::uint64_t fills = 0;
};

/// Realised P&L made on one exchange, in the strategy's P&L asset.
struct exchange_pnl {
  std::string exchange;
  decimal realised;
};

/// One asset held on one exchange.
struct balance_view {
  std::string exchange;
  std::string asset;
  decimal total;
  decimal available;
};

/// An order the strategy has resting or in flight.
struct open_order_view {
  std::string exchange;
  std::string market; ///< "BTC-USDT"
  std::string client_order_id;
  side order_side = side::buy;
  decimal price;
  decimal amount;
  decimal filled;
};

/// One fill of one of the strategy's orders.
struct fill_view {
  timestamp time{};
  std::string exchange;
  std::string market;
  std::string client_order_id;
  side order_side = side::buy;
  decimal price;
  decimal amount;
  decimal fee;
  std::string fee_asset;
};

/// The best bid and ask the strategy last saw for one market on one exchange. A side with no
/// orders has no price.
struct top_of_book_view {
  std::string exchange;
  std::string market;
  std::optional<decimal> bid_price;
  decimal bid_size;
  std::optional<decimal> ask_price;
  decimal ask_size;
  timestamp updated_at{};
};

/// One point of a strategy's P&L over time: the total realised P&L at `time`.
struct pnl_point {
  timestamp time{};
  decimal total;
};

/// What a strategy publishes: everything it shows except the history the board keeps (its
/// recent fills and P&L series).
struct strategy_status {
  std::string name; ///< the strategy's name in the topology ("arb-btc")
  std::string kind; ///< "arbitrage", "pure_market_making", ...
  strategy_state state = strategy_state::running;
  std::string reason; ///< why it is degraded, stopped or killed; empty while running
  strategy_counters counters;
  std::string pnl_asset; ///< the asset P&L is counted in ("USDT")
  std::vector<exchange_pnl> pnl_by_exchange;
  std::vector<balance_view> balances;
  std::vector<open_order_view> open_orders;
  std::vector<top_of_book_view> tops;
};

/// The total realised P&L: the sum over exchanges.
[[nodiscard]] inline decimal total_pnl(const strategy_status& status) {
  decimal sum;
  for (const auto& entry : status.pnl_by_exchange)
    sum += entry.realised;
  return sum;
}

/// One strategy as the board holds it: its latest status and its history.
struct strategy_snapshot {
  strategy_status status;
  timestamp updated_at{};          ///< when the status was published
  std::vector<fill_view> recent_fills; ///< oldest first, at most the board's fill capacity
  std::vector<pnl_point> pnl_series;   ///< oldest first, at most the board's series capacity
};

} // namespace tern::supervision
