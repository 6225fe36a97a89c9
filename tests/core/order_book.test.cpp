#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/order_book.hpp"

using namespace tern;

namespace {

book_snapshot make_snapshot(std::vector<price_level> bids, std::vector<price_level> asks,
                            std::int64_t sequence = 7) {
  book_snapshot snapshot;
  snapshot.pair = "BTC-USDT";
  snapshot.bids = std::move(bids);
  snapshot.asks = std::move(asks);
  snapshot.sequence = sequence;
  snapshot.exchange_time = from_unix_ms(1723161255208);
  return snapshot;
}

book_delta make_delta(std::vector<price_level> bids, std::vector<price_level> asks,
                      std::int64_t last_sequence = 9) {
  book_delta delta;
  delta.pair = "BTC-USDT";
  delta.bids = std::move(bids);
  delta.asks = std::move(asks);
  delta.first_sequence = last_sequence;
  delta.last_sequence = last_sequence;
  delta.exchange_time = from_unix_ms(1723161255308);
  return delta;
}

price_level lv(const char* price, const char* size) {
  return price_level{decimal::from_string(price), decimal::from_string(size)};
}

} // namespace

TEST_CASE("an empty book has no top, no depth and fills nothing") {
  order_book book{"BTC-USDT"};
  CHECK(book.pair() == "BTC-USDT");
  CHECK_FALSE(book.best_bid());
  CHECK_FALSE(book.best_ask());
  CHECK_FALSE(book.is_crossed());
  CHECK(book.depth(side::buy, 5).empty());
  auto estimate = book.cost_to_buy("1"_d, rounding::half_even);
  CHECK(estimate.filled.is_zero());
  CHECK(estimate.vwap.is_zero());
  CHECK_FALSE(estimate.complete);
}

TEST_CASE("a snapshot replaces every level and records its sequence and time") {
  order_book book;
  REQUIRE(book.apply_snapshot(make_snapshot({lv("99", "1")}, {lv("105", "1")})));
  auto snapshot = make_snapshot({lv("100", "1.5"), lv("99.5", "2")}, {lv("101", "3")}, 42);
  REQUIRE(book.apply_snapshot(snapshot));
  CHECK(book.sequence() == 42);
  CHECK(book.exchange_time() == snapshot.exchange_time);
  CHECK(book.depth(side::buy, 10) == snapshot.bids);
  CHECK(book.depth(side::sell, 10) == snapshot.asks);
  CHECK_FALSE(book.size_at(side::buy, "99"_d));
  CHECK_FALSE(book.size_at(side::sell, "105"_d));
}

TEST_CASE("updates insert, change and delete levels; deleting a missing level is fine") {
  order_book book;
  REQUIRE(book.apply_snapshot(make_snapshot({lv("100", "1")}, {lv("101", "1")})));
  REQUIRE(book.apply_delta(make_delta({lv("100.5", "2"), lv("100", "0"), lv("90", "0")},
                                      {lv("101", "4"), lv("102", "1")}, 11)));
  CHECK(book.best_bid() == lv("100.5", "2"));
  CHECK(book.best_ask() == lv("101", "4"));
  CHECK_FALSE(book.size_at(side::buy, "100"_d));
  CHECK(book.level_count(side::buy) == 1);
  CHECK(book.level_count(side::sell) == 2);
  CHECK(book.sequence() == 11);
  CHECK(book.exchange_time() == from_unix_ms(1723161255308));
}

TEST_CASE("depth lists at most N levels per side, best first") {
  order_book book;
  REQUIRE(book.apply_snapshot(make_snapshot({lv("100", "1"), lv("99", "2"), lv("98", "3")},
                                            {lv("101", "1"), lv("102", "2")})));
  CHECK(book.depth(side::buy, 2) == std::vector{lv("100", "1"), lv("99", "2")});
  CHECK(book.depth(side::sell, 5) == std::vector{lv("101", "1"), lv("102", "2")});
  CHECK(book.depth(side::sell, 0).empty());
}

