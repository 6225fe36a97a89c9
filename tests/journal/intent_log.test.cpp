// Intents written ahead (order_journal::write_ahead): durable in the intent log at once, in
// SQLite after a flush, replayed after a crash, and never undoing what came after them.

#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>

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

order_journal open_normal(const std::string& path) {
  auto opened = order_journal::open(path, journal_sync::normal);
  if (!opened) throw std::runtime_error(opened.error().message);
  return std::move(*opened);
}

std::vector<journal_entry> intent_of(order_tracker& tracker, const std::string& id, int at) {
  return tracker.start(spec_of(id, side::buy, "30000"_d, "1"_d), ms(at)).value().journal;
}

bool has_order(const order_journal& journal, const std::string& id) {
  auto found = journal.find_order("main", id);
  if (!found) throw std::runtime_error(found.error().message);
  return found->has_value();
}

/// Forks a child that writes `count` intents ahead and ends without flushing them (as a crash
/// would), so the intent log holds them and SQLite does not.
void write_ahead_then_die(const std::string& path, int count) {
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    auto journal = order_journal::open(path, journal_sync::normal);
    if (!journal) _exit(2);
    order_tracker tracker;
    for (int i = 0; i < count; ++i)
      if (!journal->write_ahead("main", intent_of(tracker, "o" + std::to_string(i), i))) _exit(3);
    _exit(0);  // no destructors: nothing is flushed
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
}

} // namespace

TEST_CASE("an intent written ahead reaches SQLite when flushed, not before") {
  temp_dir dir;
  const auto path = dir.file("ahead.sqlite");
  auto journal = open_normal(path);
  auto reader = order_journal::open_read_only(path);
  REQUIRE(reader);
  order_tracker tracker;
  REQUIRE(journal.write_ahead("main", intent_of(tracker, "a", 0)));
  CHECK(std::filesystem::file_size(path + "-intents") > 0);
  CHECK_FALSE(has_order(*reader, "a"));
  REQUIRE(journal.flush());
  CHECK(has_order(*reader, "a"));
  auto row = reader->find_order("main", "a");
  REQUIRE(row);
  CHECK((*row)->order.order.state == order_state::pending_create);
  CHECK((*row)->order.order.spec.price == "30000"_d);
}

TEST_CASE("a later write of the same order writes the queued intent first") {
  temp_dir dir;
  const auto path = dir.file("order.sqlite");
  auto journal = open_normal(path);
  order_tracker tracker;
  REQUIRE(journal.write_ahead("main", intent_of(tracker, "a", 0)));
  place_ack ack;
  ack.exchange_order_id = "42";
  write_all(journal, "main", tracker.place_acknowledged("a", ack, ms(1)));
  auto row = journal.find_order("main", "a");
  REQUIRE(row);
  REQUIRE(row->has_value());
  CHECK((*row)->order.order.state == order_state::open);
  CHECK((*row)->order.order.exchange_order_id == "42");
}

TEST_CASE("intents that never reached SQLite are replayed when the journal is opened again") {
  temp_dir dir;
  const auto path = dir.file("replay.sqlite");
  write_ahead_then_die(path, 5);
  {
    auto reader = order_journal::open_read_only(path);  // readers do not replay
    REQUIRE(reader);
    CHECK_FALSE(has_order(*reader, "o0"));
  }
  auto journal = open_normal(path);
  auto loaded = journal.load("main");
  REQUIRE(loaded);
  std::set<std::string> ids;
  for (const auto& order : *loaded) {
    ids.insert(order.order.spec.client_order_id);
    CHECK(order.order.state == order_state::pending_create);
  }
  CHECK(ids == std::set<std::string>{"o0", "o1", "o2", "o3", "o4"});
  CHECK(std::filesystem::file_size(path + "-intents") == 0);  // emptied once replayed
}

TEST_CASE("a record cut short at the end of the intent log is ignored") {
  temp_dir dir;
  const auto path = dir.file("torn.sqlite");
  write_ahead_then_die(path, 3);
  const auto log = path + "-intents";
  const auto whole = std::filesystem::file_size(log);
  std::filesystem::resize_file(log, whole - 5);  // the last write() did not finish
  auto journal = open_normal(path);
  CHECK(has_order(journal, "o0"));
  CHECK(has_order(journal, "o1"));
  CHECK_FALSE(has_order(journal, "o2"));
}

