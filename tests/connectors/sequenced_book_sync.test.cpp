#include <catch2/catch.hpp>

#include <vector>

#include "connectors/common/sequenced_book_sync.hpp"

using namespace tern;

namespace {

// A diff covering update ids [first, last] that sets one bid level; `previous` is pu (-1: none).
book_delta diff(std::int64_t first, std::int64_t last, const char* bid_price = "100",
                const char* bid_size = "1", std::int64_t previous = -1) {
  book_delta delta;
  delta.pair = "BTC-USDT";
  delta.first_sequence = first;
  delta.last_sequence = last;
  delta.previous_sequence = previous;
  delta.bids.push_back(price_level{decimal::from_string(bid_price), decimal::from_string(bid_size)});
  return delta;
}

book_delta chained(std::int64_t previous, std::int64_t first, std::int64_t last,
                   const char* bid_price = "100", const char* bid_size = "1") {
  return diff(first, last, bid_price, bid_size, previous);
}

book_snapshot snapshot(std::int64_t last_update_id) {
  book_snapshot snap;
  snap.pair = "BTC-USDT";
  snap.sequence = last_update_id;
  snap.bids = {price_level{"99"_d, "5"_d}};
  snap.asks = {price_level{"101"_d, "5"_d}};
  return snap;
}

const book_sync_policy spot_rule{sequence_rule::consecutive, 10'000};
const book_sync_policy futures_rule{sequence_rule::chained, 10'000};

} // namespace

TEST_CASE("diffs wait for a snapshot, stale ones are dropped and the bridge is replayed") {
  sequenced_book_sync sync{"BTC-USDT", spot_rule};
  CHECK(sync.state() == sync_state::waiting_for_snapshot);
  CHECK(sync.on_diff(diff(90, 95, "98", "1")).value() == diff_outcome::buffered);
  CHECK(sync.on_diff(diff(96, 100, "98", "2")).value() == diff_outcome::buffered);
  CHECK(sync.on_diff(diff(101, 104, "98.5", "3")).value() == diff_outcome::buffered);
  CHECK(sync.on_diff(diff(105, 107, "98", "0")).value() == diff_outcome::buffered);
  CHECK(sync.buffered() == 4);
  CHECK(sync.book().empty());

  std::vector<std::int64_t> replayed_ids;
  auto result = sync.on_snapshot(snapshot(102), [&](const book_delta& d, const order_book& book) {
    replayed_ids.push_back(d.last_sequence);
    CHECK(book.sequence() == d.last_sequence);
  });
  REQUIRE(result);
  CHECK(result->outcome == snapshot_outcome::synced);
  CHECK(result->dropped == 2);  // u=95 and u=100 are inside the snapshot
  CHECK(result->replayed == 2);  // U=101 <= 103 <= u=104 bridges, then 105..107
  CHECK(replayed_ids == std::vector<std::int64_t>{104, 107});
  CHECK(sync.state() == sync_state::synced);
  CHECK(sync.buffered() == 0);
  CHECK(sync.book().sequence() == 107);
  CHECK(sync.book().best_bid() == price_level{"99"_d, "5"_d});
  CHECK(sync.book().size_at(side::buy, "98.5"_d) == "3"_d);
  CHECK_FALSE(sync.book().size_at(side::buy, "98"_d));
}

TEST_CASE("after a snapshot the first live diff must bridge it and old ones are ignored") {
  sequenced_book_sync sync{"BTC-USDT", spot_rule};
  auto result = sync.on_snapshot(snapshot(200));
  REQUIRE(result);
  CHECK(result->replayed == 0);
  CHECK(sync.state() == sync_state::synced);
  CHECK(sync.on_diff(diff(195, 200)).value() == diff_outcome::stale);
  CHECK(sync.on_diff(diff(199, 203, "99", "7")).value() == diff_outcome::applied);
  CHECK(sync.book().best_bid() == price_level{"99"_d, "7"_d});
  CHECK(sync.on_diff(diff(204, 204)).value() == diff_outcome::applied);
  CHECK(sync.book().best_bid() == price_level{"100"_d, "1"_d});
  CHECK(sync.on_diff(diff(200, 204)).value() == diff_outcome::stale);
  CHECK(sync.book().sequence() == 204);
}

TEST_CASE("a first live diff that starts past the snapshot is a gap") {
  sequenced_book_sync sync{"BTC-USDT", spot_rule};
  REQUIRE(sync.on_snapshot(snapshot(200)));
  auto result = sync.on_diff(diff(202, 210));
  REQUIRE_FALSE(result);
  CHECK(result.error().reason == resync_reason::gap);
  CHECK(result.error().book_sequence == 200);
  CHECK(sync.state() == sync_state::waiting_for_snapshot);
}

TEST_CASE("consecutive rule: a diff that skips an update id is a gap") {
  sequenced_book_sync sync{"BTC-USDT", spot_rule};
  REQUIRE(sync.on_snapshot(snapshot(10)));
  REQUIRE(sync.on_diff(diff(11, 20)).value() == diff_outcome::applied);
  auto result = sync.on_diff(diff(22, 25, "97", "1"));
  REQUIRE_FALSE(result);
  CHECK(result.error().reason == resync_reason::gap);
  CHECK(result.error().book_sequence == 20);
  CHECK(result.error().first_sequence == 22);
  CHECK(result.error().last_sequence == 25);
  CHECK(result.error().message() == "book gap: diff U=22 u=25 does not continue update id 20");
  CHECK(sync.state() == sync_state::waiting_for_snapshot);
  CHECK(sync.buffered() == 1);  // the diff that showed the gap waits for the next snapshot
  // The stale book stays readable for degraded display, but was not updated by the gap diff.
  CHECK(sync.book().sequence() == 20);
  CHECK_FALSE(sync.book().size_at(side::buy, "97"_d));
}

TEST_CASE("consecutive rule: a diff overlapping the book is applied") {
  // Binance spot's update procedure: ignore u <= book id, apply while U <= book id + 1.
  sequenced_book_sync sync{"BTC-USDT", spot_rule};
  REQUIRE(sync.on_snapshot(snapshot(10)));
  REQUIRE(sync.on_diff(diff(11, 20)).value() == diff_outcome::applied);
  CHECK(sync.on_diff(diff(18, 24, "98", "6")).value() == diff_outcome::applied);
  CHECK(sync.book().sequence() == 24);
  CHECK(sync.book().size_at(side::buy, "98"_d) == "6"_d);
}

TEST_CASE("chained rule: ids may jump but pu must name the previous u") {
  sequenced_book_sync sync{"BTC-USDT", futures_rule};
  REQUIRE(sync.on_snapshot(snapshot(1000)));
  // USD-M ids are not consecutive: U is far past the previous u, the chain is through pu.
  CHECK(sync.on_diff(chained(990, 995, 1010)).value() == diff_outcome::applied);
  CHECK(sync.on_diff(chained(1010, 1080, 1090)).value() == diff_outcome::applied);
  auto result = sync.on_diff(chained(1085, 1091, 1100));  // U == u + 1, but pu is wrong
  REQUIRE_FALSE(result);
  CHECK(result.error().reason == resync_reason::gap);
  CHECK(result.error().previous_sequence == 1085);
  CHECK(result.error().message()
        == "book gap: diff U=1091 u=1100 pu=1085 does not continue update id 1090");
}

TEST_CASE("chained rule: a snapshot falling between pu and U is bridged") {
  sequenced_book_sync sync{"BTC-USDT", futures_rule};
  REQUIRE(sync.on_diff(chained(500, 540, 560)).value() == diff_outcome::buffered);
  REQUIRE(sync.on_diff(chained(560, 600, 650)).value() == diff_outcome::buffered);
  // lastUpdateId 580: ids 561..599 changed other markets, so the book at 580 equals it at 560.
  auto result = sync.on_snapshot(snapshot(580));
  REQUIRE(result);
  CHECK(result->dropped == 1);
  CHECK(result->replayed == 1);
  CHECK(sync.book().sequence() == 650);
}

TEST_CASE("a snapshot older than every buffered diff asks for another and keeps the buffer") {
  sequenced_book_sync sync{"BTC-USDT", spot_rule};
  REQUIRE(sync.on_diff(diff(300, 310)));
  REQUIRE(sync.on_diff(diff(311, 320)));
  auto too_old = sync.on_snapshot(snapshot(250));
  REQUIRE_FALSE(too_old);
  CHECK(too_old.error().reason == resync_reason::snapshot_too_old);
  CHECK(too_old.error().book_sequence == 250);
  CHECK(too_old.error().first_sequence == 300);
  CHECK(sync.state() == sync_state::waiting_for_snapshot);
  CHECK(sync.buffered() == 2);
  CHECK(sync.book().empty());

  auto fresh = sync.on_snapshot(snapshot(305));
  REQUIRE(fresh);
  CHECK(fresh->replayed == 2);
  CHECK(sync.book().sequence() == 320);
}

TEST_CASE("a full buffer drops its oldest diffs and asks for a snapshot once") {
  sequenced_book_sync sync{"BTC-USDT", book_sync_policy{sequence_rule::consecutive, 3}};
  for (std::int64_t id = 1; id <= 3; ++id)
    REQUIRE(sync.on_diff(diff(id, id)).value() == diff_outcome::buffered);
  auto overflow = sync.on_diff(diff(4, 4));
  REQUIRE_FALSE(overflow);
  CHECK(overflow.error().reason == resync_reason::buffer_overflow);
  CHECK(overflow.error().first_sequence == 2);  // the oldest diff still held
  CHECK(sync.on_diff(diff(5, 5)).value() == diff_outcome::buffered);  // reported once only
  CHECK(sync.buffered() == 3);

  // A snapshot that needed a dropped diff is too old; one inside the window syncs.
  CHECK(sync.on_snapshot(snapshot(1)).error().reason == resync_reason::snapshot_too_old);
  auto result = sync.on_snapshot(snapshot(2));
  REQUIRE(result);
  CHECK(result->replayed == 3);
  CHECK(sync.book().sequence() == 5);
}

TEST_CASE("after a gap the book re-syncs from a new snapshot and the buffered diffs") {
  sequenced_book_sync sync{"BTC-USDT", spot_rule};
  REQUIRE(sync.on_snapshot(snapshot(10)));
  REQUIRE(sync.on_diff(diff(11, 12)));
  REQUIRE_FALSE(sync.on_diff(diff(15, 18, "98", "4")));  // 13..14 lost
  CHECK(sync.on_diff(diff(19, 20, "97", "2")).value() == diff_outcome::buffered);
  auto result = sync.on_snapshot(snapshot(16));
  REQUIRE(result);
  CHECK(result->replayed == 2);  // U=15 <= 17 <= u=18 bridges; then 19..20
  CHECK(sync.state() == sync_state::synced);
  CHECK(sync.book().sequence() == 20);
  CHECK(sync.book().size_at(side::buy, "98"_d) == "4"_d);
  CHECK(sync.book().size_at(side::buy, "97"_d) == "2"_d);
}

TEST_CASE("a break in the buffered chain discards the diffs before it") {
  sequenced_book_sync sync{"BTC-USDT", spot_rule};
  REQUIRE(sync.on_diff(diff(1, 5)));
  REQUIRE(sync.on_diff(diff(6, 9)));
  REQUIRE(sync.on_diff(diff(12, 15)));  // 10..11 never arrived
  CHECK(sync.buffered() == 1);
  CHECK(sync.on_diff(diff(14, 15)).value() == diff_outcome::stale);
  CHECK(sync.on_snapshot(snapshot(7)).error().reason == resync_reason::snapshot_too_old);
  CHECK(sync.on_snapshot(snapshot(13)));
}

TEST_CASE("a diff that crosses the book needs a new snapshot and clears the book") {
  sequenced_book_sync sync{"BTC-USDT", spot_rule};
  REQUIRE(sync.on_snapshot(snapshot(10)));
  auto crossed = sync.on_diff(diff(11, 11, "101", "1"));
  REQUIRE_FALSE(crossed);
  CHECK(crossed.error().reason == resync_reason::invalid_update);
  REQUIRE(crossed.error().book_problem);
  CHECK(crossed.error().book_problem->code == book_errc::crossed);
  CHECK(sync.state() == sync_state::waiting_for_snapshot);
  CHECK(sync.book().empty());
  CHECK(sync.buffered() == 0);
}

TEST_CASE("an invalid snapshot is refused and the buffer kept") {
  sequenced_book_sync sync{"BTC-USDT", spot_rule};
  REQUIRE(sync.on_diff(diff(5, 9)));
  auto bad = snapshot(6);
  bad.asks.front().price = "98"_d;  // below the best bid
  auto result = sync.on_snapshot(bad);
  REQUIRE_FALSE(result);
  CHECK(result.error().reason == resync_reason::invalid_snapshot);
  CHECK(result.error().book_problem->code == book_errc::crossed);
  CHECK(sync.buffered() == 1);
  CHECK(sync.state() == sync_state::waiting_for_snapshot);
}

TEST_CASE("a snapshot older than the synced book is ignored, a newer one re-bases it") {
  sequenced_book_sync sync{"BTC-USDT", spot_rule};
  REQUIRE(sync.on_snapshot(snapshot(10)));
  REQUIRE(sync.on_diff(diff(11, 30, "98", "1")));
  auto old = sync.on_snapshot(snapshot(25));
  REQUIRE(old);
  CHECK(old->outcome == snapshot_outcome::stale);
  CHECK(sync.book().sequence() == 30);
  auto newer = sync.on_snapshot(snapshot(40));
  REQUIRE(newer);
  CHECK(newer->outcome == snapshot_outcome::synced);
  CHECK(sync.book().sequence() == 40);
  CHECK_FALSE(sync.book().size_at(side::buy, "98"_d));
  CHECK(sync.on_diff(diff(35, 40)).value() == diff_outcome::stale);
  CHECK(sync.on_diff(diff(41, 41)).value() == diff_outcome::applied);
}

TEST_CASE("reset forgets the buffer and waits for a snapshot") {
  sequenced_book_sync sync{"BTC-USDT", spot_rule};
  REQUIRE(sync.on_snapshot(snapshot(10)));
  sync.reset();
  CHECK(sync.state() == sync_state::waiting_for_snapshot);
  REQUIRE(sync.on_diff(diff(50, 60)));
  sync.reset();
  CHECK(sync.buffered() == 0);
}
