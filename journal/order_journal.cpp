// Opening the journal (identity, schema, durability settings) and writing to it. Queries are
// in order_journal_read.cpp.

#include "journal/order_journal.hpp"

#include <sqlite3.h>

#include <algorithm>

#include <unistd.h>

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

expected<void, journal_error> prepare_writes(order_journal_impl& state, journal_sync sync) {
  auto& db = state.db;
  auto mode = db.prepare("PRAGMA journal_mode = WAL");
  if (!mode) return unexpected{storage(mode.error())};
  if (mode->step() != SQLITE_ROW || mode->text(0) != "wal") {
    return unexpected{failure(journal_error::kind_type::storage,
                              "order journal " + quoted(db.path())
                                  + ": cannot switch to WAL mode")};
  }
  if (auto set = db.execute(sync == journal_sync::full ? "PRAGMA synchronous = FULL"
                                                       : "PRAGMA synchronous = NORMAL");
      !set) {
    return unexpected{storage(set.error())};
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
  std::string intent = "INSERT INTO orders (" + std::string{order_columns}
                       + ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                         " ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23) ON CONFLICT DO NOTHING";
  auto intents = db.prepare(intent);
  auto begin = db.prepare("BEGIN IMMEDIATE");
  auto commit = db.prepare("COMMIT");
  if (!intents) return unexpected{storage(intents.error())};
  if (!begin) return unexpected{storage(begin.error())};
  if (!commit) return unexpected{storage(commit.error())};
  state.insert_intent.emplace(std::move(*intents));
  state.begin.emplace(std::move(*begin));
  state.commit.emplace(std::move(*commit));
  state.sync = sync;
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

/// Runs `body` in one write transaction (the cached BEGIN IMMEDIATE and COMMIT).
template <class Body>
expected<void, journal_error> in_transaction(order_journal_impl& state, Body body) {
  auto& db = state.db;
  if (auto begun = state.begin->run("beginning a transaction"); !begun)
    return unexpected{storage(begun.error())};
  if (auto written = body(); !written) {
    (void)db.execute("ROLLBACK");
    return unexpected{storage(written.error())};
  }
  if (auto committed = state.commit->run("committing"); !committed) {
    (void)db.execute("ROLLBACK");
    return unexpected{storage(committed.error())};
  }
  return {};
}

std::string intent_log_path(const std::string& journal_path) {
  return journal_path + "-intents";
}

/// Writes what the intent log of an earlier run holds into SQLite (a crash may have come
/// between a record's write() and its transaction) and empties it; with journal_sync::normal
/// keeps it open, locked, for write_ahead. When another writer holds the log, leaves it alone:
/// this journal then writes intents to SQLite directly.
expected<void, journal_error> replay_intents(order_journal_impl& state) {
  const auto log_path = intent_log_path(state.db.path());
  auto log = intent_log::open(log_path);
  if (!log) return unexpected{std::move(log.error())};
  if (!*log) return {};
  auto records = intent_log::read(log_path);
  if (!records) return unexpected{std::move(records.error())};
  if (!records->empty()) {
    auto replayed = in_transaction(state, [&]() -> expected<void, sqlite_error> {
      for (const auto& record : *records)
        if (auto written = state.write_intent(record, true); !written) return written;
      return {};
    });
    if (!replayed) return replayed;
  }
  if (state.sync == journal_sync::full) {
    (void)::unlink(log_path.c_str());  // nothing left in it that SQLite lacks
    return {};
  }
  if ((*log)->size() > 0)
    if (auto cleared = (*log)->clear(); !cleared) return cleared;
  state.intents.emplace(std::move(**log));
  return {};
}

/// The order_changes row of `entry`.
sql_values change_values(std::string_view account, const journal_entry& entry) {
  return sql_values{std::string{account}, entry.order.spec.client_order_id,
                    std::string{to_string(entry.kind)}, std::string{to_string(entry.order.state)},
                    entry.kind == journal_entry::kind_type::fill ? "trade " + entry.execution.trade_id
                                                                 : entry.note,
                    to_unix_ns(entry.time)};
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

expected<order_journal, journal_error> order_journal::open(const std::string& path,
                                                           journal_sync sync) {
  auto state = open_database(path, false);
  if (!state) return unexpected{std::move(state.error())};
  auto owned = std::make_unique<order_journal_impl>(std::move(*state));
  if (auto ready = prepare_writes(*owned, sync); !ready) return unexpected{std::move(ready.error())};
  if (auto replayed = replay_intents(*owned); !replayed)
    return unexpected{std::move(replayed.error())};
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
order_journal::~order_journal() {
  // Best effort: what stays queued is in the intent log and is written at the next open.
  if (impl_) (void)impl_->flush();
}

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
  // Queued intents go first, in the same transaction: a later change of their order must land
  // on their rows, and one commit is cheaper than two.
  auto& state = *impl_;
  auto written = in_transaction(state, [&]() -> expected<void, sqlite_error> {
    for (const auto& record : state.pending)
      if (auto done = state.write_intent(record, false); !done) return done;
    for (const auto& entry : entries)
      if (auto done = state.write_entry(account, entry); !done) return done;
    return {};
  });
  if (!written) return written;
  return state.flushed();
}

expected<void, journal_error> order_journal::write_ahead(std::string_view account,
                                                         const std::vector<journal_entry>& entries) {
  const bool intents_only = !entries.empty()
                            && std::all_of(entries.begin(), entries.end(), [](const auto& entry) {
                                 return entry.kind == journal_entry::kind_type::intent;
                               });
  if (!impl_->intents || !intents_only) return write(account, entries);
  auto& batch = impl_->scratch;
  batch.clear();
  for (const auto& entry : entries)
    batch.push_back(intent_record{order_values(account, entry.order, entry.adopted),
                                  change_values(account, entry)});
  if (auto logged = impl_->intents->append(batch); !logged) return logged;
  for (auto& record : batch) impl_->pending.push_back(std::move(record));
  return {};
}

expected<void, journal_error> order_journal::flush() {
  return impl_->flush();
}

expected<void, journal_error> order_journal_impl::flush() {
  if (pending.empty()) return {};
  auto written = in_transaction(*this, [&]() -> expected<void, sqlite_error> {
    for (const auto& record : pending)
      if (auto done = write_intent(record, false); !done) return done;
    return {};
  });
  if (!written) return written;
  return flushed();
}

expected<void, journal_error> order_journal_impl::flushed() {
  if (pending.empty()) return {};
  pending.clear();
  // Emptying the log costs a truncate; its records are harmless once in SQLite (a replay
  // inserts only orders that are missing), so it is emptied only when it has grown.
  constexpr std::size_t log_limit = 256U << 10U;
  if (intents->size() > log_limit) return intents->clear();
  return {};
}

expected<void, sqlite_error> order_journal_impl::write_intent(const intent_record& record,
                                                               bool replaying) {
  // Queued by this writer, the rows are new, written as write() writes an intent. Replayed from
  // a log, they may be in SQLite already, with later changes: then they are left as they are.
  auto& order = replaying ? *insert_intent : *upsert_order;
  bind_values(order, record.order);
  if (auto done = order.run("recording an order intent"); !done) return done;
  if (replaying && sqlite3_changes(db.handle()) == 0) return {};  // written before the crash
  bind_values(*insert_change, record.change);
  return insert_change->run("recording an order intent's change");
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
  bind_values(*insert_change, change_values(account, entry));
  return insert_change->run("recording a change of order " + quoted(client_id));
}

} // namespace tern::journal
