// GET /api/hotspots, GET /api/forecast and GET /api/patrol/suggestions:
// hotspot maps, cell forecasts and patrol cells as JSON (GeoJSON for the
// maps). Each handler parses its query, narrows the request's scope to the
// `unit` parameter and calls the analytics over the shared index.
//
// Common parameters: unit (a unit code inside the caller's scope), type and
// class (comma lists of taxonomy codes), cell (metres, default 150).
// Each request is priced under the server's budgets before it runs
// (analytics/request_cost.h: 400 naming the parameter to narrow) and stops
// at the request's deadline (503).

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <set>

#include "analytics/forecast_service.h"
#include "analytics/hotspot.h"
#include "analytics/patrol.h"
#include "core/code_checks.h"
#include "core/text.h"
#include "http/api_routes.h"
#include "http/query_params.h"
#include "json/hotspot_json.h"
#include "http/incident_query.h"
#include "http/request_scope.h"

namespace pingan {
namespace {

using Params = ParamNames;

constexpr int kDefaultHotspotDays = 28;
constexpr int kDefaultForecastCells = 500;

const Params kHotspotParams = {"unit", "from", "to",     "type",  "class", "method", "cell",
                               "kernel", "bandwidth", "band", "fdr", "limit", "geometry"};
const Params kForecastParams = {"unit", "model", "window", "at",    "type",
                                "class", "cell",  "limit",  "geometry"};
const Params kPatrolParams = {"unit", "shift_start", "hours", "k", "type", "class", "cell"};


// Like time_param, but a bare date is also the local midnight starting it.
Result<std::optional<Timestamp>> time_or_date_param(const HttpRequest& req, const char* key,
                                                    const TimeZone& zone) {
  PINGAN_ASSIGN_OR_RETURN(auto text, single_param(req, key));
  if (!text || text->empty()) return std::optional<Timestamp>();
  auto t = parse_iso8601(*text, &zone);
  if (!t.ok()) {
    auto date = analytics::parse_local_date(*text, key);
    if (!date.ok()) return Error::invalid(key, t.error().message);
    return std::optional<Timestamp>(zone.to_utc(*date));
  }
  return std::optional<Timestamp>(*t);
}

// Scope, classes and types shared by the three queries.
Status read_filter(const ApiContext& ctx, const RouteRequest& r, analytics::RowFilter* filter) {
  const HttpRequest& req = r.http;
  filter->scope = r.scope;
  PINGAN_ASSIGN_OR_RETURN(auto unit, single_param(req, "unit"));
  if (unit && !unit->empty()) {
    PINGAN_ASSIGN_OR_RETURN(filter->scope, narrow_scope(r.scope, *unit, *ctx.engine.units()));
  }
  for (const char* key : {"type", "class"}) {
    for (size_t i = 0; i < req.get_param_value_count(key); ++i) {
      // Held here: split() returns views into it (a temporary would die before the loop runs).
      const std::string value = req.get_param_value(key, i);
      for (std::string_view part : split(value, ',')) {
        const std::string code(trim(part));
        if (!code.empty()) (key[0] == 't' ? filter->type_codes : filter->class_codes).push_back(code);
      }
    }
  }
  PINGAN_RETURN_IF_ERROR(check_type_codes(ctx.engine.taxonomy(), filter->type_codes));
  return check_class_codes(ctx.engine.taxonomy(), filter->class_codes);
}

Result<bool> polygons_param(const HttpRequest& req) {
  PINGAN_ASSIGN_OR_RETURN(auto geometry, single_param(req, "geometry"));
  if (!geometry || *geometry == "polygon") return true;
  if (*geometry == "point") return false;
  return Error::invalid("geometry", fmt::format("'{}' is not polygon or point", *geometry));
}

Result<Reply> hotspots(const ApiContext& ctx, const RouteRequest& r) {
  const HttpRequest& req = r.http;
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(req, kHotspotParams));
  const TimeZone& zone = ctx.engine.time_zone();
  analytics::HotspotRequest q;
  PINGAN_RETURN_IF_ERROR(read_filter(ctx, r, &q.filter));
  PINGAN_ASSIGN_OR_RETURN(auto from, time_or_date_param(req, "from", zone));
  PINGAN_ASSIGN_OR_RETURN(auto to, time_or_date_param(req, "to", zone));
  q.filter.until = to.value_or(now_utc());
  q.filter.from = from.value_or(q.filter.until - kDefaultHotspotDays * 86400);
  PINGAN_ASSIGN_OR_RETURN(auto method, single_param(req, "method"));
  if (method) {
    PINGAN_ASSIGN_OR_RETURN(q.method, analytics::parse_hotspot_method(*method));
  }
  PINGAN_ASSIGN_OR_RETURN(auto kernel, single_param(req, "kernel"));
  if (kernel) {
    PINGAN_ASSIGN_OR_RETURN(q.kernel.shape, analytics::parse_kernel_shape(*kernel));
  }
  PINGAN_ASSIGN_OR_RETURN(auto cell, number_param(req, "cell"));
  if (cell) q.cell_m = *cell;
  PINGAN_ASSIGN_OR_RETURN(auto bandwidth, number_param(req, "bandwidth"));
  if (bandwidth) q.kernel.bandwidth_m = *bandwidth;
  PINGAN_ASSIGN_OR_RETURN(auto band, number_param(req, "band"));
  if (band) q.band_m = *band;
  PINGAN_ASSIGN_OR_RETURN(auto fdr, single_param(req, "fdr"));
  if (fdr) {
    PINGAN_ASSIGN_OR_RETURN(q.fdr, parse_flag(*fdr, "fdr"));
  }
  PINGAN_ASSIGN_OR_RETURN(auto limit, int_param(req, "limit"));
  if (limit) q.limit = *limit;
  PINGAN_ASSIGN_OR_RETURN(const bool polygons, polygons_param(req));
  PINGAN_RETURN_IF_ERROR(analytics::validate_hotspot_request(q));
  q.budgets = analytics::CostBudgets::server();

