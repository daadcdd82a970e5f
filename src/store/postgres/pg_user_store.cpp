#include "store/postgres/pg_user_store.h"
// STUB: replaced by the real implementation.
namespace pingan {
Status PgUserStore::add_user(const User& user) { return Error::internal("PgUserStore::add_user: not built yet"); }
Status PgUserStore::update_user(const User& user) { return Error::internal("PgUserStore::update_user: not built yet"); }
Result<std::optional<User>> PgUserStore::find_user(const std::string& username) { return Error::internal("PgUserStore::find_user: not built yet"); }
Result<std::vector<User>> PgUserStore::list_users() { return Error::internal("PgUserStore::list_users: not built yet"); }
Result<int> PgUserStore::record_failed_login(const std::string& username, Timestamp at, Timestamp since) { return Error::internal("PgUserStore::record_failed_login: not built yet"); }
Status PgUserStore::clear_failed_logins(const std::string& username) { return Error::internal("PgUserStore::clear_failed_logins: not built yet"); }
Status PgUserStore::add_session(const Session& session) { return Error::internal("PgUserStore::add_session: not built yet"); }
Result<std::optional<Session>> PgUserStore::find_session(const std::string& id_hash) { return Error::internal("PgUserStore::find_session: not built yet"); }
Status PgUserStore::touch_session(const std::string& id_hash, Timestamp last_seen_at) { return Error::internal("PgUserStore::touch_session: not built yet"); }
Status PgUserStore::end_session(const std::string& id_hash, Timestamp at) { return Error::internal("PgUserStore::end_session: not built yet"); }
Result<int> PgUserStore::end_sessions_of(const std::string& username, Timestamp at, const std::string& keep) { return Error::internal("PgUserStore::end_sessions_of: not built yet"); }
Result<ApiToken> PgUserStore::add_token(const ApiToken& token) { return Error::internal("PgUserStore::add_token: not built yet"); }
Result<std::optional<ApiToken>> PgUserStore::find_token(const std::string& token_hash) { return Error::internal("PgUserStore::find_token: not built yet"); }
Result<std::vector<ApiToken>> PgUserStore::list_tokens(const std::string& username) { return Error::internal("PgUserStore::list_tokens: not built yet"); }
Status PgUserStore::revoke_token(std::int64_t id, Timestamp at) { return Error::internal("PgUserStore::revoke_token: not built yet"); }
}  // namespace pingan
