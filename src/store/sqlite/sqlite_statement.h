#pragma once
// Thin RAII wrappers over the SQLite C API: a connection and a prepared
// statement with typed binds and column reads. Errors become pingan::Error.

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "core/status.h"

namespace pingan::sqlite {

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool valid() const { return stmt_ != nullptr; }
  const std::string& prepare_error() const { return prepare_error_; }

  // Binds are 1-based, as in SQLite.
  void bind(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void bind(int i, int v) { sqlite3_bind_int64(stmt_, i, v); }
  void bind(int i, double v) { sqlite3_bind_double(stmt_, i, v); }
  // Text is copied only when `transient`; otherwise it must outlive step().
  void bind(int i, std::string_view v, bool transient = false) {
    sqlite3_bind_text(stmt_, i, v.data(), int(v.size()), transient ? SQLITE_TRANSIENT : SQLITE_STATIC);
  }
  void bind_null(int i) { sqlite3_bind_null(stmt_, i); }
  void bind(int i, const std::optional<std::int64_t>& v) { v ? bind(i, *v) : bind_null(i); }
  // Empty text is stored as NULL.
  void bind_text_or_null(int i, std::string_view v) { v.empty() ? bind_null(i) : bind(i, v); }

  // SQLITE_ROW, SQLITE_DONE or an error code. Reads use next_row() or
  // each_row() instead, which tell an error from the end of the rows.
  int step() { return sqlite3_step(stmt_); }

  // Steps once: true with a row to read, false when the rows are done, an
  // Error naming `what` and SQLite's reason otherwise. The one place that
  // checks how a read ended: a scan that breaks halfway (a corrupt page, an
  // I/O error, a lock held too long) must not pass for a short result.
  Result<bool> next_row(std::string_view what);

  // Calls `on_row(*this)` for every row, then checks that the rows ended
  // rather than failed (next_row). `on_row` returns void or a Status; an
  // error from it stops the scan and is returned.
  template <typename OnRow>
  Status each_row(std::string_view what, OnRow&& on_row) {
    while (true) {
      PINGAN_ASSIGN_OR_RETURN(bool row, next_row(what));
      if (!row) return {};
      if constexpr (std::is_same_v<std::invoke_result_t<OnRow&, const Statement&>, Status>) {
        PINGAN_RETURN_IF_ERROR(on_row(std::as_const(*this)));
      } else {
        on_row(std::as_const(*this));
      }
    }
  }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  // For a loop that binds every parameter again before each step (bulk
  // inserts): clearing the bindings would be work thrown away.
  void rewind() { sqlite3_reset(stmt_); }

  std::int64_t column_int(int i) const { return sqlite3_column_int64(stmt_, i); }
  double column_double(int i) const { return sqlite3_column_double(stmt_, i); }
  bool column_is_null(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }
  std::string column_text(int i) const;
  std::optional<std::int64_t> column_optional_int(int i) const {
    if (column_is_null(i)) return std::nullopt;
    return column_int(i);
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  std::string prepare_error_;
};

// Runs SQL with no results (one or several statements).
Status exec(sqlite3* db, std::string_view sql);
// An Error carrying SQLite's message for the last failure on `db`.
Error last_error(sqlite3* db, std::string_view what);

// A write transaction that rolls back unless committed, so that the early
// returns of error paths leave nothing half-written. BEGIN IMMEDIATE takes
// the write lock at once: a read-modify-write cannot be overtaken by another
// writer between its read and its write.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  Status begin();
  Status commit();

 private:
  sqlite3* db_;
  bool active_ = false;
};

}  // namespace pingan::sqlite
