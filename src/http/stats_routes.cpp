// GET /api/stats: counts of incidents for a scope, filters and period,
// grouped (group_by, then_by), bucketed and compared (analytics/aggregate.h).
// GET /api/stats/overview: the campaign overview of a bulletin
// (analytics/stats_overview.h). Parameters as GET /api/incidents: unit,
// class, type, status (comma lists), from and to (ISO 8601, bare dates and
// naive times in the bureau's zone, `to` exclusive; by default the 28 whole
// days before today); and group_by, then_by, bucket, compare. Unknown
// parameters are refused. An answer of more cells than the stats budget
// (analytics/request_cost.h) is refused before any row is counted; the
// counts run in milliseconds (the day cube, or a scan of the period's rows),
// so they do not poll the deadline.

#include <fmt/format.h>

#include <set>

#include "analytics/aggregate.h"
#include "analytics/incident_index.h"
#include "analytics/stats_overview.h"
#include "core/text.h"
#include "http/api_routes.h"
#include "http/query_params.h"
#include "http/request_scope.h"
#include "json/stats_json.h"

namespace pingan {
namespace {

using Params = ParamNames;
const Params kStatsParams = {"unit", "class", "type", "status", "from", "to",
                             "group_by", "then_by", "bucket", "compare"};
const Params kOverviewParams = {"unit", "from", "to"};
constexpr int kDefaultDays = 28;

std::vector<std::string> list(const HttpRequest& req, const char* key) {
  std::vector<std::string> out;
  for (size_t i = 0; i < req.get_param_value_count(key); ++i) {
    const std::string value = req.get_param_value(key, i);  // split() views into it
    for (std::string_view part : split(value, ','))
      if (auto t = trim(part); !t.empty()) out.emplace_back(t);
  }
  return out;
}

// The request's scope narrowed by `unit`.
Result<UnitScope> scope_of(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_ASSIGN_OR_RETURN(auto unit, single_param(r.http, "unit"));
  if (!unit || unit->empty()) return r.scope;
  return narrow_scope(r.scope, *unit, *ctx.engine.units());
}

// The shared index; it follows the unit tree through the engine's events.
Result<std::shared_ptr<analytics::IncidentIndex>> current_index(const ApiContext& ctx) { return ctx.index(); }

template <typename T>
Result<T> named(const HttpRequest& req, const char* key, T fallback,
                Result<T> (*parse)(std::string_view)) {
  PINGAN_ASSIGN_OR_RETURN(auto text, single_param(req, key));
  if (!text || text->empty()) return fallback;
  return parse(*text);
}

Result<Reply> stats(const ApiContext& ctx, const RouteRequest& r) {
  const HttpRequest& req = r.http;
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(req, kStatsParams));
  const TimeZone& zone = ctx.engine.time_zone();
  analytics::StatsQuery q;
  PINGAN_ASSIGN_OR_RETURN(q.filter.scope, scope_of(ctx, r));
  q.filter.class_codes = list(req, "class");
  q.filter.type_codes = list(req, "type");
  for (const std::string& name : list(req, "status")) {
    auto s = parse_status(name);
    if (!s.ok()) return Error::invalid("status", s.error().message);
    q.filter.statuses.push_back(*s);
  }
  PINGAN_ASSIGN_OR_RETURN(Period period, read_period(req, zone, kDefaultDays));
  q.filter.from = period.from;
  q.filter.until = period.until;
  PINGAN_ASSIGN_OR_RETURN(q.group_by, named(req, "group_by", analytics::StatsGroup::kNone, analytics::parse_stats_group));
  PINGAN_ASSIGN_OR_RETURN(q.then_by, named(req, "then_by", analytics::StatsGroup::kNone, analytics::parse_stats_group));
  PINGAN_ASSIGN_OR_RETURN(q.bucket, named(req, "bucket", analytics::StatsBucket::kNone, analytics::parse_stats_bucket));
  PINGAN_ASSIGN_OR_RETURN(q.compare, named(req, "compare", analytics::StatsCompare::kNone, analytics::parse_stats_compare));

  PINGAN_ASSIGN_OR_RETURN(auto index, current_index(ctx));
  PINGAN_ASSIGN_OR_RETURN(analytics::StatsResult result, analytics::run_stats(*index, q));
  return Reply{200, stats_to_json(result, zone), {}};
}

Result<Reply> overview(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, kOverviewParams));
  const TimeZone& zone = ctx.engine.time_zone();
  PINGAN_ASSIGN_OR_RETURN(UnitScope scope, scope_of(ctx, r));
  Timestamp from = 0, until = 0;
  PINGAN_ASSIGN_OR_RETURN(Period period, read_period(r.http, zone, kDefaultDays));
  from = period.from;
  until = period.until;
  PINGAN_ASSIGN_OR_RETURN(auto index, current_index(ctx));
  PINGAN_ASSIGN_OR_RETURN(analytics::CampaignOverview o, analytics::campaign_overview(*index, scope, from, until));
  return Reply{200, overview_to_json(o, zone), {}};
}

}  // namespace

std::vector<Route> stats_routes(const ApiContext& ctx) {
  return {{"GET", "/api/stats", "stats.read", [&ctx](const RouteRequest& r) { return stats(ctx, r); }},
          {"GET", "/api/stats/overview", "stats.read", [&ctx](const RouteRequest& r) { return overview(ctx, r); }}};
}

}  // namespace pingan
