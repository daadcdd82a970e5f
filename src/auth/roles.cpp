#include "auth/roles.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/taxonomy.h"

namespace pingan::auth {

const Role* Roles::find(const std::string& name) const {
  for (const Role& r : roles)
    if (r.name == name) return &r;
  return nullptr;
}

bool Roles::known_permission(const std::string& permission) const {
  return permission == kPublic || permission == kSignedIn || permissions.count(permission) > 0;
}

Result<Roles> parse_roles(const std::string& text, const std::string& where) {
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return Error::invalid(where, "is not a JSON object");
  Roles out;
  if (doc.contains("second_factor_for_everyone")) {
    if (!doc["second_factor_for_everyone"].is_boolean())
      return Error::invalid(where + ": second_factor_for_everyone", "must be true or false");
    out.second_factor_for_everyone = doc["second_factor_for_everyone"].get<bool>();
  }
  if (doc.contains("audit_digest")) {
    auto alg = doc["audit_digest"].is_string() ? parse_audit_alg(doc["audit_digest"].get<std::string>())
                                                : Result<AuditAlg>(Error::invalid("", ""));
    if (!alg.ok()) return Error::invalid(where + ": audit_digest", "must be \"sha256\" or \"sm3\"");
    out.audit_alg = *alg;
  }
  if (!doc.contains("permissions") || !doc["permissions"].is_object())
    return Error::invalid(where + ": permissions", "must be an object of permission -> description");
  for (const auto& [name, what] : doc["permissions"].items()) {
    if (name == kPublic || name == kSignedIn)
      return Error::invalid(where + ": permissions." + name, "is reserved (routes open to anyone / anyone signed in)");
    out.permissions[name] = what.is_string() ? what.get<std::string>() : std::string();
  }
  if (!doc.contains("roles") || !doc["roles"].is_array() || doc["roles"].empty())
    return Error::invalid(where + ": roles", "must be a non-empty array");
  for (std::size_t i = 0; i < doc["roles"].size(); ++i) {
    const nlohmann::json& r = doc["roles"][i];
    const std::string at = fmt::format("{}: roles[{}]", where, i);
    if (!r.is_object() || !r.contains("name") || !r["name"].is_string() || r["name"].get<std::string>().empty())
      return Error::invalid(at, "needs a name");
    Role role;
    role.name = r["name"].get<std::string>();
    if (out.find(role.name)) return Error::invalid(at, fmt::format("role '{}' is declared twice", role.name));
    role.name_zh = r.value("name_zh", role.name);
    role.second_factor = r.value("second_factor", false);
    if (!r.contains("permissions") || !r["permissions"].is_array())
      return Error::invalid(at + ".permissions", "must be an array of permission names");
    for (const nlohmann::json& p : r["permissions"]) {
      if (!p.is_string() || !out.permissions.count(p.get<std::string>()))
        return Error::invalid(at + ".permissions",
                              fmt::format("'{}' is not a permission declared under \"permissions\"", p.dump()));
      role.permissions.insert(p.get<std::string>());
    }
    out.roles.push_back(std::move(role));
  }
  return out;
}

Result<Roles> load_roles(const std::string& data_dir) {
  const std::string path = (data_dir.empty() ? shipped_data_dir() : data_dir) + "/auth/roles.json";
  std::ifstream in(path);
  if (!in) return Error::invalid("roles", fmt::format("cannot read {}", path));
  std::stringstream text;
  text << in.rdbuf();
  return parse_roles(text.str(), path);
}

}  // namespace pingan::auth
