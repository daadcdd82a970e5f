// pingan analyze forecast-eval: replays history window by window, forecasts
// each window from the data before it only, and prints per model the hit
// rate and the Predictive Accuracy Index at 1%, 5% and 10% of the area.

#include <fmt/format.h>

#include <cmath>

#include "analytics/forecast_service.h"
#include "cli/commands.h"
#include "core/code_checks.h"
#include "core/text.h"

namespace pingan::cli {
namespace {

struct ForecastEvalOptions {
  DatabaseOptions db;
  std::string from, to, train_from;
  std::string window = "week";
  double cell_m = 150;
  double bandwidth_m = 150;
  std::string unit, types, classes;
  int fit_days = 365, refit_days = 91, background_days = 1095;
  bool fits = false;
};

std::vector<std::string> comma_list(const std::string& text) {
  std::vector<std::string> out;
  for (std::string_view part : split(text, ','))
    if (!trim(part).empty()) out.emplace_back(trim(part));
  return out;
}

std::string local_date(std::int64_t minute, const TimeZone& zone) {
  const CivilTime t = zone.to_local(minute * 60);
  return fmt::format("{:04}-{:02}-{:02}", t.year, t.month, t.day);
}

std::string local_time(std::int64_t minute, const TimeZone& zone) {
  const CivilTime t = zone.to_local(minute * 60);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}", t.year, t.month, t.day, t.hour, t.minute);
}

void print_report(const analytics::ForecastEvalReport& r, const ForecastEvalOptions& o,
                  const TimeZone& zone, const analytics::ForecastEvalRequest& request) {
  const auto& ev = r.evaluation;
  fmt::print("forecast-eval: {} windows of a {} from {} to {} ({}), scope {}, {}\n", ev.windows,
             o.window, o.from, o.to, zone.name(), o.unit.empty() ? "everything" : o.unit,
             o.types.empty() && o.classes.empty()
                 ? std::string("all types")
                 : fmt::format("types [{}] classes [{}]", o.types, o.classes));
  fmt::print("history: {} located incidents from {} before the first window, {:.0f} in the "
             "windows' study area ({} in the windows in all); {} without a location not used\n",
             r.training_events, local_date(r.first_event_minute, zone), ev.incidents,
             r.window_events, r.unlocated);
  if (r.area_basis == analytics::AreaBasis::kUnitBoundaries)
    fmt::print("study area A: {} cells of {} m whose centres lie inside the boundaries of {} "
               "unit{} in scope\n",
               ev.area_cells, r.cell_m, r.units_with_boundaries,
               r.units_with_boundaries == 1 ? "" : "s");
  else
    fmt::print("study area A: {} cells of {} m that had at least one incident before the first "
               "window (no unit in scope has a boundary)\n",
               ev.area_cells, r.cell_m);
  std::string head = "| model |", rule = "|---|";
  for (double s : ev.shares) {
    head += fmt::format(" hit rate {:g}% |", s * 100);
    rule += "---:|";
  }
  for (double s : ev.shares) {
    head += fmt::format(" PAI {:g}% |", s * 100);
    rule += "---:|";
  }
  head += " seconds |";
  rule += "---:|";
  fmt::print("\n{}\n{}\n", head, rule);
  for (const auto& m : ev.models) {
    std::string line = fmt::format("| {} |", m.model);
    for (double h : m.mean_hit_rate) line += fmt::format(" {:.3f} |", h);
    for (double p : m.mean_pai) line += fmt::format(" {:.2f} |", p);
    line += fmt::format(" {:.1f} |", m.seconds);
    fmt::print("{}\n", line);
  }
  fmt::print("\nhit rate = mean over the {} windows with incidents of n/N; PAI = hit rate / "
             "(a/A) with a = {} cells.\n",
             ev.models.empty() ? 0 : ev.models.front().windows,
             [&] {
               std::string cells;
               for (double s : ev.shares)
                 cells += fmt::format("{}{}", cells.empty() ? "" : ", ",
                                      analytics::flagged_cells(s, ev.area_cells));
               return cells;
             }());
  fmt::print("kde: Gaussian kernel, sd {} m; counts: the cell's own count. etas: EM fit on the "
             "{} days before the window, refitted every {} days; background over the last {} "
             "days; trigger weight and background smoothing tuned on the {} days before each "
             "fit.\n",
             request.settings.kde.bandwidth_m, request.settings.etas.fit_days,
             request.settings.etas.refit_days, request.settings.etas.background_days,
             request.settings.etas.tuning_days);
  if (!o.fits) return;
  fmt::print("\nETAS fits:\n");
  for (const auto& [at, f] : r.etas_fits)
    fmt::print("  {}: {} events, {} pairs, {} iterations{}; mu {:.1f}/day, theta {:.3f}, "
               "1/omega {:.1f} days, sigma {:.0f} m, background sd {:g} m; tuned: trigger weight "
               "{:g}, background sd {:g} m\n",
               local_time(at, zone), f.events, f.pairs, f.iterations,
               f.converged ? "" : " (not converged)", f.params.mu_per_day, f.params.theta,
               1 / f.params.omega_per_day, f.params.sigma_m, f.params.background_bandwidth_m, f.params.trigger_weight,
               f.params.forecast_bandwidth_m);
}

void run_forecast_eval(const ForecastEvalOptions& o) {
  auto engine = open_engine_or_report(o.db);
  if (!engine) return;
  analytics::ForecastEvalRequest request;
  auto from = analytics::parse_local_date(o.from, "from");
  if (!from.ok()) return report_error(from.error());
  auto to = analytics::parse_local_date(o.to, "to");
  if (!to.ok()) return report_error(to.error());
  auto window = analytics::parse_window_kind(o.window);
  if (!window.ok()) return report_error(window.error());
  request.from_date = *from;
  request.to_date = *to;
  request.window = *window;
  if (!o.train_from.empty()) {
    auto train = analytics::parse_local_date(o.train_from, "train-from");
    if (!train.ok()) return report_error(train.error());
    request.filter.from = engine->time_zone().to_utc(*train);
  }
  if (!o.unit.empty()) {
    if (auto unit = require_unit(*engine->units(), o.unit); !unit.ok()) return report_error(unit.error());
    request.filter.scope = UnitScope::subtree(o.unit);
  }
  request.filter.type_codes = comma_list(o.types);
  request.filter.class_codes = comma_list(o.classes);
  if (Status st = check_type_codes(engine->taxonomy(), request.filter.type_codes, "types"); !st.ok())
    return report_error(st.error());
  if (Status st = check_class_codes(engine->taxonomy(), request.filter.class_codes, "classes"); !st.ok())
    return report_error(st.error());
  if (Status st = analytics::check_cell_size(o.cell_m); !st.ok()) return report_error(st.error());
  request.settings.cell_m = o.cell_m;
  request.settings.kde.bandwidth_m = o.bandwidth_m;
  request.settings.etas.fit_days = o.fit_days;
  request.settings.etas.refit_days = o.refit_days;
  request.settings.etas.background_days = o.background_days;

  auto index = attach_index_with_progress(*engine);
  if (!index.ok()) return report_error(index.error());
  auto report = analytics::run_forecast_eval(**index, request);
  if (!report.ok()) return report_error(report.error());
  print_report(*report, o, engine->time_zone(), request);
  fmt::print("replayed in {:.1f} s\n", report->seconds);
}

}  // namespace

