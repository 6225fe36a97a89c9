#pragma once

// One side of an L2 book, kept sorted for fast level updates. Internal to order_book.
//
// The layout follows what Binance's BTCUSDT diff streams do to a book (measured on the shared
// captures): it grows to ~3,000 levels a side, half of all updates land more than 80 levels from
// the top, and four in five updates insert or delete a level.
// - Chunks: levels are kept in small sorted chunks (a two-level B+ tree) so an insert moves at
//   most one chunk's elements, where one flat array would move ~200 (6 KB) per update. Inside a
//   chunk, and across chunks, levels run from the worst to the best price, so the best level is
//   the last element of the last chunk.
// - Keys: each level carries a 64-bit key that orders like its price (order_key). Searches count
//   smaller keys, with independent loads and no branches, instead of chasing a binary search's
//   chain of dependent 16-byte loads. Keys can tie for distinct prices (below ~1e-17 relative
//   difference); ties are settled on the exact prices.
// - Tombstones: a delete only zeroes the level's size, keeping its price in place, so it moves
//   nothing. The same price coming back revives it, and a new price shifts levels only as far as
//   the nearest tombstone. The last level of the last chunk is always live, so the best level
//   stays one load away; sparse chunks are compacted and merged.

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/decimal.hpp"
#include "core/events.hpp"

namespace tern::detail {

template <bool IsBid, std::uint32_t ChunkCapacity = 64>
class price_ladder {
 public:
  static constexpr std::uint32_t chunk_capacity = ChunkCapacity;

  /// True when price `a` is better than `b` on this side (higher bid, lower ask).
  [[nodiscard]] static constexpr bool better(decimal a, decimal b) noexcept {
    if constexpr (IsBid)
      return a > b;
    else
      return a < b;
  }

  /// A 64-bit key that never decreases as the (positive) price gets better on this side: the
  /// binary exponent and top 57 bits of the raw value, like a float, reversed for asks.
  [[nodiscard]] static std::int64_t order_key(decimal price) noexcept {
    auto raw = static_cast<uint128>(price.raw());
    auto high = static_cast<std::uint64_t>(raw >> 64);
    int top_bit = high != 0 ? 127 - std::countl_zero(high)
                            : 63 - std::countl_zero(static_cast<std::uint64_t>(raw) | 1U);
    int shift = std::max(top_bit - 56, 0);
    auto key = (static_cast<std::uint64_t>(shift) << 57) | static_cast<std::uint64_t>(raw >> shift);
    if constexpr (!IsBid)
      key = ~key;
    // Flipping the sign bit lets signed comparisons (which vectorise everywhere) order the keys.
    return static_cast<std::int64_t>(key ^ (std::uint64_t{1} << 63));
  }

  void clear() noexcept {
    pool_.clear();
    free_.clear();
    order_.clear();
    floor_keys_.clear();
    size_ = 0;
  }

  /// Live levels.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }

  /// Sets the size at `price`; a zero size removes the level (a missing level is no error).
  /// The caller has checked that the price is positive and the size not negative.
  void set(decimal price, decimal size) {
    if (order_.empty()) {
      if (!size.is_zero())
        append_first(price, size);
      return;
    }
    std::int64_t key = order_key(price);
    std::size_t slot = chunk_slot(price, key);
    hint_ = slot;  // written only here, so const searches stay safe to run concurrently
    chunk& target = pool_[order_[slot]];
    std::uint32_t pos = position_in(target, price, key);
    if (pos < target.count && target.prices[pos] == price) {
      bool was_live = !target.sizes[pos].is_zero();
      target.sizes[pos] = size;
      if (was_live && size.is_zero()) {
        after_delete(slot);
      } else if (!was_live && !size.is_zero()) {
        ++target.live;  // a tombstone revived
        ++size_;
      }
      return;
    }
    if (!size.is_zero())
      insert(slot, pos, price, key, size);
  }

  [[nodiscard]] std::optional<decimal> size_at(decimal price) const {
    if (order_.empty())
      return std::nullopt;
    std::int64_t key = order_key(price);
    const chunk& target = pool_[order_[chunk_slot(price, key)]];
    std::uint32_t pos = position_in(target, price, key);
    if (pos < target.count && target.prices[pos] == price && !target.sizes[pos].is_zero())
      return target.sizes[pos];
    return std::nullopt;
  }

