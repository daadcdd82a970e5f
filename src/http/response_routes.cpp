// GET /api/stats/response: 1-3-5 compliance for a scope and period
// (analytics/response_stats.h), grouped by child unit or by day, week or
// month, each line with its 同比 and 环比. Parameters: unit, from, to (or its
// alias until; ISO 8601, bare dates and naive times in the bureau's zone,
// the end exclusive; by default the 28 whole days before today), group_by.
// The standard is the one of the settings in force
// (data/dispatch/response_standard.json): an edited file applies after a
// reload (SIGHUP or POST /api/admin/reload-config), without a restart.
// More time buckets than the response budget (analytics/request_cost.h) are
// refused before any row is read; one pass over the rows answers the rest.

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <set>

#include "analytics/response_index.h"
#include "analytics/response_stats.h"
#include "config/live_settings.h"
#include "http/api_routes.h"
#include "http/query_params.h"
#include "http/request_scope.h"
#include "json/response_json.h"

namespace pingan {

Result<std::shared_ptr<analytics::ResponseIndex>> ApiContext::response_index() const {
  std::lock_guard lock(response_index_mutex);
  if (response_index_) return response_index_;
  spdlog::info("building the response index from the store");
  PINGAN_ASSIGN_OR_RETURN(response_index_, analytics::attach_response_index(engine));
  spdlog::info("response index ready: {} incidents", response_index_->size());
  return response_index_;
}

namespace {

const ParamNames kParams = {"unit", "from", "to", "until", "group_by"};
constexpr int kDefaultDays = 28;

Result<analytics::ResponseQuery> read_query(const ApiContext& ctx, const RouteRequest& r) {
  const HttpRequest& req = r.http;
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(req, kParams));
  const TimeZone& zone = ctx.engine.time_zone();
  analytics::ResponseQuery q;
  PINGAN_ASSIGN_OR_RETURN(auto unit, single_param(req, "unit"));
  q.scope = r.scope;
  if (unit && !unit->empty()) {
    PINGAN_ASSIGN_OR_RETURN(q.scope, narrow_scope(r.scope, *unit, *ctx.engine.units()));
  }
  if (req.has_param("to") && req.has_param("until"))
    return Error::invalid("until", "give either to or until, not both");
  PINGAN_ASSIGN_OR_RETURN(Period period, read_period(req, zone, kDefaultDays, req.has_param("until") ? "until" : "to"));
  q.from = period.from;
  q.until = period.until;
  PINGAN_ASSIGN_OR_RETURN(auto group, single_param(req, "group_by"));
  if (group && !group->empty()) {
    PINGAN_ASSIGN_OR_RETURN(q.group_by, analytics::parse_response_group(*group));
  }
  return q;
}

Result<Reply> response(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_ASSIGN_OR_RETURN(analytics::ResponseQuery q, read_query(ctx, r));
  const auto settings = ctx.settings_now();
  const analytics::ResponseStandard& standard = settings->response_standard;
  PINGAN_ASSIGN_OR_RETURN(auto index, ctx.response_index());
  auto units = ctx.engine.units();
  PINGAN_ASSIGN_OR_RETURN(analytics::ResponseReport report,
                          analytics::response_report(*index, standard, *units, ctx.engine.time_zone(), q));
  return Reply{200, response_report_to_json(report, ctx.engine.time_zone()), {}};
}

}  // namespace

std::vector<Route> response_routes(const ApiContext& ctx) {
  return {{"GET", "/api/stats/response", "stats.read", [&ctx](const RouteRequest& r) { return response(ctx, r); }}};
}

}  // namespace pingan
