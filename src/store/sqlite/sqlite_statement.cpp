#include "store/sqlite/sqlite_statement.h"

#include <fmt/format.h>

namespace pingan::sqlite {

Statement::Statement(sqlite3* db, std::string_view sql) {
  if (sqlite3_prepare_v2(db, sql.data(), int(sql.size()), &stmt_, nullptr) != SQLITE_OK) {
    prepare_error_ = sqlite3_errmsg(db);
    stmt_ = nullptr;
  }
}

Statement::~Statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept
    : stmt_(other.stmt_), prepare_error_(std::move(other.prepare_error_)) {
  other.stmt_ = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    if (stmt_) sqlite3_finalize(stmt_);
    stmt_ = other.stmt_;
    prepare_error_ = std::move(other.prepare_error_);
    other.stmt_ = nullptr;
  }
  return *this;
}

std::string Statement::column_text(int i) const {
  const auto* p = sqlite3_column_text(stmt_, i);
  if (!p) return {};
  return std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, i));
}

Result<bool> Statement::next_row(std::string_view what) {
  if (!stmt_) return Error::internal(fmt::format("sqlite {}: {}", what, prepare_error_));
  switch (sqlite3_step(stmt_)) {
    case SQLITE_ROW: return true;
    case SQLITE_DONE: return false;
    default: return last_error(sqlite3_db_handle(stmt_), what);
  }
}

Status exec(sqlite3* db, std::string_view sql) {
  char* err = nullptr;
  std::string text(sql);
  if (sqlite3_exec(db, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Error::internal(fmt::format("sqlite: {}", msg));
  }
  return {};
}

Error last_error(sqlite3* db, std::string_view what) {
  int code = sqlite3_errcode(db) & 0xff;  // the primary code, should extended codes be on
  std::string msg = fmt::format("sqlite {}: {}", what, sqlite3_errmsg(db));
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_FULL || code == SQLITE_IOERR)
    return Error::unavailable(std::move(msg));
  return Error::internal(std::move(msg));
}

Status Transaction::begin() {
  auto st = exec(db_, "BEGIN IMMEDIATE");
  active_ = st.ok();
  return st;
}

Status Transaction::commit() {
  auto st = exec(db_, "COMMIT");
  if (st.ok()) active_ = false;
  return st;
}

Transaction::~Transaction() {
  if (active_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

}  // namespace pingan::sqlite
