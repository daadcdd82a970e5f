#include "store/sqlite/sqlite_user_store.h"

#include <fmt/format.h>

#include <sstream>

#include "store/sqlite/sqlite_statement.h"

namespace pingan {
namespace {

using sqlite::Statement;

constexpr const char* kUserColumns =
    "username, display_name, unit_code, role, password_hash, totp_secret, totp_last_step, "
    "must_change_password, locked, disabled, created_at, password_changed_at";

// A user as stored, the TOTP secret opened (a token under the personal-data
// key ring, or plain text in a store without one).
Result<User> read_user(const Statement& row, const stored::PersonalFields& fields) {
  User u;
  u.username = row.column_text(0);
  u.display_name = row.column_text(1);
  u.unit_code = row.column_text(2);
  u.role = row.column_text(3);
  u.password_hash = row.column_text(4);
  PINGAN_ASSIGN_OR_RETURN(u.totp_secret, fields.open_text(row.column_text(5), stored::kTotpSecretContext,
                                                          fmt::format("user {}", u.username)));
  u.totp_last_step = row.column_int(6);
  u.must_change_password = row.column_int(7) != 0;
  u.locked = row.column_int(8) != 0;
  u.disabled = row.column_int(9) != 0;
  u.created_at = row.column_int(10);
  u.password_changed_at = row.column_int(11);
  return u;
}

// Binds the user's fields in kUserColumns order, from parameter 1; the TOTP
// secret as `stored_secret` (sealed), which must outlive the statement's step.
void bind_user(Statement& st, const User& u, const std::string& stored_secret) {
  st.bind(1, std::string_view(u.username));
  st.bind(2, std::string_view(u.display_name));
  st.bind(3, std::string_view(u.unit_code));
  st.bind(4, std::string_view(u.role));
  st.bind(5, std::string_view(u.password_hash));
  st.bind(6, std::string_view(stored_secret));
  st.bind(7, u.totp_last_step);
  st.bind(8, u.must_change_password ? 1 : 0);
  st.bind(9, u.locked ? 1 : 0);
  st.bind(10, u.disabled ? 1 : 0);
  st.bind(11, u.created_at);
  st.bind(12, u.password_changed_at);
}

Session read_session(const Statement& row) {
  Session s;
  s.id_hash = row.column_text(0);
  s.username = row.column_text(1);
  s.csrf_token = row.column_text(2);
  s.address = row.column_text(3);
  s.created_at = row.column_int(4);
  s.last_seen_at = row.column_int(5);
  if (!row.column_is_null(6)) s.ended_at = row.column_int(6);
  return s;
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string word; in >> word;) out.push_back(word);
  return out;
}

ApiToken read_token(const Statement& row) {
  ApiToken t;
  t.id = row.column_int(0);
  t.name = row.column_text(1);
  t.token_hash = row.column_text(2);
  t.username = row.column_text(3);
  t.permissions = split_words(row.column_text(4));
  t.created_at = row.column_int(5);
  if (!row.column_is_null(6)) t.revoked_at = row.column_int(6);
  return t;
}

constexpr const char* kTokenColumns = "id, name, token_hash, username, permissions, created_at, revoked_at";

}  // namespace

Status SqliteUserStore::add_user(const User& user) {
  std::lock_guard lock(mutex_);
  Statement st(db_, fmt::format("INSERT INTO users ({}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) "
                                "ON CONFLICT (username) DO NOTHING",
                                kUserColumns));
  if (!st.valid()) return Error::internal(st.prepare_error());
  PINGAN_ASSIGN_OR_RETURN(const std::string secret, fields_.seal_text(user.totp_secret, stored::kTotpSecretContext));
  bind_user(st, user, secret);
  if (st.step() != SQLITE_DONE) return sqlite::last_error(db_, "adding a user");
  if (sqlite3_changes(db_) == 0)
    return Error{ErrorCode::kAlreadyExists, "username", fmt::format("user '{}' exists already", user.username)};
  return {};
}