TEST_CASE("a damaged record stops the replay there") {
  temp_dir dir;
  const auto path = dir.file("damaged.sqlite");
  write_ahead_then_die(path, 3);
  const auto log = path + "-intents";
  const auto size = std::filesystem::file_size(log);
  {
    std::fstream file{log, std::ios::in | std::ios::out | std::ios::binary};
    file.seekp(static_cast<std::streamoff>(size - size / 3 + 20));  // inside the third record
    file.put('#');
  }
  auto journal = open_normal(path);
  CHECK(has_order(journal, "o0"));
  CHECK(has_order(journal, "o1"));
  CHECK_FALSE(has_order(journal, "o2"));
}

TEST_CASE("replaying an intent never undoes what was written after it") {
  temp_dir dir;
  const auto path = dir.file("later.sqlite");
  order_tracker tracker;
  {
    auto journal = open_normal(path);
    REQUIRE(journal.write_ahead("main", intent_of(tracker, "a", 0)));
    place_ack ack;
    ack.exchange_order_id = "42";
    write_all(journal, "main", tracker.place_acknowledged("a", ack, ms(1)));
  }
  // The log still holds the intent (it is emptied only when it grows); the reopen replays it.
  REQUIRE(std::filesystem::file_size(path + "-intents") > 0);
  auto journal = open_normal(path);
  auto row = journal.find_order("main", "a");
  REQUIRE(row);
  REQUIRE(row->has_value());
  CHECK((*row)->order.order.state == order_state::open);
  CHECK((*row)->order.order.exchange_order_id == "42");
}

TEST_CASE("with synchronous=FULL an intent written ahead is committed at once, without a log") {
  temp_dir dir;
  const auto path = dir.file("full.sqlite");
  auto journal = order_journal::open(path);
  REQUIRE(journal);
  auto reader = order_journal::open_read_only(path);
  REQUIRE(reader);
  order_tracker tracker;
  REQUIRE(journal->write_ahead("main", intent_of(tracker, "a", 0)));
  CHECK(has_order(*reader, "a"));
  CHECK_FALSE(std::filesystem::exists(path + "-intents"));
}

TEST_CASE("a writer killed while writing intents ahead loses none it acknowledged") {
  temp_dir dir;
  const auto path = dir.file("killed.sqlite");
  // Acknowledged: the request may be sent. Flushed now and then, as the tracker does.
  const auto writer = kill_writer_after(300, [&](auto acknowledge) {
    auto journal = order_journal::open(path, journal_sync::normal);
    if (!journal) _exit(2);
    order_tracker tracker;
    for (int i = 0; i < 100000; ++i) {
      if (!journal->write_ahead("main", intent_of(tracker, "o" + std::to_string(i), i))) _exit(3);
      if (!acknowledge(i)) _exit(4);
      if (i % 7 == 0 && !journal->flush()) _exit(5);
    }
  });
  CHECK(writer.killed);
  const int acknowledged = writer.acknowledged;
  REQUIRE(acknowledged >= 300);
  auto journal = open_normal(path);
  auto loaded = journal.load("main");
  REQUIRE(loaded);
  std::set<std::string> ids;
  for (const auto& order : *loaded) ids.insert(order.order.spec.client_order_id);
  CHECK(ids.size() == loaded->size());
  int missing = 0;
  for (int i = 0; i <= acknowledged; ++i) missing += ids.contains("o" + std::to_string(i)) ? 0 : 1;
  CHECK(missing == 0);
  CHECK(loaded->size() <= static_cast<std::size_t>(acknowledged) + 2);
}

TEST_CASE("a second writer of the same file leaves the first one's intent log alone") {
  temp_dir dir;
  const auto path = dir.file("shared.sqlite");
  auto first = open_normal(path);
  order_tracker tracker;
  REQUIRE(first.write_ahead("main", intent_of(tracker, "a", 0)));
  const auto logged = std::filesystem::file_size(path + "-intents");
  REQUIRE(logged > 0);
  auto second = open_normal(path);  // neither replays nor empties the log the first one holds
  CHECK(std::filesystem::file_size(path + "-intents") == logged);
  // The second writes its intents to SQLite at once.
  REQUIRE(second.write_ahead("main", intent_of(tracker, "b", 1)));
  auto reader = order_journal::open_read_only(path);
  REQUIRE(reader);
  CHECK(has_order(*reader, "b"));
  CHECK_FALSE(has_order(*reader, "a"));
  REQUIRE(first.flush());
  CHECK(has_order(*reader, "a"));
}
