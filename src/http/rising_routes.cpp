// GET /api/stats/rising: which types, units or unit x type series rose
// beyond chance in a recent window against their own history
// (analytics/rising.h). Parameters: unit, from, to (both or neither; ISO
// 8601, bare dates and naive times in the bureau's zone, `to` exclusive),
// at, by, baseline, windows, years, alpha, limit. Priced under the server's
// budgets before it runs (analytics/request_cost.h), stopped at the deadline.

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <set>

#include "analytics/rising.h"
#include "http/api_routes.h"
#include "http/query_params.h"
#include "http/request_scope.h"
#include "json/rising_json.h"

namespace pingan {
namespace {

constexpr int kDefaultRisingLimit = 50;
constexpr int kMaxRisingLimit = 5000;

const std::set<std::string, std::less<>> kRisingParams = {"unit",    "from",  "to",   "at",
                                                          "by",      "baseline", "windows",
                                                          "years",   "alpha", "limit"};

Result<Reply> rising(const ApiContext& ctx, const RouteRequest& r) {
  const HttpRequest& req = r.http;
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(req, kRisingParams));
  const TimeZone& zone = ctx.engine.time_zone();
  analytics::RisingQuery q;
  q.scope = r.scope;
  PINGAN_ASSIGN_OR_RETURN(auto unit, single_param(req, "unit"));
  if (unit && !unit->empty()) {
    PINGAN_ASSIGN_OR_RETURN(q.scope, narrow_scope(r.scope, *unit, *ctx.engine.units()));
  }
  PINGAN_ASSIGN_OR_RETURN(q.from, time_param(req, "from", zone));
  PINGAN_ASSIGN_OR_RETURN(q.until, time_param(req, "to", zone));
  PINGAN_ASSIGN_OR_RETURN(q.at, time_param(req, "at", zone));
  PINGAN_ASSIGN_OR_RETURN(auto by, single_param(req, "by"));
  if (by) {
    PINGAN_ASSIGN_OR_RETURN(q.by, analytics::parse_rising_by(*by));
  }
  PINGAN_ASSIGN_OR_RETURN(auto baseline, single_param(req, "baseline"));
  if (baseline) {
    PINGAN_ASSIGN_OR_RETURN(q.baseline, analytics::parse_rising_baseline(*baseline));
  }
  PINGAN_ASSIGN_OR_RETURN(auto windows, int_param(req, "windows"));
  if (windows) q.history_windows = *windows;
  PINGAN_ASSIGN_OR_RETURN(auto years, int_param(req, "years"));
  if (years) q.history_years = *years;
  PINGAN_ASSIGN_OR_RETURN(auto alpha, number_param(req, "alpha"));
  if (alpha) q.alpha = *alpha;
  PINGAN_ASSIGN_OR_RETURN(auto limit, int_param(req, "limit"));
  const int shown = limit.value_or(kDefaultRisingLimit);
  if (shown < 1 || shown > kMaxRisingLimit)
    return Error::invalid("limit", fmt::format("{} is outside 1..{}", shown, kMaxRisingLimit));

  q.budgets = analytics::CostBudgets::server();

  PINGAN_ASSIGN_OR_RETURN(std::shared_ptr<analytics::IncidentIndex> index, ctx.index());
  PINGAN_ASSIGN_OR_RETURN(analytics::RisingReport report,
                          analytics::find_rising(*index, q, now_utc(), *r.deadline));
  return Reply{200, rising_to_json(report, zone, shown), {}};
}

}  // namespace

std::vector<Route> rising_routes(const ApiContext& ctx) {
  return {{"GET", "/api/stats/rising", "stats.read", [&ctx](const RouteRequest& r) { return rising(ctx, r); }}};
}

}  // namespace pingan
