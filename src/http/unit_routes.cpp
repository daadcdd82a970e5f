
#include <set>

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
  if (tree)
    for (const Unit& u : tree->units()) items.push_back(unit_to_json(u, geometry));
  const size_t total = items.size();
  return Reply{200, {{"items", std::move(items)}, {"total", total}}, {}};
}

Result<Reply> upsert_units(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_ASSIGN_OR_RETURN(nlohmann::json body, parse_json_body(r.body));
  PINGAN_ASSIGN_OR_RETURN(std::vector<Unit> units, units_from_json(body));
  const size_t upserted = units.size();
  PINGAN_RETURN_IF_ERROR(ctx.engine.upsert_units(std::move(units)));
  auto tree = ctx.engine.units();
  return Reply{200, {{"upserted", upserted}, {"total", tree ? tree->units().size() : 0}}, {}};
}

}  // namespace

std::vector<Route> unit_routes(const ApiContext& ctx) {
  return {
      {"GET", "/api/units", [&ctx](const RouteRequest& r) { return list_units(ctx, r); }},
      {"POST", "/api/units", [&ctx](const RouteRequest& r) { return upsert_units(ctx, r); }},
  };
}

}  // namespace pingan
