#pragma once

// One side of an L2 book, kept sorted for fast level updates. Internal to order_book.
//
// Why chunks: on Binance's BTCUSDT diff stream half of all level updates land more than 80 levels
// from the top and the book grows to ~3,000 levels a side, so one flat sorted array moves ~200
// elements (6 KB) per insert or delete. Levels are therefore kept in small sorted chunks (a
// two-level B+ tree): an insert or delete moves at most one chunk's elements, and a short index of
// each chunk's worst price finds the chunk. Inside a chunk, and across chunks, levels run from the
// worst to the best price, so the best level is the last element of the last chunk and changes at
// the top of the book move the fewest elements. Prices and sizes are separate arrays so the
// searches read prices only.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/decimal.hpp"
#include "core/events.hpp"

namespace tern::detail {

template <bool IsBid>
class price_ladder {
 public:
  static constexpr std::uint32_t chunk_capacity = 64;

  /// True when price `a` is better than `b` on this side (higher bid, lower ask).
  [[nodiscard]] static constexpr bool better(decimal a, decimal b) noexcept {
    if constexpr (IsBid)
      return a > b;
    else
      return a < b;
  }

  void clear() noexcept {
    pool_.clear();
    free_.clear();
    order_.clear();
    floors_.clear();
    size_ = 0;
  }

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
    std::size_t slot = chunk_slot(price);
    chunk& target = pool_[order_[slot]];
    std::uint32_t pos = position_in(target, price);
    if (pos < target.count && target.prices[pos] == price) {
      if (size.is_zero())
        erase(slot, pos);
      else
        target.sizes[pos] = size;
      return;
    }
    if (!size.is_zero())
      insert(slot, pos, price, size);
  }

