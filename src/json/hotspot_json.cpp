#include "json/hotspot_json.h"

#include <algorithm>
#include <cmath>

namespace pingan {
namespace {

// Six decimals of a degree are about 0.1 m: enough for 150 m cells and much
// shorter JSON than the full double.
double round6(double v) { return std::round(v * 1e6) / 1e6; }

nlohmann::json geometry(const GeoPoint& centre, const std::array<GeoPoint, 5>& outline,
                        bool polygons) {
  if (!polygons)
    return {{"type", "Point"}, {"coordinates", {round6(centre.lon), round6(centre.lat)}}};
  nlohmann::json ring = nlohmann::json::array();
  for (const GeoPoint& p : outline) ring.push_back({round6(p.lon), round6(p.lat)});
  return {{"type", "Polygon"}, {"coordinates", nlohmann::json::array({ring})}};
}

nlohmann::json feature(nlohmann::json geometry, nlohmann::json properties) {
  return {{"type", "Feature"}, {"geometry", std::move(geometry)},
          {"properties", std::move(properties)}};
}

}  // namespace

nlohmann::json etas_fit_to_json(const analytics::EtasFit& fit) {
  return {{"background_per_day", fit.params.mu_per_day},
          {"theta", fit.params.theta},
          {"omega_per_day", fit.params.omega_per_day},
          {"sigma_m", fit.params.sigma_m},
          {"background_bandwidth_m", fit.params.background_bandwidth_m},
          {"trigger_weight", fit.params.trigger_weight},
          {"forecast_bandwidth_m", fit.params.forecast_bandwidth_m},
          {"training_events", fit.events},
          {"candidate_pairs", fit.pairs},
          {"iterations", fit.iterations},
          {"converged", fit.converged},
          {"log_likelihood", fit.log_likelihood}};
}

nlohmann::json hotspots_to_geojson(const analytics::HotspotResult& r, bool polygons) {
  nlohmann::json features = nlohmann::json::array();
  for (const auto& c : r.cells) {
    nlohmann::json p = {{"cell", c.key},
                        {"lat", round6(c.centre.lat)},
                        {"lon", round6(c.centre.lon)},
                        {"count", c.count}};
    if (r.method == analytics::HotspotMethod::kKde) p["density"] = c.density;
    if (r.method == analytics::HotspotMethod::kGiStar) {
      p["z"] = c.z;
      p["significance"] = c.significance;
      p["fdr_significant"] = c.fdr_significant;
    }
    features.push_back(feature(geometry(c.centre, c.outline, polygons), std::move(p)));
  }
  nlohmann::json meta = {{"method", analytics::hotspot_method_name(r.method)},
                         {"cell_m", r.cell_m},
                         {"area_basis", analytics::area_basis_name(r.area_basis)},
                         {"area_cells", r.area_cells},
                         {"incidents", r.incidents},
                         {"unlocated", r.unlocated},
                         {"cells", r.cells.size()},
                         {"truncated", r.truncated}};
  if (r.method == analytics::HotspotMethod::kKde) meta["bandwidth_m"] = r.bandwidth_m;
  if (r.method == analytics::HotspotMethod::kGiStar) {
    meta["band_m"] = r.band_m;
    meta["hot_cells"] = r.hot_cells;
    meta["cold_cells"] = r.cold_cells;
  }
  return {{"type", "FeatureCollection"}, {"features", std::move(features)}, {"meta", std::move(meta)}};
}

nlohmann::json forecast_to_geojson(const analytics::ForecastResult& r, int limit, bool polygons,
                                   const TimeZone& zone) {
  std::vector<int> cells = r.area.cells;
  double total = 0;
  for (int c : cells) total += r.expected[static_cast<size_t>(c)];
  const size_t k = std::min(cells.size(), static_cast<size_t>(std::max(limit, 0)));
  std::partial_sort(cells.begin(), cells.begin() + static_cast<std::ptrdiff_t>(k), cells.end(),
                    [&](int a, int b) {
                      const double ea = r.expected[static_cast<size_t>(a)];
                      const double eb = r.expected[static_cast<size_t>(b)];
                      return ea != eb ? ea > eb : a < b;
                    });
  nlohmann::json features = nlohmann::json::array();
  for (size_t i = 0; i < k; ++i) {
    const int c = cells[i];
    const GeoPoint centre = analytics::cell_centre_geo(r.grid, c, r.projection);
    features.push_back(feature(
        geometry(centre, analytics::cell_outline_geo(r.grid, c, r.projection), polygons),
        {{"cell", analytics::cell_key(r.grid, c)},
         {"lat", round6(centre.lat)},
         {"lon", round6(centre.lon)},
         {"expected", r.expected[static_cast<size_t>(c)]},
         {"rank", i + 1}}));
  }
  nlohmann::json meta = {{"model", r.model},
                         {"window_start", format_local(r.window.from_minute * 60, zone)},
                         {"window_end", format_local(r.window.until_minute * 60, zone)},
                         {"cell_m", r.grid.cell_m()},
                         {"area_basis", analytics::area_basis_name(r.area.basis)},
                         {"area_cells", r.area.cells.size()},
                         {"expected_total", total},
                         {"history_events", r.history_events},
                         {"cells", k}};
  if (r.fit) meta["fit"] = etas_fit_to_json(*r.fit);
  return {{"type", "FeatureCollection"}, {"features", std::move(features)}, {"meta", std::move(meta)}};
}

nlohmann::json patrol_to_json(const analytics::PatrolPlan& plan, const TimeZone& zone) {
  nlohmann::json stations = nlohmann::json::array();
  for (const auto& s : plan.stations) {
    nlohmann::json cells = nlohmann::json::array();
    int rank = 0;
    for (const auto& c : s.cells) {
      nlohmann::json outline = nlohmann::json::array();
      for (const GeoPoint& p : c.outline) outline.push_back({round6(p.lon), round6(p.lat)});
      cells.push_back({{"rank", ++rank},
                       {"cell", c.key},
                       {"lat", round6(c.centre.lat)},
                       {"lon", round6(c.centre.lon)},
                       {"expected", c.expected},
                       {"cumulative_share", c.cumulative_share},
                       {"outline", std::move(outline)}});
    }
    stations.push_back({{"unit", s.unit_code},
                        {"name", s.unit_name},
                        {"cells_basis", s.cells_basis},
                        {"station_cells", s.station_cells},
                        {"expected_total", s.expected_total},
                        {"cells", std::move(cells)}});
  }
  nlohmann::json out = {{"shift_start", format_local(plan.shift_start, zone)},
                        {"shift_end", format_local(plan.shift_end, zone)},
                        {"model", plan.model},
                        {"planned_for", plan.planned_for},
                        {"stations", std::move(stations)}};
  out["fit"] = plan.fit ? etas_fit_to_json(*plan.fit) : nlohmann::json(nullptr);
  return out;
}

}  // namespace pingan
