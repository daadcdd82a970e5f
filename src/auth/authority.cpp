#include "auth/authority.h"

#include <fmt/format.h>

#include <algorithm>

#include "auth/secrets.h"
#include "auth/totp.h"
#include "core/code_checks.h"
#include "engine/engine.h"

namespace pingan::auth {
namespace {

constexpr const char* kTokenPrefix = "pat_";  // recognisable in a leaked log or a secret scanner

Error wrong_credentials() { return Error::unauthenticated("wrong username, password or second-factor code"); }
Error locked_error() {
  return Error{ErrorCode::kLocked, "", "the account is locked or disabled; an administrator must unlock it"};
}

// The Status of a Result whose value is not needed.
template <typename T>
Status without_value(const Result<T>& r) {
  if (!r.ok()) return r.error();
  return {};
}

bool valid_username(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

}  // namespace

Authority::Authority(Engine& engine, Roles roles, PasswordDenyList deny, AuthPolicy policy, Clock clock)
    : engine_(engine),
      roles_(std::move(roles)),
      deny_(std::move(deny)),
      policy_(policy),
      clock_(clock ? std::move(clock) : Clock(now_utc)) {
  auto decoy = hash_password(random_token(16), policy_.password_cost);
  if (decoy.ok()) decoy_hash_ = std::move(decoy).value();
}

Result<std::unique_ptr<Authority>> Authority::open(Engine& engine, const std::string& data_dir, AuthPolicy policy,
                                                   Clock clock) {
  PINGAN_ASSIGN_OR_RETURN(Roles roles, load_roles(data_dir));
  PINGAN_ASSIGN_OR_RETURN(PasswordDenyList deny, load_password_deny_list(data_dir));
  return std::make_unique<Authority>(engine, std::move(roles), std::move(deny), policy, std::move(clock));
}

void Authority::note(AuthNote n) const {
  if (notes_) notes_(n);
}

std::optional<Authority::CachedPrincipal> Authority::cached(const std::string& key) {
  std::lock_guard lock(cache_mutex_);
  auto it = cache_.find(key);
  if (it == cache_.end()) return std::nullopt;
  if (std::chrono::steady_clock::now() - it->second.loaded > kPrincipalCacheTtl) {
    cache_.erase(it);
    return std::nullopt;
  }
  return it->second;
}

void Authority::remember(const std::string& key, CachedPrincipal entry) {
  std::lock_guard lock(cache_mutex_);
  if (cache_.size() > 10000) cache_.clear();  // bounded: a flood of tokens cannot grow it
  cache_[key] = std::move(entry);
}

void Authority::forget_all() {
  std::lock_guard lock(cache_mutex_);
  cache_.clear();
}

Result<Principal> Authority::principal_of(const User& user) const {
  const Role* role = roles_.find(user.role);
  if (!role)
    return Error::permission_denied(
        fmt::format("the role '{}' of user '{}' is not in roles.json; an administrator must fix it", user.role,
                    user.username));
  Principal p;
  p.username = user.username;
  p.display_name = user.display_name;
  p.unit_code = user.unit_code;
  p.role = role->name;
  p.role_zh = role->name_zh;
  p.permissions = role->permissions;
  p.must_change_password = user.must_change_password;
  return p;
}

bool Authority::address_allowed(const std::string& address) {
  const Timestamp now = clock_();
  std::lock_guard lock(attempts_mutex_);
  if (attempts_.size() > 100000) {
    // Many addresses: forget the ones whose last attempt is outside the window.
    for (auto it = attempts_.begin(); it != attempts_.end();)
      it = it->second.empty() || it->second.back() < now - policy_.address_window_s ? attempts_.erase(it)
                                                                                      : std::next(it);
  }
  auto& times = attempts_[address];
  while (!times.empty() && times.front() <= now - policy_.address_window_s) times.pop_front();
  if (static_cast<int>(times.size()) >= policy_.address_attempts) return false;
  times.push_back(now);
  return true;
}

int Authority::retry_after_s(const std::string& address) const {
  std::lock_guard lock(attempts_mutex_);
  auto it = attempts_.find(address);
  if (it == attempts_.end() || it->second.empty()) return 1;
  return static_cast<int>(std::max<Timestamp>(1, it->second.front() + policy_.address_window_s - clock_()));
}

Result<Authority::SignIn> Authority::login(const std::string& username, const std::string& password,
                                           const std::string& totp_code, const std::string& address) {
  const Timestamp now = clock_();
  if (!address_allowed(address)) {
    note({username, "", address, "login", "user:" + username, "refused", "too many attempts from this address"});
    return Error{ErrorCode::kTooManyRequests, "",
                 fmt::format("too many sign-in attempts from {}; try again in {} s", address, retry_after_s(address))};
  }
  PINGAN_ASSIGN_OR_RETURN(std::optional<User> found, engine_.user_store().find_user(username));
  if (!found) {
    verify_password(decoy_hash_, password);  // the same cost as a known name
    note({username, "", address, "login", "user:" + username, "refused", "unknown user"});
    return wrong_credentials();
  }
  User user = std::move(*found);
  if (user.locked || user.disabled) {
    note({username, user.unit_code, address, "login", "user:" + username, "refused", "locked or disabled"});
    return locked_error();
  }
  const Role* role = roles_.find(user.role);
  bool ok = verify_password(user.password_hash, password);
  std::string why = "wrong password";
  std::optional<std::int64_t> totp_step;
  if (ok && role && roles_.second_factor_for(*role)) {
    if (user.totp_secret.empty()) {
      ok = false;
      why = "the role asks a second factor and none is enrolled (pingan user totp)";
    } else if (totp_code.empty()) {
      ok = false;
      why = "no second-factor code";
    } else if (auto step = totp_step_of(user.totp_secret, totp_code, now); !step.ok()) {
      ok = false;
      why = "wrong second-factor code";
    } else if (*step <= user.totp_last_step) {
      ok = false;
      why = "a second-factor code used before (replay)";
    } else {
      totp_step = *step;
    }
  }
  if (!ok) {
    PINGAN_ASSIGN_OR_RETURN(int failures, engine_.user_store().record_failed_login(
                                              username, now, now - policy_.lockout_window_s));
    if (failures >= policy_.lockout_failures) {
      user.locked = true;
      forget_all();
      PINGAN_RETURN_IF_ERROR(engine_.user_store().update_user(user));
      PINGAN_RETURN_IF_ERROR(without_value(engine_.user_store().end_sessions_of(username, now)));
      note({username, user.unit_code, address, "user.lock", "user:" + username, "ok",
            fmt::format("{} failed sign-ins within {} minutes", failures, policy_.lockout_window_s / 60)});
    }
    note({username, user.unit_code, address, "login", "user:" + username, "refused", why});
    return wrong_credentials();
  }
  if (!role) return principal_of(user).error();
  if (totp_step) {
    user.totp_last_step = *totp_step;
    PINGAN_RETURN_IF_ERROR(engine_.user_store().update_user(user));
  }
  PINGAN_RETURN_IF_ERROR(engine_.user_store().clear_failed_logins(username));

  // Always a new session id: one planted in the browser before sign-in is
  // never the one that signs in (session fixation).
  SignIn out;
  out.session_token = random_token(32);
  Session session;
  session.id_hash = sha256_hex(out.session_token);
  session.username = username;
  session.csrf_token = random_token(24);
  session.address = address;
  session.created_at = now;
  session.last_seen_at = now;
  PINGAN_RETURN_IF_ERROR(engine_.user_store().add_session(session));
  PINGAN_ASSIGN_OR_RETURN(out.principal, principal_of(user));
  out.principal.session_id_hash = session.id_hash;
  out.principal.csrf_token = session.csrf_token;
  note({username, user.unit_code, address, "login", "user:" + username, "ok", ""});
  return out;
}

Result<Principal> Authority::from_session(const std::string& session_token) {
  if (session_token.empty() || session_token.size() > 128) return Error::unauthenticated("not signed in");
  const std::string id_hash = sha256_hex(session_token);
  const std::string key = "s:" + id_hash;
  std::optional<CachedPrincipal> hit = cached(key);
  Session session;
  if (hit) {
    session = hit->session;
  } else {
    PINGAN_ASSIGN_OR_RETURN(std::optional<Session> stored, engine_.user_store().find_session(id_hash));
    if (!stored) return Error::unauthenticated("not signed in (the session is unknown)");
    session = std::move(*stored);
  }
  const Timestamp now = clock_();
  if (session.ended_at) return Error::unauthenticated("the session has ended; sign in again");
  if (now - session.created_at >= policy_.absolute_timeout_s) {
    PINGAN_RETURN_IF_ERROR(engine_.user_store().end_session(id_hash, now));
    forget_all();
    return Error::unauthenticated(
        fmt::format("the session is older than {} hours; sign in again", policy_.absolute_timeout_s / 3600));
  }
  if (now - session.last_seen_at >= policy_.idle_timeout_s) {
    PINGAN_RETURN_IF_ERROR(engine_.user_store().end_session(id_hash, now));
    forget_all();
    return Error::unauthenticated(
        fmt::format("the session was idle for {} minutes; sign in again", policy_.idle_timeout_s / 60));
  }
  Principal p;
  if (hit) {
    p = hit->principal;
  } else {
    PINGAN_ASSIGN_OR_RETURN(std::optional<User> user, engine_.user_store().find_user(session.username));
    if (!user) return Error::unauthenticated("the session's user no longer exists");
    if (user->locked || user->disabled) return locked_error();
    PINGAN_ASSIGN_OR_RETURN(p, principal_of(*user));
    p.session_id_hash = id_hash;
    p.csrf_token = session.csrf_token;
  }
  if (now - session.last_seen_at >= policy_.touch_every_s) {
    PINGAN_RETURN_IF_ERROR(engine_.user_store().touch_session(id_hash, now));
    session.last_seen_at = now;
  }
  remember(key, CachedPrincipal{p, session, hit ? hit->loaded : std::chrono::steady_clock::now()});
  return p;
}

Result<Principal> Authority::from_token(const std::string& api_token) {
  if (api_token.rfind(kTokenPrefix, 0) != 0 || api_token.size() > 128)
    return Error::unauthenticated("the API token is malformed");
  const std::string token_hash = sha256_hex(api_token);
  if (auto hit = cached("t:" + token_hash)) return hit->principal;
  PINGAN_ASSIGN_OR_RETURN(std::optional<ApiToken> token, engine_.user_store().find_token(token_hash));
  if (!token) return Error::unauthenticated("the API token is unknown");
  if (token->revoked_at) return Error::unauthenticated("the API token was revoked");
  PINGAN_ASSIGN_OR_RETURN(std::optional<User> user, engine_.user_store().find_user(token->username));
  if (!user) return Error::unauthenticated("the API token's user no longer exists");
  if (user->locked || user->disabled) return locked_error();
  PINGAN_ASSIGN_OR_RETURN(Principal p, principal_of(*user));
  // A token has at most its user's role's permissions, whatever it was issued with.
  std::set<std::string> granted;
  for (const std::string& perm : token->permissions)
    if (p.permissions.count(perm)) granted.insert(perm);
  p.permissions = std::move(granted);
  p.must_change_password = false;  // a machine does not change passwords
  p.via_token = true;
  p.token_name = token->name;
  remember("t:" + token_hash, CachedPrincipal{p, Session{}, std::chrono::steady_clock::now()});
  return p;
}

Status Authority::logout(const Principal& who, const std::string& address) {
  ForgetOnReturn forget{*this};  // no cached principal outlives what changes here
  if (!who.session_id_hash.empty())
    PINGAN_RETURN_IF_ERROR(engine_.user_store().end_session(who.session_id_hash, clock_()));
  note({who.username, who.unit_code, address, "logout", "user:" + who.username, "ok", ""});
  return {};
}

Status Authority::end_session(const std::string& session_token) {
  ForgetOnReturn forget{*this};  // no cached principal outlives what changes here
  if (session_token.empty() || session_token.size() > 128) return {};
  return engine_.user_store().end_session(sha256_hex(session_token), clock_());
}

Status Authority::change_password(const Principal& who, const std::string& old_password,
                                  const std::string& new_password, const std::string& address) {
  ForgetOnReturn forget{*this};  // no cached principal outlives what changes here
  PINGAN_ASSIGN_OR_RETURN(std::optional<User> user, engine_.user_store().find_user(who.username));
  if (!user) return Error::unauthenticated("the user no longer exists");
  if (!verify_password(user->password_hash, old_password)) {
    note({who.username, who.unit_code, address, "password", "user:" + who.username, "refused", "wrong old password"});
    return Error::invalid("old_password", "is not the current password");
  }
  if (old_password == new_password) return Error::invalid("new_password", "is the same as the old one");
  PINGAN_RETURN_IF_ERROR(check_new_password(new_password, who.username, deny_, "new_password"));
  PINGAN_ASSIGN_OR_RETURN(user->password_hash, hash_password(new_password, policy_.password_cost));
  user->must_change_password = false;
  user->password_changed_at = clock_();
  PINGAN_RETURN_IF_ERROR(engine_.user_store().update_user(*user));
  // A password changed because it leaked must not leave the thief's session
  // open (ASVS 3.3.3): every other session of the user ends; this one stays.
  PINGAN_RETURN_IF_ERROR(
      without_value(engine_.user_store().end_sessions_of(who.username, clock_(), who.session_id_hash)));
  note({who.username, who.unit_code, address, "password", "user:" + who.username, "ok", "other sessions ended"});
  return {};
}

Status Authority::check_user_fields(const NewUser& u) const {
  if (!valid_username(u.username))
    return Error::invalid("username", "must be 1-64 characters of a-z, 0-9, '.', '_' and '-'");
  if (u.display_name.empty() || u.display_name.size() > 200)
    return Error::invalid("name", "must be given, at most 200 bytes");
  if (!roles_.find(u.role)) {
    std::string names;
    for (const Role& r : roles_.roles) names += (names.empty() ? "" : ", ") + r.name;
    return Error::invalid("role", fmt::format("'{}' is not a role; the roles are {}", u.role, names));
  }
  if (u.unit_code != kAllUnits)
    PINGAN_RETURN_IF_ERROR(without_value(require_unit(*engine_.units(), u.unit_code, "unit")));
  return {};
}

Result<Authority::CreatedUser> Authority::add_user(const NewUser& nu, const std::string& by) {
  PINGAN_RETURN_IF_ERROR(check_user_fields(nu));
  CreatedUser out;
  // 18 random bytes: 24 characters, far beyond the rules; changed at first sign-in.
  out.one_time_password = random_token(18);
  User& u = out.user;
  u.username = nu.username;
  u.display_name = nu.display_name;
  u.unit_code = nu.unit_code;
  u.role = nu.role;
  PINGAN_ASSIGN_OR_RETURN(u.password_hash, hash_password(out.one_time_password, policy_.password_cost));
  u.must_change_password = true;
  u.created_at = clock_();
  u.password_changed_at = u.created_at;
  if (roles_.second_factor_for(*roles_.find(nu.role))) {
    out.totp_secret = new_totp_secret();
    u.totp_secret = out.totp_secret;
  }
  PINGAN_RETURN_IF_ERROR(engine_.user_store().add_user(u));
  note({by, "", "", "user.add", "user:" + nu.username, "ok", fmt::format("role {}, unit {}", nu.role, nu.unit_code)});
  return out;
}

Status Authority::set_password(const std::string& username, const std::string& password, bool must_change,
                               const std::string& by) {
  ForgetOnReturn forget{*this};  // no cached principal outlives what changes here
  PINGAN_ASSIGN_OR_RETURN(std::optional<User> user, engine_.user_store().find_user(username));
  if (!user) return Error::not_found(fmt::format("no user '{}'", username));
  PINGAN_RETURN_IF_ERROR(check_new_password(password, username, deny_, "password"));
  PINGAN_ASSIGN_OR_RETURN(user->password_hash, hash_password(password, policy_.password_cost));
  user->must_change_password = must_change;
  user->password_changed_at = clock_();
  PINGAN_RETURN_IF_ERROR(engine_.user_store().update_user(*user));
  PINGAN_RETURN_IF_ERROR(without_value(engine_.user_store().end_sessions_of(username, clock_())));
  note({by, "", "", "user.password", "user:" + username, "ok", ""});
  return {};
}

Result<std::string> Authority::reset_password(const std::string& username, const std::string& by) {
  ForgetOnReturn forget{*this};  // no cached principal outlives what changes here
  PINGAN_ASSIGN_OR_RETURN(std::optional<User> user, engine_.user_store().find_user(username));
  if (!user) return Error::not_found(fmt::format("no user '{}'", username));
  std::string one_time = random_token(18);
  PINGAN_ASSIGN_OR_RETURN(user->password_hash, hash_password(one_time, policy_.password_cost));
  user->must_change_password = true;
  user->password_changed_at = clock_();
  PINGAN_RETURN_IF_ERROR(engine_.user_store().update_user(*user));
  PINGAN_RETURN_IF_ERROR(without_value(engine_.user_store().end_sessions_of(username, clock_())));
  note({by, "", "", "user.password", "user:" + username, "ok", "one-time password issued"});
  return one_time;
}

Status Authority::lock(const std::string& username, const std::string& by) {
  ForgetOnReturn forget{*this};  // no cached principal outlives what changes here
  PINGAN_ASSIGN_OR_RETURN(std::optional<User> user, engine_.user_store().find_user(username));
  if (!user) return Error::not_found(fmt::format("no user '{}'", username));
  user->locked = true;
  PINGAN_RETURN_IF_ERROR(engine_.user_store().update_user(*user));
  PINGAN_RETURN_IF_ERROR(without_value(engine_.user_store().end_sessions_of(username, clock_())));
  note({by, "", "", "user.lock", "user:" + username, "ok", ""});
  return {};
}

Status Authority::unlock(const std::string& username, const std::string& by) {
  ForgetOnReturn forget{*this};  // no cached principal outlives what changes here
  PINGAN_ASSIGN_OR_RETURN(std::optional<User> user, engine_.user_store().find_user(username));
  if (!user) return Error::not_found(fmt::format("no user '{}'", username));
  user->locked = false;
  PINGAN_RETURN_IF_ERROR(engine_.user_store().update_user(*user));
  PINGAN_RETURN_IF_ERROR(engine_.user_store().clear_failed_logins(username));
  note({by, "", "", "user.unlock", "user:" + username, "ok", ""});
  return {};
}

Result<std::string> Authority::enrol_totp(const std::string& username, const std::string& by) {
  ForgetOnReturn forget{*this};  // no cached principal outlives what changes here
  PINGAN_ASSIGN_OR_RETURN(std::optional<User> user, engine_.user_store().find_user(username));
  if (!user) return Error::not_found(fmt::format("no user '{}'", username));
  user->totp_secret = new_totp_secret();
  user->totp_last_step = 0;
  PINGAN_RETURN_IF_ERROR(engine_.user_store().update_user(*user));
  note({by, "", "", "user.totp", "user:" + username, "ok", ""});
  return user->totp_secret;
}

Result<Authority::IssuedToken> Authority::issue_token(const std::string& username, const std::string& name,
                                                      const std::vector<std::string>& permissions,
                                                      const std::string& by) {
  PINGAN_ASSIGN_OR_RETURN(std::optional<User> user, engine_.user_store().find_user(username));
  if (!user) return Error::not_found(fmt::format("no user '{}'", username));
  const Role* role = roles_.find(user->role);
  if (!role) return Error::invalid("role", fmt::format("user '{}' has no known role", username));
  if (name.empty() || name.size() > 64) return Error::invalid("name", "must be 1-64 bytes");
  IssuedToken out;
  out.token.name = name;
  out.token.username = username;
  out.token.created_at = clock_();
  if (permissions.empty()) out.token.permissions.assign(role->permissions.begin(), role->permissions.end());
  for (const std::string& p : permissions) {
    if (!role->permissions.count(p))
      return Error::invalid("permissions",
                            fmt::format("'{}' is not a permission of role '{}' (user '{}')", p, role->name, username));
    out.token.permissions.push_back(p);
  }
  out.secret = kTokenPrefix + random_token(32);
  out.token.token_hash = sha256_hex(out.secret);
  PINGAN_ASSIGN_OR_RETURN(out.token, engine_.user_store().add_token(out.token));
  note({by, "", "", "token.issue", fmt::format("token:{}", out.token.id), "ok", name});
  return out;
}

Status Authority::revoke_token(std::int64_t id, const std::string& by) {
  ForgetOnReturn forget{*this};  // no cached principal outlives what changes here
  PINGAN_RETURN_IF_ERROR(engine_.user_store().revoke_token(id, clock_()));
  note({by, "", "", "token.revoke", fmt::format("token:{}", id), "ok", ""});
  return {};
}

Result<std::vector<User>> Authority::users() { return engine_.user_store().list_users(); }

}  // namespace pingan::auth
