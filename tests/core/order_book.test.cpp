#include <catch2/catch.hpp>

#include <optional>
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

TEST_CASE("updates insert, change and delete levels, deleting a missing level is fine") {
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

// The ladder that holds the levels outside the grid window (core/price_ladder.hpp), directly.
TEST_CASE("inserting into a full fallback chunk at any position keeps every level in order") {
  using ladder = detail::price_ladder<false>;
  constexpr int capacity = static_cast<int>(ladder::chunk_capacity);
  auto levels_of = [](const ladder& asks) {
    std::vector<price_level> out;
    asks.for_each_from_best([&](decimal price, decimal size) {
      out.push_back(price_level{price, size});
      return true;
    });
    return out;
  };
  for (int position = 0; position <= capacity; ++position) {
    INFO("insert position " << position);
    ladder asks;
    std::vector<price_level> expected;
    // Whole-number asks fill exactly one chunk; the insert lands between two of them.
    for (int i = 1; i <= capacity; ++i) {
      asks.set(decimal::from_integer(i), decimal::from_integer(i));
      expected.push_back(price_level{decimal::from_integer(i), decimal::from_integer(i)});
    }
    price_level extra{decimal::from_scaled(position * 10 + 5, 1), "0.5"_d};
    asks.set(extra.price, extra.size);
    expected.insert(expected.begin() + position, extra);
    CHECK(levels_of(asks) == expected);
    CHECK(asks.size() == expected.size());
    CHECK(asks.size_at(extra.price) == extra.size);
    CHECK(asks.best() == expected.front());
  }
}
