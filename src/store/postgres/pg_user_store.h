#pragma once
// Users, sessions, API tokens and failed sign-ins in PostgreSQL. TOTP
// secrets are sealed by the store's personal-data cipher (context
// "users.totp_secret") when it has one, as in SQLite.

#include "store/personal_fields.h"
#include "store/postgres/pg_pool.h"
#include "store/user_store.h"

namespace pingan {

class PgUserStore final : public UserStore {
 public:
  PgUserStore(pg::Pool& pool, const stored::PersonalFields& fields) : pool_(pool), fields_(fields) {}

  Status add_user(const User& user) override;
  Status update_user(const User& user) override;
  Result<std::optional<User>> find_user(const std::string& username) override;
  Result<std::vector<User>> list_users() override;
  Result<int> record_failed_login(const std::string& username, Timestamp at, Timestamp since) override;
  Status clear_failed_logins(const std::string& username) override;
  Status add_session(const Session& session) override;
  Result<std::optional<Session>> find_session(const std::string& id_hash) override;
  Status touch_session(const std::string& id_hash, Timestamp last_seen_at) override;
  Status end_session(const std::string& id_hash, Timestamp at) override;
  Result<int> end_sessions_of(const std::string& username, Timestamp at, const std::string& keep = "") override;
  Result<ApiToken> add_token(const ApiToken& token) override;
  Result<std::optional<ApiToken>> find_token(const std::string& token_hash) override;
  Result<std::vector<ApiToken>> list_tokens(const std::string& username) override;
  Status revoke_token(std::int64_t id, Timestamp at) override;

 private:
  pg::Pool& pool_;
  const stored::PersonalFields& fields_;
};

}  // namespace pingan