void add_analyze_forecast_command(CLI::App& app) {
  auto o = std::make_shared<ForecastEvalOptions>();
  CLI::App* cmd = analyze_command(app)->add_subcommand(
      "forecast-eval",
      "replay history: forecast each window from the data before it, print hit rate and PAI per "
      "model");
  add_database_options(*cmd, o->db);
  cmd->add_option("--from", o->from, "first local date of the replay (YYYY-MM-DD)")->required();
  cmd->add_option("--to", o->to, "local date the replay ends before (YYYY-MM-DD)")->required();
  cmd->add_option("--window", o->window, "day, week or shift (8 hours)")->capture_default_str();
  cmd->add_option("--cell", o->cell_m, "cell size in metres")->capture_default_str();
  cmd->add_option("--bandwidth", o->bandwidth_m, "sd of the KDE baselines' kernel in metres")
      ->capture_default_str();
  cmd->add_option("--types", o->types, "comma-separated type codes (default all)");
  cmd->add_option("--classes", o->classes, "comma-separated class codes (default all)");
  cmd->add_option("--unit", o->unit, "unit code: the scope (default everything)");
  cmd->add_option("--train-from", o->train_from,
                  "ignore incidents before this local date (default: all history)");
  cmd->add_option("--fit-days", o->fit_days, "ETAS: days of training before each fit")
      ->capture_default_str();
  cmd->add_option("--refit-days", o->refit_days, "ETAS: refit after this many days of replay")
      ->capture_default_str();
  cmd->add_option("--background-days", o->background_days,
                  "ETAS: days of history in the background density")
      ->capture_default_str();
  cmd->add_flag("--fits", o->fits, "print every ETAS fit");
  cmd->callback([o] { run_forecast_eval(*o); });
}

}  // namespace pingan::cli
