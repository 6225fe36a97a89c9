#pragma once

// The reference for the order-book property tests: a std::map per side (the textbook book), and
// a generator of random snapshots and level updates. Shared by order_book_property.test.cpp and
// price_grid.test.cpp.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <vector>

#include "core/order_book.hpp"

namespace tern::testing {

struct model_book {
  std::map<decimal, decimal, std::greater<>> bids;
  std::map<decimal, decimal> asks;

  template <class Map>
  static void set(Map& levels, decimal price, decimal size) {
    if (size.is_zero())
      levels.erase(price);
    else
      levels[price] = size;
  }
  void set(side book_side, decimal price, decimal size) {
    book_side == side::buy ? set(bids, price, size) : set(asks, price, size);
  }
  template <class Map>
  static std::optional<price_level> best(const Map& levels) {
    if (levels.empty())
      return std::nullopt;
    return price_level{levels.begin()->first, levels.begin()->second};
  }
  [[nodiscard]] bool crossed() const {
    return !bids.empty() && !asks.empty() && bids.begin()->first >= asks.begin()->first;
  }
  template <class Map>
  static std::vector<price_level> top(const Map& levels, std::size_t n) {
    std::vector<price_level> out;
    for (auto it = levels.begin(); it != levels.end() && out.size() < n; ++it)
      out.push_back(price_level{it->first, it->second});
    return out;
  }
  [[nodiscard]] std::vector<price_level> depth(side book_side, std::size_t n) const {
    return book_side == side::buy ? top(bids, n) : top(asks, n);
  }
  template <class Map>
  static fill_estimate walk(const Map& levels, decimal base, rounding quote_mode, rounding mode) {
    fill_estimate estimate{base, {}, {}, {}, !base.is_positive()};
    if (!base.is_positive())
      return estimate;
    for (auto [price, size] : levels) {
      decimal take = min(size, base - estimate.filled);
      estimate.quote += decimal::multiply(price, take, quote_mode);
      estimate.filled += take;
      if (estimate.filled == base)
        break;
    }
    estimate.complete = estimate.filled == base;
    if (estimate.filled.is_positive())
      estimate.vwap = decimal::divide(estimate.quote, estimate.filled, mode);
    return estimate;
  }
};

/// How the fuzzer lays prices out.
enum class price_layout {
  /// A 0.01 grid, mid 35.00..65.00: the whole book fits the grid window.
  cents,
  /// Prices 1e-18 apart around 61837.63, where the fallback ladder's 64-bit search keys tie for
  /// hundreds of thousands of neighbouring prices (and one key boundary falls mid-range). The
  /// learned tick is 1e-18, so no price fits the grid window: everything is in the fallback.
  fine,
  /// Prices in 0.001 units, mostly on a 0.01 grid around a mid that wanders and sometimes jumps
  /// by more than the window, with levels far beyond it, a few prices between the ticks (the grid
  /// refines), snapshots on a coarser grid (0.05) and a few prices too large for any window.
  wide,
  /// The cents grid with a mid that trends up or down for a while, over 10.00..4,000.00, so that
  /// the grid window keeps moving by less than its width and levels cross its edges both ways.
  trending,
};

// Random books around a drifting mid; most updates near the top, some deep.
struct book_fuzzer {
  std::mt19937_64 rng;
  price_layout layout = price_layout::cents;
  std::int64_t mid = 5000;    // in price units (see price_at)
  double delete_share = 0.4;  // varied in phases so books both grow and thin
  int heading = 1;            // trending: the direction the mid is moving

  explicit book_fuzzer(std::uint64_t seed, price_layout how = price_layout::cents)
      : rng(seed), layout(how) {
    if (layout == price_layout::wide)
      mid = 60'000'000;  // 60,000.000
  }

  std::int64_t uniform(std::int64_t low, std::int64_t high) {
    return std::uniform_int_distribution<std::int64_t>{low, high}(rng);
  }
  bool chance(double p) { return std::bernoulli_distribution{p}(rng); }

