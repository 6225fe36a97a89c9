#pragma once

// One side of an L2 book, indexed by price: the tick index of a level (price / tick) is its
// slot in a dense window, so an update is a division-free locate, a bit and a store, and
// inserting or deleting a level moves nothing. Internal to order_book.
//
// Why: Binance's BTCUSDT diff streams land the median update 84 levels from the top and insert or
// delete a level four times in five, so any sorted layout pays for moving levels (measured in
// docs/performance.md). Prices are on a tick grid, and most updates fall within a few thousand
// ticks of the best price.
// - Window: 2^WindowBits slots (32,768 by default: $327 of BTCUSDT at a 0.01 tick) placed so that
//   the best level sits near its better end, with room to improve by 1/8 of the window. A size per
//   slot, and a level_bitmap of occupied slots for the best level and ordered walks. Tick index i
//   lives at position i mod 2^WindowBits of the arrays, so the window wraps around them: moving it
//   only touches the levels that cross its edges.
// - Fallback: levels outside the window (92-96% of the captures' updates land inside it) and
//   prices whose tick index does not fit 64 bits live in a chunked price_ladder, which keeps them
//   sorted. Ordered walks merge the two.
// - Moves: when the best level leaves the window, or falls 3/4 of it behind its better end, the
//   window follows: levels it leaves go to the fallback, the fallback's levels it reaches come in
//   (or, when that is dearer, every level is re-placed).
// - Grid: learned from the prices (core/tick_grid.hpp). A price off the grid refines it, and
//   every level is re-placed. Moves and refinements are rare on real data.
// Exactness: sizes are kept as the decimals given; prices are rebuilt as index x tick, exactly.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "core/decimal.hpp"
#include "core/events.hpp"
#include "core/level_bitmap.hpp"
#include "core/price_ladder.hpp"
#include "core/tick_grid.hpp"

namespace tern::detail {

template <bool IsBid, std::uint32_t WindowBits = 15>
class price_grid {
 public:
  static constexpr std::uint32_t window_slots = std::uint32_t{1} << WindowBits;

  // The window's sizes are allocated on the first level that lands in it, so that books which
  // are never filled cost no window; moves leave the source empty.
  price_grid() = default;
  price_grid(const price_grid& other) { *this = other; }
  price_grid(price_grid&& other) noexcept { *this = std::move(other); }
  price_grid& operator=(const price_grid& other) {
    if (this != &other) {
      if (other.sizes_) {
        if (!sizes_)
          sizes_.reset(new int128[window_slots]);
        std::copy(other.sizes_.get(), other.sizes_.get() + window_slots, sizes_.get());
      }
      copy_state(other);
      far_ = other.far_;
    }
    return *this;
  }
  price_grid& operator=(price_grid&& other) noexcept {
    if (this != &other) {
      sizes_ = std::move(other.sizes_);
      copy_state(other);
      far_ = std::move(other.far_);
      other.clear();
    }
    return *this;
  }
  ~price_grid() = default;

  /// True when price `a` is better than `b` on this side (higher bid, lower ask).
  [[nodiscard]] static constexpr bool better(decimal a, decimal b) noexcept {
    return price_ladder<IsBid>::better(a, b);
  }

  void clear() noexcept {
    if (count_ != 0)
      occupied_.clear();
    count_ = 0;
    best_ = no_slot;
    far_.clear();
    grid_.reset();
    base_ = 0;
  }

  [[nodiscard]] std::size_t size() const noexcept { return count_ + far_.size(); }
  [[nodiscard]] bool empty() const noexcept { return count_ == 0 && far_.empty(); }
  /// The grid learned so far (for tests and diagnostics).
  [[nodiscard]] const tick_grid& grid() const noexcept { return grid_; }
  /// Levels held outside the window (for tests and diagnostics).
  [[nodiscard]] std::size_t far_levels() const noexcept { return far_.size(); }
  /// How often every level was re-placed (grid refined, or the window moved further than its
  /// width), for tests.
  [[nodiscard]] std::uint64_t rebuilds() const noexcept { return rebuilds_; }
  /// How often the window moved by less than its width, for tests.
  [[nodiscard]] std::uint64_t moves() const noexcept { return moves_; }

