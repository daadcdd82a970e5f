// GET /api/incidents/{id}/duplicates: the open incidents the call may
// duplicate (the duplicate rules of the settings in force, data/dispatch/duplicates.json). POST /api/incidents/{id}/merge
// {"into": other_id}: links the call under the other incident
// (Engine::merge); statistics count that one only.

#include <fmt/format.h>

#include <cmath>

#include "config/live_settings.h"
#include "http/api_routes.h"
#include "http/query_params.h"
#include "json/duplicate_json.h"
#include "json/incident_json.h"
#include "json/json_fields.h"

namespace pingan {
namespace {

Result<Reply> duplicates(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));  // takes no query parameters
  PINGAN_ASSIGN_OR_RETURN(IncidentId id, parse_id_param(r.path_params.at(0), "id"));
  PINGAN_ASSIGN_OR_RETURN(Incident call, ctx.engine.get_incident(id, r.scope));
  const auto settings = ctx.settings_now();
  const dispatch::DuplicateRules& rules = settings->duplicates;
  PINGAN_ASSIGN_OR_RETURN(auto found, dispatch::find_duplicates(ctx.engine, call, rules, r.scope));
  nlohmann::json items = duplicate_candidates_json(found);
  return Reply{200,
               {{"incident_id", id},
                {"radius_m", rules.radius_m},
                {"window_minutes", rules.window_minutes},
                {"items", std::move(items)}},
               {}};
}

Result<Reply> merge(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_ASSIGN_OR_RETURN(IncidentId id, parse_id_param(r.path_params.at(0), "id"));
  PINGAN_ASSIGN_OR_RETURN(nlohmann::json body, parse_json_body(r.body));
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(body, ""));
  std::optional<double> into;
  PINGAN_RETURN_IF_ERROR(in.read_number("into", &into, /*required=*/true));
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  if (*into < 1 || *into != std::floor(*into) || *into > 9e15)
    return Error::invalid("into", "must be the positive id of an incident");
  PINGAN_ASSIGN_OR_RETURN(Incident merged,
                          ctx.engine.merge(id, static_cast<IncidentId>(*into), r.scope, r.actor));
  auto units = ctx.engine.units();
  return Reply{200,
               incident_to_json(merged, IncidentJsonContext{ctx.engine.taxonomy(), ctx.engine.time_zone(), units.get()}),
               {}};
}

}  // namespace

std::vector<Route> duplicate_routes(const ApiContext& ctx) {
  return {{"GET", "/api/incidents/{id}/duplicates", "incidents.read", [&ctx](const RouteRequest& r) { return duplicates(ctx, r); }},
          {"POST", "/api/incidents/{id}/merge", "incidents.write", [&ctx](const RouteRequest& r) { return merge(ctx, r); }}};
}

}  // namespace pingan
