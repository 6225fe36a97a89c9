#pragma once

// The matching engine's book: price levels holding FIFO queues of live orders, with the
// public L2 view (total size per level) kept in step and every change recorded so that the
// engine can publish exact depth deltas with increasing update ids.

#include <cstddef>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/decimal.hpp"
#include "core/events.hpp"
#include "sim/accounts.hpp"
#include "sim/events.hpp"

namespace tern::sim {

struct book_level;

/// An order the engine holds open: its public view plus what the engine needs to run it.
struct live_order {
  order_view view;
  decimal remaining;        ///< view.quantity - view.executed_quantity, kept for speed
  asset_id lock_asset = 0;  ///< the asset `locked` is held in
  decimal locked;           ///< amount of lock_asset this order holds in the ledger
  bool closing = false;     ///< perpetuals: reduce-only, or a hedge-mode close
  // Links of the price level's FIFO queue; null while the order is not resting.
  live_order* prev = nullptr;
  live_order* next = nullptr;
  book_level* level = nullptr;
};

/// One price of one side: total resting size and the FIFO of orders (oldest first).
struct book_level {
  decimal price;
  decimal total;
  live_order* head = nullptr;
  live_order* tail = nullptr;
};

/// Both sides of one market's book.
class order_book {
 public:
  /// Levels of one side, best first: asks keyed by price, bids by the negated price.
  using level_map = std::map<decimal, book_level>;

  /// Appends `order` (remaining > 0) at the back of its price level.
  void insert(live_order& order);
  /// Takes `order` out of its level.
  void erase(live_order& order);
  /// Reduces a resting order's remaining size by `quantity` (< remaining) in place.
  void shrink(live_order& order, decimal quantity);

  [[nodiscard]] const level_map& levels(side s) const { return s == side::buy ? bids_ : asks_; }
  [[nodiscard]] std::optional<price_level> best(side s) const;
  /// How many orders rest at `price` on side `s` (0 when the level is empty).
  [[nodiscard]] std::size_t order_count(side s, decimal price) const;
  /// The last update id used; 0 before the first change.
  [[nodiscard]] update_id last_update() const noexcept { return last_update_; }
  /// Up to `depth` levels a side, best first, valid at `last_update()`.
  [[nodiscard]] book_snapshot snapshot(std::string symbol, std::size_t depth) const;

  /// Appends a book_update with every level changed since the last flush (if any).
  void flush(const std::string& symbol, timestamp now, event_buffer& out);

 private:
  static decimal key(side s, decimal price) { return s == side::buy ? -price : price; }
  level_map& side_levels(side s) { return s == side::buy ? bids_ : asks_; }
  void record_change(side s, decimal price);
  [[nodiscard]] decimal total_at(side s, decimal price) const;

  level_map bids_;
  level_map asks_;
  update_id last_update_ = 0;
  update_id first_pending_ = 0;
  std::vector<std::pair<side, decimal>> pending_;  ///< levels changed since the last flush
};

} // namespace tern::sim