TEST_CASE("the cost to buy walks the asks and reports the VWAP with explicit rounding") {
  order_book book;
  REQUIRE(book.apply_snapshot(make_snapshot({lv("0.9", "5")}, {lv("1", "1"), lv("2", "2")})));
  auto all = book.cost_to_buy("3"_d, rounding::half_even);
  CHECK(all.filled == "3"_d);
  CHECK(all.quote == "5"_d);
  CHECK(all.vwap == "1.666666666666666667"_d);
  CHECK(all.complete);
  CHECK(book.cost_to_buy("3"_d, rounding::down).vwap == "1.666666666666666666"_d);

  auto partial = book.cost_to_buy("1.5"_d, rounding::half_even);
  CHECK(partial.quote == "2"_d);
  CHECK(partial.vwap == "1.333333333333333333"_d);
  CHECK(partial.complete);

  auto too_much = book.cost_to_buy("10"_d, rounding::half_even);
  CHECK(too_much.requested == "10"_d);
  CHECK(too_much.filled == "3"_d);
  CHECK_FALSE(too_much.complete);
}

TEST_CASE("the cost to sell walks the bids from the best") {
  order_book book;
  REQUIRE(book.apply_snapshot(make_snapshot({lv("100", "1"), lv("99", "1")}, {lv("101", "1")})));
  auto estimate = book.cost_to_sell("1.5"_d, rounding::half_even);
  CHECK(estimate.quote == "149.5"_d);
  CHECK(estimate.vwap == "99.666666666666666667"_d);
  CHECK(estimate.complete);
}

TEST_CASE("level quotes round against the taker: costs up, proceeds down") {
  order_book book;
  REQUIRE(book.apply_snapshot(
      make_snapshot({lv("0.1", "1")}, {lv("0.3", "1")})));
  auto tiny = decimal::from_raw(1);  // 1e-18 base: its quote needs 19 places
  CHECK(book.cost_to_buy(tiny, rounding::half_even).quote == decimal::from_raw(1));
  CHECK(book.cost_to_sell(tiny, rounding::half_even).quote.is_zero());
}

TEST_CASE("a delta that crosses the book is applied and reported as crossed") {
  order_book book;
  REQUIRE(book.apply_snapshot(make_snapshot({lv("100", "1")}, {lv("101", "1")})));
  auto result = book.apply_delta(make_delta({lv("101", "2")}, {}));
  REQUIRE_FALSE(result);
  CHECK(result.error().code == book_errc::crossed);
  CHECK(result.error().price == "101"_d);
  CHECK(result.error().opposite_price == "101"_d);
  CHECK(result.error().message() == "crossed book: best bid 101 >= best ask 101");
  CHECK(book.is_crossed());
  CHECK(book.best_bid() == lv("101", "2"));
}

TEST_CASE("a crossed snapshot is rejected and leaves the book unchanged") {
  order_book book;
  REQUIRE(book.apply_snapshot(make_snapshot({lv("100", "1")}, {lv("101", "1")}, 5)));
  auto result = book.apply_snapshot(make_snapshot({lv("102", "1")}, {lv("101.5", "1")}, 6));
  REQUIRE_FALSE(result);
  CHECK(result.error().code == book_errc::crossed);
  CHECK(book.sequence() == 5);
  CHECK(book.best_bid() == lv("100", "1"));
}

TEST_CASE("a delta with a negative size or bad price changes nothing") {
  order_book book;
  REQUIRE(book.apply_snapshot(make_snapshot({lv("100", "1")}, {lv("101", "1")}, 5)));
  auto negative = book.apply_delta(make_delta({lv("99", "3")}, {lv("102", "-1")}));
  REQUIRE_FALSE(negative);
  CHECK(negative.error().code == book_errc::negative_size);
  CHECK(negative.error().book_side == side::sell);
  CHECK(negative.error().message() == "negative size in level ask 102 x -1");
  CHECK_FALSE(book.size_at(side::buy, "99"_d));
  CHECK(book.sequence() == 5);

  auto zero_price = book.apply_delta(make_delta({lv("0", "3")}, {}));
  REQUIRE_FALSE(zero_price);
  CHECK(zero_price.error().code == book_errc::non_positive_price);
  CHECK_FALSE(book.set_level(side::buy, "-1"_d, "1"_d));
}