  [[nodiscard]] std::optional<decimal> size_at(decimal price) const {
    if (order_.empty())
      return std::nullopt;
    const chunk& target = pool_[order_[chunk_slot(price)]];
    std::uint32_t pos = position_in(target, price);
    if (pos < target.count && target.prices[pos] == price)
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
        if (!visit(current.prices[i], current.sizes[i]))
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
        target.prices[i] = level.price;
        target.sizes[i] = level.size;
      }
      target.count = static_cast<std::uint32_t>(take);
      order_.push_back(id);
      floors_.push_back(target.prices[0]);
      done += take;
    }
    size_ = levels.size();
  }

 private:
  struct chunk {
    std::uint32_t count = 0;
    decimal prices[chunk_capacity];
    decimal sizes[chunk_capacity];
  };

  // The last chunk whose worst price is not better than `price` (0 when every chunk's is):
  // a branch-free binary search, since the comparisons are unpredictable.
  [[nodiscard]] std::size_t chunk_slot(decimal price) const noexcept {
    const decimal* base = floors_.data();
    std::size_t length = floors_.size();
    while (length > 1) {
      std::size_t half = length / 2;
      base += better(base[half], price) ? 0 : half;
      length -= half;
    }
    return static_cast<std::size_t>(base - floors_.data());
  }

  // The first position in `target` whose price is not worse than `price` (count when none is).
  [[nodiscard]] static std::uint32_t position_in(const chunk& target, decimal price) noexcept {
    if (target.count == 0)
      return 0;
    const decimal* base = target.prices;
    std::uint32_t length = target.count;
    while (length > 1) {
      std::uint32_t half = length / 2;
      base += better(price, base[half - 1]) ? half : 0;
      length -= half;
    }
    return static_cast<std::uint32_t>(base - target.prices) + (better(price, *base) ? 1U : 0U);
  }

  std::uint32_t new_chunk() {
    if (!free_.empty()) {
      std::uint32_t id = free_.back();
      free_.pop_back();
      pool_[id].count = 0;
      return id;
    }
    pool_.emplace_back();
    return static_cast<std::uint32_t>(pool_.size() - 1);
  }

  void append_first(decimal price, decimal size) {
    std::uint32_t id = new_chunk();
    pool_[id].prices[0] = price;
    pool_[id].sizes[0] = size;
    pool_[id].count = 1;
    order_.push_back(id);
    floors_.push_back(price);
    size_ = 1;
  }

  static void open_gap(chunk& target, std::uint32_t pos) noexcept {
    // std::copy_backward lowers to memmove for trivially copyable decimals.
    std::copy_backward(target.prices + pos, target.prices + target.count,
                       target.prices + target.count + 1);
    std::copy_backward(target.sizes + pos, target.sizes + target.count,
                       target.sizes + target.count + 1);
  }

  static void close_gap(chunk& target, std::uint32_t pos) noexcept {
    std::copy(target.prices + pos + 1, target.prices + target.count, target.prices + pos);
    std::copy(target.sizes + pos + 1, target.sizes + target.count, target.sizes + pos);
  }

  void insert(std::size_t slot, std::uint32_t pos, decimal price, decimal size) {
    if (pool_[order_[slot]].count == chunk_capacity) {
      split(slot);
      constexpr std::uint32_t half = chunk_capacity / 2;
      if (pos > half) {
        pos -= half;
        ++slot;
      }
    }
    chunk& target = pool_[order_[slot]];
    open_gap(target, pos);
    target.prices[pos] = price;
    target.sizes[pos] = size;
    ++target.count;
    ++size_;
    if (pos == 0)
      floors_[slot] = price;
  }

  // Moves the better half of a full chunk into a new chunk placed just after it.
  void split(std::size_t slot) {
    constexpr std::uint32_t half = chunk_capacity / 2;
    std::uint32_t id = new_chunk();  // may reallocate the pool: take references afterwards
    chunk& lower = pool_[order_[slot]];
    chunk& upper = pool_[id];
    std::copy(lower.prices + half, lower.prices + chunk_capacity, upper.prices);
    std::copy(lower.sizes + half, lower.sizes + chunk_capacity, upper.sizes);
    upper.count = half;
    lower.count = half;
    auto at = static_cast<std::ptrdiff_t>(slot + 1);
    order_.insert(order_.begin() + at, id);
    floors_.insert(floors_.begin() + at, upper.prices[0]);
  }

  void erase(std::size_t slot, std::uint32_t pos) {
    chunk& target = pool_[order_[slot]];
    close_gap(target, pos);
    --target.count;
    --size_;
    if (target.count == 0) {
      remove_slot(slot);
      return;
    }
    if (pos == 0)
      floors_[slot] = target.prices[0];
    if (target.count < chunk_capacity / 4)
      merge_sparse(slot);
  }

  void remove_slot(std::size_t slot) {
    free_.push_back(order_[slot]);
    auto at = static_cast<std::ptrdiff_t>(slot);
    order_.erase(order_.begin() + at);
    floors_.erase(floors_.begin() + at);
  }

  // Folds a sparse chunk into a neighbour so deletes cannot leave many near-empty chunks behind.
  void merge_sparse(std::size_t slot) {
    constexpr std::uint32_t limit = chunk_capacity * 3 / 4;
    if (slot > 0 && pool_[order_[slot - 1]].count + pool_[order_[slot]].count <= limit) {
      append_chunk(pool_[order_[slot - 1]], pool_[order_[slot]]);
      remove_slot(slot);
    } else if (slot + 1 < order_.size()
               && pool_[order_[slot]].count + pool_[order_[slot + 1]].count <= limit) {
      append_chunk(pool_[order_[slot]], pool_[order_[slot + 1]]);
      remove_slot(slot + 1);
    }
  }

  // Appends every level of `better_chunk` (all better than `into`'s) to the end of `into`.
  static void append_chunk(chunk& into, const chunk& better_chunk) noexcept {
    std::copy(better_chunk.prices, better_chunk.prices + better_chunk.count,
              into.prices + into.count);
    std::copy(better_chunk.sizes, better_chunk.sizes + better_chunk.count,
              into.sizes + into.count);
    into.count += better_chunk.count;
  }

  std::vector<chunk> pool_;            // chunk storage; ids are stable indices
  std::vector<std::uint32_t> free_;    // ids of emptied chunks, reused before the pool grows
  std::vector<std::uint32_t> order_;   // chunk ids, worst chunk first
  std::vector<decimal> floors_;        // floors_[i]: worst price of chunk order_[i]
  std::size_t size_ = 0;
};

} // namespace tern::detail