Status SqliteUserStore::update_user(const User& user) {
  std::lock_guard lock(mutex_);
  Statement st(db_,
               "UPDATE users SET display_name = ?2, unit_code = ?3, role = ?4, password_hash = ?5, "
               "totp_secret = ?6, totp_last_step = ?7, must_change_password = ?8, locked = ?9, disabled = ?10, "
               "created_at = ?11, password_changed_at = ?12 WHERE username = ?1");
  if (!st.valid()) return Error::internal(st.prepare_error());
  PINGAN_ASSIGN_OR_RETURN(const std::string secret, fields_.seal_text(user.totp_secret, stored::kTotpSecretContext));
  bind_user(st, user, secret);
  if (st.step() != SQLITE_DONE) return sqlite::last_error(db_, "updating a user");
  if (sqlite3_changes(db_) == 0) return Error::not_found(fmt::format("no user '{}'", user.username));
  return {};
}

Result<std::optional<User>> SqliteUserStore::find_user(const std::string& username) {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(), fmt::format("SELECT {} FROM users WHERE username = ?", kUserColumns));
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, std::string_view(username));
  PINGAN_ASSIGN_OR_RETURN(bool row, st.next_row("reading a user"));
  if (!row) return std::optional<User>();
  PINGAN_ASSIGN_OR_RETURN(User user, read_user(st, fields_));
  return std::optional<User>(std::move(user));
}

Result<std::vector<User>> SqliteUserStore::list_users() {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(), fmt::format("SELECT {} FROM users ORDER BY username", kUserColumns));
  if (!st.valid()) return Error::internal(st.prepare_error());
  std::vector<User> out;
  Status opened;
  PINGAN_RETURN_IF_ERROR(st.each_row("reading users", [&](const Statement& row) {
    auto user = read_user(row, fields_);
    if (!user.ok()) {
      if (opened.ok()) opened = user.error();
      return;
    }
    out.push_back(std::move(user).value());
  }));
  PINGAN_RETURN_IF_ERROR(opened);
  return out;
}

Result<int> SqliteUserStore::record_failed_login(const std::string& username, Timestamp at, Timestamp since) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  Statement add(db_, "INSERT INTO failed_logins (username, at) VALUES (?, ?)");
  if (!add.valid()) return Error::internal(add.prepare_error());
  add.bind(1, std::string_view(username));
  add.bind(2, at);
  if (add.step() != SQLITE_DONE) return sqlite::last_error(db_, "recording a failed sign-in");
  // Old failures no longer count; dropping them keeps the table small.
  Statement prune(db_, "DELETE FROM failed_logins WHERE username = ? AND at < ?");
  if (!prune.valid()) return Error::internal(prune.prepare_error());
  prune.bind(1, std::string_view(username));
  prune.bind(2, since);
  if (prune.step() != SQLITE_DONE) return sqlite::last_error(db_, "pruning failed sign-ins");
  Statement count(db_, "SELECT count(*) FROM failed_logins WHERE username = ? AND at >= ?");
  if (!count.valid()) return Error::internal(count.prepare_error());
  count.bind(1, std::string_view(username));
  count.bind(2, since);
  PINGAN_ASSIGN_OR_RETURN(bool row, count.next_row("counting failed sign-ins"));
  const int n = row ? static_cast<int>(count.column_int(0)) : 0;
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return n;
}

Status SqliteUserStore::clear_failed_logins(const std::string& username) {
  std::lock_guard lock(mutex_);
  Statement st(db_, "DELETE FROM failed_logins WHERE username = ?");
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, std::string_view(username));
  if (st.step() != SQLITE_DONE) return sqlite::last_error(db_, "clearing failed sign-ins");
  return {};
}

Status SqliteUserStore::add_session(const Session& s) {
  std::lock_guard lock(mutex_);
  Statement st(db_, "INSERT INTO sessions (id_hash, username, csrf_token, address, created_at, last_seen_at, ended_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, std::string_view(s.id_hash));
  st.bind(2, std::string_view(s.username));
  st.bind(3, std::string_view(s.csrf_token));
  st.bind(4, std::string_view(s.address));
  st.bind(5, s.created_at);
  st.bind(6, s.last_seen_at);
  st.bind(7, s.ended_at);
  if (st.step() != SQLITE_DONE) return sqlite::last_error(db_, "adding a session");
  return {};
}

Result<std::optional<Session>> SqliteUserStore::find_session(const std::string& id_hash) {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(), "SELECT id_hash, username, csrf_token, address, created_at, last_seen_at, ended_at "
                            "FROM sessions WHERE id_hash = ?");
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, std::string_view(id_hash));
  PINGAN_ASSIGN_OR_RETURN(bool row, st.next_row("reading a session"));
  if (!row) return std::optional<Session>();
  return std::optional<Session>(read_session(st));
}