TEST_CASE("snapshots must be strictly best first with positive sizes") {
  order_book book;
  auto unsorted = book.apply_snapshot(make_snapshot({lv("99", "1"), lv("100", "1")}, {}));
  REQUIRE_FALSE(unsorted);
  CHECK(unsorted.error().code == book_errc::unsorted_snapshot);
  auto repeated = book.apply_snapshot(make_snapshot({}, {lv("101", "1"), lv("101", "2")}));
  REQUIRE_FALSE(repeated);
  CHECK(repeated.error().code == book_errc::unsorted_snapshot);
  auto zero = book.apply_snapshot(make_snapshot({lv("99", "0")}, {}));
  REQUIRE_FALSE(zero);
  CHECK(zero.error().code == book_errc::zero_size_in_snapshot);
  CHECK(book.empty());
}

TEST_CASE("thousands of levels stay ordered through inserts and deletes at both ends") {
  order_book book;
  std::vector<price_level> expected_bids;
  // Insert from the top down and from the bottom up so chunks split at both ends.
  for (int i = 0; i < 1500; ++i) {
    REQUIRE(book.set_level(side::buy, decimal::from_integer(10000 - i), decimal::from_integer(1)));
    REQUIRE(book.set_level(side::buy, decimal::from_integer(5000 + i), decimal::from_integer(2)));
  }
  for (int price = 10000; price > 6500; --price)
    if (price % 3 == 0)
      REQUIRE(book.set_level(side::buy, decimal::from_integer(price), decimal{}));
  for (int price = 10000; price >= 5000; --price) {
    if (price >= 8501 && price % 3 != 0)
      expected_bids.push_back(price_level{decimal::from_integer(price), decimal::from_integer(1)});
    else if (price <= 6499)
      expected_bids.push_back(price_level{decimal::from_integer(price), decimal::from_integer(2)});
  }
  CHECK(book.depth(side::buy, 100000) == expected_bids);
  CHECK(book.level_count(side::buy) == expected_bids.size());
}

// ---- property test: the book against a std::map model, operation by operation ----------------

namespace {

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

// Random books on a 0.01 grid around a drifting mid; most updates near the top, some deep.
struct book_fuzzer {
  std::mt19937_64 rng;
  int mid = 5000;
  double delete_share = 0.4;  // varied in phases so books both grow (splits) and thin (merges)
  // Fine grid: prices 1e-18 apart around 61837.63, where the book's 64-bit search keys tie for
  // hundreds of thousands of neighbouring prices (and one key boundary falls mid-range).
  bool fine_grid = false;

