
#include <fmt/format.h>

#include <set>

#include "core/scope_match.h"
#include "http/api_routes.h"
#include "http/incident_query.h"
#include "json/json_fields.h"
#include "json/unit_json.h"

namespace pingan {
namespace {

Result<Reply> list_units(const ApiContext& ctx, const RouteRequest& r) {
  bool geometry = false;
  for (const auto& [key, value] : r.http.params) {
    if (key != "geometry") return Error::invalid(key, "is not a known parameter of this query");
    PINGAN_ASSIGN_OR_RETURN(geometry, parse_flag(value, "geometry"));
  }
  auto tree = ctx.engine.units();
  nlohmann::json items = nlohmann::json::array();
  if (tree) {
    // The caller's subtree, and the units above it so that its place in the
    // bureau can be named (济南市公安局 › 泉城路派出所); not the neighbours'.
    std::set<std::string> above;
    if (!r.scope.all)
      for (const std::string& root : r.scope.root_codes)
        for (const std::string& code : tree->path(root)) above.insert(code);
    for (const Unit& u : tree->units())
      if (r.scope.all || above.count(u.code) || scope_holds(r.scope, u.code, *tree))
        items.push_back(unit_to_json(u, geometry));
  }
  const size_t total = items.size();
  return Reply{200, {{"items", std::move(items)}, {"total", total}}, {}};
}

// A caller changes units inside their own subtree only: an existing unit must
// be in it, a new one (or a moved one) must hang under a unit in it. Their
// own root keeps the parent it has (above their subtree) but cannot move.
Status check_units_in_scope(const ApiContext& ctx, const UnitScope& scope, const std::vector<Unit>& units) {
  if (scope.all) return {};
  auto tree = ctx.engine.units();
  const UnitTree empty;
  const UnitTree& t = tree ? *tree : empty;
  for (std::size_t i = 0; i < units.size(); ++i) {
    const Unit& u = units[i];
    const Unit* existing = t.find(u.code);
    if (existing && !scope_holds(scope, u.code, t))
      return Error::permission_denied(fmt::format("[{}]: unit '{}' is outside your unit's subtree", i, u.code));
    const bool same_parent = existing && existing->parent_code == u.parent_code;
    // An unknown parent is the engine's to refuse (400).
    const bool unknown_parent = !u.parent_code.empty() && !t.find(u.parent_code);
    if (!same_parent && !unknown_parent && (u.parent_code.empty() || !scope_holds(scope, u.parent_code, t)))
      return Error::permission_denied(
          fmt::format("[{}]: unit '{}' would hang under '{}', outside your unit's subtree", i, u.code, u.parent_code));
  }
  return {};
}

Result<Reply> upsert_units(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_ASSIGN_OR_RETURN(nlohmann::json body, parse_json_body(r.body));
  PINGAN_ASSIGN_OR_RETURN(std::vector<Unit> units, units_from_json(body));
  PINGAN_RETURN_IF_ERROR(check_units_in_scope(ctx, r.scope, units));
  const size_t upserted = units.size();
  PINGAN_RETURN_IF_ERROR(ctx.engine.upsert_units(std::move(units)));
  auto tree = ctx.engine.units();
  return Reply{200, {{"upserted", upserted}, {"total", tree ? tree->units().size() : 0}}, {}};
}

}  // namespace

std::vector<Route> unit_routes(const ApiContext& ctx) {
  return {
      {"GET", "/api/units", "units.read", [&ctx](const RouteRequest& r) { return list_units(ctx, r); }},
      {"POST", "/api/units", "units.write", [&ctx](const RouteRequest& r) { return upsert_units(ctx, r); }},
  };
}

}  // namespace pingan
