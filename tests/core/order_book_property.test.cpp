// The order book against a std::map model, operation by operation, on random snapshots,
// updates and queries (tests/core/book_model.hpp). Each price layout drives other paths of the
// book: the grid window (cents), the fallback ladder with tied search keys (fine), far levels,
// jumps and grid refinement (wide), and window moves (trending); price_grid.test.cpp shows that
// these happen.

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "core/order_book.hpp"
#include "tests/core/book_model.hpp"

using namespace tern;
using tern::testing::book_fuzzer;
using tern::testing::model_book;
using tern::testing::price_layout;

namespace {

book_snapshot make_snapshot(std::vector<price_level> bids, std::vector<price_level> asks,
                            std::int64_t sequence) {
  book_snapshot snapshot;
  snapshot.pair = "BTC-USDT";
  snapshot.bids = std::move(bids);
  snapshot.asks = std::move(asks);
  snapshot.sequence = sequence;
  return snapshot;
}

book_delta make_delta(std::int64_t last_sequence) {
  book_delta delta;
  delta.pair = "BTC-USDT";
  delta.first_sequence = last_sequence;
  delta.last_sequence = last_sequence;
  return delta;
}

std::string compare_books(const order_book& book, const model_book& model, std::size_t levels) {
  for (side book_side : {side::buy, side::sell}) {
    auto got = book.depth(book_side, levels);
    auto want = model.depth(book_side, levels);
    if (got != want)
      return std::string{to_string(book_side)} + " depth differs: " + std::to_string(got.size())
             + " levels vs model " + std::to_string(want.size());
    std::size_t count = book_side == side::buy ? model.bids.size() : model.asks.size();
    if (book.level_count(book_side) != count)
      return std::string{to_string(book_side)} + " level count differs";
  }
  if (book.is_crossed() != model.crossed())
    return "crossed flag differs";
  return {};
}

void run_random_operations(std::uint64_t seed, int operations,
                           price_layout layout = price_layout::cents) {
  book_fuzzer fuzz{seed, layout};
  order_book book;
  model_book model;
  std::size_t most_levels = 0;
  for (int op = 0; op < operations; ++op) {
    INFO("seed " << seed << ", operation " << op);
    fuzz.delete_share = (op / 4000) % 2 == 0 ? 0.4 : (op / 4000) % 4 == 1 ? 0.1 : 0.8;
    auto pick = fuzz.uniform(0, 999);
    if (pick < 5) {  // snapshot, sometimes crossed (rejected) or with a zero size (rejected)
      auto bid_count = static_cast<int>(fuzz.uniform(0, 1500));
      auto ask_count = static_cast<int>(fuzz.uniform(0, 1500));
      auto snapshot = make_snapshot(fuzz.snapshot_side(side::buy, bid_count, 1),
                                    fuzz.snapshot_side(side::sell, ask_count, 0), op);
      if (fuzz.chance(0.1) && !snapshot.bids.empty() && !snapshot.asks.empty())
        snapshot.bids.front().price = snapshot.asks.front().price;
      if (fuzz.chance(0.05) && !snapshot.asks.empty())
        snapshot.asks.back().size = decimal{};
      bool valid = !snapshot.asks.empty() && !snapshot.bids.empty()
                       ? snapshot.bids.front().price < snapshot.asks.front().price
                       : true;
      for (const auto& level : snapshot.asks)
        valid = valid && level.size.is_positive();
      REQUIRE(book.apply_snapshot(snapshot).has_value() == valid);
      if (valid) {
        model = model_book{};
        for (const auto& level : snapshot.bids)
          model.bids[level.price] = level.size;
        for (const auto& level : snapshot.asks)
          model.asks[level.price] = level.size;
      }
    } else if (pick < 600) {  // one level
      side book_side = fuzz.chance(0.5) ? side::buy : side::sell;
      price_level level = fuzz.level(book_side);
      bool valid = level.price.is_positive() && !level.size.is_negative();
      REQUIRE(book.set_level(book_side, level.price, level.size).has_value() == valid);
      if (valid)
        model.set(book_side, level.price, level.size);
    } else if (pick < 850) {  // a delta of many levels, all or nothing
      book_delta delta = make_delta(op);
      for (auto i = fuzz.uniform(1, 40); i > 0; --i) {
        side book_side = fuzz.chance(0.5) ? side::buy : side::sell;
        (book_side == side::buy ? delta.bids : delta.asks).push_back(fuzz.level(book_side));
      }
      bool valid = true;
      for (const auto* levels : {&delta.bids, &delta.asks})
        for (const auto& level : *levels)
          valid = valid && level.price.is_positive() && !level.size.is_negative();
      auto result = book.apply_delta(delta);
      if (valid) {
        for (const auto& level : delta.bids)
          model.set(side::buy, level.price, level.size);
        for (const auto& level : delta.asks)
          model.set(side::sell, level.price, level.size);
        REQUIRE(result.has_value() == !model.crossed());
        REQUIRE(book.sequence() == op);
      } else {
        REQUIRE_FALSE(result.has_value());
        REQUIRE(result.error().code != book_errc::crossed);
      }
    } else {  // queries
      decimal amount = decimal::from_scaled(fuzz.uniform(0, 5'000'000), 4);
      auto mode = fuzz.chance(0.5) ? rounding::half_even : rounding::down;
      REQUIRE(book.cost_to_buy(amount, mode)
              == model_book::walk(model.asks, amount, rounding::ceiling, mode));
      REQUIRE(book.cost_to_sell(amount, mode)
              == model_book::walk(model.bids, amount, rounding::floor, mode));
      auto n = static_cast<std::size_t>(fuzz.uniform(0, 50));
      REQUIRE(book.depth(side::sell, n) == model.depth(side::sell, n));
      // Probes land on levels, between them, and (wide layout) between the ticks.
      decimal probe = fuzz.price_at(fuzz.mid + fuzz.uniform(-300, 300) * fuzz.step()
                                    + (fuzz.chance(0.1) ? fuzz.uniform(0, 9) : 0));
      auto want = model.bids.count(probe) ? std::optional{model.bids.at(probe)} : std::nullopt;
      REQUIRE(book.size_at(side::buy, probe) == want);
      want = model.asks.count(probe) ? std::optional{model.asks.at(probe)} : std::nullopt;
      REQUIRE(book.size_at(side::sell, probe) == want);
    }
    REQUIRE(book.best_bid() == model.best(model.bids));
    REQUIRE(book.best_ask() == model.best(model.asks));
    if (op % 400 == 0)
      REQUIRE(compare_books(book, model, 1'000'000).empty());
    most_levels = std::max(most_levels, book.level_count(side::buy));
  }
  REQUIRE(compare_books(book, model, 1'000'000).empty());
  // The books must grow well past one fallback chunk (64 levels) for splits and merges.
  CHECK(most_levels > 1000);
}

} // namespace

