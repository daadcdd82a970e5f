// The dispatch desk over HTTP: patrol units, AVL position batches,
// recommendations and dispatch. Handlers parse, call the DispatchService and
// serialise; the rules live in src/dispatch.

#include <fmt/format.h>

#include <algorithm>

#include "core/scope_match.h"
#include "http/api_routes.h"
#include "http/query_params.h"
#include "json/json_fields.h"
#include "json/patrol_json.h"
#include "http/request_scope.h"

namespace pingan {
namespace {

using nlohmann::json;

Result<dispatch::DispatchService*> service(const ApiContext& ctx) {
  if (!ctx.dispatch) return Error::unavailable("the dispatch service is not running on this server");
  return ctx.dispatch;
}

// The optional {"at"} of a unit step; `at` defaults to now, the actor is the caller.
struct StepBody {
  Timestamp at = 0;
  std::string actor;
  std::optional<bool> on_duty;
};

Result<StepBody> step_body(const ApiContext& ctx, const RouteRequest& r, bool want_duty) {
  StepBody step{now_utc(), r.actor, std::nullopt};
  if (r.body.empty()) {
    if (want_duty) return Error::invalid("on_duty", "is required");
    return step;
  }
  PINGAN_ASSIGN_OR_RETURN(json body, parse_json_body(r.body));
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(body, ""));
  std::optional<Timestamp> at;
  PINGAN_RETURN_IF_ERROR(in.read_time("at", &at, ctx.engine.time_zone()));
  if (at) step.at = *at;
  if (in.member("actor")) return Error::invalid("actor", kActorNotInBody);
  if (want_duty) {
    const json* flag = in.member("on_duty");
    if (!flag || !flag->is_boolean()) return Error::invalid("on_duty", "must be true or false");
    step.on_duty = flag->get<bool>();
  }
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  return step;
}

bool station_in_scope(const ApiContext& ctx, const UnitScope& scope, const std::string& station_code) {
  if (scope.all) return true;
  auto tree = ctx.engine.units();
  return tree && scope_holds(scope, station_code, *tree);
}

// A patrol unit of the caller's subtree. Another unit's answers exactly as
// one that does not exist (the desk's own words): its existence is not told.
Result<dispatch::UnitChange> scoped_unit(const ApiContext& ctx, const dispatch::DispatchService& desk,
                                         const RouteRequest& r, const std::string& call_sign) {
  auto change = desk.get_unit(call_sign);
  if (change.ok() && !station_in_scope(ctx, r.scope, change->unit.station_code))
    return Error::not_found(fmt::format("patrol unit '{}' does not exist", call_sign));
  return change;
}

json unit_json(const ApiContext& ctx, const dispatch::UnitChange& change) {
  auto tree = ctx.engine.units();
  return unit_change_to_json(change, ctx.engine.time_zone(), tree.get());
}

Result<Reply> list_patrol_units(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_ASSIGN_OR_RETURN(auto* desk, service(ctx));
  std::string unit_code;
  std::optional<PatrolStatus> status;
  std::optional<PatrolKind> kind;
  for (const auto& [key, value] : r.http.params) {
    if (key == "unit") {
      unit_code = value;
    } else if (key == "status") {
      PINGAN_ASSIGN_OR_RETURN(status, parse_patrol_status(value));
    } else if (key == "kind") {
      PINGAN_ASSIGN_OR_RETURN(kind, parse_patrol_kind(value));
    } else {
      return Error::invalid(key, "is not a known parameter of this query");
    }
  }
  auto tree = ctx.engine.units();
  const UnitTree empty;
  PINGAN_ASSIGN_OR_RETURN(UnitScope scope, narrow_scope(r.scope, unit_code, tree ? *tree : empty));
  json items = json::array();
  for (const auto& change : desk->list_units(scope)) {
    if (status && change.unit.status != *status) continue;
    if (kind && change.unit.kind != *kind) continue;
    items.push_back(unit_change_to_json(change, ctx.engine.time_zone(), tree.get()));
  }
  const std::size_t total = items.size();
  return Reply{200, {{"items", std::move(items)}, {"total", total}}, {}};
}

Result<Reply> upsert_patrol_units(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_ASSIGN_OR_RETURN(auto* desk, service(ctx));
  PINGAN_ASSIGN_OR_RETURN(json body, parse_json_body(r.body));
  if (!body.is_array()) return Error::invalid("body", "must be a JSON array of patrol units");
  std::vector<PatrolUnit> units;
  for (std::size_t i = 0; i < body.size(); ++i) {
    bool status_given = false;
    PINGAN_ASSIGN_OR_RETURN(PatrolUnit u,
                            patrol_unit_from_json(body[i], fmt::format("[{}]", i), &status_given));
    // A caller adds and changes the patrol units of their own subtree only,
    // and cannot take one over by naming it with their own station.
    auto existing_unit = desk->get_unit(u.call_sign);
    if (!station_in_scope(ctx, r.scope, u.station_code) ||
        (existing_unit.ok() && !station_in_scope(ctx, r.scope, existing_unit->unit.station_code)))
      return Error::permission_denied(fmt::format("[{}]: patrol unit '{}' of station '{}' is outside your unit's subtree",
                                                  i, u.call_sign, u.station_code));
    // Without a status an existing unit keeps its own; a new one starts off duty.
    if (!status_given) {
      auto existing = desk->get_unit(u.call_sign);
      u.status = existing.ok() ? existing->unit.status : PatrolStatus::kOffDuty;
      if (u.status == PatrolStatus::kEnRoute || u.status == PatrolStatus::kOnScene)
        u.status = PatrolStatus::kAvailable;  // kept as it is by upsert_units
    }
    units.push_back(std::move(u));
  }
  const std::size_t upserted = units.size();
  PINGAN_RETURN_IF_ERROR(desk->upsert_units(std::move(units)));
  return Reply{200, {{"upserted", upserted}, {"total", desk->list_units(UnitScope::everything()).size()}}, {}};
}

Result<Reply> get_patrol_unit(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));  // takes no query parameters
  PINGAN_ASSIGN_OR_RETURN(auto* desk, service(ctx));
  PINGAN_ASSIGN_OR_RETURN(dispatch::UnitChange change, scoped_unit(ctx, *desk, r, r.path_params.at(0)));
  return Reply{200, unit_json(ctx, change), {}};
}

