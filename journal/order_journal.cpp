// Opening the journal (identity, schema, durability settings) and writing to it. Queries are
// in order_journal_read.cpp.

#include "journal/order_journal.hpp"

#include <sqlite3.h>

#include "journal/journal_rows.hpp"
#include "journal/order_journal_impl.hpp"

namespace tern::journal {
namespace {

constexpr std::string_view schema_sql = R"sql(
CREATE TABLE orders (
  account TEXT NOT NULL, client_order_id TEXT NOT NULL, exchange_order_id TEXT NOT NULL,
  pair TEXT NOT NULL, side TEXT NOT NULL, type TEXT NOT NULL, time_in_force TEXT NOT NULL,
  price TEXT NOT NULL, amount TEXT NOT NULL, position_action TEXT NOT NULL,
  leverage TEXT NOT NULL, created_ns INTEGER NOT NULL, state TEXT NOT NULL,
  executed_base TEXT NOT NULL, executed_quote TEXT NOT NULL, last_update_ns INTEGER NOT NULL,
  error_code TEXT NOT NULL, error_message TEXT NOT NULL, not_found_count INTEGER NOT NULL,
  lost INTEGER NOT NULL, created_emitted INTEGER NOT NULL, completed_emitted INTEGER NOT NULL,
  adopted INTEGER NOT NULL,
  PRIMARY KEY (account, client_order_id)) WITHOUT ROWID;
CREATE INDEX orders_by_state ON orders (account, state);
CREATE INDEX orders_by_exchange_id ON orders (account, exchange_order_id);
CREATE TABLE fills (
  account TEXT NOT NULL, pair TEXT NOT NULL, trade_id TEXT NOT NULL,
  client_order_id TEXT NOT NULL, exchange_order_id TEXT NOT NULL, side TEXT NOT NULL,
  price TEXT NOT NULL, base_amount TEXT NOT NULL, quote_amount TEXT NOT NULL,
  fee_asset TEXT NOT NULL, fee_amount TEXT NOT NULL, is_taker INTEGER NOT NULL,
  fill_ns INTEGER NOT NULL,
  PRIMARY KEY (account, pair, trade_id)) WITHOUT ROWID;
CREATE INDEX fills_by_order ON fills (account, client_order_id);
CREATE INDEX fills_by_time ON fills (account, fill_ns);
CREATE TABLE order_changes (
  id INTEGER PRIMARY KEY, account TEXT NOT NULL, client_order_id TEXT NOT NULL,
  kind TEXT NOT NULL, state TEXT NOT NULL, note TEXT NOT NULL, time_ns INTEGER NOT NULL);
CREATE INDEX changes_by_order ON order_changes (account, client_order_id);
)sql";

journal_error failure(journal_error::kind_type kind, std::string message) {
  return journal_error{kind, std::move(message)};
}

journal_error storage(const sqlite_error& error) {
  auto kind = error.code == SQLITE_NOTADB || error.code == SQLITE_CANTOPEN
                  ? journal_error::kind_type::cannot_open
                  : journal_error::kind_type::storage;
  return failure(kind, error.message);
}

std::string quoted(std::string_view text) {
  return "\"" + std::string{text} + "\"";
}

/// Checks the file is a journal this build can read; `fresh` when it is an empty database.
expected<bool, journal_error> check_identity(database& db) {
  auto app = db.query_integer("PRAGMA application_id");
  if (!app) {
    auto error = storage(app.error());
    if (app.error().code == SQLITE_NOTADB) {
      error.message = quoted(db.path()) + " is not an order journal: it is not a SQLite database";
    }
    return unexpected{std::move(error)};
  }
  auto tables = db.query_integer("SELECT count(*) FROM sqlite_master");
  if (!tables) return unexpected{storage(tables.error())};
  if (*app == 0 && *tables == 0) return true;
  if (*app != order_journal::application_id) {
    return unexpected{failure(journal_error::kind_type::not_a_journal,
                              quoted(db.path()) + " is not an order journal: it is a SQLite "
                                  + "database of something else (application_id "
                                  + std::to_string(*app) + ")")};
  }
  auto version = db.query_integer("PRAGMA user_version");
  if (!version) return unexpected{storage(version.error())};
  if (*version > order_journal::schema_version) {
    return unexpected{failure(journal_error::kind_type::newer_schema,
                              "order journal " + quoted(db.path()) + " has schema version "
                                  + std::to_string(*version) + "; this Tern reads up to "
                                  + std::to_string(order_journal::schema_version)
                                  + ": use a newer Tern")};
  }
  return false;
}

expected<void, journal_error> initialise(database& db) {
  std::string sql = "BEGIN IMMEDIATE;" + std::string{schema_sql}
                    + "PRAGMA application_id = " + std::to_string(order_journal::application_id)
                    + "; PRAGMA user_version = " + std::to_string(order_journal::schema_version)
                    + "; COMMIT;";
  if (auto done = db.execute(sql); !done) {
    (void)db.execute("ROLLBACK");
    return unexpected{storage(done.error())};
  }
  return {};
}

expected<void, journal_error> prepare_writes(order_journal_impl& state) {
  auto& db = state.db;
  auto mode = db.prepare("PRAGMA journal_mode = WAL");
  if (!mode) return unexpected{storage(mode.error())};
  if (mode->step() != SQLITE_ROW || mode->text(0) != "wal") {
    return unexpected{failure(journal_error::kind_type::storage,
                              "order journal " + quoted(db.path())
                                  + ": cannot switch to WAL mode")};
  }
  if (auto sync = db.execute("PRAGMA synchronous = FULL"); !sync) {
    return unexpected{storage(sync.error())};
  }
  std::string upsert = "INSERT INTO orders (" + std::string{order_columns}
                       + ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                         " ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)"
                         " ON CONFLICT (account, client_order_id) DO UPDATE SET"
                         " exchange_order_id = excluded.exchange_order_id,"
                         " state = excluded.state, executed_base = excluded.executed_base,"
                         " executed_quote = excluded.executed_quote,"
                         " last_update_ns = excluded.last_update_ns,"
                         " error_code = excluded.error_code,"
                         " error_message = excluded.error_message,"
                         " not_found_count = excluded.not_found_count, lost = excluded.lost,"
                         " created_emitted = excluded.created_emitted,"
                         " completed_emitted = excluded.completed_emitted,"
                         " adopted = max(adopted, excluded.adopted)";
  std::string insert_fill = "INSERT INTO fills (" + std::string{fill_columns}
                            + ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
                              " ON CONFLICT DO NOTHING";
  auto orders = db.prepare(upsert);
  auto fills = db.prepare(insert_fill);
  auto changes = db.prepare(
      "INSERT INTO order_changes (account, client_order_id, kind, state, note, time_ns)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!orders) return unexpected{storage(orders.error())};
  if (!fills) return unexpected{storage(fills.error())};
  if (!changes) return unexpected{storage(changes.error())};
  state.upsert_order.emplace(std::move(*orders));
  state.insert_fill.emplace(std::move(*fills));
  state.insert_change.emplace(std::move(*changes));
  return {};
}

expected<order_journal_impl, journal_error> open_database(const std::string& path,
                                                          bool read_only) {
  auto db = database::open(path, !read_only, read_only);
  if (!db) return unexpected{storage(db.error())};
  auto fresh = check_identity(*db);
  if (!fresh) return unexpected{std::move(fresh.error())};
  if (*fresh && read_only) {
    return unexpected{failure(journal_error::kind_type::not_a_journal,
                              quoted(path) + " is not an order journal: it is empty")};
  }
  if (*fresh) {
    if (auto made = initialise(*db); !made) return unexpected{std::move(made.error())};
  }
  return order_journal_impl{std::move(*db), read_only};
}

} // namespace

expected<order_journal, journal_error> order_journal::open(const std::string& path) {
  auto state = open_database(path, false);
  if (!state) return unexpected{std::move(state.error())};
  auto owned = std::make_unique<order_journal_impl>(std::move(*state));
  if (auto ready = prepare_writes(*owned); !ready) return unexpected{std::move(ready.error())};
  return order_journal{std::move(owned)};
}

expected<order_journal, journal_error> order_journal::open_read_only(const std::string& path) {
  auto state = open_database(path, true);
  if (!state) return unexpected{std::move(state.error())};
  return order_journal{std::make_unique<order_journal_impl>(std::move(*state))};
}

order_journal::order_journal(std::unique_ptr<order_journal_impl> state) : impl_(std::move(state)) {}
order_journal::order_journal(order_journal&&) noexcept = default;
order_journal& order_journal::operator=(order_journal&&) noexcept = default;
order_journal::~order_journal() = default;

const std::string& order_journal::path() const noexcept {
  return impl_->db.path();
}

expected<void, journal_error> order_journal::write(std::string_view account,
                                                   const journal_entry& entry) {
  return write(account, std::vector<journal_entry>{entry});
}

expected<void, journal_error> order_journal::write(std::string_view account,
                                                   const std::vector<journal_entry>& entries) {
  if (entries.empty()) return {};
  if (impl_->read_only) {
    return unexpected{failure(journal_error::kind_type::storage,
                              "order journal " + quoted(path()) + " is open read-only")};
  }
  auto& db = impl_->db;
  if (auto begun = db.execute("BEGIN IMMEDIATE"); !begun) {
    return unexpected{storage(begun.error())};
  }
  for (const auto& entry : entries) {
    if (auto written = impl_->write_entry(account, entry); !written) {
      (void)db.execute("ROLLBACK");
      return unexpected{storage(written.error())};
    }
  }
  if (auto committed = db.execute("COMMIT"); !committed) {
    (void)db.execute("ROLLBACK");
    return unexpected{storage(committed.error())};
  }
  return {};
}

expected<void, sqlite_error> order_journal_impl::write_entry(std::string_view account,
                                                              const journal_entry& entry) {
  const auto& client_id = entry.order.spec.client_order_id;
  bool new_record = true;
  if (entry.kind == journal_entry::kind_type::fill) {
    bind_fill(*insert_fill, account, client_id, entry.execution);
    if (auto done = insert_fill->run("recording fill " + quoted(entry.execution.trade_id));
        !done) {
      return done;
    }
    new_record = sqlite3_changes(db.handle()) > 0;  // zero: recorded before
  }
  bind_order(*upsert_order, account, entry.order, entry.adopted);
  if (auto done = upsert_order->run("recording order " + quoted(client_id)); !done) return done;
  if (!new_record) return {};
  auto& change = *insert_change;
  change.bind(1, account);
  change.bind(2, client_id);
  change.bind(3, to_string(entry.kind));
  change.bind(4, to_string(entry.order.state));
  change.bind(5, entry.kind == journal_entry::kind_type::fill
                     ? "trade " + entry.execution.trade_id
                     : entry.note);
  change.bind(6, to_unix_ns(entry.time));
  return change.run("recording a change of order " + quoted(client_id));
}

} // namespace tern::journal
