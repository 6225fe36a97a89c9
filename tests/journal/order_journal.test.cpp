// The order journal on a real SQLite file: round trips, idempotent fills, history, errors.

#include <catch2/catch.hpp>

#include <fstream>

#include "core/order_tracker.hpp"
#include "journal/order_journal.hpp"
#include "journal/sqlite_handle.hpp"
#include "tests/journal/journal_test_support.hpp"

using namespace tern;
using namespace tern::journal;
using namespace tern::test;
using st = order_state;

namespace {

order_journal open_journal(const std::string& path) {
  auto opened = order_journal::open(path);
  if (!opened) FAIL(opened.error().message);
  return std::move(opened).value();
}

/// Three orders through a real tracker: one partially filled, one cancelled, one whose
/// placement outcome is unknown. Every record goes to the journal as the actor would write it.
order_tracker trade_three(order_journal& journal) {
  order_tracker tracker;
  auto a = spec_of("a", side::buy, "30000"_d, "1"_d);
  auto b = spec_of("b", side::sell, "31000"_d, "0.5"_d);
  auto c = spec_of("c", side::buy, "29000"_d, "0.2"_d);
  for (const auto& spec : {a, b, c}) write_all(journal, "main", tracker.start(spec, ms(0)).value());
  place_ack ack;
  ack.exchange_order_id = "1001";
  ack.exchange_time = ms(1);
  write_all(journal, "main", tracker.place_acknowledged("a", ack, ms(1)));
  write_all(journal, "main",
            tracker.apply_fill(fill_of(a, "t1", "0.4"_d, "30000"_d, {"BNB", "0.01"_d}, 2), ms(2)));
  ack.exchange_order_id = "1002";
  write_all(journal, "main", tracker.place_acknowledged("b", ack, ms(3)));
  write_all(journal, "main", tracker.cancel_requested("b", ms(4)));
  write_all(journal, "main", tracker.cancel_confirmed("b", ms(5)));
  write_all(journal, "main", tracker.place_unknown("c", "timeout", ms(6)));
  write_all(journal, "main", tracker.status_not_found("c", ms(7)));
  return tracker;
}

void check_same(const order_snapshot& loaded, const order_snapshot& live) {
  CHECK(loaded.spec.client_order_id == live.spec.client_order_id);
  CHECK(loaded.spec.pair == live.spec.pair);
  CHECK(loaded.spec.order_side == live.spec.order_side);
  CHECK(loaded.spec.price == live.spec.price);
  CHECK(loaded.spec.amount == live.spec.amount);
  CHECK(loaded.spec.creation_time == live.spec.creation_time);
  CHECK(loaded.exchange_order_id == live.exchange_order_id);
  CHECK(loaded.state == live.state);
  CHECK(loaded.executed_base == live.executed_base);
  CHECK(loaded.executed_quote == live.executed_quote);
  CHECK(loaded.last_update_time == live.last_update_time);
  CHECK(loaded.not_found_count == live.not_found_count);
  CHECK(loaded.lost == live.lost);
  CHECK(loaded.created_emitted == live.created_emitted);
  CHECK(loaded.completed_emitted == live.completed_emitted);
}

} // namespace

