#pragma once
// Roles are data (data/auth/roles.json), not code: each grants a set of
// permissions and says whether sign-in asks a second factor. A bureau edits
// the file; a role naming a permission the file does not declare is refused
// at load, so a typo cannot grant nothing (or everything) silently.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "auth/audit_hash.h"
#include "core/status.h"

namespace pingan::auth {

// What a route needs that is not a permission of a role: anyone, or anyone signed in.
inline constexpr const char* kPublic = "public";
inline constexpr const char* kSignedIn = "session";

struct Role {
  std::string name;     // "command"
  std::string name_zh;  // "指挥中心"
  bool second_factor = false;
  std::set<std::string> permissions;
};

struct Roles {
  bool second_factor_for_everyone = false;
  // The digest chaining new audit entries ("audit_digest": "sha256", or
  // "sm3" where GB/T 39786 applies). Entries carry theirs, so a change
  // leaves the chain verifiable.
  AuditAlg audit_alg = AuditAlg::kSha256;
  std::map<std::string, std::string> permissions;  // name -> what it allows
  std::vector<Role> roles;

  const Role* find(const std::string& name) const;
  bool second_factor_for(const Role& role) const { return second_factor_for_everyone || role.second_factor; }
  // Whether `permission` is one the file declares (or public/session).
  bool known_permission(const std::string& permission) const;
};

// Reads and checks <data_dir>/auth/roles.json (data_dir empty: the shipped data/).
Result<Roles> load_roles(const std::string& data_dir);
// The same from the text of such a file; `where` names it in errors.
Result<Roles> parse_roles(const std::string& text, const std::string& where);

}  // namespace pingan::auth
