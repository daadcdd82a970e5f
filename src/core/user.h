#pragma once
// The people and machines that sign in (issue 17): a user belongs to a unit
// and has a role (roles are data: data/auth/roles.json, auth/roles.h); a
// session is one sign-in in a browser; an API token is a machine client's
// credential. Plain records: hashing and checking are auth/'s.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"

namespace pingan {

struct User {
  std::string username;      // the sign-in name, [a-z0-9._-], 1-64 characters
  std::string display_name;  // 姓名 as shown
  std::string unit_code;     // the unit whose subtree the user works in
  std::string role;          // a role of data/auth/roles.json
  std::string password_hash; // argon2id, libsodium's encoded string (auth/password.h)
  std::string totp_secret;   // base32; empty until the second factor is enrolled
  std::int64_t totp_last_step = 0;  // the newest TOTP time step used: older or equal are replays
  bool must_change_password = false;
  bool locked = false;       // after too many failures, until an administrator unlocks
  bool disabled = false;
  Timestamp created_at = 0;
  Timestamp password_changed_at = 0;
};

struct Session {
  std::string id_hash;     // SHA-256 of the cookie's value (the value itself is never stored)
  std::string username;
  std::string csrf_token;  // sent back by the browser on writes (X-CSRF-Token)
  std::string address;     // the client address at sign-in
  Timestamp created_at = 0;
  Timestamp last_seen_at = 0;
  std::optional<Timestamp> ended_at;  // logout, password change, lock
};

struct ApiToken {
  std::int64_t id = 0;
  std::string name;        // what the token is for ("avl-feed")
  std::string token_hash;  // SHA-256 of the secret (the secret is shown once)
  std::string username;    // the user it acts for: its unit and, at most, its role's permissions
  std::vector<std::string> permissions;  // a subset of the user's role's
  Timestamp created_at = 0;
  std::optional<Timestamp> revoked_at;
};

}  // namespace pingan
