#include "journal/sqlite_handle.hpp"

#include <sqlite3.h>

namespace tern::journal {

void database::closer::operator()(sqlite3* db) const noexcept {
  sqlite3_close_v2(db);
}

void statement::finalizer::operator()(sqlite3_stmt* stmt) const noexcept {
  sqlite3_finalize(stmt);
}

expected<database, sqlite_error> database::open(const std::string& path, bool create,
                                                bool read_only) {
  int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (create && !read_only) flags |= SQLITE_OPEN_CREATE;
  // Each connection is used by one thread (the tracker actor, or a reader); SQLite's own
  // locking serialises writers and readers across connections.
  flags |= SQLITE_OPEN_NOMUTEX;
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  std::unique_ptr<sqlite3, closer> db{raw};
  if (rc != SQLITE_OK) {
    std::string why = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    return unexpected{sqlite_error{rc, "cannot open order journal \"" + path + "\": " + why}};
  }
  // A writer holds the lock for one transaction of a few rows: readers and a second writer
  // wait for it rather than fail.
  sqlite3_busy_timeout(raw, 5000);
  return database{std::move(db), path};
}

sqlite_error database::error(std::string_view what) const {
  auto* raw = db_.get();
  return sqlite_error{sqlite3_errcode(raw), "order journal \"" + path_ + "\": " + std::string{what}
                                                + ": " + sqlite3_errmsg(raw)};
}

expected<void, sqlite_error> database::execute(std::string_view sql) {
  std::string text{sql};
  if (sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    return unexpected{error("executing \"" + text.substr(0, 60) + "\"")};
  }
  return {};
}

expected<statement, sqlite_error> database::prepare(std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &raw,
                              nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(raw);
    return unexpected{error("preparing \"" + std::string{sql.substr(0, 60)} + "\"")};
  }
  return statement{raw, path_};
}

expected<std::int64_t, sqlite_error> database::query_integer(std::string_view sql) {
  auto prepared = prepare(sql);
  if (!prepared) return unexpected{prepared.error()};
  int rc = prepared->step();
  if (rc == SQLITE_ROW) return prepared->integer(0);
  if (rc == SQLITE_DONE) return std::int64_t{0};
  return unexpected{error("querying \"" + std::string{sql.substr(0, 60)} + "\"")};
}

void statement::bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_.get(), index, text.data(), static_cast<int>(text.size()),
                    SQLITE_TRANSIENT);
}

void statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_.get(), index, value);
}

int statement::step() {
  return sqlite3_step(stmt_.get());
}

expected<void, sqlite_error> statement::run(std::string_view what) {
  int rc = 0;
  while ((rc = step()) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) {
    auto* db = sqlite3_db_handle(stmt_.get());
    sqlite_error failure{sqlite3_errcode(db), "order journal \"" + path_ + "\": "
                                                  + std::string{what} + ": "
                                                  + sqlite3_errmsg(db)};
    reset();
    return unexpected{std::move(failure)};
  }
  reset();
  return {};
}

void statement::reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

std::string statement::text(int column) const {
  const auto* raw = sqlite3_column_text(stmt_.get(), column);
  if (raw == nullptr) return {};
  return std::string{reinterpret_cast<const char*>(raw),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), column))};
}

std::int64_t statement::integer(int column) const {
  return sqlite3_column_int64(stmt_.get(), column);
}

} // namespace tern::journal