Status SqliteUserStore::touch_session(const std::string& id_hash, Timestamp last_seen_at) {
  std::lock_guard lock(mutex_);
  Statement st(db_, "UPDATE sessions SET last_seen_at = max(last_seen_at, ?2) WHERE id_hash = ?1");
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, std::string_view(id_hash));
  st.bind(2, last_seen_at);
  if (st.step() != SQLITE_DONE) return sqlite::last_error(db_, "touching a session");
  return {};
}

Status SqliteUserStore::end_session(const std::string& id_hash, Timestamp at) {
  std::lock_guard lock(mutex_);
  Statement st(db_, "UPDATE sessions SET ended_at = ?2 WHERE id_hash = ?1 AND ended_at IS NULL");
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, std::string_view(id_hash));
  st.bind(2, at);
  if (st.step() != SQLITE_DONE) return sqlite::last_error(db_, "ending a session");
  return {};
}

Result<int> SqliteUserStore::end_sessions_of(const std::string& username, Timestamp at, const std::string& keep) {
  std::lock_guard lock(mutex_);
  Statement st(db_, "UPDATE sessions SET ended_at = ?2 WHERE username = ?1 AND ended_at IS NULL AND id_hash != ?3");
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, std::string_view(username));
  st.bind(2, at);
  st.bind(3, std::string_view(keep));
  if (st.step() != SQLITE_DONE) return sqlite::last_error(db_, "ending a user's sessions");
  return sqlite3_changes(db_);
}

Result<ApiToken> SqliteUserStore::add_token(const ApiToken& token) {
  std::lock_guard lock(mutex_);
  Statement st(db_, "INSERT INTO api_tokens (name, token_hash, username, permissions, created_at, revoked_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)");
  if (!st.valid()) return Error::internal(st.prepare_error());
  std::string permissions;
  for (const std::string& p : token.permissions) permissions += (permissions.empty() ? "" : " ") + p;
  st.bind(1, std::string_view(token.name));
  st.bind(2, std::string_view(token.token_hash));
  st.bind(3, std::string_view(token.username));
  st.bind(4, std::string_view(permissions));
  st.bind(5, token.created_at);
  st.bind(6, token.revoked_at);
  if (st.step() != SQLITE_DONE) return sqlite::last_error(db_, "adding an API token");
  ApiToken stored = token;
  stored.id = sqlite3_last_insert_rowid(db_);
  return stored;
}

Result<std::optional<ApiToken>> SqliteUserStore::find_token(const std::string& token_hash) {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(), fmt::format("SELECT {} FROM api_tokens WHERE token_hash = ?", kTokenColumns));
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, std::string_view(token_hash));
  PINGAN_ASSIGN_OR_RETURN(bool row, st.next_row("reading an API token"));
  if (!row) return std::optional<ApiToken>();
  return std::optional<ApiToken>(read_token(st));
}

Result<std::vector<ApiToken>> SqliteUserStore::list_tokens(const std::string& username) {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(), fmt::format("SELECT {} FROM api_tokens WHERE ?1 = '' OR username = ?1 ORDER BY id",
                                        kTokenColumns));
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, std::string_view(username));
  std::vector<ApiToken> out;
  PINGAN_RETURN_IF_ERROR(
      st.each_row("reading API tokens", [&](const Statement& row) { out.push_back(read_token(row)); }));
  return out;
}

Status SqliteUserStore::revoke_token(std::int64_t id, Timestamp at) {
  std::lock_guard lock(mutex_);
  Statement st(db_, "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?2) WHERE id = ?1");
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, id);
  st.bind(2, at);
  if (st.step() != SQLITE_DONE) return sqlite::last_error(db_, "revoking an API token");
  if (sqlite3_changes(db_) == 0) return Error::not_found(fmt::format("no API token {}", id));
  return {};
}

}  // namespace pingan
