#pragma once

// A thin RAII layer over SQLite's C API for the order journal: one connection, prepared
// statements with typed binding, errors as values naming the file. Not a general wrapper;
// it has what the journal uses.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "core/expected.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace tern::journal {

/// What went wrong, naming the file and SQLite's own words.
struct sqlite_error {
  int code = 0;  ///< SQLite's primary result code
  std::string message;
};

class statement;

/// One connection to one database file.
class database {
 public:
  /// Opens `path`; `create` makes the file when it is missing, otherwise a missing file is an
  /// error. `read_only` opens it for queries only.
  static expected<database, sqlite_error> open(const std::string& path, bool create,
                                               bool read_only);

  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  /// Runs SQL without results (several statements allowed).
  expected<void, sqlite_error> execute(std::string_view sql);
  /// Prepares one statement.
  expected<statement, sqlite_error> prepare(std::string_view sql);
  /// The integer of a query's first column of its first row (PRAGMA user_version, counts).
  expected<std::int64_t, sqlite_error> query_integer(std::string_view sql);
  /// The error of the last failed call, with `what` and the file named.
  [[nodiscard]] sqlite_error error(std::string_view what) const;
  [[nodiscard]] sqlite3* handle() const noexcept { return db_.get(); }

 private:
  struct closer {
    void operator()(sqlite3* db) const noexcept;
  };
  database(std::unique_ptr<sqlite3, closer> db, std::string path)
      : db_(std::move(db)), path_(std::move(path)) {}

  std::unique_ptr<sqlite3, closer> db_;
  std::string path_;
};

/// A prepared statement. Bind parameters by 1-based index, step, read columns by 0-based index.
class statement {
 public:
  void bind(int index, std::string_view text);
  void bind(int index, std::int64_t value);
  /// SQLITE_ROW: a row is ready; SQLITE_DONE: finished; anything else is an error.
  [[nodiscard]] int step();
  /// Steps to completion; an error names `what`.
  expected<void, sqlite_error> run(std::string_view what);
  void reset();

  [[nodiscard]] std::string text(int column) const;
  [[nodiscard]] std::int64_t integer(int column) const;

 private:
  friend class database;
  struct finalizer {
    void operator()(sqlite3_stmt* stmt) const noexcept;
  };
  statement(sqlite3_stmt* stmt, std::string path) : stmt_(stmt), path_(std::move(path)) {}

  std::unique_ptr<sqlite3_stmt, finalizer> stmt_;
  std::string path_;  // for error messages; statements outlive moves of their database
};

} // namespace tern::journal