  /// Sets the size at `price`; a zero size removes the level (a missing level is no error).
  /// The caller has checked that the price is positive and the size not negative.
  void set(decimal price, decimal size) {
    // The common case stays small enough to inline; everything else is out of line.
    std::uint64_t index = 0;
    if (grid_.locate(price, index) != grid_fit::on || index - base_ >= window_slots) [[unlikely]] {
      set_outside(price, size);
      return;
    }
    auto slot = static_cast<std::int64_t>(index - base_);
    auto at = static_cast<std::uint32_t>(index & slot_mask);
    if (size.is_zero()) {
      if (occupied_.erase(at)) {
        --count_;
        if (slot == best_)
          after_best_deleted();
      }
      return;
    }
    if (!sizes_) [[unlikely]]
      allocate();
    sizes_[at] = size.raw();
    if (occupied_.insert(at)) {
      ++count_;
      if (better_slot(slot, best_))
        best_ = slot;
    }
  }

  [[nodiscard]] std::optional<decimal> size_at(decimal price) const {
    std::uint64_t index = 0;
    grid_fit fit = grid_.locate(price, index);
    if (fit == grid_fit::off)
      return std::nullopt;
    if (fit == grid_fit::on && index - base_ < window_slots) {
      auto at = static_cast<std::uint32_t>(index & slot_mask);
      if (!occupied_.test(at))
        return std::nullopt;
      return decimal::from_raw(sizes_[at]);
    }
    return far_.size_at(price);
  }

  /// The best level. Precondition: not empty.
  [[nodiscard]] price_level best() const noexcept {
    if (count_ == 0)
      return far_.best();
    price_level top = level_at(best_);
    if (!far_.empty()) {
      price_level far_top = far_.best();
      if (better(far_top.price, top.price))
        return far_top;
    }
    return top;
  }

  /// Calls `visit(price, size)` from the best level outward while it returns true.
  template <class Visit>
  void for_each_from_best(Visit&& visit) const {
    std::int64_t slot = best_;
    // Emits the window's levels better than `bound` (all when null); false once visit stops.
    auto window_until = [&](const decimal* bound) {
      for (; slot != no_slot; slot = next_worse(slot)) {
        price_level level = level_at(slot);
        if (bound != nullptr && !better(level.price, *bound))
          return true;
        if (!visit(level.price, level.size))
          return false;
      }
      return true;
    };
    bool going = true;
    if (!far_.empty()) {
      far_.for_each_from_best([&](decimal price, decimal size) {
        going = window_until(&price) && visit(price, size);
        return going;
      });
    }
    if (going)
      window_until(nullptr);
  }

  /// Replaces every level with `levels`, given best first and already validated as strictly
  /// worsening with positive sizes. Learns the grid from their prices.
  void assign_best_first(const std::vector<price_level>& levels) {
    clear();
    for (const price_level& level : levels) {
      std::uint64_t index = 0;
      if (grid_.locate(level.price, index) == grid_fit::off)
        grid_.refine(level.price);
    }
    place(levels);
  }

 private:
  // Slots are positions in the window, 0 at its lowest price; tick index i is kept at array
  // position i & slot_mask.
  static constexpr std::uint64_t slot_mask = window_slots - 1;
  // The slot no level is in: below the window for bids (whose best is the highest slot), above
  // it for asks.
  static constexpr std::int64_t no_slot =
      IsBid ? level_bitmap<window_slots>::none_below : level_bitmap<window_slots>::none_above;
  // Where re-centring puts the best level: 1/8 of the window from its better end, which leaves
  // room for the best to improve and 7/8 for the levels behind it.
  static constexpr std::uint32_t headroom = window_slots / 8;
  // How far from its better end the best may fall before the window follows it.
  static constexpr std::uint32_t slack = window_slots * 3 / 4;

  [[nodiscard]] static constexpr bool better_slot(std::int64_t a, std::int64_t b) noexcept {
    return IsBid ? a > b : a < b;
  }

  [[nodiscard]] std::int64_t next_worse(std::int64_t slot) const noexcept {
    if constexpr (IsBid)
      return highest_below(slot);
    else
      return lowest_above(slot);
  }

  // The highest occupied slot below `slot` (0..window_slots), or -1. Slots [0, slot) lie at array
  // positions [first, first + slot), wrapping past the end.
  [[nodiscard]] std::int64_t highest_below(std::int64_t slot) const noexcept {
    constexpr auto width = static_cast<std::int64_t>(window_slots);
    auto first = static_cast<std::int64_t>(base_ & slot_mask);
    std::int64_t end = first + slot;
    if (end > width) {  // the wrapped part holds the higher slots
      std::int64_t found = occupied_.highest_in(0, end - width);
      if (found >= 0)
        return found + width - first;
      end = width;
    }
    std::int64_t found = occupied_.highest_in(first, end);
    return found >= 0 ? found - first : -1;
  }

