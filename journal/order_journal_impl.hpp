#pragma once

// The order journal's private state, shared by its two source files.

#include <optional>
#include <string_view>

#include "core/order_tracker.hpp"
#include "journal/order_journal.hpp"
#include "journal/sqlite_handle.hpp"

namespace tern::journal {

struct order_journal_impl {
  order_journal_impl(database opened, bool is_read_only)
      : db(std::move(opened)), read_only(is_read_only) {}

  /// Writes one record inside the caller's transaction.
  expected<void, sqlite_error> write_entry(std::string_view account, const journal_entry& entry);

  database db;
  bool read_only = false;
  std::optional<statement> upsert_order;
  std::optional<statement> insert_fill;
  std::optional<statement> insert_change;
};

} // namespace tern::journal
