#pragma once
// Thin RAII wrappers over libpq: a connection, a result, text-format
// parameters and a transaction. Errors become pingan::Error: a lost or
// refused connection (SQLSTATE class 08, a server shutting down or starting)
// is `unavailable`, so that HTTP answers 503 with Retry-After; a unique
// violation is `already exists`; the rest is `internal` with the server's
// message and the caller's `what`.

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace pingan::pg {

// One query's rows (or a command's outcome).
class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(PGresult* r) : r_(r) {}
  int rows() const { return r_ ? PQntuples(r_.get()) : 0; }
  bool is_null(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
  std::string_view view(int row, int col) const {
    return {PQgetvalue(r_.get(), row, col), static_cast<std::size_t>(PQgetlength(r_.get(), row, col))};
  }
  std::string text(int row, int col) const { return std::string(view(row, col)); }
  std::int64_t int64(int row, int col) const;
  double dbl(int row, int col) const;
  std::optional<std::int64_t> opt_int64(int row, int col) const {
    return is_null(row, col) ? std::nullopt : std::optional<std::int64_t>(int64(row, col));
  }
  bool boolean(int row, int col) const { return view(row, col) == "t"; }
  // Rows changed by an INSERT/UPDATE/DELETE.
  std::int64_t affected() const;
  const PGresult* get() const { return r_.get(); }

 private:
  struct Clear {
    void operator()(PGresult* r) const { PQclear(r); }
  };
  std::unique_ptr<PGresult, Clear> r_;
};

// Parameters $1, $2, … in text format (PostgreSQL casts them to the
// column's type). Empty optional text and add_null() send NULL.
class Params {
 public:
  Params& add(std::string_view v) {
    values_.emplace_back(v);
    nulls_.push_back(false);
    return *this;
  }
  Params& add(const char* v) { return add(std::string_view(v)); }
  Params& add(const std::string& v) { return add(std::string_view(v)); }
  Params& add(std::int64_t v) { return add(std::to_string(v)); }
  Params& add(int v) { return add(std::to_string(v)); }
  Params& add(double v);
  Params& add(bool v) { return add(v ? std::string_view("t") : std::string_view("f")); }
  Params& add(const std::optional<std::int64_t>& v) { return v ? add(*v) : add_null(); }
  // Empty text is stored as NULL (as the SQLite store does).
  Params& add_text_or_null(std::string_view v) { return v.empty() ? add_null() : add(v); }
  Params& add_null() {
    values_.emplace_back();
    nulls_.push_back(true);
    return *this;
  }
  int size() const { return static_cast<int>(values_.size()); }
  // Pointers for PQexecParams; valid while this object is unchanged.
  std::vector<const char*> pointers() const;

 private:
  std::vector<std::string> values_;
  std::vector<bool> nulls_;
};

class Connection {
 public:
  // Connects to `url` (a postgresql:// URL or a libpq key=value string).
  // `writer` names this store in the change log (pingan.writer, read by the
  // change triggers); empty leaves it unset.
  static Result<std::unique_ptr<Connection>> open(const std::string& url, const std::string& writer);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement with parameters; `what` names it in errors
  // ("inserting incident").
  Result<PgResult> exec(std::string_view sql, const Params& params, std::string_view what);
  Result<PgResult> exec(std::string_view sql, std::string_view what) { return exec(sql, Params{}, what); }
  // A statement whose rows (if any) are not wanted.
  Status run(std::string_view sql, const Params& params, std::string_view what) {
    auto r = exec(sql, params, what);
    if (!r.ok()) return r.error();
    return {};
  }
  // Several statements without parameters (migrations, BEGIN/COMMIT).
  Status exec_script(std::string_view sql, std::string_view what);
  // COPY … FROM STDIN with `data` in COPY's text format (copy_text()).
  Status copy_in(std::string_view copy_sql, std::string_view data, std::string_view what);

  // False once the server is gone; the pool then opens a new connection.
  bool healthy() const { return PQstatus(conn_) == CONNECTION_OK; }
  PGconn* raw() { return conn_; }

 private:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  Error error_from(const PGresult* r, std::string_view what) const;
  PGconn* conn_;
};

// Appends `v` to a COPY text-format line, escaped; empty `v` with
// `null_if_empty` is \N.
void copy_text(std::string& line, std::string_view v, bool null_if_empty = true);
void copy_null(std::string& line);

// An error for a failed connection attempt or statement; `unavailable` when
// the database cannot be reached (retry later), else `internal`.
Error connection_error(std::string_view url_for_humans, std::string_view message);

// BEGIN on construction's begin(), ROLLBACK on destruction unless committed.
class Transaction {
 public:
  explicit Transaction(Connection& c) : c_(c) {}
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Status begin();
  Status commit();

 private:
  Connection& c_;
  bool open_ = false;
};

// The URL with any password replaced by ***, for messages and logs.
std::string redact_url(std::string_view url);

}  // namespace pingan::pg