  /// The best level. Precondition: not empty.
  [[nodiscard]] price_level best() const noexcept {
    const chunk& top = pool_[order_.back()];
    return price_level{top.prices[top.count - 1], top.sizes[top.count - 1]};
  }

  /// Calls `visit(price, size)` from the best level outward while it returns true.
  template <class Visit>
  void for_each_from_best(Visit&& visit) const {
    for (auto slot = order_.rbegin(); slot != order_.rend(); ++slot) {
      const chunk& current = pool_[*slot];
      for (std::uint32_t i = current.count; i-- > 0;)
        if (!current.sizes[i].is_zero() && !visit(current.prices[i], current.sizes[i]))
          return;
    }
  }

  /// Replaces every level with `levels`, given best first and already validated as strictly
  /// worsening with positive sizes. Chunks are filled to 3/4 so early inserts rarely split.
  void assign_best_first(const std::vector<price_level>& levels) {
    clear();
    constexpr std::size_t fill = chunk_capacity * 3 / 4;
    for (std::size_t done = 0; done < levels.size();) {
      std::size_t take = std::min(fill, levels.size() - done);
      std::uint32_t id = new_chunk();
      chunk& target = pool_[id];
      for (std::size_t i = 0; i < take; ++i) {
        // The worst remaining level goes first: levels are best first, chunks worst first.
        const price_level& level = levels[levels.size() - 1 - done - i];
        target.keys[i] = order_key(level.price);
        target.prices[i] = level.price;
        target.sizes[i] = level.size;
      }
      target.count = target.live = static_cast<std::uint32_t>(take);
      order_.push_back(id);
      floor_keys_.push_back(target.keys[0]);
      done += take;
    }
    size_ = levels.size();
  }

 private:
  // Keys past `count` hold this value, which no key is below, so that searches can count over
  // the whole fixed-size array: a loop the compiler unrolls and vectorises completely.
  static constexpr std::int64_t unused_key = INT64_MAX;

  struct chunk {
    std::uint32_t count = 0;  // levels held, tombstones included
    std::uint32_t live = 0;   // levels with a size
    std::int64_t keys[chunk_capacity];  // unused_key from `count` on
    decimal prices[chunk_capacity];
    decimal sizes[chunk_capacity];  // zero: a tombstone
  };

  // The last chunk whose worst price is not better than `price` (0 when every chunk's is).
  [[nodiscard]] std::size_t chunk_slot(decimal price, std::int64_t key) const noexcept {
    // Diffs list each side's levels from the best outward, so the next level is usually in the
    // chunk of the last one or a little below it: look there before searching everything.
    std::size_t count = floor_keys_.size();
    std::size_t hint = std::min(hint_, count - 1);
    // Strict comparisons: a key equal to a floor may need the exact tie-break below.
    if (floor_keys_[hint] < key) {
      if (hint + 1 == count || floor_keys_[hint + 1] > key)
        return hint;
    } else if (floor_keys_[hint] > key && hint > 0 && floor_keys_[hint - 1] < key) {
      return hint - 1;
    }
    std::size_t not_better = count_keys(floor_keys_.data(), count, key, true);
    std::size_t slot = not_better == 0 ? 0 : not_better - 1;
    // A tied key may hide a better floor price; settle ties on the exact prices.
    while (slot > 0 && floor_keys_[slot] == key && better(pool_[order_[slot]].prices[0], price))
      --slot;
    return slot;
  }

  // How many of the ascending `keys` are below `key` (or not above it, with `or_equal`).
  [[nodiscard]] static std::size_t count_keys(const std::int64_t* keys, std::size_t count,
                                              std::int64_t key, bool or_equal) noexcept {
#if defined(__AVX2__)
    // Counting is branch-free and its loads are independent, unlike a binary search's chain;
    // with AVX2 the compiler does four keys per instruction.
    std::size_t below = 0;
    for (std::size_t i = 0; i < count; ++i)
      below += (keys[i] < key || (or_equal && keys[i] == key)) ? 1U : 0U;
    return below;
#else
    // Without 64-bit vector compares, counting costs a compare per key: search instead.
    std::size_t below = 0;
    while (count > 0) {
      std::size_t half = count / 2;
      bool left = keys[below + half] < key || (or_equal && keys[below + half] == key);
      below = left ? below + half + 1 : below;
      count = left ? count - half - 1 : half;
    }
    return below;
#endif
  }

