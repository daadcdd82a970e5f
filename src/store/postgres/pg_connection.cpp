#include "store/postgres/pg_connection.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <regex>

namespace pingan::pg {
namespace {

// SQLSTATEs after which a retry may succeed: the connection (class 08), a
// server shutting down, restarting or not yet accepting (57P01–57P03), too
// many connections (53300), a serialisation failure or deadlock (40001,
// 40P01), a lock not had within lock_timeout (55P03).
bool retryable(std::string_view state) {
  return state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03" ||
         state == "53300" || state == "40001" || state == "40P01" || state == "55P03";
}

}  // namespace

std::int64_t PgResult::int64(int row, int col) const {
  std::string_view v = view(row, col);
  std::int64_t out = 0;
  std::from_chars(v.data(), v.data() + v.size(), out);
  return out;
}

double PgResult::dbl(int row, int col) const {
  return std::strtod(PQgetvalue(r_.get(), row, col), nullptr);
}

std::int64_t PgResult::affected() const {
  const char* n = r_ ? PQcmdTuples(r_.get()) : "";
  return *n ? std::strtoll(n, nullptr, 10) : 0;
}

Params& Params::add(double v) {
  // Shortest text that reads back as the same double.
  return add(std::string_view(fmt::format("{}", v)));
}

std::vector<const char*> Params::pointers() const {
  std::vector<const char*> out(values_.size());
  for (std::size_t i = 0; i < values_.size(); ++i) out[i] = nulls_[i] ? nullptr : values_[i].c_str();
  return out;
}

std::string redact_url(std::string_view url) {
  static const std::regex user_password(R"((postgres(?:ql)?://[^:/@]*:)[^@]*@)");
  static const std::regex keyword_password(R"((password\s*=\s*)\S+)");
  std::string out = std::regex_replace(std::string(url), user_password, "$1***@");
  return std::regex_replace(out, keyword_password, "$1***");
}

Error connection_error(std::string_view url_for_humans, std::string_view message) {
  std::string m(message);
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return Error::unavailable(fmt::format("cannot reach PostgreSQL at {}: {}", redact_url(url_for_humans), m));
}

Result<std::unique_ptr<Connection>> Connection::open(const std::string& url, const std::string& writer) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (!conn) return Error::unavailable("PostgreSQL: out of memory opening a connection");
  if (PQstatus(conn) != CONNECTION_OK) {
    Error e = connection_error(url, PQerrorMessage(conn));
    PQfinish(conn);
    return e;
  }
  std::unique_ptr<Connection> c(new Connection(conn));
  // Notices (a table that exists already) are not worth a line on stderr.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  Params p;
  p.add(writer);
  PINGAN_RETURN_IF_ERROR(c->exec("SELECT set_config('pingan.writer', $1, false)", p, "naming the writer"));
  return c;
}

Connection::~Connection() { PQfinish(conn_); }

Error Connection::error_from(const PGresult* r, std::string_view what) const {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = r ? PQresultErrorMessage(r) : "";
  if (message.empty()) message = PQerrorMessage(conn_);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  std::string_view sqlstate = state ? state : "";
  if (PQstatus(conn_) != CONNECTION_OK || retryable(sqlstate))
    return Error::unavailable(fmt::format("PostgreSQL {}: {}", what, message));
  if (sqlstate == "23505") return Error{ErrorCode::kAlreadyExists, "", fmt::format("PostgreSQL {}: {}", what, message)};
  return Error::internal(fmt::format("PostgreSQL {}: {}", what, message));
}

Result<PgResult> Connection::exec(std::string_view sql, const Params& params, std::string_view what) {
  std::string text(sql);
  std::vector<const char*> values = params.pointers();
  PgResult r(PQexecParams(conn_, text.c_str(), params.size(), nullptr, values.data(), nullptr, nullptr, 0));
  ExecStatusType s = r.get() ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) return error_from(r.get(), what);
  return r;
}

Status Connection::exec_script(std::string_view sql, std::string_view what) {
  std::string text(sql);
  PGresult* r = PQexec(conn_, text.c_str());
  ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  Status out;
  if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) out = error_from(r, what);
  PQclear(r);
  return out;
}

Status Connection::copy_in(std::string_view copy_sql, std::string_view data, std::string_view what) {
  std::string text(copy_sql);
  {
    PGresult* r = PQexec(conn_, text.c_str());
    if (!r || PQresultStatus(r) != PGRES_COPY_IN) {
      Error e = error_from(r, what);
      PQclear(r);
      return e;
    }
    PQclear(r);
  }
  // In pieces of 1 MiB: libpq buffers what it sends.
  constexpr std::size_t kPiece = 1 << 20;
  for (std::size_t at = 0; at < data.size(); at += kPiece) {
    std::size_t n = std::min(kPiece, data.size() - at);
    if (PQputCopyData(conn_, data.data() + at, static_cast<int>(n)) != 1) {
      PQputCopyEnd(conn_, "aborted");
      while (PGresult* r = PQgetResult(conn_)) PQclear(r);
      return connection_error("the database", PQerrorMessage(conn_));
    }
  }
  if (PQputCopyEnd(conn_, nullptr) != 1) return connection_error("the database", PQerrorMessage(conn_));
  Status out;
  while (PGresult* r = PQgetResult(conn_)) {
    if (PQresultStatus(r) != PGRES_COMMAND_OK && out.ok()) out = error_from(r, what);
    PQclear(r);
  }
  return out;
}

void copy_null(std::string& line) { line += "\\N"; }

void copy_text(std::string& line, std::string_view v, bool null_if_empty) {
  if (v.empty() && null_if_empty) return copy_null(line);
  for (char c : v) {
    switch (c) {
      case '\\': line += "\\\\"; break;
      case '\t': line += "\\t"; break;
      case '\n': line += "\\n"; break;
      case '\r': line += "\\r"; break;
      default: line += c;
    }
  }
}

Transaction::~Transaction() {
  if (open_) (void)c_.exec_script("ROLLBACK", "rolling back");
}

Status Transaction::begin() {
  PINGAN_RETURN_IF_ERROR(c_.exec_script("BEGIN", "beginning a transaction"));
  open_ = true;
  return {};
}

Status Transaction::commit() {
  open_ = false;
  return c_.exec_script("COMMIT", "committing");
}

}  // namespace pingan::pg
