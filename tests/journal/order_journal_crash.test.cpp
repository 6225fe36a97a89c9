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

/// The child: writes order after order and reports each index on `ack_fd` once `write`
/// returned, i.e. once the journal claims it is durable. Never returns.
[[noreturn]] void write_until_killed(const std::string& path, int ack_fd) {
  auto journal = order_journal::open(path);
  if (!journal) _exit(2);
  for (int i = 0; i < order_count; ++i) {
    if (!journal->write("main", records_of(i))) _exit(3);
    if (::write(ack_fd, &i, sizeof i) != sizeof i) _exit(4);
  }
  _exit(0);
}

} // namespace

TEST_CASE("a writer killed mid-stream loses nothing it acknowledged as written") {
  temp_dir dir;
  const auto path = dir.file("crash.sqlite");
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::close(fds[0]);
    write_until_killed(path, fds[1]);
  }
  ::close(fds[1]);
  int acknowledged = -1;
  int index = 0;
  // Let it write a few hundred orders, then kill it without warning.
  while (acknowledged < 300 && ::read(fds[0], &index, sizeof index) == sizeof index) {
    acknowledged = index;
  }
  ::kill(child, SIGKILL);
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  CHECK(WIFSIGNALED(status));
  // Acknowledgements still in the pipe were also given before the kill.
  while (::read(fds[0], &index, sizeof index) == sizeof index) acknowledged = index;
  ::close(fds[0]);
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
