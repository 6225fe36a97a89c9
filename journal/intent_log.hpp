#pragma once

// The intent log: an append-only file beside the journal (`<journal>-intents`) that makes a new
// order's intent durable with one write() before its request leaves, so the journal's SQLite
// transaction can follow after the request is on its way (order_journal::write_ahead).
//
// Why it is as safe as the journal's default (WAL, synchronous=NORMAL): a write() that returned
// is in the kernel's page cache and survives a crash of the process, exactly like a WAL commit
// that was not synced; neither survives a crash of the machine. With journal_sync::full the
// journal does not use the log (it syncs every commit instead).
//
// A record holds the SQL values of the order's row and of its change row, so replaying it is
// the same insert that writing it to SQLite does. Each record is framed with its length and a
// checksum: a record whose write() never returned (the process died inside it) is a torn tail
// and is ignored, which is right, since its request was never sent.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/expected.hpp"
#include "journal/order_journal.hpp"

namespace tern::journal {

/// One value bound to a SQL parameter: text or an integer.
using sql_value = std::variant<std::string, std::int64_t>;
using sql_values = std::vector<sql_value>;

/// A new order's rows: what the journal inserts for its intent.
struct intent_record {
  sql_values order;   ///< the orders row, in order_columns order
  sql_values change;  ///< the order_changes row: account, client id, kind, state, note, time
};

class intent_log {
 public:
  /// Opens (creating when missing) the log at `path` for appending, and locks it (flock) for
  /// this writer. Nothing when another writer of the same journal, in this process or another,
  /// holds it: that one replays and empties its log, this one must write SQLite directly.
  static expected<std::optional<intent_log>, journal_error> open(const std::string& path);
  /// The whole records of the file at `path`, oldest first (none when it is missing). Reading
  /// stops at the first record that is cut short or fails its checksum.
  static expected<std::vector<intent_record>, journal_error> read(const std::string& path);

  intent_log(intent_log&& other) noexcept;
  intent_log& operator=(intent_log&& other) noexcept;
  intent_log(const intent_log&) = delete;
  intent_log& operator=(const intent_log&) = delete;
  ~intent_log();

  /// Appends the records with one write(): when it returns they survive a crash of the process.
  expected<void, journal_error> append(const std::vector<intent_record>& records);
  /// Empties the file (once every record in it is in SQLite).
  expected<void, journal_error> clear();
  /// Bytes in the file.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  intent_log(int fd, std::string path, std::size_t size)
      : fd_(fd), size_(size), path_(std::move(path)) {}

  int fd_ = -1;
  std::size_t size_ = 0;
  std::string path_;
  std::string buffer_;  // reused, so an append does not allocate once warm
};

/// Appends the framed encoding of `record` to `out` (exposed for tests of damaged files).
void encode_intent(const intent_record& record, std::string& out);

} // namespace tern::journal
