// GET /api/stats: counts of incidents for a scope, filters and period,
// grouped (group_by, then_by), bucketed and compared (analytics/aggregate.h).
// GET /api/stats/overview: the campaign overview of a bulletin
// (analytics/stats_overview.h). Parameters as GET /api/incidents: unit,
// class, type, status (comma lists), from and to (ISO 8601, bare dates and
// naive times in the bureau's zone, `to` exclusive; by default the 28 whole
// days before today); and group_by, then_by, bucket, compare. Unknown
// parameters are refused.

#include <fmt/format.h>
#include <httplib.h>

#include <set>

#include "analytics/aggregate.h"
#include "analytics/incident_index.h"
#include "analytics/stats_overview.h"
#include "core/text.h"
#include "http/api_routes.h"
#include "http/request_scope.h"
#include "http/stats_json.h"

namespace pingan {
namespace {

using Params = std::set<std::string, std::less<>>;
const Params kStatsParams = {"unit", "class", "type", "status", "from", "to",
                             "group_by", "then_by", "bucket", "compare"};
const Params kOverviewParams = {"unit", "from", "to"};
constexpr int kDefaultDays = 28;

Status refuse_unknown(const httplib::Request& req, const Params& known) {
  for (const auto& [key, value] : req.params)
    if (!known.count(key)) return Error::invalid(key, fmt::format("'{}' is not a known parameter of this query", key));
  return {};
}

Result<std::optional<std::string>> single(const httplib::Request& req, const char* key) {
  const size_t n = req.get_param_value_count(key);
  if (n == 0) return std::optional<std::string>();
  if (n > 1) return Error::invalid(key, "is given more than once");
  return std::optional<std::string>(req.get_param_value(key));
}

std::vector<std::string> list(const httplib::Request& req, const char* key) {
  std::vector<std::string> out;
  for (size_t i = 0; i < req.get_param_value_count(key); ++i) {
    const std::string value = req.get_param_value(key, i);  // split() views into it
    for (std::string_view part : split(value, ','))
      if (auto t = trim(part); !t.empty()) out.emplace_back(t);
  }
  return out;
}

Result<std::optional<Timestamp>> time_param(const httplib::Request& req, const char* key, const TimeZone& zone) {
  PINGAN_ASSIGN_OR_RETURN(auto text, single(req, key));
  if (!text || text->empty()) return std::optional<Timestamp>();
  auto t = parse_iso8601(*text, &zone);
  if (!t.ok()) return Error::invalid(key, t.error().message);
  return std::optional<Timestamp>(*t);
}

// `from` and `to`; by default the CompStat window: the 28 whole local days
// before today (or before `to`).
Status read_period(const httplib::Request& req, const TimeZone& zone, Timestamp* from, Timestamp* until) {
  PINGAN_ASSIGN_OR_RETURN(auto given_from, time_param(req, "from", zone));
  PINGAN_ASSIGN_OR_RETURN(auto given_to, time_param(req, "to", zone));
  auto midnight = [&](Timestamp t, int days_back) {
    CivilTime c = zone.to_local(t);
    CivilTime date = utc_to_civil(civil_to_utc(CivilTime{c.year, c.month, c.day, 0, 0, 0}) - days_back * 86'400LL);
    return zone.to_utc(CivilTime{date.year, date.month, date.day, 0, 0, 0});
  };
  *until = given_to ? *given_to : midnight(now_utc(), 0);
  *from = given_from ? *given_from : midnight(*until, kDefaultDays);
  return {};
}

// The request's scope narrowed by `unit`.
Result<UnitScope> scope_of(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_ASSIGN_OR_RETURN(auto unit, single(r.http, "unit"));
  if (!unit || unit->empty()) return r.scope;
  return narrow_scope(r.scope, *unit, *ctx.engine.units());
}

// The shared index, with the engine's current unit tree.
Result<std::shared_ptr<analytics::IncidentIndex>> current_index(const ApiContext& ctx) {
  PINGAN_ASSIGN_OR_RETURN(std::shared_ptr<analytics::IncidentIndex> index, ctx.index());
  index->set_units(ctx.engine.units());
  return index;
}

template <typename T>
Result<T> named(const httplib::Request& req, const char* key, T fallback,
                Result<T> (*parse)(std::string_view)) {
  PINGAN_ASSIGN_OR_RETURN(auto text, single(req, key));
  if (!text || text->empty()) return fallback;
  return parse(*text);
}

Result<Reply> stats(const ApiContext& ctx, const RouteRequest& r) {
  const httplib::Request& req = r.http;
  PINGAN_RETURN_IF_ERROR(refuse_unknown(req, kStatsParams));
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
  PINGAN_RETURN_IF_ERROR(read_period(req, zone, &q.filter.from, &q.filter.until));
  PINGAN_ASSIGN_OR_RETURN(q.group_by, named(req, "group_by", analytics::StatsGroup::kNone, analytics::parse_stats_group));
  PINGAN_ASSIGN_OR_RETURN(q.then_by, named(req, "then_by", analytics::StatsGroup::kNone, analytics::parse_stats_group));
  PINGAN_ASSIGN_OR_RETURN(q.bucket, named(req, "bucket", analytics::StatsBucket::kNone, analytics::parse_stats_bucket));
  PINGAN_ASSIGN_OR_RETURN(q.compare, named(req, "compare", analytics::StatsCompare::kNone, analytics::parse_stats_compare));

  PINGAN_ASSIGN_OR_RETURN(auto index, current_index(ctx));
  PINGAN_ASSIGN_OR_RETURN(analytics::StatsResult result, analytics::run_stats(*index, q));
  return Reply{200, stats_to_json(result, zone), {}};
}

Result<Reply> overview(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown(r.http, kOverviewParams));
  const TimeZone& zone = ctx.engine.time_zone();
  PINGAN_ASSIGN_OR_RETURN(UnitScope scope, scope_of(ctx, r));
  Timestamp from = 0, until = 0;
  PINGAN_RETURN_IF_ERROR(read_period(r.http, zone, &from, &until));
  PINGAN_ASSIGN_OR_RETURN(auto index, current_index(ctx));
  PINGAN_ASSIGN_OR_RETURN(analytics::CampaignOverview o, analytics::campaign_overview(*index, scope, from, until));
  return Reply{200, overview_to_json(o, zone), {}};
}

}  // namespace

std::vector<Route> stats_routes(const ApiContext& ctx) {
  return {{"GET", "/api/stats", [&ctx](const RouteRequest& r) { return stats(ctx, r); }},
          {"GET", "/api/stats/overview", [&ctx](const RouteRequest& r) { return overview(ctx, r); }}};
}

}  // namespace pingan
