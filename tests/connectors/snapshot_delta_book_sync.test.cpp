#include <catch2/catch.hpp>

#include "connectors/common/snapshot_delta_book_sync.hpp"
#include "connectors/okx/market_data.hpp"

// The stream-snapshot-and-deltas driver, with OKX's rule: chained seqId/prevSeqId and the
// checksum of the 25 best levels over the wire text. The checksummed books are OKX's documented
// check examples (#order-book-trading-market-data-ws-order-book-channel, "Calculate Checksum"),
// whose values (-1881014294 and 831078360) come from OKX's documentation; the sequences are
// crafted after the documented sequence example (snapshot prevSeqId -1; 10 -> 15; 15 -> 15
// heartbeat; 15 -> 3 reset; 3 -> 5).

using namespace tern;

namespace {

struct message {
  std::vector<price_level> bids;
  std::vector<price_level> asks;
  book_levels_text text;
};

// Levels from "price:size" text, decimals parsed from the same text.
message levels(std::vector<std::pair<std::string, std::string>> bids,
               std::vector<std::pair<std::string, std::string>> asks,
               std::optional<std::int32_t> checksum = std::nullopt) {
  message out;
  for (auto& [price, size] : bids) {
    out.bids.push_back({decimal::from_string(price), decimal::from_string(size)});
    out.text.bids.push_back({price, size});
  }
  for (auto& [price, size] : asks) {
    out.asks.push_back({decimal::from_string(price), decimal::from_string(size)});
    out.text.asks.push_back({price, size});
  }
  if (checksum)
    out.text.checksum = static_cast<std::uint32_t>(*checksum);
  return out;
}

book_snapshot snapshot_of(const message& m, std::int64_t seq) {
  return book_snapshot{"BTC-USDT", m.bids, m.asks, seq, {}, {}};
}

book_delta delta_of(const message& m, std::int64_t prev, std::int64_t seq) {
  book_delta delta;
  delta.pair = "BTC-USDT";
  delta.bids = m.bids;
  delta.asks = m.asks;
  delta.first_sequence = seq;
  delta.last_sequence = seq;
  delta.previous_sequence = prev;
  return delta;
}

snapshot_delta_book_sync okx_sync() { return snapshot_delta_book_sync{"BTC-USDT", okx::book_policy()}; }

// The documented "two levels a side" book.
message documented_book(std::optional<std::int32_t> checksum) {
  return levels({{"3366.1", "7"}, {"3366", "6"}}, {{"3366.8", "9"}, {"3368", "8"}}, checksum);
}

} // namespace

TEST_CASE("a snapshot whose checksum matches syncs the book") {
  auto sync = okx_sync();
  message book = documented_book(-1881014294);
  REQUIRE(sync.on_snapshot(snapshot_of(book, 10), &book.text));
  CHECK(sync.state() == sync_state::synced);
  CHECK(sync.book().sequence() == 10);
  CHECK(sync.book().best_bid()->price == decimal::from_string("3366.1"));
  CHECK(sync.checksum() == static_cast<std::uint32_t>(-1881014294));
}

TEST_CASE("a delta that turns one documented book into the other keeps the checksum right") {
  auto sync = okx_sync();
  message book = documented_book(-1881014294);
  REQUIRE(sync.on_snapshot(snapshot_of(book, 10), &book.text));
  // Delete the bid at 3366, add an ask at 3372: the second documented book.
  message update = levels({{"3366", "0"}}, {{"3372", "8"}}, 831078360);
  auto applied = sync.on_delta(delta_of(update, 10, 15), &update.text);
  REQUIRE(applied);
  CHECK(*applied == delta_outcome::applied);
  CHECK(sync.book().sequence() == 15);
  CHECK(sync.book().level_count(side::buy) == 1);
  CHECK(sync.book().level_count(side::sell) == 3);
}

TEST_CASE("a checksum mismatch asks for a resync, clears the book and waits for a snapshot") {
  auto sync = okx_sync();
  message book = documented_book(-1881014294);
  REQUIRE(sync.on_snapshot(snapshot_of(book, 10), &book.text));
  // The right levels but the first book's checksum: the exchange's book differs from ours.
  message update = levels({{"3366", "0"}}, {{"3372", "8"}}, -1881014294);
  auto result = sync.on_delta(delta_of(update, 10, 15), &update.text);
  REQUIRE_FALSE(result);
  CHECK(result.error().reason == resync_reason::checksum_mismatch);
  REQUIRE(result.error().checksum);
  CHECK(result.error().checksum->sent == static_cast<std::uint32_t>(-1881014294));
  CHECK(result.error().checksum->computed == 831078360U);
  CHECK(result.error().message().find("checksum mismatch at update id 15") != std::string::npos);
  CHECK(sync.state() == sync_state::waiting_for_snapshot);
  CHECK(sync.book().empty());
  message next = levels({{"1", "1"}}, {{"2", "1"}});
  auto ignored = sync.on_delta(delta_of(next, 15, 16), &next.text);
  REQUIRE(ignored);
  CHECK(*ignored == delta_outcome::ignored);
}

TEST_CASE("a snapshot that does not match its own checksum is refused") {
  auto sync = okx_sync();
  message book = documented_book(831078360);
  auto result = sync.on_snapshot(snapshot_of(book, 10), &book.text);
  REQUIRE_FALSE(result);
  CHECK(result.error().reason == resync_reason::checksum_mismatch);
  CHECK(sync.state() == sync_state::waiting_for_snapshot);
}

