// The parts of the order book's price-grid side (core/price_grid.hpp): the learned tick grid, the
// occupancy bitmap, and the side itself against a sorted map, with small windows so that far
// levels, window moves and grid changes happen often.

#include <catch2/catch.hpp>

#include <functional>
#include <map>
#include <set>
#include <type_traits>
#include <vector>

#include "core/price_grid.hpp"
#include "tests/core/book_model.hpp"

using namespace tern;
using tern::detail::grid_fit;
using tern::testing::book_fuzzer;
using tern::testing::price_layout;

namespace {

decimal d(const char* text) {
  return decimal::from_string(text);
}

template <class Ladder>
std::vector<price_level> levels_of(const Ladder& ladder) {
  std::vector<price_level> out;
  ladder.for_each_from_best([&](decimal price, decimal size) {
    out.push_back(price_level{price, size});
    return true;
  });
  return out;
}

} // namespace

TEST_CASE("the tick is the largest step every price is a multiple of, at most 1") {
  detail::tick_grid grid;
  CHECK(grid.tick() == d("1"));
  CHECK_FALSE(grid.refine(d("61837")));  // whole numbers fit the coarsest grid
  CHECK(grid.refine(d("61837.5")));
  CHECK(grid.tick() == d("0.5"));
  CHECK(grid.refine(d("61837.63")));
  CHECK(grid.tick() == d("0.01"));
  CHECK_FALSE(grid.refine(d("0.07")));
  std::uint64_t index = 0;
  REQUIRE(grid.locate(d("61837.63"), index) == grid_fit::on);
  CHECK(index == 6'183'763);
  CHECK(grid.price_of(index) == d("61837.63"));
  CHECK(grid.locate(d("61837.635"), index) == grid_fit::off);
  CHECK(grid.locate(d("61837.630000000000000001"), index) == grid_fit::off);
  // 10^7 at a 0.01 tick: 10^9 ticks, but 10^25 >> 16 (the tick's factor 2^16) needs 81 bits.
  CHECK(grid.locate(d("10000000"), index) == grid_fit::too_large);
  grid.reset();
  CHECK(grid.tick() == d("1"));
}

TEST_CASE("locating a price divides exactly, for every tick the grid can learn") {
  // Learned ticks divide 10^18 (the coarsest tick), so they are 2^a x 5^b with a, b <= 18.
  std::mt19937_64 rng{20240808};
  std::uint64_t two_power = 1;
  for (int a = 0; a <= 18; ++a, two_power *= 2) {
    std::uint64_t tick = two_power;
    for (int b = 0; b <= 18; ++b, tick *= 5) {
      INFO("tick raw " << static_cast<unsigned long long>(tick));
      detail::tick_grid grid;
      grid.refine(decimal::from_raw(tick));
      REQUIRE(static_cast<std::uint64_t>(grid.tick_raw()) == tick);
      for (int trial = 0; trial < 200; ++trial) {
        // Quotients from tiny to past where the shifted value stops fitting 64 bits.
        int bits = static_cast<int>(rng() % 110);
        uint128 quotient = (static_cast<uint128>(rng()) << 64 | rng()) >> (127 - bits);
        uint128 raw = quotient * tick + (trial % 3 == 0 ? rng() % tick : 0);
        if (raw == 0 || raw >> 126 != 0)
          continue;
        std::uint64_t index = 0;
        grid_fit fit = grid.locate(decimal::from_raw(static_cast<int128>(raw)), index);
        bool fits = (raw >> std::countr_zero(tick)) >> 64 == 0;
        if (!fits) {
          CHECK(fit != grid_fit::on);
        } else if (raw % tick != 0) {
          CHECK(fit == grid_fit::off);
        } else {
          REQUIRE(fit == grid_fit::on);
          CHECK(index == static_cast<std::uint64_t>(raw / tick));
          CHECK(static_cast<uint128>(grid.price_of(index).raw()) == raw);
        }
      }
    }
  }
}

TEST_CASE("the bitmap finds the nearest marked slot either way, across empty stretches") {
  std::mt19937_64 rng{7};
  detail::level_bitmap<8192> bitmap;  // two summary words
  std::set<std::int64_t> model;
  auto check_around = [&](std::int64_t slot) {
    auto above = model.upper_bound(slot);
    CHECK(bitmap.lowest_above(slot) == (above == model.end() ? 8192 : *above));
    auto below = model.lower_bound(slot);
    CHECK(bitmap.highest_below(slot) == (below == model.begin() ? -1 : *std::prev(below)));
  };
  for (int op = 0; op < 20'000; ++op) {
    // Phases of dense and sparse marks so that whole words and summary words empty out.
    auto slot = static_cast<std::uint32_t>(op % 5000 < 2500 ? rng() % 8192 : 4000 + rng() % 200);
    if (rng() % 3 == 0) {
      CHECK(bitmap.erase(slot) == (model.erase(slot) == 1));
    } else {
      CHECK(bitmap.insert(slot) == model.insert(slot).second);
    }
    CHECK(bitmap.test(slot) == (model.count(slot) == 1));
    check_around(static_cast<std::int64_t>(rng() % 8194) - 1);
  }
  for (std::int64_t edge : {-1, 0, 63, 64, 4095, 4096, 8191, 8192})
    check_around(edge);
  bitmap.clear();
  CHECK(bitmap.lowest_above(-1) == 8192);
  CHECK(bitmap.highest_below(8192) == -1);
}

