#pragma once

// The L2 order book of one market: price levels per side, the exchange sequence it reflects, and
// the queries strategies ask of it (top of book, depth, the cost of taking liquidity).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"
#include "core/events.hpp"
#include "core/expected.hpp"
#include "core/price_grid.hpp"
#include "core/types.hpp"

namespace tern {

/// What made a snapshot or update unusable, or left the book inconsistent.
enum class book_errc : std::uint8_t {
  crossed,               ///< best bid >= best ask
  negative_size,         ///< a level with a size below zero
  non_positive_price,    ///< a level priced at zero or below
  zero_size_in_snapshot, ///< a snapshot level of size 0 (only updates delete levels)
  unsorted_snapshot,     ///< snapshot levels not strictly best first, or a price repeated
};

[[nodiscard]] std::string_view to_string(book_errc code) noexcept;

/// A book integrity error, naming the side and the level concerned.
struct book_error {
  book_errc code = book_errc::crossed;
  side book_side = side::buy;  ///< buy: the bids, sell: the asks
  decimal price;               ///< the offending level's price (crossed: the best bid)
  decimal size;                ///< the offending level's size (crossed: the best bid's size)
  decimal opposite_price;      ///< crossed only: the best ask
  [[nodiscard]] std::string message() const;
  friend bool operator==(const book_error&, const book_error&) = default;
};

/// What taking `requested` base from one side of the book would give.
struct fill_estimate {
  decimal requested;  ///< base size asked for
  decimal filled;     ///< base size the book holds for it (== requested when complete)
  decimal quote;      ///< quote paid (buy) or received (sell) for `filled`
  decimal vwap;       ///< quote / filled, rounded as asked; 0 when nothing fills
  bool complete = false;  ///< the book was deep enough for all of `requested`
  friend bool operator==(const fill_estimate&, const fill_estimate&) = default;
};

/// The L2 book of one market. Pure state: no sequencing rules (see sequenced_book_sync), no I/O.
///
/// Levels are indexed by price on a tick grid learned from the prices themselves; see
/// core/price_grid.hpp for the layout and docs/performance.md for measured figures. Each side
/// reserves a window of 512 KiB address space, touched only where levels have been.
class order_book {
 public:
  order_book() = default;
  explicit order_book(std::string pair) : pair_(std::move(pair)) {}

  [[nodiscard]] const std::string& pair() const noexcept { return pair_; }

  /// Replaces every level with the snapshot's and records its sequence and exchange time.
  /// The snapshot is checked first (positive prices and sizes, strictly best first, not
  /// crossed); on error the book is left unchanged.
  expected<void, book_error> apply_snapshot(const book_snapshot& snapshot);

  /// Applies level updates (size 0 deletes; deleting a missing level is fine) and records the
  /// delta's last sequence and exchange time. Prices and sizes are checked before anything
  /// changes. A book left crossed by the update is reported as `crossed`; the update has then
  /// been applied, and the caller decides (normally: re-snapshot).
  expected<void, book_error> apply_delta(const book_delta& delta);

  /// Sets one level (size 0 deletes). No crossed check: a delta may cross in passing.
  expected<void, book_error> set_level(side book_side, decimal price, decimal size);

  /// Removes every level and forgets the sequence.
  void clear() noexcept;

  [[nodiscard]] std::optional<price_level> best_bid() const noexcept;
  [[nodiscard]] std::optional<price_level> best_ask() const noexcept;
  /// True when both sides have levels and the best bid is at or above the best ask.
  [[nodiscard]] bool is_crossed() const noexcept;
  /// The crossed error for the current book, if it is crossed.
  [[nodiscard]] std::optional<book_error> crossed_error() const;

  [[nodiscard]] std::size_t level_count(side book_side) const noexcept;
  [[nodiscard]] bool empty() const noexcept { return bids_.empty() && asks_.empty(); }
  /// The size resting at `price`, or nothing when there is no such level.
  [[nodiscard]] std::optional<decimal> size_at(side book_side, decimal price) const;

  /// Up to `levels` levels of one side, best first, written into `out` (its capacity is reused).
  void depth(side book_side, std::size_t levels, std::vector<price_level>& out) const;
  [[nodiscard]] std::vector<price_level> depth(side book_side, std::size_t levels) const;

  /// Walks the asks from the best to buy `base_size`. Each level's quote is price x size rounded
  /// up (a cost is never understated); the VWAP is rounded with `vwap_rounding`. A size of zero
  /// or below asks for nothing and is complete.
  [[nodiscard]] fill_estimate cost_to_buy(decimal base_size, rounding vwap_rounding) const;
  /// Walks the bids from the best to sell `base_size`. Each level's quote is rounded down
  /// (proceeds are never overstated); the VWAP is rounded with `vwap_rounding`.
  [[nodiscard]] fill_estimate cost_to_sell(decimal base_size, rounding vwap_rounding) const;

  /// The exchange sequence of the last snapshot or delta applied (0 before any).
  [[nodiscard]] std::int64_t sequence() const noexcept { return sequence_; }
  /// The exchange time of the last snapshot or delta applied.
  [[nodiscard]] timestamp exchange_time() const noexcept { return exchange_time_; }

 private:
  std::string pair_;
  detail::price_grid<true> bids_;
  detail::price_grid<false> asks_;
  std::int64_t sequence_ = 0;
  timestamp exchange_time_{};
};

} // namespace tern