TEST_CASE("write, close, reopen: load returns the open orders exactly as the tracker had them") {
  temp_dir dir;
  const auto path = dir.file("main.sqlite");
  std::optional<order_tracker> live;
  {
    auto journal = open_journal(path);
    live.emplace(trade_three(journal));
  }
  auto journal = open_journal(path);
  auto loaded = journal.load("main");
  REQUIRE(loaded);
  REQUIRE(loaded->size() == 2);  // a (partially filled) and c (unknown); b is cancelled
  CHECK((*loaded)[0].order.spec.client_order_id == "a");
  CHECK((*loaded)[1].order.spec.client_order_id == "c");
  check_same((*loaded)[0].order, live->find("a")->snapshot());
  check_same((*loaded)[1].order, live->find("c")->snapshot());
  REQUIRE((*loaded)[0].fills.size() == 1);
  CHECK((*loaded)[0].fills[0].trade_id == "t1");
  CHECK((*loaded)[0].fills[0].fee == fee{"BNB", "0.01"_d});
  CHECK((*loaded)[1].order.not_found_count == 1);

  auto cancelled = journal.find_order("main", "b");
  REQUIRE(cancelled);
  REQUIRE(cancelled->has_value());
  CHECK((*cancelled)->order.order.state == st::cancelled);
  CHECK(journal.load("other")->empty());

  // A tracker restored from it continues: the old fill is not counted again.
  order_tracker restored;
  (void)restored.restore(*loaded, ms(100));
  CHECK(restored.find("a")->executed_base() == "0.4"_d);
  auto spec = restored.find("a")->spec();
  auto repeat = restored.apply_fill(fill_of(spec, "t1", "0.4"_d, "30000"_d, {"BNB", "0.01"_d}, 2),
                                    ms(101));
  CHECK(repeat.journal.empty());
  CHECK(restored.find("a")->executed_base() == "0.4"_d);
}

TEST_CASE("a fill recorded twice counts once") {
  temp_dir dir;
  auto journal = open_journal(dir.file("j.sqlite"));
  order_tracker tracker;
  auto a = spec_of("a", side::buy, "30000"_d, "1"_d);
  write_all(journal, "main", tracker.start(a, ms(0)).value());
  auto filled = tracker.apply_fill(fill_of(a, "t1", "0.4"_d, "30000"_d, {"USDT", "12"_d}, 1),
                                   ms(1));
  write_all(journal, "main", filled);
  write_all(journal, "main", filled);  // the actor retried the write after a restart
  auto trades = journal.trades({});
  REQUIRE(trades);
  CHECK(trades->size() == 1);
  auto summary = journal.summary({});
  REQUIRE(summary);
  REQUIRE(summary->size() == 1);
  CHECK((*summary)[0].bought_base == "0.4"_d);
  CHECK((*summary)[0].fees.at("USDT") == "12"_d);
  // The same trade id on another market is another trade (Binance numbers trades per symbol).
  auto e = spec_of("e", side::buy, "2000"_d, "1"_d, "ETH-USDT");
  write_all(journal, "main", tracker.start(e, ms(2)).value());
  write_all(journal, "main",
            tracker.apply_fill(fill_of(e, "t1", "1"_d, "2000"_d, {"USDT", "2"_d}, 3), ms(3)));
  CHECK(journal.trades({})->size() == 2);
}

TEST_CASE("history selects trades by account, market and time, and sums them per market") {
  temp_dir dir;
  auto journal = open_journal(dir.file("j.sqlite"));
  order_tracker tracker;
  auto buy = spec_of("b1", side::buy, "30000"_d, "1"_d);
  auto sell = spec_of("s1", side::sell, "31000"_d, "0.5"_d);
  auto eth = spec_of("e1", side::buy, "2000"_d, "2"_d, "ETH-USDT");
  for (const auto& spec : {buy, sell, eth}) write_all(journal, "main", tracker.start(spec, ms(0)).value());
  write_all(journal, "main",
            tracker.apply_fill(fill_of(buy, "1", "1"_d, "30000"_d, {"BTC", "0.001"_d}, 10), ms(10)));
  write_all(journal, "main",
            tracker.apply_fill(fill_of(sell, "2", "0.5"_d, "31000"_d, {"USDT", "15.5"_d}, 20),
                               ms(20)));
  write_all(journal, "main",
            tracker.apply_fill(fill_of(eth, "3", "2"_d, "2000"_d, {"USDT", "4"_d}, 30), ms(30)));
  order_tracker other;
  auto elsewhere = spec_of("x1", side::buy, "30000"_d, "1"_d);
  write_all(journal, "second", other.start(elsewhere, ms(0)).value());
  write_all(journal, "second",
            other.apply_fill(fill_of(elsewhere, "1", "1"_d, "30000"_d, {"USDT", "30"_d}, 15),
                             ms(15)));

  CHECK(journal.trades({})->size() == 4);
  CHECK(journal.trades({"main", "", {}, {}})->size() == 3);
  CHECK(journal.trades({"", "BTC-USDT", {}, {}})->size() == 3);
  auto window = journal.trades({"main", "", ms(15), ms(30)});
  REQUIRE(window->size() == 1);
  CHECK((*window)[0].execution.trade_id == "2");
  CHECK((*window)[0].client_order_id == "s1");
  CHECK(*journal.accounts() == std::vector<std::string>{"main", "second"});

  auto summary = journal.summary({"main", "BTC-USDT", {}, {}});
  REQUIRE(summary->size() == 1);
  const auto& btc = (*summary)[0];
  CHECK(btc.trades == 2);
  CHECK(btc.bought_base == "1"_d);
  CHECK(btc.bought_quote == "30000"_d);
  CHECK(btc.sold_base == "0.5"_d);
  CHECK(btc.sold_quote == "15500"_d);
  CHECK(btc.fees.at("BTC") == "0.001"_d);
  CHECK(btc.fees.at("USDT") == "15.5"_d);
  CHECK(btc.net_base == "0.499"_d);        // 1 - 0.5 - 0.001
  CHECK(btc.net_quote == "-14515.5"_d);    // 15500 - 30000 - 15.5
  auto all = journal.summary({});
  REQUIRE(all->size() == 3);  // (main, BTC), (main, ETH), (second, BTC)
  CHECK((*all)[1].pair == "ETH-USDT");
  CHECK((*all)[2].account == "second");
}

