// PostgresStore's users, sessions, API tokens and failed sign-ins (migration
// 7), as SqliteUserStore keeps them: the same columns, the TOTP secret sealed
// by the personal-data cipher, the same errors.

#include "store/postgres/pg_user_store.h"

#include <fmt/format.h>

#include <sstream>

namespace pingan {
namespace {

using pg::Params;
using pg::PgResult;

constexpr const char* kUserColumns =
    "username, display_name, unit_code, role, password_hash, totp_secret, totp_last_step, "
    "must_change_password, locked, disabled, created_at, password_changed_at";
constexpr const char* kSessionColumns = "id_hash, username, csrf_token, address, created_at, last_seen_at, ended_at";
constexpr const char* kTokenColumns = "id, name, token_hash, username, permissions, created_at, revoked_at";

// A user as stored, the TOTP secret opened (a token under the personal-data
// key ring, or plain text in a store without one).
Result<User> read_user(const PgResult& r, int row, const stored::PersonalFields& fields) {
  User u;
  u.username = r.text(row, 0);
  u.display_name = r.text(row, 1);
  u.unit_code = r.text(row, 2);
  u.role = r.text(row, 3);
  u.password_hash = r.text(row, 4);
  PINGAN_ASSIGN_OR_RETURN(u.totp_secret, fields.open_text(r.view(row, 5), stored::kTotpSecretContext,
                                                          fmt::format("user {}", u.username)));
  u.totp_last_step = r.int64(row, 6);
  u.must_change_password = r.int64(row, 7) != 0;
  u.locked = r.int64(row, 8) != 0;
  u.disabled = r.int64(row, 9) != 0;
  u.created_at = r.int64(row, 10);
  u.password_changed_at = r.int64(row, 11);
  return u;
}

// The user's fields in kUserColumns order ($1 … $12), the TOTP secret as
// `stored_secret` (sealed).
Params user_params(const User& u, const std::string& stored_secret) {
  Params p;
  p.add(u.username).add(u.display_name).add(u.unit_code).add(u.role).add(u.password_hash).add(stored_secret);
  p.add(u.totp_last_step).add(u.must_change_password ? 1 : 0).add(u.locked ? 1 : 0).add(u.disabled ? 1 : 0);
  p.add(u.created_at).add(u.password_changed_at);
  return p;
}

Session read_session(const PgResult& r, int row) {
  Session s;
  s.id_hash = r.text(row, 0);
  s.username = r.text(row, 1);
  s.csrf_token = r.text(row, 2);
  s.address = r.text(row, 3);
  s.created_at = r.int64(row, 4);
  s.last_seen_at = r.int64(row, 5);
  s.ended_at = r.opt_int64(row, 6);
  return s;
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string word; in >> word;) out.push_back(word);
  return out;
}

ApiToken read_token(const PgResult& r, int row) {
  ApiToken t;
  t.id = r.int64(row, 0);
  t.name = r.text(row, 1);
  t.token_hash = r.text(row, 2);
  t.username = r.text(row, 3);
  t.permissions = split_words(r.text(row, 4));
  t.created_at = r.int64(row, 5);
  t.revoked_at = r.opt_int64(row, 6);
  return t;
}

}  // namespace

Status PgUserStore::add_user(const User& user) {
  PINGAN_ASSIGN_OR_RETURN(const std::string secret, fields_.seal_text(user.totp_secret, stored::kTotpSecretContext));
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  PINGAN_ASSIGN_OR_RETURN(PgResult r, c->exec(fmt::format("INSERT INTO users ({}) VALUES "
                                                          "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
                                                          "ON CONFLICT (username) DO NOTHING",
                                                          kUserColumns),
                                              user_params(user, secret), "adding a user"));
  if (r.affected() == 0)
    return Error{ErrorCode::kAlreadyExists, "username", fmt::format("user '{}' exists already", user.username)};
  return {};
}

Status PgUserStore::update_user(const User& user) {
  PINGAN_ASSIGN_OR_RETURN(const std::string secret, fields_.seal_text(user.totp_secret, stored::kTotpSecretContext));
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  PINGAN_ASSIGN_OR_RETURN(
      PgResult r,
      c->exec("UPDATE users SET display_name = $2, unit_code = $3, role = $4, password_hash = $5, "
              "totp_secret = $6, totp_last_step = $7, must_change_password = $8, locked = $9, disabled = $10, "
              "created_at = $11, password_changed_at = $12 WHERE username = $1",
              user_params(user, secret), "updating a user"));
  if (r.affected() == 0) return Error::not_found(fmt::format("no user '{}'", user.username));
  return {};
}

Result<std::optional<User>> PgUserStore::find_user(const std::string& username) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  Params p;
  p.add(username);
  PINGAN_ASSIGN_OR_RETURN(
      PgResult r, c->exec(fmt::format("SELECT {} FROM users WHERE username = $1", kUserColumns), p, "reading a user"));
  if (r.rows() == 0) return std::optional<User>();
  PINGAN_ASSIGN_OR_RETURN(User user, read_user(r, 0, fields_));
  return std::optional<User>(std::move(user));
}

Result<std::vector<User>> PgUserStore::list_users() {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  // COLLATE "C": byte order, as SQLite sorts, whatever the database's locale.
  PINGAN_ASSIGN_OR_RETURN(
      PgResult r,
      c->exec(fmt::format("SELECT {} FROM users ORDER BY username COLLATE \"C\"", kUserColumns), "reading users"));
  std::vector<User> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    PINGAN_ASSIGN_OR_RETURN(User user, read_user(r, i, fields_));
    out.push_back(std::move(user));
  }
  return out;
}