TEST_CASE("the checksum is over the text as sent, not the decimal") {
  // "3366.10" is the same price as "3366.1" but not the same text: the documented checksum
  // of "3366.1..." must not match a book sent as "3366.10".
  auto sync = okx_sync();
  message book = levels({{"3366.10", "7"}, {"3366", "6"}}, {{"3366.8", "9"}, {"3368", "8"}},
                        -1881014294);
  auto result = sync.on_snapshot(snapshot_of(book, 10), &book.text);
  REQUIRE_FALSE(result);
  CHECK(result.error().reason == resync_reason::checksum_mismatch);
}

TEST_CASE("a delta whose prevSeqId is not the last seqId is a gap, the stale book stays") {
  auto sync = okx_sync();
  message book = documented_book(std::nullopt);
  REQUIRE(sync.on_snapshot(snapshot_of(book, 10), &book.text));
  message update = levels({{"3366.2", "1"}}, {});
  auto result = sync.on_delta(delta_of(update, 14, 15), &update.text);
  REQUIRE_FALSE(result);
  CHECK(result.error().reason == resync_reason::gap);
  CHECK(result.error().book_sequence == 10);
  CHECK(result.error().previous_sequence == 14);
  CHECK(sync.state() == sync_state::waiting_for_snapshot);
  CHECK(sync.book().level_count(side::buy) == 2);  // kept for display as stale
  // A new snapshot (after re-subscribing) syncs again.
  REQUIRE(sync.on_snapshot(snapshot_of(book, 20), &book.text));
  CHECK(sync.state() == sync_state::synced);
}

TEST_CASE("the documented sequence: update, heartbeat, reset, update") {
  auto sync = okx_sync();
  message book = documented_book(std::nullopt);
  REQUIRE(sync.on_snapshot(snapshot_of(book, 10), &book.text));
  message first = levels({{"3366.2", "1"}}, {});
  CHECK(sync.on_delta(delta_of(first, 10, 15), &first.text).value() == delta_outcome::applied);
  message empty = levels({}, {});
  CHECK(sync.on_delta(delta_of(empty, 15, 15), &empty.text).value() == delta_outcome::heartbeat);
  CHECK(sync.book().sequence() == 15);
  message reset = levels({{"3366.2", "2"}}, {});
  CHECK(sync.on_delta(delta_of(reset, 15, 3), &reset.text).value() == delta_outcome::applied);
  CHECK(sync.book().sequence() == 3);
  message after = levels({}, {{"3368", "0"}});
  CHECK(sync.on_delta(delta_of(after, 3, 5), &after.text).value() == delta_outcome::applied);
  CHECK(sync.book().sequence() == 5);
  CHECK(sync.book().size_at(side::buy, decimal::from_string("3366.2")) == decimal::from_string("2"));
  CHECK_FALSE(sync.book().size_at(side::sell, decimal::from_string("3368")));
}

TEST_CASE("deltas before the first snapshot are ignored, not errors") {
  auto sync = okx_sync();
  message update = levels({{"1", "1"}}, {});
  CHECK(sync.on_delta(delta_of(update, -1, 5), &update.text).value() == delta_outcome::ignored);
  CHECK(sync.state() == sync_state::waiting_for_snapshot);
}

TEST_CASE("a delta that crosses the book is an invalid update: cleared, resync") {
  auto sync = okx_sync();
  message book = documented_book(std::nullopt);
  REQUIRE(sync.on_snapshot(snapshot_of(book, 10), &book.text));
  message crossing = levels({{"3370", "1"}}, {});
  auto result = sync.on_delta(delta_of(crossing, 10, 11), &crossing.text);
  REQUIRE_FALSE(result);
  CHECK(result.error().reason == resync_reason::invalid_update);
  REQUIRE(result.error().book_problem);
  CHECK(result.error().book_problem->code == book_errc::crossed);
  CHECK(sync.book().empty());
}

TEST_CASE("without wire text the book is kept but not checked until a snapshot brings text") {
  auto sync = okx_sync();
  message book = documented_book(-1881014294);
  REQUIRE(sync.on_snapshot(snapshot_of(book, 10), &book.text));
  message update = levels({{"3366", "0"}}, {{"3372", "8"}});
  REQUIRE(sync.on_delta(delta_of(update, 10, 15), nullptr));
  CHECK_FALSE(sync.checksum());
  // A wrong checksum now cannot be checked, so it is not a mismatch.
  message next = levels({{"3366.2", "1"}}, {}, 12345);
  CHECK(sync.on_delta(delta_of(next, 15, 16), &next.text).value() == delta_outcome::applied);
  REQUIRE(sync.on_snapshot(snapshot_of(book, 20), &book.text));
  CHECK(sync.checksum() == static_cast<std::uint32_t>(-1881014294));
}

TEST_CASE("reset forgets the book and waits for a snapshot") {
  auto sync = okx_sync();
  message book = documented_book(std::nullopt);
  REQUIRE(sync.on_snapshot(snapshot_of(book, 10), &book.text));
  sync.reset();
  CHECK(sync.state() == sync_state::waiting_for_snapshot);
  CHECK(sync.book().empty());
  CHECK_FALSE(sync.checksum());
}

TEST_CASE("rule none applies deltas in arrival order whatever their ids") {
  snapshot_delta_book_sync sync{"BTC-USDT", snapshot_delta_policy{delta_sequence_rule::none, {}}};
  message book = documented_book(std::nullopt);
  REQUIRE(sync.on_snapshot(snapshot_of(book, 0), &book.text));
  message update = levels({{"3366.2", "1"}}, {});
  CHECK(sync.on_delta(delta_of(update, 99, 7), &update.text).value() == delta_outcome::applied);
  CHECK(to_string(delta_outcome::heartbeat) == "heartbeat");
}
