// pingan analyze hotspots: counts per grid cell, a kernel density surface or
// Getis-Ord Gi* clusters for a period, printed as a table of the top cells
// and optionally written as GeoJSON for a map.

#include <fmt/format.h>

#include <chrono>
#include <fstream>

#include "analytics/forecast_windows.h"
#include "analytics/hotspot.h"
#include "cli/commands.h"
#include "core/code_checks.h"
#include "core/text.h"
#include "json/hotspot_json.h"

namespace pingan::cli {
namespace {

struct HotspotsOptions {
  DatabaseOptions db;
  std::string from, to;
  std::string method = "gistar";
  std::string unit, types, classes;
  std::string kernel = "gaussian";
  double cell_m = 150, bandwidth_m = 300, band_m = 0;
  bool fdr = false;
  int top = 20;
  std::string geojson;
};

std::vector<std::string> comma_list(const std::string& text) {
  std::vector<std::string> out;
  for (std::string_view part : split(text, ','))
    if (!trim(part).empty()) out.emplace_back(trim(part));
  return out;
}

void run_hotspots(const HotspotsOptions& o) {
  auto engine = open_engine_or_report(o.db);
  if (!engine) return;
  analytics::HotspotRequest request;
  auto method = analytics::parse_hotspot_method(o.method);
  if (!method.ok()) return report_error(method.error());
  auto kernel = analytics::parse_kernel_shape(o.kernel);
  if (!kernel.ok()) return report_error(kernel.error());
  auto from = analytics::parse_local_date(o.from, "from");
  if (!from.ok()) return report_error(from.error());
  auto to = analytics::parse_local_date(o.to, "to");
  if (!to.ok()) return report_error(to.error());
  request.method = *method;
  request.kernel = analytics::KernelSpec{*kernel, o.bandwidth_m};
  request.cell_m = o.cell_m;
  request.band_m = o.band_m;
  request.fdr = o.fdr;
  request.limit = 100'000;
  request.filter.from = engine->time_zone().to_utc(*from);
  request.filter.until = engine->time_zone().to_utc(*to);
  request.filter.type_codes = comma_list(o.types);
  request.filter.class_codes = comma_list(o.classes);
  if (Status st = check_type_codes(engine->taxonomy(), request.filter.type_codes, "types"); !st.ok())
    return report_error(st.error());
  if (Status st = check_class_codes(engine->taxonomy(), request.filter.class_codes, "classes"); !st.ok())
    return report_error(st.error());
  if (!o.unit.empty()) {
    if (auto unit = require_unit(*engine->units(), o.unit); !unit.ok()) return report_error(unit.error());
    request.filter.scope = UnitScope::subtree(o.unit);
  }
  if (auto valid = analytics::validate_hotspot_request(request); !valid.ok())
    return report_error(valid.error());

  auto index = attach_index_with_progress(*engine);
  if (!index.ok()) return report_error(index.error());
  const auto started = std::chrono::steady_clock::now();
  auto result = analytics::compute_hotspots(**index, request);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (!result.ok()) return report_error(result.error());
  const auto& r = *result;
  fmt::print("hotspots ({}) {} .. {}: {} located incidents on {} m cells, {} without a location; "
             "study area {} cells ({}); computed in {:.1f} ms\n",
             analytics::hotspot_method_name(r.method), o.from, o.to, r.incidents, r.cell_m,
             r.unlocated, r.area_cells, analytics::area_basis_name(r.area_basis), ms);
  if (r.method == analytics::HotspotMethod::kGiStar)
    fmt::print("Gi*: distance band {} m, binary weights, self included; {} hot and {} cold cells "
               "at 95% or more\n",
               r.band_m, r.hot_cells, r.cold_cells);
  fmt::print("{:>4}  {:<18} {:>10} {:>11} {:>7} {:>10} {:>7}\n", "rank", "cell", "lat", "lon",
             "count", r.method == analytics::HotspotMethod::kKde ? "density" : "z", "sig");
  for (size_t i = 0; i < r.cells.size() && i < static_cast<size_t>(o.top); ++i) {
    const auto& c = r.cells[i];
    const double shown = r.method == analytics::HotspotMethod::kKde ? c.density : c.z;
    fmt::print("{:>4}  {:<18} {:>10.6f} {:>11.6f} {:>7.0f} {:>10.3f} {:>7}\n", i + 1, c.key,
               c.centre.lat, c.centre.lon, c.count, shown,
               r.method == analytics::HotspotMethod::kGiStar
                   ? fmt::format("{}{}", c.significance, c.fdr_significant ? "*" : "")
                   : std::string("-"));
  }
  if (!o.geojson.empty()) {
    std::ofstream out(o.geojson, std::ios::binary);
    out << hotspots_to_geojson(r, true).dump();
    if (!out) return report_error(Error::unavailable(fmt::format("cannot write {}", o.geojson)));
    fmt::print("GeoJSON of {} cells written to {}\n", r.cells.size(), o.geojson);
  }
}

}  // namespace

void add_analyze_hotspots_command(CLI::App& app) {
  auto o = std::make_shared<HotspotsOptions>();
  CLI::App* cmd = analyze_command(app)->add_subcommand(
      "hotspots", "counts per grid cell, kernel density or Getis-Ord Gi* clusters for a period");
  add_database_options(*cmd, o->db);
  cmd->add_option("--from", o->from, "first local date (YYYY-MM-DD)")->required();
  cmd->add_option("--to", o->to, "local date the period ends before (YYYY-MM-DD)")->required();
  cmd->add_option("--method", o->method, "counts, kde or gistar")->capture_default_str();
  cmd->add_option("--cell", o->cell_m, "cell size in metres")->capture_default_str();
  cmd->add_option("--kernel", o->kernel, "kde: gaussian or quartic")->capture_default_str();
  cmd->add_option("--bandwidth", o->bandwidth_m,
                  "kde: Gaussian sd or quartic radius in metres")
      ->capture_default_str();
  cmd->add_option("--band", o->band_m, "Gi*: distance band in metres (0 = 1.5 cells)")
      ->capture_default_str();
  cmd->add_flag("--fdr", o->fdr, "Gi*: also mark cells significant under a 5% false discovery rate");
  cmd->add_option("--types", o->types, "comma-separated type codes (default all)");
  cmd->add_option("--classes", o->classes, "comma-separated class codes (default all)");
  cmd->add_option("--unit", o->unit, "unit code: the scope (default everything)");
  cmd->add_option("--top", o->top, "cells to print")->capture_default_str();
  cmd->add_option("--geojson", o->geojson, "also write every cell as GeoJSON to this file");
  cmd->callback([o] { run_hotspots(*o); });
}

}  // namespace pingan::cli
