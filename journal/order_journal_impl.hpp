#pragma once

// The order journal's private state, shared by its two source files.

#include <optional>
#include <string_view>
#include <vector>

#include "core/order_tracker.hpp"
#include "journal/intent_log.hpp"
#include "journal/order_journal.hpp"
#include "journal/sqlite_handle.hpp"

namespace tern::journal {

struct order_journal_impl {
  order_journal_impl(database opened, bool is_read_only)
      : db(std::move(opened)), read_only(is_read_only) {}

  /// Writes one record inside the caller's transaction.
  expected<void, sqlite_error> write_entry(std::string_view account, const journal_entry& entry);

  /// Inserts an intent's rows unless its order is already there (a replayed record whose
  /// rows were written before the crash), inside the caller's transaction.
  expected<void, sqlite_error> write_intent(const intent_record& record);
  /// Writes the intents queued by write_ahead in one transaction, then empties the log when it
  /// has grown (its records are all in SQLite by then; replaying them again is harmless).
  expected<void, journal_error> flush();
  /// After a transaction that wrote every pending intent: forgets them, empties a grown log.
  expected<void, journal_error> flushed();

  database db;
  bool read_only = false;
  journal_sync sync = journal_sync::full;
  std::optional<statement> upsert_order;
  std::optional<statement> insert_fill;
  std::optional<statement> insert_change;
  std::optional<statement> insert_intent;
  std::optional<statement> begin;
  std::optional<statement> commit;
  std::optional<intent_log> intents;     ///< writers with journal_sync::normal only
  std::vector<intent_record> pending;    ///< in the log, not yet in SQLite
  std::vector<intent_record> scratch;    ///< reused by write_ahead
};

} // namespace tern::journal
