#pragma once
// Sign-in and the checks behind every request (issue 17): passwords
// (argon2id), lockout after repeated failures, a per-address rate limit,
// the TOTP second factor, sessions with idle and absolute timeouts, API
// tokens; and the administration of users (CLI `pingan user`, /api/users).
// Every record goes through the engine's UserStore. The clock is given, so
// tests move time instead of waiting for it.

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "auth/password.h"
#include "auth/principal.h"
#include "auth/roles.h"
#include "core/status.h"
#include "core/time.h"
#include "core/user.h"

namespace pingan {
class Engine;
}

namespace pingan::auth {

struct AuthPolicy {
  PasswordCost password_cost;
  int lockout_failures = 5;            // failures within the window lock the account
  int lockout_window_s = 15 * 60;
  int idle_timeout_s = 30 * 60;        // ASVS 3.3.2 (level 2): 30 minutes
  int absolute_timeout_s = 12 * 3600;  // ASVS 3.3.2: 12 hours
  // How often a session's last use is written (in memory it is exact): the
  // idle timeout is exact to this, and a busy screen does not write per request.
  int touch_every_s = 60;
  int address_attempts = 20;  // sign-in attempts per client address and window
  int address_window_s = 60;
};

// One thing worth an audit entry (the HTTP layer writes it to the audit log).
struct AuthNote {
  std::string username;
  std::string unit_code;
  std::string address;
  std::string action;   // "login", "logout", "password", "user.add", "user.lock", "token.issue", ...
  std::string target;   // e.g. "user:zhang"
  std::string outcome;  // "ok", "refused", "failed"
  std::string reason;
};

class Authority {
 public:
  using Clock = std::function<Timestamp()>;
  using NoteSink = std::function<void(const AuthNote&)>;

  Authority(Engine& engine, Roles roles, PasswordDenyList deny, AuthPolicy policy, Clock clock);
  // Roles and the deny list from <data_dir>/auth/ (empty: the shipped data/).
  static Result<std::unique_ptr<Authority>> open(Engine& engine, const std::string& data_dir, AuthPolicy policy = {},
                                                 Clock clock = nullptr);

  void set_note_sink(NoteSink sink) { notes_ = std::move(sink); }
  const Roles& roles() const { return roles_; }
  const AuthPolicy& policy() const { return policy_; }
  Timestamp now() const { return clock_(); }

  // --- signing in and out ---
  struct SignIn {
    Principal principal;
    std::string session_token;  // the cookie's value; only its SHA-256 is stored
  };
  // Errors: unauthenticated (wrong name, password or code: which is not said),
  // kLocked (locked or disabled, said whether or not the password was right),
  // kTooManyRequests (the address tried too often; retry_after_s() tells when).
  Result<SignIn> login(const std::string& username, const std::string& password, const std::string& totp_code,
                       const std::string& address);
  int retry_after_s(const std::string& address) const;
  Result<Principal> from_session(const std::string& session_token);
  Result<Principal> from_token(const std::string& api_token);
  Status logout(const Principal& who, const std::string& address);
  // Ends the session of a cookie value, if there is one (a sign-in ends the
  // session the browser brought, whatever its state).
  Status end_session(const std::string& session_token);
  // Also ends every other session of the user (the one asking stays).
  Status change_password(const Principal& who, const std::string& old_password, const std::string& new_password,
                         const std::string& address);

  // --- administration ---
  struct NewUser {
    std::string username;
    std::string display_name;
    std::string unit_code;
    std::string role;
  };
  struct CreatedUser {
    User user;
    std::string one_time_password;  // shown once; must be changed at first sign-in
    std::string totp_secret;        // base32, when the role asks a second factor
  };
  Result<CreatedUser> add_user(const NewUser& user, const std::string& by);
  // Sets a password chosen by the user (checked against the rules).
  Status set_password(const std::string& username, const std::string& password, bool must_change,
                      const std::string& by);
  // A new one-time password (shown once), to be changed at the next sign-in.
  Result<std::string> reset_password(const std::string& username, const std::string& by);
  Status lock(const std::string& username, const std::string& by);
  Status unlock(const std::string& username, const std::string& by);
  // A new TOTP secret for the user (base32); their old codes stop working.
  Result<std::string> enrol_totp(const std::string& username, const std::string& by);
  struct IssuedToken {
    ApiToken token;
    std::string secret;  // shown once
  };
  // A token acting for `username` with `permissions` (all of the role's when empty).
  Result<IssuedToken> issue_token(const std::string& username, const std::string& name,
                                  const std::vector<std::string>& permissions, const std::string& by);
  Status revoke_token(std::int64_t id, const std::string& by);
  Result<std::vector<User>> users();

 private:
  Result<Principal> principal_of(const User& user) const;
  Status check_user_fields(const NewUser& user) const;
  bool address_allowed(const std::string& address);
  void note(AuthNote n) const;

  Engine& engine_;
  Roles roles_;
  PasswordDenyList deny_;
  AuthPolicy policy_;
  Clock clock_;
  NoteSink notes_;
  // A hash of a password nobody has, checked when the user does not exist so
  // that an unknown name costs the same time as a wrong password.
  std::string decoy_hash_;

  // Who a session or token is, kept for a moment: a screen sends many
  // requests a second, and two store reads each would cost more than a
  // statistics answer's 5 %. Any change this server makes to users, sessions
  // or tokens empties it at once; another server's change shows within
  // kPrincipalCacheTtl.
  static constexpr std::chrono::seconds kPrincipalCacheTtl{2};
  struct CachedPrincipal {
    Principal principal;
    Session session;  // for sessions: the timeouts are still checked on every request
    std::chrono::steady_clock::time_point loaded;
  };
  std::optional<CachedPrincipal> cached(const std::string& key);
  void remember(const std::string& key, CachedPrincipal entry);
  void forget_all();
  // Empties the cache when the change it guards is written (or refused), so a
  // request reading in between cannot keep what it read.
  struct ForgetOnReturn {
    Authority& authority;
    ~ForgetOnReturn() { authority.forget_all(); }
  };
  std::mutex cache_mutex_;
  std::unordered_map<std::string, CachedPrincipal> cache_;  // GUARDED_BY(cache_mutex_)

  mutable std::mutex attempts_mutex_;
  std::unordered_map<std::string, std::deque<Timestamp>> attempts_;  // GUARDED_BY(attempts_mutex_)
};

}  // namespace pingan::auth