// Answers a unit step with the unit as it now is (position included).
Result<Reply> unit_reply(const ApiContext& ctx, dispatch::DispatchService& desk, const std::string& call_sign) {
  PINGAN_ASSIGN_OR_RETURN(dispatch::UnitChange change, desk.get_unit(call_sign));
  return Reply{200, unit_json(ctx, change), {}};
}

Result<Reply> set_duty(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_ASSIGN_OR_RETURN(auto* desk, service(ctx));
  PINGAN_RETURN_IF_ERROR(scoped_unit(ctx, *desk, r, r.path_params.at(0)));
  PINGAN_ASSIGN_OR_RETURN(StepBody step, step_body(ctx, r, true));
  PINGAN_RETURN_IF_ERROR(desk->set_duty(r.path_params.at(0), *step.on_duty, step.at, step.actor));
  return unit_reply(ctx, *desk, r.path_params.at(0));
}

Result<Reply> arrive(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_ASSIGN_OR_RETURN(auto* desk, service(ctx));
  PINGAN_RETURN_IF_ERROR(scoped_unit(ctx, *desk, r, r.path_params.at(0)));
  PINGAN_ASSIGN_OR_RETURN(StepBody step, step_body(ctx, r, false));
  PINGAN_RETURN_IF_ERROR(desk->arrive(r.path_params.at(0), step.at, step.actor));
  return unit_reply(ctx, *desk, r.path_params.at(0));
}