TEST_CASE("random snapshots, updates and queries give the model's answers") {
  // Fixed seeds: the same operations on every run. The failing seed and step are reported.
  for (std::uint64_t seed : {20240808ULL, 20240809ULL, 0x7e2aULL})
    run_random_operations(seed, 40'000);
}

TEST_CASE("prices closer than the search keys can tell apart are still kept apart") {
  book_fuzzer grid{1, price_layout::fine};
  using bid_ladder = detail::price_ladder<true>;
  using ask_ladder = detail::price_ladder<false>;
  // The grid really does tie keys, and crosses one key boundary (at tick 5000).
  REQUIRE(bid_ladder::order_key(grid.price_at(100)) == bid_ladder::order_key(grid.price_at(4000)));
  REQUIRE(ask_ladder::order_key(grid.price_at(100)) == ask_ladder::order_key(grid.price_at(4000)));
  REQUIRE(bid_ladder::order_key(grid.price_at(4999)) < bid_ladder::order_key(grid.price_at(5000)));
  REQUIRE(ask_ladder::order_key(grid.price_at(4999)) > ask_ladder::order_key(grid.price_at(5000)));
  run_random_operations(0xf1e5ULL, 20'000, price_layout::fine);
}

TEST_CASE("far levels, window moves and grid changes give the model's answers") {
  for (std::uint64_t seed : {20240810ULL, 0xb00cULL}) {
    run_random_operations(seed, 40'000, price_layout::wide);
    run_random_operations(seed, 40'000, price_layout::trending);
  }
}
