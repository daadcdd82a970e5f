#pragma once
// Who is asking: the signed-in user (or the user an API token acts for),
// their unit, role and the permissions the request may use.

#include <set>
#include <string>

#include "auth/roles.h"

namespace pingan::auth {

// A unit code that stands for the whole tree: a user created with
// `--unit '*'`, for a deployment whose tree has several roots.
inline constexpr const char* kAllUnits = "*";

struct Principal {
  std::string username;
  std::string display_name;
  std::string unit_code;  // every read and write runs inside this unit's subtree
  std::string role;
  std::string role_zh;
  std::set<std::string> permissions;  // the role's; a token's own subset of them
  bool must_change_password = false;  // until changed, only the session's own routes answer
  bool via_token = false;             // an API token (no cookie, no CSRF check)
  std::string token_name;             // which token, when via_token
  std::string session_id_hash;        // the session's, when signed in by cookie
  std::string csrf_token;             // the session's, for browser writes

  // Whether a route needing `permission` may run for this principal.
  bool allows(const std::string& permission) const {
    if (permission == kPublic) return true;
    if (permission == kSignedIn) return true;
    if (must_change_password) return false;
    return permissions.count(permission) > 0;
  }
  // The name recorded as the actor of writes: a token is named after its user.
  std::string actor() const { return via_token ? username + " (token " + token_name + ")" : username; }
};

}  // namespace pingan::auth