  // The lowest occupied slot above `slot` (-1..window_slots - 1), or window_slots.
  [[nodiscard]] std::int64_t lowest_above(std::int64_t slot) const noexcept {
    constexpr auto width = static_cast<std::int64_t>(window_slots);
    auto first = static_cast<std::int64_t>(base_ & slot_mask);
    std::int64_t from = first + slot + 1;
    if (from < width) {
      std::int64_t found = occupied_.lowest_in(from, width);
      if (found < width)
        return found - first;
      from = width;
    }
    std::int64_t found = occupied_.lowest_in(from - width, first);
    return found < width ? found + width - first : width;
  }

  [[nodiscard]] price_level level_at(std::int64_t slot) const noexcept {
    std::uint64_t index = base_ + static_cast<std::uint64_t>(slot);
    return price_level{grid_.price_of(index), decimal::from_raw(sizes_[index & slot_mask])};
  }

  // The distance of the best slot from the window's better end.
  [[nodiscard]] std::uint32_t best_depth() const noexcept {
    auto best = static_cast<std::uint32_t>(best_);
    return IsBid ? window_slots - 1 - best : best;
  }

  [[gnu::noinline]] void allocate() { sizes_.reset(new int128[window_slots]); }

  // The best level was deleted and the next one found: follow it when it fell far behind the
  // window's better end, or out of the window.
  [[gnu::noinline]] void after_best_deleted() {
    best_ = next_worse(best_);
    if (count_ == 0 ? far_best_belongs() : best_depth() > slack)
      follow_best();
  }

  // A price off the grid, too large for it, or outside the window.
  [[gnu::noinline]] void set_outside(decimal price, decimal size) {
    std::uint64_t index = 0;
    if (grid_.locate(price, index) == grid_fit::off) {
      if (size.is_zero())
        return;  // no level is ever held off the grid, so there is nothing to delete
      rebuild(&price);
      set(price, size);  // on the grid now
      return;
    }
    far_.set(price, size);
    if (far_best_belongs())
      follow_best();
  }

  // Adds a level to an empty window slot (snapshots, rebuilds and moves).
  void put(std::uint64_t slot, decimal size) {
    if (!sizes_)
      allocate();
    auto at = static_cast<std::uint32_t>((base_ + slot) & slot_mask);
    sizes_[at] = size.raw();
    occupied_.insert(at);
    ++count_;
    if (better_slot(static_cast<std::int64_t>(slot), best_))
      best_ = static_cast<std::int64_t>(slot);
  }

  // Moves the window so that the best level that fits it sits `headroom` slots from its better
  // end: the best of the fallback when it belongs in the window, else the window's own.
  [[gnu::noinline]] void follow_best() {
    std::uint64_t target = 0;
    if (far_best_belongs())
      (void)grid_.locate(far_.best().price, target);
    else if (count_ != 0)
      target = base_ + static_cast<std::uint64_t>(best_);
    else
      return;
    std::uint64_t base = window_base(target);
    std::uint64_t distance = base > base_ ? base - base_ : base_ - base;
    if (distance == 0)
      return;
    std::uint64_t old_base = base_;
    // The part of the old window the new one keeps: slots [kept, kept + window_slots - distance).
    std::uint64_t kept = std::max(base, old_base) - old_base;
    std::uint64_t entering = base < old_base ? base : old_base + window_slots;
    if (distance < window_slots) {
      std::uint64_t leaving = count_slots(0, kept)
                              + count_slots(kept + window_slots - distance, window_slots);
      collect_far(entering, distance);
      // Handing a level over costs a fallback insert or delete (~35 ns); re-placing every
      // level costs ~7 ns a level. Hand over when that is cheaper.
      if ((leaving + scratch_.size()) * 5 <= size()) {
        ++moves_;
        evict(0, kept);
        evict(kept + window_slots - distance, window_slots);
        base_ = base;
        best_ = count_ == 0 ? no_slot : next_worse(IsBid ? std::int64_t{window_slots} : -1);
        admit_collected();
        return;
      }
    }
    rebuild();  // puts the window where `base` is, for the same best level
  }

  // How many levels the window holds in slots [first, last).
  [[nodiscard]] std::uint64_t count_slots(std::uint64_t first, std::uint64_t last) const noexcept {
    if (first >= last)
      return 0;
    auto from = static_cast<std::uint32_t>((base_ + first) & slot_mask);
    std::uint64_t end = from + (last - first);
    if (end <= window_slots)
      return occupied_.count_in(from, static_cast<std::uint32_t>(end));
    return occupied_.count_in(from, window_slots)
           + occupied_.count_in(0, static_cast<std::uint32_t>(end - window_slots));
  }