Result<int> PgUserStore::record_failed_login(const std::string& username, Timestamp at, Timestamp since) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  Params name;
  name.add(username);
  // Two sign-ins failing at once must not both count the same total (SQLite
  // serialises them on its writer): a lock per username, held to commit, in
  // the two-key space so it cannot meet the bigint keys of pg_migrations.h.
  PINGAN_RETURN_IF_ERROR(c->run("SELECT pg_advisory_xact_lock(hashtext('pingan.failed_logins'), hashtext($1))", name,
                                "locking a user's failed sign-ins"));
  Params add;
  add.add(username).add(at);
  PINGAN_RETURN_IF_ERROR(
      c->run("INSERT INTO failed_logins (username, at) VALUES ($1, $2)", add, "recording a failed sign-in"));
  Params window;
  window.add(username).add(since);
  // Old failures no longer count; dropping them keeps the table small.
  PINGAN_RETURN_IF_ERROR(
      c->run("DELETE FROM failed_logins WHERE username = $1 AND at < $2", window, "pruning failed sign-ins"));
  PINGAN_ASSIGN_OR_RETURN(PgResult count, c->exec("SELECT count(*) FROM failed_logins WHERE username = $1 AND at >= $2",
                                                  window, "counting failed sign-ins"));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return static_cast<int>(count.int64(0, 0));
}

Status PgUserStore::clear_failed_logins(const std::string& username) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  Params p;
  p.add(username);
  return c->run("DELETE FROM failed_logins WHERE username = $1", p, "clearing failed sign-ins");
}

Status PgUserStore::add_session(const Session& s) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  Params p;
  p.add(s.id_hash).add(s.username).add(s.csrf_token).add(s.address).add(s.created_at).add(s.last_seen_at);
  p.add(s.ended_at);
  return c->run(fmt::format("INSERT INTO sessions ({}) VALUES ($1, $2, $3, $4, $5, $6, $7)", kSessionColumns), p,
                "adding a session");
}

Result<std::optional<Session>> PgUserStore::find_session(const std::string& id_hash) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  Params p;
  p.add(id_hash);
  PINGAN_ASSIGN_OR_RETURN(PgResult r, c->exec(fmt::format("SELECT {} FROM sessions WHERE id_hash = $1", kSessionColumns),
                                              p, "reading a session"));
  if (r.rows() == 0) return std::optional<Session>();
  return std::optional<Session>(read_session(r, 0));
}

Status PgUserStore::touch_session(const std::string& id_hash, Timestamp last_seen_at) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  Params p;
  p.add(id_hash).add(last_seen_at);
  return c->run("UPDATE sessions SET last_seen_at = GREATEST(last_seen_at, $2) WHERE id_hash = $1", p,
                "touching a session");
}

Status PgUserStore::end_session(const std::string& id_hash, Timestamp at) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  Params p;
  p.add(id_hash).add(at);
  return c->run("UPDATE sessions SET ended_at = $2 WHERE id_hash = $1 AND ended_at IS NULL", p, "ending a session");
}

Result<int> PgUserStore::end_sessions_of(const std::string& username, Timestamp at, const std::string& keep) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  Params p;
  p.add(username).add(at).add(keep);
  PINGAN_ASSIGN_OR_RETURN(
      PgResult r, c->exec("UPDATE sessions SET ended_at = $2 WHERE username = $1 AND ended_at IS NULL AND id_hash <> $3",
                          p, "ending a user's sessions"));
  return static_cast<int>(r.affected());
}

Result<ApiToken> PgUserStore::add_token(const ApiToken& token) {
  std::string permissions;
  for (const std::string& p : token.permissions) permissions += (permissions.empty() ? "" : " ") + p;
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  Params p;
  p.add(token.name).add(token.token_hash).add(token.username).add(permissions).add(token.created_at);
  p.add(token.revoked_at);
  PINGAN_ASSIGN_OR_RETURN(
      PgResult r, c->exec("INSERT INTO api_tokens (name, token_hash, username, permissions, created_at, revoked_at) "
                          "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                          p, "adding an API token"));
  ApiToken stored = token;
  stored.id = r.int64(0, 0);
  return stored;
}

Result<std::optional<ApiToken>> PgUserStore::find_token(const std::string& token_hash) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  Params p;
  p.add(token_hash);
  PINGAN_ASSIGN_OR_RETURN(PgResult r,
                          c->exec(fmt::format("SELECT {} FROM api_tokens WHERE token_hash = $1", kTokenColumns), p,
                                  "reading an API token"));
  if (r.rows() == 0) return std::optional<ApiToken>();
  return std::optional<ApiToken>(read_token(r, 0));
}

Result<std::vector<ApiToken>> PgUserStore::list_tokens(const std::string& username) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  Params p;
  p.add(username);
  PINGAN_ASSIGN_OR_RETURN(
      PgResult r, c->exec(fmt::format("SELECT {} FROM api_tokens WHERE $1::text = '' OR username = $1 ORDER BY id",
                                      kTokenColumns),
                          p, "reading API tokens"));
  std::vector<ApiToken> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back(read_token(r, i));
  return out;
}

Status PgUserStore::revoke_token(std::int64_t id, Timestamp at) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  Params p;
  p.add(id).add(at);
  PINGAN_ASSIGN_OR_RETURN(PgResult r, c->exec("UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1",
                                              p, "revoking an API token"));
  if (r.affected() == 0) return Error::not_found(fmt::format("no API token {}", id));
  return {};
}

}  // namespace pingan
