#pragma once
// Users, their sessions, API tokens and failed sign-ins, durably (core/user.h).
// Only the engine holds the store; auth/ reaches it through Engine::user_store().

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/user.h"

namespace pingan {

class UserStore {
 public:
  virtual ~UserStore() = default;

  // Adds a user; an existing username is refused (kAlreadyExists).
  virtual Status add_user(const User& user) = 0;
  // Writes every field of an existing user (kNotFound when there is none).
  virtual Status update_user(const User& user) = 0;
  virtual Result<std::optional<User>> find_user(const std::string& username) = 0;
  virtual Result<std::vector<User>> list_users() = 0;

  // Failed sign-ins of a user at or after `since`; recording one returns the new count.
  virtual Result<int> record_failed_login(const std::string& username, Timestamp at, Timestamp since) = 0;
  virtual Status clear_failed_logins(const std::string& username) = 0;

  virtual Status add_session(const Session& session) = 0;
  virtual Result<std::optional<Session>> find_session(const std::string& id_hash) = 0;
  virtual Status touch_session(const std::string& id_hash, Timestamp last_seen_at) = 0;
  virtual Status end_session(const std::string& id_hash, Timestamp at) = 0;
  // Ends every open session of a user (password change, lock) but the one
  // whose id hash is `keep` (empty: none kept); returns how many ended.
  virtual Result<int> end_sessions_of(const std::string& username, Timestamp at, const std::string& keep = "") = 0;

  // Stores a token; returns it with its id.
  virtual Result<ApiToken> add_token(const ApiToken& token) = 0;
  virtual Result<std::optional<ApiToken>> find_token(const std::string& token_hash) = 0;
  virtual Result<std::vector<ApiToken>> list_tokens(const std::string& username) = 0;
  virtual Status revoke_token(std::int64_t id, Timestamp at) = 0;
};

}  // namespace pingan