  // Moves the window's levels in slots [first, last) to the fallback.
  void evict(std::uint64_t first, std::uint64_t last) {
    for (std::int64_t slot = lowest_above(static_cast<std::int64_t>(first) - 1);
         slot < static_cast<std::int64_t>(last); slot = lowest_above(slot)) {
      price_level level = level_at(slot);
      occupied_.erase(static_cast<std::uint32_t>((base_ + static_cast<std::uint64_t>(slot)) & slot_mask));
      --count_;
      far_.set(level.price, level.size);
    }
  }

  // Collects into scratch_ the fallback's levels with tick indices in [first, first + count),
  // which lie next to the window: they come first from the fallback's best end (after prices too
  // large for the grid, which for bids are the best).
  void collect_far(std::uint64_t first, std::uint64_t count) {
    scratch_.clear();
    far_.for_each_from_best([&](decimal price, decimal size) {
      std::uint64_t index = 0;
      if (grid_.locate(price, index) != grid_fit::on)
        return IsBid;  // too large: first among bids (look on), last among asks (done)
      if (index - first < count) {
        scratch_.push_back(price_level{price, size});
        return true;
      }
      return IsBid ? index >= first : index < first;  // better than the range: look on
    });
  }

  // Moves the levels collect_far found from the fallback into the (moved) window.
  void admit_collected() {
    for (const price_level& level : scratch_) {
      far_.set(level.price, decimal{});
      std::uint64_t index = 0;
      (void)grid_.locate(level.price, index);
      put(index - base_, level.size);
    }
  }

  // True when the fallback holds the best level (or the window is empty) and the window could
  // hold it: then the window should move there. Tick indices too large for it stay far.
  [[nodiscard]] bool far_best_belongs() const noexcept {
    if (far_.empty())
      return false;
    price_level top = far_.best();
    std::uint64_t index = 0;
    if (grid_.locate(top.price, index) != grid_fit::on)
      return false;
    return count_ == 0 || better(top.price, level_at(best_).price);
  }

  void copy_state(const price_grid& other) noexcept {
    grid_ = other.grid_;
    base_ = other.base_;
    occupied_ = other.occupied_;
    count_ = other.count_;
    best_ = other.best_;
    rebuilds_ = other.rebuilds_;
    moves_ = other.moves_;
  }

  // Re-places every level, the window placed for the best level that fits it; first refines the
  // grid for `off_grid` when given (the window's prices are read on the old grid).
  [[gnu::noinline]] void rebuild(const decimal* off_grid = nullptr) {
    scratch_.clear();
    for_each_from_best([&](decimal price, decimal size) {
      scratch_.push_back(price_level{price, size});
      return true;
    });
    if (off_grid != nullptr)
      grid_.refine(*off_grid);
    ++rebuilds_;
    if (count_ != 0)
      occupied_.clear();
    count_ = 0;
    best_ = no_slot;
    place(scratch_);
  }

  // Puts `levels` (best first, on the current grid or too large for it) into an empty window and
  // the fallback, the window placed for the best level that fits it.
  void place(const std::vector<price_level>& levels) {
    base_ = 0;
    for (const price_level& level : levels) {
      std::uint64_t index = 0;
      if (grid_.locate(level.price, index) == grid_fit::on) {
        base_ = window_base(index);
        break;
      }
    }
    far_scratch_.clear();
    for (const price_level& level : levels) {
      std::uint64_t index = 0;
      std::uint64_t slot = window_slots;
      if (grid_.locate(level.price, index) == grid_fit::on)
        slot = index - base_;
      if (slot < window_slots)
        put(slot, level.size);
      else
        far_scratch_.push_back(level);
    }
    far_.assign_best_first(far_scratch_);
  }

  // The base that puts tick index `best` `headroom` slots from the window's better end, kept
  // where base + slot cannot wrap.
  [[nodiscard]] static std::uint64_t window_base(std::uint64_t best) noexcept {
    constexpr std::uint64_t highest_base = UINT64_MAX - window_slots + 1;
    std::uint64_t behind = IsBid ? window_slots - 1 - headroom : headroom;
    std::uint64_t base = best >= behind ? best - behind : 0;
    return base > highest_base ? highest_base : base;
  }

  tick_grid grid_;
  std::uint64_t base_ = 0;       // tick index of slot 0
  std::unique_ptr<int128[]> sizes_;  // raw sizes; read only where `occupied_` is set
  level_bitmap<window_slots> occupied_;
  std::uint32_t count_ = 0;      // levels in the window
  std::int64_t best_ = no_slot;  // the window's best slot
  price_ladder<IsBid> far_;      // levels outside the window
  std::vector<price_level> scratch_;      // rebuild's copy of every level
  std::vector<price_level> far_scratch_;  // the levels bound for the fallback
  std::uint64_t rebuilds_ = 0;
  std::uint64_t moves_ = 0;
};

} // namespace tern::detail