  // The first position in `target` whose price is not worse than `price` (count when none is).
  [[nodiscard]] static std::uint32_t position_in(const chunk& target, decimal price,
                                                 std::int64_t key) noexcept {
    auto pos = static_cast<std::uint32_t>(count_keys(target.keys, chunk_capacity, key, false));
    while (pos < target.count && target.keys[pos] == key && better(price, target.prices[pos]))
      ++pos;
    return pos;
  }

  std::uint32_t new_chunk() {
    std::uint32_t id = 0;
    if (!free_.empty()) {
      id = free_.back();
      free_.pop_back();
    } else {
      pool_.emplace_back();
      id = static_cast<std::uint32_t>(pool_.size() - 1);
    }
    chunk& fresh = pool_[id];
    fresh.count = fresh.live = 0;
    std::fill(std::begin(fresh.keys), std::end(fresh.keys), unused_key);
    return id;
  }

  // Marks the keys from `from` to the end of the chunk unused.
  static void clear_keys(chunk& target, std::uint32_t from) noexcept {
    std::fill(target.keys + from, target.keys + chunk_capacity, unused_key);
  }

  void append_first(decimal price, decimal size) {
    std::uint32_t id = new_chunk();
    chunk& target = pool_[id];
    put(target, 0, order_key(price), price, size);
    target.count = target.live = 1;
    order_.push_back(id);
    floor_keys_.push_back(target.keys[0]);
    size_ = 1;
  }

  static void put(chunk& target, std::uint32_t pos, std::int64_t key, decimal price,
                  decimal size) noexcept {
    target.keys[pos] = key;
    target.prices[pos] = price;
    target.sizes[pos] = size;
  }

  // Moves levels [from, to) of `target` to start at `dest`; std::copy(_backward) become memmove.
  static void move_levels(chunk& target, std::uint32_t from, std::uint32_t to,
                          std::uint32_t dest) noexcept {
    if (dest > from) {
      std::uint32_t end = dest + (to - from);
      std::copy_backward(target.keys + from, target.keys + to, target.keys + end);
      std::copy_backward(target.prices + from, target.prices + to, target.prices + end);
      std::copy_backward(target.sizes + from, target.sizes + to, target.sizes + end);
    } else {
      std::copy(target.keys + from, target.keys + to, target.keys + dest);
      std::copy(target.prices + from, target.prices + to, target.prices + dest);
      std::copy(target.sizes + from, target.sizes + to, target.sizes + dest);
    }
  }

  // Copies `count` levels from `from` at `from_pos` to `to` at `to_pos`.
  static void copy_levels(const chunk& from, std::uint32_t from_pos, std::uint32_t count,
                          chunk& to, std::uint32_t to_pos) noexcept {
    std::copy(from.keys + from_pos, from.keys + from_pos + count, to.keys + to_pos);
    std::copy(from.prices + from_pos, from.prices + from_pos + count, to.prices + to_pos);
    std::copy(from.sizes + from_pos, from.sizes + from_pos + count, to.sizes + to_pos);
  }

  // The tombstone nearest to `pos` closer than `limit` positions away, or count when none is.
  [[nodiscard]] static std::uint32_t nearest_tombstone(const chunk& target, std::uint32_t pos,
                                                       std::uint32_t limit) noexcept {
    for (std::uint32_t distance = 0; distance < limit; ++distance) {
      if (pos + distance < target.count && target.sizes[pos + distance].is_zero())
        return pos + distance;
      if (distance < pos && target.sizes[pos - 1 - distance].is_zero())
        return pos - 1 - distance;
    }
    return target.count;
  }

  // Inserts a new price before position `pos` of chunk `slot`.
  void insert(std::size_t slot, std::uint32_t pos, decimal price, std::int64_t key,
              decimal size) {
    chunk* target = &pool_[order_[slot]];
    // Opening a gap moves count - pos levels; a tombstone closer than that is cheaper to use.
    std::uint32_t gap_cost = target->count < chunk_capacity ? target->count - pos : chunk_capacity;
    std::uint32_t tombstone = target->live < target->count
                                  ? nearest_tombstone(*target, pos, gap_cost)
                                  : target->count;
    if (tombstone < target->count) {
      if (tombstone >= pos) {
        move_levels(*target, pos, tombstone, pos + 1);
      } else {
        move_levels(*target, tombstone + 1, pos, tombstone);
        --pos;
      }
    } else {
      if (target->count == chunk_capacity) {
        split(slot);
        constexpr std::uint32_t half = chunk_capacity / 2;
        if (pos > half) {
          pos -= half;
          ++slot;
        }
        target = &pool_[order_[slot]];
      }
      move_levels(*target, pos, target->count, pos + 1);
      ++target->count;
    }
    put(*target, pos, key, price, size);
    ++target->live;
    ++size_;
    floor_keys_[slot] = target->keys[0];
  }

