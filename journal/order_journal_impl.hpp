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

  /// Writes an intent's rows inside the caller's transaction. `replaying` a log: only when its
  /// order is not there yet (its rows may have been written, and changed, before the crash).
  expected<void, sqlite_error> write_intent(const intent_record& record, bool replaying);
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
