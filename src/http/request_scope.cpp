#include "http/request_scope.h"

#include <algorithm>

#include "core/code_checks.h"

namespace pingan {

UnitScope scope_of(const auth::Principal* who) {
  if (!who) return UnitScope{false, {}};
  if (who->unit_code == auth::kAllUnits) return UnitScope::everything();
  return UnitScope::subtree(who->unit_code);
}

std::string actor_of(const auth::Principal* who) { return who ? who->actor() : "anonymous"; }

Result<UnitScope> narrow_scope(const UnitScope& scope, const std::string& unit_code,
                               const UnitTree& tree) {
  if (unit_code.empty()) return scope;
  PINGAN_RETURN_IF_ERROR(require_unit(tree, unit_code));
  if (scope.all) return UnitScope::subtree(unit_code);
  const std::vector<std::string> unit_path = tree.path(unit_code);
  auto on_path = [](const std::vector<std::string>& path, const std::string& code) {
    return std::find(path.begin(), path.end(), code) != path.end();
  };
  for (const std::string& root : scope.root_codes)
    if (on_path(unit_path, root)) return UnitScope::subtree(unit_code);
  UnitScope narrowed{false, {}};
  for (const std::string& root : scope.root_codes)
    if (on_path(tree.path(root), unit_code)) narrowed.root_codes.push_back(root);
  return narrowed;
}

}  // namespace pingan
