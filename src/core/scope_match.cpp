#include "core/scope_match.h"

#include <algorithm>

namespace pingan {

bool scope_holds(const UnitScope& scope, const std::string& unit_code, const UnitTree& tree) {
  if (scope.all) return true;
  if (unit_code.empty()) return false;
  const std::vector<std::string> path = tree.path(unit_code);
  for (const std::string& root : scope.root_codes)
    if (std::find(path.begin(), path.end(), root) != path.end()) return true;
  return false;
}

}  // namespace pingan