  // Moves the better half of a full chunk into a new chunk placed just after it.
  void split(std::size_t slot) {
    constexpr std::uint32_t half = chunk_capacity / 2;
    std::uint32_t id = new_chunk();  // may reallocate the pool: take references afterwards
    chunk& lower = pool_[order_[slot]];
    chunk& upper = pool_[id];
    copy_levels(lower, half, half, upper, 0);
    upper.count = upper.live = half;  // split only when there are no tombstones
    lower.count = lower.live = half;
    clear_keys(lower, half);
    auto at = static_cast<std::ptrdiff_t>(slot + 1);
    order_.insert(order_.begin() + at, id);
    floor_keys_.insert(floor_keys_.begin() + at, upper.keys[0]);
  }

  void after_delete(std::size_t slot) {
    chunk& target = pool_[order_[slot]];
    --target.live;
    --size_;
    if (target.live == 0)
      remove_slot(slot);
    else if (target.live < chunk_capacity / 4)
      merge_sparse(slot);
    trim_top();  // one load and compare unless the best level was the one deleted
  }

  // Drops tombstones from the end of the last chunk so that its last level is the live best.
  void trim_top() {
    while (!order_.empty()) {
      chunk& top = pool_[order_.back()];
      while (top.count > 0 && top.sizes[top.count - 1].is_zero())
        top.keys[--top.count] = unused_key;
      if (top.count > 0)
        return;
      remove_slot(order_.size() - 1);
    }
  }

  void remove_slot(std::size_t slot) {
    free_.push_back(order_[slot]);
    auto at = static_cast<std::ptrdiff_t>(slot);
    order_.erase(order_.begin() + at);
    floor_keys_.erase(floor_keys_.begin() + at);
  }

  // Removes the tombstones of chunk `slot`, keeping the live levels in order.
  void compact(std::size_t slot) {
    chunk& target = pool_[order_[slot]];
    std::uint32_t kept = 0;
    for (std::uint32_t i = 0; i < target.count; ++i)
      if (!target.sizes[i].is_zero())
        put(target, kept++, target.keys[i], target.prices[i], target.sizes[i]);
    clear_keys(target, kept);
    target.count = kept;
    floor_keys_[slot] = target.keys[0];
  }

  // Folds a sparse chunk into a neighbour so deletes cannot leave many near-empty chunks behind.
  void merge_sparse(std::size_t slot) {
    constexpr std::uint32_t limit = chunk_capacity * 3 / 4;
    std::uint32_t live = pool_[order_[slot]].live;
    if (slot > 0 && pool_[order_[slot - 1]].live + live <= limit) {
      compact(slot - 1);
      compact(slot);
      append_chunk(pool_[order_[slot - 1]], pool_[order_[slot]]);
      remove_slot(slot);
    } else if (slot + 1 < order_.size() && pool_[order_[slot + 1]].live + live <= limit) {
      compact(slot);
      compact(slot + 1);
      append_chunk(pool_[order_[slot]], pool_[order_[slot + 1]]);
      remove_slot(slot + 1);
    }
  }

  // Appends every level of `better_chunk` (all better than `into`'s) to the end of `into`.
  static void append_chunk(chunk& into, const chunk& better_chunk) noexcept {
    copy_levels(better_chunk, 0, better_chunk.count, into, into.count);
    into.count += better_chunk.count;
    into.live += better_chunk.live;
  }

  std::vector<chunk> pool_;                // chunk storage; ids are stable indices
  std::vector<std::uint32_t> free_;        // ids of emptied chunks, reused before the pool grows
  std::vector<std::uint32_t> order_;       // chunk ids, worst chunk first
  std::vector<std::int64_t> floor_keys_;   // floor_keys_[i]: key of chunk order_[i]'s first level
  std::size_t size_ = 0;
  std::size_t hint_ = 0;                   // the chunk the last update went to
};

} // namespace tern::detail
