// The journal under a killed writer and a concurrent reader, on a real SQLite file.

#include <catch2/catch.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <set>
#include <thread>

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/order_tracker.hpp"
#include "journal/order_journal.hpp"
#include "tests/journal/journal_test_support.hpp"

using namespace tern;
using namespace tern::journal;
using namespace tern::test;

namespace {

constexpr int order_count = 100000;  // more than the writer can finish before it is killed

/// The records of order `i`: its intent and one fill, as the tracker returns them.
std::vector<journal_entry> records_of(int i) {
  order_tracker tracker;
  auto spec = spec_of("o" + std::to_string(i), side::buy, "30000"_d, "1"_d);
  auto result = tracker.start(spec, ms(i)).value();
  result.append(tracker.apply_fill(
      fill_of(spec, "t" + std::to_string(i), "1"_d, "30000"_d, {"USDT", "30"_d}, i), ms(i)));
  return result.journal;
}

} // namespace

TEST_CASE("a writer killed mid-stream loses nothing it acknowledged as written") {
  temp_dir dir;
  const auto path = dir.file("crash.sqlite");
  // The child writes order after order and acknowledges each once `write` returned, i.e. once
  // the journal claims it is durable; it is killed after a few hundred.
  const auto writer = kill_writer_after(300, [&](auto acknowledge) {
    auto journal = order_journal::open(path);
    if (!journal) _exit(2);
    for (int i = 0; i < order_count; ++i) {
      if (!journal->write("main", records_of(i))) _exit(3);
      if (!acknowledge(i)) _exit(4);
    }
  });
  CHECK(writer.killed);
  const int acknowledged = writer.acknowledged;
  REQUIRE(acknowledged >= 300);

  auto journal = order_journal::open(path);  // recovers the WAL of the killed writer
  REQUIRE(journal);
  auto trades = journal->trades({"main", "", {}, {}});
  REQUIRE(trades);
  std::set<std::string> ids;
  for (const auto& trade : *trades) ids.insert(trade.execution.trade_id);
  CHECK(ids.size() == trades->size());  // nothing twice
  int missing = 0;
  for (int i = 0; i <= acknowledged; ++i) missing += ids.contains("t" + std::to_string(i)) ? 0 : 1;
  CHECK(missing == 0);
  // At most the one write in flight at the kill is there without an acknowledgement, and it
  // is whole: its order and its fill together (one transaction).
  CHECK(trades->size() <= static_cast<std::size_t>(acknowledged) + 2);
  auto last = journal->find_order("main", "o" + std::to_string(trades->size() - 1));
  REQUIRE(last);
  REQUIRE(last->has_value());
  CHECK((*last)->order.fills.size() == 1);
}

TEST_CASE("a history reader reads while a writer writes, and sees whole transactions") {
  temp_dir dir;
  const auto path = dir.file("busy.sqlite");
  constexpr int writes = 400;
  auto writer_journal = order_journal::open(path);
  REQUIRE(writer_journal);
  std::atomic<bool> writer_done{false};
  std::thread writer([&] {
    for (int i = 0; i < writes; ++i) {
      if (!writer_journal->write("main", records_of(i))) break;
    }
    writer_done = true;
  });
  auto reader = order_journal::open_read_only(path);
  REQUIRE(reader);
  std::size_t previous = 0;
  int reads = 0;
  bool monotonic = true;
  bool whole = true;
  while (!writer_done) {
    auto trades = reader->trades({});
    REQUIRE(trades);  // never busy, never an error
    const auto seen = trades->size();
    monotonic = monotonic && seen >= previous;
    previous = seen;
    ++reads;
    // Every trade read has its order: the order and fill of one write commit together.
    if (seen > 0) {
      auto order = reader->find_order("main", trades->back().client_order_id);
      whole = whole && order && order->has_value();
    }
  }
  writer.join();
  CHECK(monotonic);
  CHECK(whole);
  CHECK(reads >= 1);
  CHECK(reader->trades({})->size() == static_cast<std::size_t>(writes));
}
