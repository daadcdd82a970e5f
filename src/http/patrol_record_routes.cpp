// POST/GET /api/posts, POST/GET /api/shifts and GET /api/stats/patrol:
// posts (执勤点位), shifts (勤务班次) and the patrol figures computed from
// them and the tracks (dispatch/patrol_records.h, analytics/patrol_stats.h).

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/scope_match.h"
#include "dispatch/dispatch_service.h"
#include "dispatch/patrol_records.h"
#include "analytics/patrol_stats.h"
#include "http/api_routes.h"
#include "json/json_fields.h"
#include "json/patrol_record_json.h"
#include "http/query_params.h"
#include "http/request_scope.h"

namespace pingan {
namespace {


Result<UnitScope> scope_param(const ApiContext& ctx, const RouteRequest& r) {
  return narrow_scope(r.scope, r.http.get_param_value("unit"), *ctx.engine.units());
}

// from/to, by default the 7 whole local days before today.
Result<Period> period_params(const ApiContext& ctx, const HttpRequest& req) {
  PINGAN_ASSIGN_OR_RETURN(Period p, read_period(req, ctx.engine.time_zone(), 7));
  if (p.until <= p.from) return Error::invalid("to", "the end of the period must be after its start");
  return p;
}

Result<Reply> post_posts(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_ASSIGN_OR_RETURN(nlohmann::json body, parse_json_body(r.body));
  if (!body.is_array()) return Error::invalid("body", "must be an array of posts");
  std::vector<PatrolPost> posts;
  for (std::size_t i = 0; i < body.size(); ++i) {
    PINGAN_ASSIGN_OR_RETURN(PatrolPost p, post_from_json(body[i], fmt::format("posts[{}]", i)));
    posts.push_back(std::move(p));
  }
  // Posts of the caller's own stations only; a post of another station is
  // not overwritten by naming its code with one's own station.
  if (!r.scope.all) {
    PINGAN_ASSIGN_OR_RETURN(auto existing, dispatch::list_posts(ctx.engine, UnitScope::everything()));
    auto tree = ctx.engine.units();
    for (std::size_t i = 0; i < posts.size(); ++i) {
      // An unknown station is save_posts' to refuse (400, field station).
      bool outside = tree && tree->find(posts[i].station_code) && !scope_holds(r.scope, posts[i].station_code, *tree);
      for (const auto& old : existing)
        if (old.code == posts[i].code && tree && !scope_holds(r.scope, old.station_code, *tree)) outside = true;
      if (outside)
        return Error::permission_denied(fmt::format("posts[{}]: post '{}' of station '{}' is outside your unit's subtree",
                                                    i, posts[i].code, posts[i].station_code));
    }
  }
  const auto n = static_cast<std::int64_t>(posts.size());
  PINGAN_RETURN_IF_ERROR(dispatch::save_posts(ctx.engine, std::move(posts)));
  return Reply{200, {{"saved", n}}, {}};
}

Result<Reply> get_posts(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {"unit", "kind"}));
  PINGAN_ASSIGN_OR_RETURN(UnitScope scope, scope_param(ctx, r));
  PINGAN_ASSIGN_OR_RETURN(auto posts, dispatch::list_posts(ctx.engine, scope));
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> kind_param, single_param(r.http, "kind"));
  const std::string kind = kind_param.value_or("");
  if (!kind.empty() && std::find(std::begin(kPostKinds), std::end(kPostKinds), kind) == std::end(kPostKinds))
    return Error::invalid("kind", fmt::format("unknown post kind '{}' (night, school, checkpoint, traffic, other)", kind));
  nlohmann::json items = nlohmann::json::array();
  for (const auto& p : posts)
    if (kind.empty() || p.kind == kind) items.push_back(post_to_json(p));
  const auto total = items.size();
  return Reply{200, {{"items", std::move(items)}, {"total", total}}, {}};
}