TEST_CASE("a price between the ticks refines the grid and keeps every level") {
  detail::price_grid<true> bids;
  bids.assign_best_first({{d("100"), d("1")}, {d("99"), d("2")}, {d("98"), d("3")}});
  CHECK(bids.grid().tick() == d("1"));
  bids.set(d("99.5"), d("4"));
  CHECK(bids.grid().tick() == d("0.5"));
  CHECK(bids.rebuilds() == 1);
  CHECK(levels_of(bids) == std::vector<price_level>{{d("100"), d("1")}, {d("99.5"), d("4")},
                                                    {d("99"), d("2")}, {d("98"), d("3")}});
  bids.set(d("99.25"), d("0"));  // deleting a price off the grid changes nothing
  CHECK(bids.rebuilds() == 1);
  CHECK(bids.size() == 4);
  // A snapshot learns its grid afresh, coarser again.
  bids.assign_best_first({{d("100"), d("1")}});
  CHECK(bids.grid().tick() == d("1"));
}

TEST_CASE("the window follows a best level that moves out of it") {
  detail::price_grid<false> asks;  // 32,768 slots: 327.68 at a 0.01 tick
  asks.assign_best_first({{d("60000.01"), d("1")}, {d("60000.02"), d("2")}, {d("60500"), d("3")}});
  CHECK(asks.far_levels() == 1);  // 60500 is 49,999 ticks behind the best
  asks.set(d("59000.01"), d("5"));  // 100,000 ticks better than the window
  CHECK(asks.rebuilds() == 1);
  CHECK(asks.far_levels() == 3);  // the old levels are now far behind
  CHECK(asks.best() == price_level{d("59000.01"), d("5")});
  asks.set(d("59000.01"), d("0"));  // the window empties: it moves back to the next level
  CHECK(asks.rebuilds() == 2);
  CHECK(asks.far_levels() == 1);
  CHECK(asks.best() == price_level{d("60000.01"), d("1")});
  // The best falls far behind the window's better end: the window follows.
  asks.set(d("60000.01"), d("0"));
  asks.set(d("60000.02"), d("0"));
  CHECK(asks.rebuilds() == 3);
  CHECK(asks.far_levels() == 0);
  CHECK(levels_of(asks) == std::vector<price_level>{{d("60500"), d("3")}});
}

TEST_CASE("a window move by less than its width hands over only the levels at its edges") {
  detail::price_grid<true> bids;  // 32,768 slots; the best 4,096 slots from the top
  std::vector<price_level> snapshot;
  for (int cents = 60000; cents > 59940; --cents)  // 600.00 down to 599.41
    snapshot.push_back(price_level{decimal::from_scaled(cents, 2), d("1")});
  snapshot.push_back(price_level{d("340"), d("3")});  // 26,000 ticks behind: in the window
  snapshot.push_back(price_level{d("300"), d("4")});  // 30,000 ticks behind: far
  bids.assign_best_first(snapshot);
  CHECK(bids.far_levels() == 1);
  bids.set(d("620"), d("5"));  // 2,000 ticks up: still in the window
  CHECK(bids.moves() == 0);
  bids.set(d("650"), d("6"));  // 5,000 ticks up: the window follows by 5,000 slots
  CHECK(bids.moves() == 1);
  CHECK(bids.rebuilds() == 0);
  CHECK(bids.far_levels() == 2);  // 340 left the window, 650 came in
  std::vector<price_level> expected{{d("650"), d("6")}, {d("620"), d("5")}};
  expected.insert(expected.end(), snapshot.begin(), snapshot.end());
  CHECK(levels_of(bids) == expected);
  // Deleting 650 and 620 leaves 600 5,000 ticks behind where the window put the best: it stays.
  bids.set(d("650"), d("0"));
  bids.set(d("620"), d("0"));
  CHECK(bids.moves() == 1);
  // Emptying the window sends it to the fallback's best, 340. Handing two levels over costs
  // more than re-placing the two, so they are re-placed.
  for (int cents = 60000; cents > 59940; --cents)
    bids.set(decimal::from_scaled(cents, 2), d("0"));
  CHECK(bids.moves() == 1);
  CHECK(bids.rebuilds() == 1);
  CHECK(bids.far_levels() == 0);  // 300 is 4,000 ticks behind 340: both are in the window
  CHECK(bids.best() == price_level{d("340"), d("3")});
  CHECK(bids.size_at(d("300")) == d("4"));
}