  int uniform(int low, int high) { return std::uniform_int_distribution<int>{low, high}(rng); }
  bool chance(double p) { return std::bernoulli_distribution{p}(rng); }
  [[nodiscard]] decimal price_at(int tick) const {
    if (tick <= 0)
      return decimal{};
    if (!fine_grid)
      return decimal::from_scaled(tick, 2);
    constexpr int128 key_bucket = int128{1} << 19;  // raw units one key covers near 61837
    int128 base = decimal::from_string("61837.63").raw() / key_bucket * key_bucket - 5000;
    return decimal::from_raw(base + tick);
  }
  decimal size() { return decimal::from_scaled(uniform(1, 2'000'000), 5); }
  int distance() {
    return chance(0.6) ? std::geometric_distribution<int>{0.1}(rng) : uniform(0, 3000);
  }
  // A level on `book_side`; occasionally on the wrong side of the mid, so books cross.
  price_level level(side book_side) {
    mid = std::clamp(mid + uniform(-2, 2), 3500, 6500);
    int offset = chance(0.01) ? -uniform(1, 20) : distance();
    int tick = book_side == side::buy ? mid - 1 - offset : mid + offset;
    decimal amount = chance(delete_share) ? decimal{} : size();
    if (chance(0.002))
      amount = -size();
    tick = chance(0.001) ? 0 : std::max(tick, 1);  // a zero price now and then: rejected
    return price_level{price_at(tick), amount};
  }
  std::vector<price_level> snapshot_side(side book_side, int count, int gap) {
    std::vector<price_level> levels;
    int tick = book_side == side::buy ? mid - gap : mid + gap;
    for (int i = 0; i < count && tick > 0; ++i) {
      levels.push_back(price_level{price_at(tick), size()});
      tick += book_side == side::buy ? -uniform(1, 3) : uniform(1, 3);
    }
    return levels;
  }
};

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

void run_random_operations(std::uint64_t seed, int operations, bool fine_grid = false) {
  book_fuzzer fuzz{std::mt19937_64{seed}};
  fuzz.fine_grid = fine_grid;
  order_book book;
  model_book model;
  std::size_t most_levels = 0;
  for (int op = 0; op < operations; ++op) {
    INFO("seed " << seed << ", operation " << op);
    fuzz.delete_share = (op / 4000) % 2 == 0 ? 0.4 : (op / 4000) % 4 == 1 ? 0.1 : 0.8;
    int pick = fuzz.uniform(0, 999);
    if (pick < 5) {  // snapshot, sometimes crossed (rejected) or with a zero size (rejected)
      auto snapshot = make_snapshot(fuzz.snapshot_side(side::buy, fuzz.uniform(0, 1500), 1),
                                    fuzz.snapshot_side(side::sell, fuzz.uniform(0, 1500), 0), op);
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
      book_delta delta = make_delta({}, {}, op);
      for (int i = fuzz.uniform(1, 40); i > 0; --i) {
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
      decimal probe = fuzz.price_at(fuzz.mid + fuzz.uniform(-300, 300));
      auto want = model.bids.count(probe) ? std::optional{model.bids.at(probe)} : std::nullopt;
      REQUIRE(book.size_at(side::buy, probe) == want);
    }
    REQUIRE(book.best_bid() == model.best(model.bids));
    REQUIRE(book.best_ask() == model.best(model.asks));
    if (op % 400 == 0)
      REQUIRE(compare_books(book, model, 1'000'000).empty());
    most_levels = std::max(most_levels, book.level_count(side::buy));
  }
  REQUIRE(compare_books(book, model, 1'000'000).empty());
  // The books must grow well past one chunk (64 levels) for splits and merges to be exercised.
  CHECK(most_levels > 1000);
}

} // namespace

TEST_CASE("random snapshots, updates and queries give the model's answers") {
  // Fixed seeds: the same operations on every run. The failing seed and step are reported.
  for (std::uint64_t seed : {20240808ULL, 20240809ULL, 0x7e2aULL})
    run_random_operations(seed, 40'000);
}

TEST_CASE("prices closer than the search keys can tell apart are still kept apart") {
  book_fuzzer grid{std::mt19937_64{1}};
  grid.fine_grid = true;
  using bid_ladder = detail::price_ladder<true>;
  using ask_ladder = detail::price_ladder<false>;
  // The grid really does tie keys, and crosses one key boundary (at tick 5000).
  REQUIRE(bid_ladder::order_key(grid.price_at(100)) == bid_ladder::order_key(grid.price_at(4000)));
  REQUIRE(ask_ladder::order_key(grid.price_at(100)) == ask_ladder::order_key(grid.price_at(4000)));
  REQUIRE(bid_ladder::order_key(grid.price_at(4999)) < bid_ladder::order_key(grid.price_at(5000)));
  REQUIRE(ask_ladder::order_key(grid.price_at(4999)) > ask_ladder::order_key(grid.price_at(5000)));
  run_random_operations(0xf1e5ULL, 20'000, true);
}

TEST_CASE("inserting into a full chunk at any position keeps every level in order") {
  constexpr int capacity = static_cast<int>(detail::price_ladder<false>::chunk_capacity);
  for (int position = 0; position <= capacity; ++position) {
    INFO("insert position " << position);
    order_book book;
    std::vector<price_level> expected;
    // Whole-number asks fill exactly one chunk; the insert lands between two of them.
    for (int i = 1; i <= capacity; ++i) {
      REQUIRE(book.set_level(side::sell, decimal::from_integer(i), decimal::from_integer(i)));
      expected.push_back(price_level{decimal::from_integer(i), decimal::from_integer(i)});
    }
    price_level extra{decimal::from_scaled(position * 10 + 5, 1), "0.5"_d};
    REQUIRE(book.set_level(side::sell, extra.price, extra.size));
    expected.insert(expected.begin() + position, extra);
    CHECK(book.depth(side::sell, 1000) == expected);
    CHECK(book.size_at(side::sell, extra.price) == extra.size);
  }
}