  PINGAN_ASSIGN_OR_RETURN(std::shared_ptr<analytics::IncidentIndex> index, ctx.index());
  PINGAN_ASSIGN_OR_RETURN(analytics::HotspotResult result, analytics::compute_hotspots(*index, q, *r.deadline));
  nlohmann::json body = hotspots_to_geojson(result, polygons);
  body["meta"]["from"] = format_local(q.filter.from, zone);
  body["meta"]["to"] = format_local(q.filter.until, zone);
  return Reply{200, std::move(body), {}};
}

Result<Reply> forecast(const ApiContext& ctx, const RouteRequest& r) {
  const HttpRequest& req = r.http;
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(req, kForecastParams));
  const TimeZone& zone = ctx.engine.time_zone();
  analytics::ForecastRequest q;
  PINGAN_RETURN_IF_ERROR(read_filter(ctx, r, &q.filter));
  PINGAN_ASSIGN_OR_RETURN(auto model, single_param(req, "model"));
  if (model) {
    PINGAN_ASSIGN_OR_RETURN(q.model, analytics::parse_forecast_model(*model));
  }
  analytics::WindowKind kind = analytics::WindowKind::kDay;
  PINGAN_ASSIGN_OR_RETURN(auto window, single_param(req, "window"));
  if (window) {
    PINGAN_ASSIGN_OR_RETURN(kind, analytics::parse_window_kind(*window));
  }
  PINGAN_ASSIGN_OR_RETURN(auto at, time_or_date_param(req, "at", zone));
  q.window = analytics::next_window(zone, at.value_or(now_utc()), kind);
  PINGAN_ASSIGN_OR_RETURN(auto cell, number_param(req, "cell"));
  if (cell) q.settings.cell_m = *cell;
  PINGAN_RETURN_IF_ERROR(analytics::check_cell_size(q.settings.cell_m));
  PINGAN_ASSIGN_OR_RETURN(auto limit, int_param(req, "limit"));
  const int shown = limit.value_or(kDefaultForecastCells);
  if (shown < 1 || shown > 100'000) return Error::invalid("limit", "must be 1..100000");
  PINGAN_ASSIGN_OR_RETURN(const bool polygons, polygons_param(req));
  q.budgets = analytics::CostBudgets::server();
  q.window_field = "window";

  PINGAN_ASSIGN_OR_RETURN(std::shared_ptr<analytics::IncidentIndex> index, ctx.index());
  PINGAN_ASSIGN_OR_RETURN(analytics::ForecastResult result, analytics::forecast_window(*index, q, *r.deadline));
  nlohmann::json body = forecast_to_geojson(result, shown, polygons, zone);
  body["meta"]["window"] = analytics::window_kind_name(kind);
  return Reply{200, std::move(body), {}};
}

Result<Reply> patrol(const ApiContext& ctx, const RouteRequest& r) {
  const HttpRequest& req = r.http;
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(req, kPatrolParams));
  const TimeZone& zone = ctx.engine.time_zone();
  analytics::RowFilter filter;
  PINGAN_RETURN_IF_ERROR(read_filter(ctx, r, &filter));
  analytics::PatrolRequest q;
  q.scope = filter.scope;
  q.type_codes = filter.type_codes;
  q.class_codes = filter.class_codes;
  PINGAN_ASSIGN_OR_RETURN(auto start, time_or_date_param(req, "shift_start", zone));
  q.shift_start = start ? *start
                        : analytics::next_window(zone, now_utc(), analytics::WindowKind::kShift)
                                  .from_minute * 60;
  PINGAN_ASSIGN_OR_RETURN(auto hours, int_param(req, "hours"));
  if (hours) q.hours = *hours;
  PINGAN_ASSIGN_OR_RETURN(auto k, int_param(req, "k"));
  if (k) q.k = *k;
  PINGAN_ASSIGN_OR_RETURN(auto cell, number_param(req, "cell"));
  if (cell) q.settings.cell_m = *cell;
  PINGAN_RETURN_IF_ERROR(analytics::check_cell_size(q.settings.cell_m));
  q.budgets = analytics::CostBudgets::server();
  q.window_field = "hours";

  PINGAN_ASSIGN_OR_RETURN(std::shared_ptr<analytics::IncidentIndex> index, ctx.index());
  PINGAN_ASSIGN_OR_RETURN(analytics::PatrolPlan plan, analytics::suggest_patrols(*index, q, *r.deadline));
  return Reply{200, patrol_to_json(plan, zone), {}};
}

}  // namespace

std::vector<Route> hotspot_routes(const ApiContext& ctx) {
  return {
      {"GET", "/api/hotspots", "stats.read", [&ctx](const RouteRequest& r) { return hotspots(ctx, r); }},
      {"GET", "/api/forecast", "stats.read", [&ctx](const RouteRequest& r) { return forecast(ctx, r); }},
      {"GET", "/api/patrol/suggestions", "stats.read", [&ctx](const RouteRequest& r) { return patrol(ctx, r); }},
  };
}

}  // namespace pingan