TEST_CASE("a file that is not a journal, or is newer, is refused with its name") {
  temp_dir dir;
  const auto text = dir.file("notes.txt");
  std::ofstream{text} << "this is not a database, but it is long enough to be read as one.......";
  auto garbage = order_journal::open(text);
  REQUIRE_FALSE(garbage);
  CHECK(garbage.error().kind == journal_error::kind_type::cannot_open);
  CHECK_THAT(garbage.error().message, Catch::Contains(text) && Catch::Contains("not"));

  const auto other = dir.file("other.sqlite");
  {
    auto db = database::open(other, true, false);
    REQUIRE(db);
    REQUIRE(db->execute("CREATE TABLE things (name TEXT)"));
  }
  auto foreign = order_journal::open(other);
  REQUIRE_FALSE(foreign);
  CHECK(foreign.error().kind == journal_error::kind_type::not_a_journal);
  CHECK_THAT(foreign.error().message, Catch::Contains(other));

  const auto newer = dir.file("newer.sqlite");
  (void)open_journal(newer);
  {
    auto db = database::open(newer, false, false);
    REQUIRE(db);
    REQUIRE(db->execute("PRAGMA user_version = 2"));
  }
  auto refused = order_journal::open(newer);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().kind == journal_error::kind_type::newer_schema);
  CHECK_THAT(refused.error().message, Catch::Contains(newer) && Catch::Contains("version 2"));

  auto missing = order_journal::open_read_only(dir.file("absent.sqlite"));
  REQUIRE_FALSE(missing);
  CHECK(missing.error().kind == journal_error::kind_type::cannot_open);
  CHECK_THAT(missing.error().message, Catch::Contains("absent.sqlite"));
}

TEST_CASE("the journal is in WAL mode with full sync, and read-only handles cannot write") {
  temp_dir dir;
  const auto path = dir.file("j.sqlite");
  auto journal = open_journal(path);
  auto db = database::open(path, false, true);
  REQUIRE(db);
  auto mode = db->prepare("PRAGMA journal_mode");
  REQUIRE(mode);
  REQUIRE(mode->step() == 100);  // SQLITE_ROW
  CHECK(mode->text(0) == "wal");
  CHECK(*db->query_integer("PRAGMA user_version") == order_journal::schema_version);
  CHECK(*db->query_integer("PRAGMA application_id") == order_journal::application_id);

  auto reader = order_journal::open_read_only(path);
  REQUIRE(reader);
  order_tracker tracker;
  auto started = tracker.start(spec_of("a", side::buy, "1"_d, "1"_d), ms(0)).value();
  auto refused = reader->write("main", started.journal);
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().message, Catch::Contains("read-only"));
}