Result<Reply> clear(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_ASSIGN_OR_RETURN(auto* desk, service(ctx));
  PINGAN_RETURN_IF_ERROR(scoped_unit(ctx, *desk, r, r.path_params.at(0)));
  PINGAN_ASSIGN_OR_RETURN(StepBody step, step_body(ctx, r, false));
  PINGAN_RETURN_IF_ERROR(desk->clear(r.path_params.at(0), step.at, step.actor));
  return unit_reply(ctx, *desk, r.path_params.at(0));
}

Result<Reply> unit_track(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_ASSIGN_OR_RETURN(auto* desk, service(ctx));
  const std::string& call_sign = r.path_params.at(0);
  PINGAN_RETURN_IF_ERROR(scoped_unit(ctx, *desk, r, call_sign));
  const Timestamp now = now_utc();
  Timestamp from = now - 8 * 3600, until = now + 1;
  for (const auto& [key, value] : r.http.params) {
    if (key != "from" && key != "until") return Error::invalid(key, "is not a known parameter of this query");
    auto t = parse_iso8601(value, &ctx.engine.time_zone());
    if (!t.ok()) return Error::invalid(key, t.error().message);
    (key == "from" ? from : until) = *t;
  }
  if (until <= from) return Error::invalid("until", "must be after from");
  PINGAN_ASSIGN_OR_RETURN(auto points, ctx.engine.list_track_points(call_sign, from, until));
  json items = json::array();
  for (const auto& p : points)
    items.push_back({{"at", format_local(p.at, ctx.engine.time_zone())}, {"lat", p.point.lat}, {"lon", p.point.lon}});
  return Reply{200,
               {{"call_sign", call_sign},
                {"from", format_local(from, ctx.engine.time_zone())},
                {"until", format_local(until, ctx.engine.time_zone())},
                {"items", std::move(items)}},
               {}};
}

Result<Reply> report_positions(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_ASSIGN_OR_RETURN(auto* desk, service(ctx));
  PINGAN_ASSIGN_OR_RETURN(json body, parse_json_body(r.body));
  PINGAN_ASSIGN_OR_RETURN(ParsedReports parsed, position_reports_from_json(body, ctx.engine.time_zone()));
  // Another unit's patrol units are unknown to this caller: their reports are
  // refused as the desk refuses an unknown call sign, and never reach it.
  std::vector<PositionReport> kept;
  std::vector<std::size_t> batch_index;  // of each kept report
  std::vector<dispatch::PositionBatchResult::Refused> outside;
  for (std::size_t i = 0; i < parsed.reports.size(); ++i) {
    const PositionReport& report = parsed.reports[i];
    if (!scoped_unit(ctx, *desk, r, report.call_sign).ok() && desk->get_unit(report.call_sign).ok()) {
      outside.push_back({i, report.call_sign, dispatch::PositionRejection::kUnknownUnit,
                         fmt::format("no patrol unit has the call sign '{}'", report.call_sign)});
      continue;
    }
    kept.push_back(report);
    batch_index.push_back(i);
  }
  dispatch::PositionBatchResult result = desk->report_positions(kept);
  for (auto& refused : result.refused) refused.index = batch_index.at(refused.index);
  result.refused.insert(result.refused.end(), outside.begin(), outside.end());
  std::sort(result.refused.begin(), result.refused.end(),
            [](const auto& a, const auto& b) { return a.index < b.index; });
  // A malformed report was refused for its missing point (or call sign): say what was wrong with it.
  std::size_t next = 0;
  for (auto& refused : result.refused) {
    while (next < parsed.malformed.size() && parsed.malformed[next].first < refused.index) ++next;
    if (next < parsed.malformed.size() && parsed.malformed[next].first == refused.index) {
      refused.reason = dispatch::PositionRejection::kInvalid;
      refused.message = parsed.malformed[next].second;
    }
  }
  return Reply{200, position_result_to_json(result), {}};
}

