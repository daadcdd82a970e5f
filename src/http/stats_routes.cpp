// GET /api/stats: counts of incidents for a scope, filters and period,
// grouped (group_by, then_by), bucketed and compared (analytics/aggregate.h).
// GET /api/stats/overview: the campaign overview of a bulletin
// (analytics/stats_overview.h).
// GET /api/stats/export.xlsx and /api/stats/overview/export.xlsx: the same
// answers as workbooks (report/stats_workbook.h), from the same parameters
// parsed by the same functions; only a unit beside the caller's subtree is
// refused (403) where the JSON answers nothing. Parameters as GET /api/incidents: unit,
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
#include "http/xlsx_download.h"
#include "json/stats_json.h"
#include "report/stats_workbook.h"

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

// GET /api/stats's parameters and checks, for the JSON answer and the
// workbook alike: one parser, so the two cannot drift apart.
Result<analytics::StatsQuery> stats_query(const ApiContext& ctx, const RouteRequest& r) {
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
  return q;
}

// Whether a workbook may be written for `narrowed`: a file is handed on, and
// another unit's empty one would read as a quiet period, so a unit beside
// the caller's subtree is refused (403) as the bulletin and the list exports
// refuse it, where the JSON answers it with nothing.
Status refuse_beside(const RouteRequest& r, const UnitScope& narrowed) {
  if (narrowed.all || !narrowed.root_codes.empty() || r.scope.root_codes.empty()) return {};
  auto unit = single_param(r.http, "unit");
  return Error::permission_denied(
      fmt::format("unit '{}' is outside your unit's subtree", unit.ok() && *unit ? **unit : std::string()));
}

Result<analytics::StatsResult> run_stats_request(const ApiContext& ctx, const RouteRequest& r, bool workbook) {
  PINGAN_ASSIGN_OR_RETURN(analytics::StatsQuery q, stats_query(ctx, r));
  if (workbook) {
    PINGAN_RETURN_IF_ERROR(refuse_beside(r, q.filter.scope));
  }
  PINGAN_ASSIGN_OR_RETURN(auto index, current_index(ctx));
  return analytics::run_stats(*index, q);
}

// GET /api/stats/overview's parameters and checks, shared the same way.
Result<analytics::CampaignOverview> run_overview_request(const ApiContext& ctx, const RouteRequest& r,
                                                         bool workbook) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, kOverviewParams));
  const TimeZone& zone = ctx.engine.time_zone();
  PINGAN_ASSIGN_OR_RETURN(UnitScope scope, scope_of(ctx, r));
  if (workbook) {
    PINGAN_RETURN_IF_ERROR(refuse_beside(r, scope));
  }
  PINGAN_ASSIGN_OR_RETURN(Period period, read_period(r.http, zone, kDefaultDays));
  PINGAN_ASSIGN_OR_RETURN(auto index, current_index(ctx));
  return analytics::campaign_overview(*index, scope, period.from, period.until);
}

Result<Reply> stats(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_ASSIGN_OR_RETURN(analytics::StatsResult result, run_stats_request(ctx, r, false));
  return Reply{200, stats_to_json(result, ctx.engine.time_zone()), {}};
}

Result<Reply> overview(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_ASSIGN_OR_RETURN(analytics::CampaignOverview o, run_overview_request(ctx, r, false));
  return Reply{200, overview_to_json(o, ctx.engine.time_zone()), {}};
}

// "stats-20250701-20250731": the period's local days, the last inclusive.
std::string file_stem(const char* stem, Timestamp from, Timestamp until, const TimeZone& zone) {
  const CivilTime a = zone.to_local(from), b = zone.to_local(until - 1);
  return fmt::format("{}-{:04}{:02}{:02}-{:04}{:02}{:02}", stem, a.year, a.month, a.day, b.year, b.month, b.day);
}

Result<Reply> workbook_reply(const std::vector<report::SheetTable>& tables, const std::string& stem) {
  PINGAN_ASSIGN_OR_RETURN(std::string bytes, report::xlsx_bytes(tables));
  return xlsx_reply(std::move(bytes), stem);
}

Result<Reply> stats_xlsx(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_ASSIGN_OR_RETURN(analytics::StatsResult result, run_stats_request(ctx, r, true));
  const TimeZone& zone = ctx.engine.time_zone();
  return workbook_reply(report::stats_tables(result, zone), file_stem("stats", result.from, result.until, zone));
}

Result<Reply> overview_xlsx(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_ASSIGN_OR_RETURN(analytics::CampaignOverview o, run_overview_request(ctx, r, true));
  const TimeZone& zone = ctx.engine.time_zone();
  return workbook_reply(report::overview_tables(o, zone), file_stem("overview", o.from, o.until, zone));
}

}  // namespace

std::vector<Route> stats_routes(const ApiContext& ctx) {
  return {{"GET", "/api/stats", "stats.read", [&ctx](const RouteRequest& r) { return stats(ctx, r); }},
          {"GET", "/api/stats/overview", "stats.read", [&ctx](const RouteRequest& r) { return overview(ctx, r); }},
          {"GET", "/api/stats/export.xlsx", "stats.read", [&ctx](const RouteRequest& r) { return stats_xlsx(ctx, r); }},
          {"GET", "/api/stats/overview/export.xlsx", "stats.read",
           [&ctx](const RouteRequest& r) { return overview_xlsx(ctx, r); }}};
}

}  // namespace pingan