  // The price of `unit` price units; zero for none.
  [[nodiscard]] decimal price_at(std::int64_t unit) const {
    if (unit <= 0)
      return decimal{};
    switch (layout) {
      case price_layout::cents:
      case price_layout::trending: return decimal::from_scaled(unit, 2);
      case price_layout::wide: return decimal::from_scaled(unit, 3);
      case price_layout::fine: break;
    }
    constexpr int128 key_bucket = int128{1} << 19;  // raw units one key covers near 61837
    int128 base = decimal::from_string("61837.63").raw() / key_bucket * key_bucket - 5000;
    return decimal::from_raw(base + unit);
  }
  // Price units per tick of the usual grid.
  [[nodiscard]] std::int64_t step() const { return layout == price_layout::wide ? 10 : 1; }

  decimal size() { return decimal::from_scaled(uniform(1, 2'000'000), 5); }
  // Ticks from the mid.
  std::int64_t distance() {
    if (chance(0.6))
      return std::geometric_distribution<int>{0.1}(rng);
    if (layout == price_layout::wide && chance(0.25))
      return uniform(3000, 300'000);  // beyond a 2^15-slot window at the 0.01 tick
    return uniform(0, 3000);
  }
  void drift() {
    if (layout == price_layout::trending) {
      if (chance(0.003) || mid < 1000 || mid > 400'000)
        heading = mid < 1000 ? 1 : mid > 400'000 ? -1 : -heading;
      mid += heading * uniform(0, 40);
      return;
    }
    if (layout != price_layout::wide) {
      mid = std::clamp<std::int64_t>(mid + uniform(-2, 2), 3500, 6500);
      return;
    }
    mid += uniform(-2, 2) * 10;
    if (chance(0.001))  // a jump past the window: it must follow the best level
      mid += (chance(0.5) ? 1 : -1) * uniform(20'000, 400'000) * 10;
    mid = std::clamp<std::int64_t>(mid, 5'000'000, 200'000'000);
  }
  // A level on `book_side`; occasionally on the wrong side of the mid, so books cross.
  price_level level(side book_side) {
    drift();
    std::int64_t offset = chance(0.01) ? -uniform(1, 20) : distance();
    std::int64_t unit = book_side == side::buy ? mid - step() * (1 + offset) : mid + step() * offset;
    if (layout == price_layout::wide && chance(0.003))
      unit += uniform(1, 9);  // between the 0.01 ticks
    decimal amount = chance(delete_share) ? decimal{} : size();
    if (chance(0.002))
      amount = -size();
    unit = chance(0.001) ? 0 : std::max<std::int64_t>(unit, 1);  // a zero price now and then
    if (layout == price_layout::wide && chance(0.002))
      return price_level{huge_price(), amount};
    return price_level{price_at(unit), amount};
  }
  // One of a few prices whose tick index cannot fit 64 bits at a 0.05 tick or finer (10^7 and
  // neighbours), so that they come back and get deleted.
  decimal huge_price() { return decimal::from_scaled(1'000'000'000 + uniform(0, 3), 2); }
  std::vector<price_level> snapshot_side(side book_side, int count, int gap) {
    std::vector<price_level> levels;
    // In the wide layout, some snapshots sit on a 0.05 grid, which updates then refine.
    std::int64_t spacing = step() * (layout == price_layout::wide && chance(0.5) ? 5 : 1);
    // Bids round down and asks up to the spacing, so the snapshot is not crossed by it.
    std::int64_t unit = book_side == side::buy ? (mid - gap * step()) / spacing * spacing
                                               : (mid + gap * step() + spacing - 1) / spacing * spacing;
    for (int i = 0; i < count && unit > 0; ++i) {
      levels.push_back(price_level{price_at(unit), size()});
      std::int64_t move = uniform(1, 3) * spacing;
      unit += book_side == side::buy ? -move : move;
    }
    return levels;
  }
};

} // namespace tern::testing