TEST_CASE("prices whose tick index does not fit 64 bits stay in the fallback") {
  detail::price_grid<false> asks;
  asks.assign_best_first({{d("60000.01"), d("1")}});
  asks.set(d("10000000"), d("2"));
  asks.set(d("60000.01"), d("0"));  // the only level left is too large for any window
  asks.set(d("10000000.01"), d("3"));
  CHECK(asks.rebuilds() == 0);
  CHECK(asks.far_levels() == 2);
  CHECK(asks.best() == price_level{d("10000000"), d("2")});
  CHECK(asks.size_at(d("10000000.01")) == d("3"));
}

TEST_CASE("a copy keeps its levels when the original changes, a moved-from side is empty") {
  detail::price_grid<true> bids;
  bids.assign_best_first({{d("100"), d("1")}, {d("50"), d("2")}});
  bids.set(d("1"), d("3"));  // a far level
  auto copy = bids;
  bids.set(d("100"), d("0"));
  CHECK(levels_of(copy) == std::vector<price_level>{{d("100"), d("1")}, {d("50"), d("2")},
                                                    {d("1"), d("3")}});
  auto moved = std::move(bids);
  CHECK(moved.size() == 2);
  CHECK(bids.empty());  // NOLINT(bugprone-use-after-move): moves leave an empty, usable side
  bids.set(d("7"), d("1"));
  CHECK(bids.best() == price_level{d("7"), d("1")});
}

// ---- property test: one side against a sorted map ---------------------------------------------

namespace {

struct side_stats {
  std::uint64_t rebuilds = 0;
  std::uint64_t moves = 0;
  std::size_t most_far = 0;
  int tick_changes = 0;
};

template <bool IsBid, std::uint32_t WindowBits>
side_stats run_side(std::uint64_t seed, price_layout layout, int operations) {
  using order = std::conditional_t<IsBid, std::greater<>, std::less<>>;
  const side book_side = IsBid ? side::buy : side::sell;
  detail::price_grid<IsBid, WindowBits> ladder;
  std::map<decimal, decimal, order> model;
  book_fuzzer fuzz{seed, layout};
  side_stats stats;
  decimal tick = ladder.grid().tick();
  for (int op = 0; op < operations; ++op) {
    INFO("seed " << seed << ", operation " << op);
    fuzz.delete_share = (op / 3000) % 2 == 0 ? 0.3 : 0.7;
    if (fuzz.chance(0.002)) {
      auto levels = fuzz.snapshot_side(book_side, static_cast<int>(fuzz.uniform(0, 1500)),
                                       IsBid ? 1 : 0);
      ladder.assign_best_first(levels);
      model.clear();
      for (const price_level& level : levels)
        model[level.price] = level.size;
    } else {
      price_level level = fuzz.level(book_side);
      if (!level.price.is_positive() || level.size.is_negative())
        continue;
      ladder.set(level.price, level.size);
      testing::model_book::set(model, level.price, level.size);
      auto want = model.count(level.price) ? std::optional{model.at(level.price)} : std::nullopt;
      REQUIRE(ladder.size_at(level.price) == want);
    }
    REQUIRE(ladder.size() == model.size());
    if (!model.empty())
      REQUIRE(ladder.best() == price_level{model.begin()->first, model.begin()->second});
    if (op % 250 == 0)
      REQUIRE(levels_of(ladder) == testing::model_book::top(model, model.size()));
    stats.most_far = std::max(stats.most_far, ladder.far_levels());
    stats.tick_changes += ladder.grid().tick() != tick ? 1 : 0;
    tick = ladder.grid().tick();
  }
  REQUIRE(levels_of(ladder) == testing::model_book::top(model, model.size()));
  stats.rebuilds = ladder.rebuilds();
  stats.moves = ladder.moves();
  return stats;
}

} // namespace

TEST_CASE("a grid side gives the sorted map's answers through far levels, moves and grid changes") {
  for (std::uint64_t seed : {11ULL, 12ULL}) {
    // The default window with the wide layout: jumps past the window, refined grids.
    auto bids = run_side<true, 15>(seed, price_layout::wide, 30'000);
    auto asks = run_side<false, 15>(seed, price_layout::wide, 30'000);
    for (const side_stats& stats : {bids, asks}) {
      CHECK(stats.rebuilds > 20);
      CHECK(stats.most_far > 100);
      CHECK(stats.tick_changes > 5);
    }
    // A trending mid: the window keeps following it by less than its width.
    auto trend_bids = run_side<true, 15>(seed, price_layout::trending, 30'000);
    auto trend_asks = run_side<false, 15>(seed, price_layout::trending, 30'000);
    auto small_bids = run_side<true, 8>(seed, price_layout::trending, 30'000);
    auto small_asks = run_side<false, 8>(seed, price_layout::trending, 30'000);
    for (const side_stats& stats : {trend_bids, trend_asks})
      CHECK(stats.moves > 5);
    for (const side_stats& stats : {small_bids, small_asks}) {
      CHECK(stats.moves > 1000);
      CHECK(stats.most_far > 100);
    }
    // The fine layout: nothing fits a window, all of it is the fallback's.
    auto fine = run_side<false, 15>(seed, price_layout::fine, 5'000);
    CHECK(fine.most_far > 100);
  }
}