Result<Reply> post_shift(const ApiContext& ctx, const RouteRequest& r) {
  if (!ctx.dispatch) return Error::unavailable("the dispatch desk is not running");
  PINGAN_ASSIGN_OR_RETURN(nlohmann::json body, parse_json_body(r.body));
  PINGAN_ASSIGN_OR_RETURN(PatrolShift shift, shift_from_json(body, ctx.engine.time_zone()));
  // Another unit's patrol unit is unknown to this caller, in the words used
  // for a call sign nobody has (dispatch::record_shift).
  if (auto unit = ctx.dispatch->get_unit(shift.call_sign); unit.ok() && !r.scope.all) {
    auto tree = ctx.engine.units();
    if (!tree || !scope_holds(r.scope, unit->unit.station_code, *tree))
      return Error::invalid("call_sign", fmt::format("no patrol unit has the call sign '{}'", shift.call_sign));
  }
  PINGAN_ASSIGN_OR_RETURN(PatrolShift stored, dispatch::record_shift(ctx.engine, *ctx.dispatch, shift));
  return Reply{201, shift_to_json(stored, ctx.engine.time_zone()), {}};
}

Result<Reply> get_shifts(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {"unit", "from", "to"}));
  PINGAN_ASSIGN_OR_RETURN(UnitScope scope, scope_param(ctx, r));
  PINGAN_ASSIGN_OR_RETURN(Period period, period_params(ctx, r.http));
  PINGAN_ASSIGN_OR_RETURN(auto shifts, dispatch::list_shifts(ctx.engine, scope, period.from, period.until));
  nlohmann::json items = nlohmann::json::array();
  for (const auto& s : shifts) items.push_back(shift_to_json(s, ctx.engine.time_zone()));
  const auto total = items.size();
  return Reply{200, {{"items", std::move(items)}, {"total", total}}, {}};
}

Result<Reply> patrol_stats(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {"unit", "from", "to", "hotspot_cells"}));
  analytics::PatrolStatsRequest q;
  PINGAN_ASSIGN_OR_RETURN(q.scope, scope_param(ctx, r));
  PINGAN_ASSIGN_OR_RETURN(Period period, period_params(ctx, r.http));
  q.from = period.from;
  q.until = period.until;
  if (const std::string k = r.http.get_param_value("hotspot_cells"); !k.empty()) {
    char* end = nullptr;
    const long v = std::strtol(k.c_str(), &end, 10);
    if (*end != '\0') return Error::invalid("hotspot_cells", fmt::format("'{}' is not a whole number", k));
    q.hotspot_cells = static_cast<int>(std::clamp(v, -1L, 1000L));
  }
  q.budgets = analytics::CostBudgets::server();  // its hotspot figures forecast (request_cost.h)
  PINGAN_ASSIGN_OR_RETURN(auto index, ctx.index());
  PINGAN_ASSIGN_OR_RETURN(analytics::PatrolStats stats,
                          analytics::compute_patrol_stats(ctx.engine, index.get(), q, *r.deadline));
  return Reply{200, patrol_stats_to_json(stats, ctx.engine.time_zone()), {}};
}

}  // namespace

std::vector<Route> patrol_record_routes(const ApiContext& ctx) {
  return {
      {"POST", "/api/posts", "patrol.write", [&ctx](const RouteRequest& r) { return post_posts(ctx, r); }},
      {"GET", "/api/posts", "patrol.read", [&ctx](const RouteRequest& r) { return get_posts(ctx, r); }},
      {"POST", "/api/shifts", "patrol.write", [&ctx](const RouteRequest& r) { return post_shift(ctx, r); }},
      {"GET", "/api/shifts", "patrol.read", [&ctx](const RouteRequest& r) { return get_shifts(ctx, r); }},
      {"GET", "/api/stats/patrol", "stats.read", [&ctx](const RouteRequest& r) { return patrol_stats(ctx, r); }},
  };
}

}  // namespace pingan
