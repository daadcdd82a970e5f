#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "config/live_settings.h"
#include "core/scope_match.h"
#include "dispatch/duplicate_calls.h"
#include "http/api_routes.h"
#include "http/query_params.h"
#include "http/incident_query.h"
#include "http/request_scope.h"
#include "json/duplicate_json.h"
#include "json/incident_json.h"
#include "json/json_fields.h"

namespace pingan {
namespace {

IncidentJsonContext json_context(const ApiContext& ctx, const UnitTree* units) {
  return IncidentJsonContext{ctx.engine.taxonomy(), ctx.engine.time_zone(), units};
}

Result<Reply> create_incident(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_ASSIGN_OR_RETURN(nlohmann::json body, parse_json_body(r.body));
  PINGAN_ASSIGN_OR_RETURN(Incident incident,
                          new_incident_from_json(body, ctx.engine.time_zone(), now_utc()));
  // A call is recorded for a unit of the caller's subtree: the unit it names,
  // else the one its location falls in (as the engine derives it). One that
  // falls in no unit is the caller's own unit's, so that whoever took it
  // still sees it (unassigned, only callers over every unit would).
  if (!r.scope.all) {
    auto tree = ctx.engine.units();
    std::string unit = incident.unit_code;
    if (unit.empty() && incident.location && tree)
      if (const Unit* u = tree->locate(*incident.location)) unit = u->code;
    if (unit.empty() && r.scope.root_codes.size() == 1) incident.unit_code = unit = r.scope.root_codes.front();
    // An unknown unit is the engine's to refuse (400, field unit).
    if (!unit.empty() && tree && tree->find(unit) && !scope_holds(r.scope, unit, *tree))
      return Error::permission_denied(fmt::format("unit '{}' is outside your unit's subtree", unit));
  }
  PINGAN_ASSIGN_OR_RETURN(Incident created,
                          ctx.engine.create_incident(std::move(incident), r.actor));
  auto units = ctx.engine.units();
  Reply reply{201, incident_to_json(created, json_context(ctx, units.get())), {}};
  // The desk's duplicate search under the rules in force; recording the call
  // never fails for want of a suggestion.
  auto candidates = dispatch::find_duplicates(ctx.engine, created, ctx.settings_now()->duplicates, r.scope);
  if (!candidates.ok()) spdlog::warn("duplicate calls not looked for: {}", candidates.error().describe());
  reply.body["possible_duplicates"] =
      duplicate_candidates_json(candidates.ok() ? *candidates : std::vector<dispatch::DuplicateCandidate>{});
  reply.headers.emplace_back("Location", fmt::format("/api/incidents/{}", created.id));
  return reply;
}

Result<Reply> get_incident(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));  // takes no query parameters
  PINGAN_ASSIGN_OR_RETURN(IncidentId id, parse_id_param(r.path_params.at(0), "id"));
  PINGAN_ASSIGN_OR_RETURN(Incident incident, ctx.engine.get_incident(id, r.scope));
  auto units = ctx.engine.units();
  Reply reply{200, incident_to_json(incident, json_context(ctx, units.get())), {}};
  // The survivor of a merge lists its duplicate calls; other records read
  // exactly as every other answer gives them.
  PINGAN_ASSIGN_OR_RETURN(std::vector<Incident> merged, ctx.engine.merged_calls(id, r.scope));
  if (!merged.empty()) reply.body["merged_calls"] = merged_calls_json(merged, ctx.engine.time_zone());
  return reply;
}

Result<Reply> list_incidents(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_ASSIGN_OR_RETURN(IncidentListQuery query,
                          incident_query_from_params(r.http.params, ctx.engine.time_zone()));
  auto units = ctx.engine.units();
  const UnitTree empty_tree;
  const UnitTree& tree = units ? *units : empty_tree;
  PINGAN_ASSIGN_OR_RETURN(query.filter.scope, narrow_scope(r.scope, query.unit_code, tree));
  // A list is for people to read: a read replica may answer it (a page up to
  // --replica-max-lag old), and the answer says so.
  query.filter.may_be_stale = true;
  PINGAN_ASSIGN_OR_RETURN(IncidentPage page, ctx.engine.list_incidents(query.filter));
  nlohmann::json items = nlohmann::json::array();
  const IncidentJsonContext jc = json_context(ctx, units.get());
  for (const Incident& inc : page.items) items.push_back(incident_to_json(inc, jc));
  Reply reply{200,
              {{"items", std::move(items)},
               {"total", page.total},
               {"limit", query.filter.limit},
               {"offset", query.filter.offset}},
              {}};
  if (page.stale_by_at_most_s) {
    reply.body["replica"] = {{"stale_by_at_most_s", *page.stale_by_at_most_s}};
    reply.headers.emplace_back("X-Pingan-Replica-Lag", fmt::format("{:.3f}", *page.stale_by_at_most_s));
  }
  return reply;
}

Result<Reply> transition_incident(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_ASSIGN_OR_RETURN(IncidentId id, parse_id_param(r.path_params.at(0), "id"));
  PINGAN_ASSIGN_OR_RETURN(nlohmann::json body, parse_json_body(r.body));
  PINGAN_ASSIGN_OR_RETURN(TransitionRequest request,
                          transition_from_json(body, ctx.engine.time_zone(), r.actor));
  PINGAN_ASSIGN_OR_RETURN(Incident incident, ctx.engine.transition(id, r.scope, request));
  auto units = ctx.engine.units();
  return Reply{200, incident_to_json(incident, json_context(ctx, units.get())), {}};
}

Result<Reply> incident_events(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));  // takes no query parameters
  PINGAN_ASSIGN_OR_RETURN(IncidentId id, parse_id_param(r.path_params.at(0), "id"));
  PINGAN_ASSIGN_OR_RETURN(std::vector<IncidentEvent> events, ctx.engine.events(id, r.scope));
  nlohmann::json items = nlohmann::json::array();
  for (const IncidentEvent& ev : events) items.push_back(event_to_json(ev, ctx.engine.time_zone()));
  return Reply{200, {{"incident_id", id}, {"items", std::move(items)}}, {}};
}

}  // namespace

std::vector<Route> incident_routes(const ApiContext& ctx) {
  auto bind = [&ctx](Result<Reply> (*fn)(const ApiContext&, const RouteRequest&)) {
    return [&ctx, fn](const RouteRequest& r) { return fn(ctx, r); };
  };
  return {
      {"POST", "/api/incidents", "incidents.write", bind(create_incident)},
      {"GET", "/api/incidents", "incidents.read", bind(list_incidents)},
      {"GET", "/api/incidents/{id}", "incidents.read", bind(get_incident)},
      {"POST", "/api/incidents/{id}/transition", "incidents.write", bind(transition_incident)},
      {"GET", "/api/incidents/{id}/events", "incidents.read", bind(incident_events)},
  };
}

}  // namespace pingan