Result<Reply> recommend(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));  // takes no query parameters
  PINGAN_ASSIGN_OR_RETURN(auto* desk, service(ctx));
  PINGAN_ASSIGN_OR_RETURN(IncidentId id, parse_id_param(r.path_params.at(0), "id"));
  PINGAN_ASSIGN_OR_RETURN(dispatch::Recommendation rec, desk->recommend(id, r.scope));
  return Reply{200, recommendation_to_json(rec, rec.card), {}};
}

Result<Reply> dispatch_units(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_ASSIGN_OR_RETURN(auto* desk, service(ctx));
  PINGAN_ASSIGN_OR_RETURN(IncidentId id, parse_id_param(r.path_params.at(0), "id"));
  PINGAN_ASSIGN_OR_RETURN(json body, parse_json_body(r.body));
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(body, ""));
  const json* units = in.member("units");
  if (!units || !units->is_array() || units->empty())
    return Error::invalid("units", "must be a non-empty array of call signs");
  std::vector<std::string> call_signs;
  for (const json& u : *units) {
    if (!u.is_string()) return Error::invalid("units", "must be an array of call signs (strings)");
    call_signs.push_back(u.get<std::string>());
    // Another unit's patrol unit is not there for this caller (the desk's words).
    if (!scoped_unit(ctx, *desk, r, call_signs.back()).ok() && desk->get_unit(call_signs.back()).ok())
      return Error{ErrorCode::kNotFound, "units", fmt::format("patrol unit '{}' does not exist", call_signs.back())};
  }
  std::optional<Timestamp> at;
  PINGAN_RETURN_IF_ERROR(in.read_time("at", &at, ctx.engine.time_zone()));
  if (in.member("actor")) return Error::invalid("actor", kActorNotInBody);
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  PINGAN_ASSIGN_OR_RETURN(auto claimed, desk->dispatch(id, call_signs, at.value_or(now_utc()), r.actor, r.scope));
  json items = json::array();
  for (const auto& u : claimed) {
    auto change = desk->get_unit(u.call_sign);
    items.push_back(unit_json(ctx, change.ok() ? *change : dispatch::UnitChange{u, std::nullopt}));
  }
  PINGAN_ASSIGN_OR_RETURN(Incident incident, ctx.engine.get_incident(id, r.scope));
  return Reply{200,
               {{"incident_id", id}, {"incident_status", status_name(incident.status)}, {"units", std::move(items)}},
               {}};
}

}  // namespace

std::vector<Route> dispatch_routes(const ApiContext& ctx) {
  auto bind = [&ctx](Result<Reply> (*fn)(const ApiContext&, const RouteRequest&)) {
    return [&ctx, fn](const RouteRequest& r) { return fn(ctx, r); };
  };
  return {
      {"GET", "/api/patrol-units", "patrol.read", bind(list_patrol_units)},
      {"POST", "/api/patrol-units", "patrol.write", bind(upsert_patrol_units)},
      {"GET", "/api/patrol-units/{call_sign}", "patrol.read", bind(get_patrol_unit)},
      {"POST", "/api/patrol-units/{call_sign}/duty", "patrol.write", bind(set_duty)},
      {"POST", "/api/patrol-units/{call_sign}/arrive", "patrol.write", bind(arrive)},
      {"POST", "/api/patrol-units/{call_sign}/clear", "patrol.write", bind(clear)},
      {"GET", "/api/patrol-units/{call_sign}/track", "patrol.read", bind(unit_track)},
      {"POST", "/api/positions", "positions.write", bind(report_positions)},
      {"GET", "/api/incidents/{id}/recommendation", "patrol.read", bind(recommend)},
      {"POST", "/api/incidents/{id}/dispatch", "dispatch.write", bind(dispatch_units)},
  };
}

}  // namespace pingan
