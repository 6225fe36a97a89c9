#pragma once

// The latest status of every strategy on a node, where strategy actors leave it and readers
// (the ops endpoint's /strategies and /metrics, the dashboard, `tern status`) take it. Like the
// health board, readers never wait on an actor: a strategy that hangs leaves its last status,
// with its age visible. Thread-safe; no CAF.
//
// What a strategy actor calls:
//   board.publish(status, now)        on every change it shows (state, counters, P&L,
//                                     balances, open orders, top of book); appends a P&L point
//   board.record_fill(name, fill)     on each fill of its orders (kept: the last N)
//   board.remove(name)                when it is removed from the node for good
// and the app arms the kill switch: board.kill().arm(action).

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "supervision/kill_switch.hpp"
#include "supervision/strategy_status.hpp"

namespace tern::supervision {

struct strategy_board_options {
  std::size_t fill_capacity = 50;    ///< recent fills kept per strategy
  std::size_t series_capacity = 600; ///< P&L points kept per strategy
  /// A publish within this long of when the series' last point was added replaces that point
  /// (with the newer value and time) instead of adding one, so 600 points span at least 10
  /// minutes however often strategies publish.
  std::chrono::nanoseconds series_resolution = std::chrono::seconds{1};
};

/// Every strategy's snapshot, copied out of the board: later publishes do not change it.
struct strategy_board_snapshot {
  std::vector<strategy_snapshot> strategies; ///< by name
  kill_switch_status kill_switch;
  std::uint64_t version = 0; ///< counts publishes, fills and removals
};

class strategy_board {
 public:
  /// `clock` stamps kill-switch invocations; the wall clock by default.
  explicit strategy_board(strategy_board_options options = {},
                          std::function<timestamp()> clock = {});
  strategy_board(const strategy_board&) = delete;
  strategy_board& operator=(const strategy_board&) = delete;

  /// Stores `status` as the latest of the strategy it names, published at `at`, and records
  /// its total P&L in the series (see series_resolution). Throws std::invalid_argument on an
  /// empty name.
  void publish(strategy_status status, timestamp at);
  /// Adds a fill to the strategy's recent fills (dropping the oldest beyond the capacity). A
  /// fill for a strategy that has not published yet is kept for when it does.
  void record_fill(const std::string& strategy, fill_view fill);
  /// Forgets a strategy and its history.
  void remove(const std::string& strategy);

  /// A copy of everything, for rendering.
  [[nodiscard]] strategy_board_snapshot snapshot() const;
  /// The kill switch's state alone (cheaper than a snapshot, for /health).
  [[nodiscard]] kill_switch_status kill_switch_state() const { return kill_switch_.status(); }

  /// The node's kill switch: the app arms it, the ops endpoint and strategies trigger it.
  /// Invocations it started must finish before the board is destroyed.
  [[nodiscard]] kill_switch& kill() noexcept { return kill_switch_; }

  [[nodiscard]] const strategy_board_options& options() const noexcept { return options_; }

 private:
  struct record {
    bool published = false;
    strategy_status status;
    timestamp updated_at{};
    std::deque<fill_view> fills;
    std::deque<pnl_point> series;
    timestamp series_bucket{}; ///< when the last point was added (merges do not move it)
  };

  strategy_board_options options_;
  mutable std::mutex mutex_;
  std::map<std::string, record> records_;
  std::uint64_t version_ = 0;
  kill_switch kill_switch_;
};

} // namespace tern::supervision
