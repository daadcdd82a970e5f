// pingan analyze rising: which types, units or unit x type series rose
// beyond chance in a recent window against their own history
// (analytics/rising.h), printed most significant first with the test's
// figures, or as the JSON of GET /api/stats/rising.

#include <fmt/format.h>

#include <cmath>

#include "analytics/forecast_windows.h"
#include "analytics/incident_index.h"
#include "analytics/rising.h"
#include "cli/commands.h"
#include "core/code_checks.h"
#include "json/rising_json.h"

namespace pingan::cli {
namespace {

struct RisingOptions {
  DatabaseOptions db;
  std::string unit, from, to, at;
  std::string by = "type", baseline = "previous";
  int windows = 12, years = 3, top = 30;
  double alpha = 0.05;
  bool only_rising = false, json = false;
};

Result<Timestamp> local_date(const std::string& text, const char* field, const TimeZone& zone) {
  PINGAN_ASSIGN_OR_RETURN(CivilTime date, analytics::parse_local_date(text, field));
  return zone.to_utc(date);
}

std::string series_name(const analytics::RisingSeries& s) {
  std::string out;
  if (!s.unit_code.empty()) out = fmt::format("{} {}", s.unit_code, s.unit_name);
  const std::string& code = s.type_code.empty() ? s.class_code : s.type_code;
  const std::string& name = s.type_code.empty() ? s.class_name : s.type_name;
  if (!code.empty()) out += fmt::format("{}{} {}", out.empty() ? "" : " / ", code, name);
  return out;
}

void run_rising(const RisingOptions& o) {
  auto engine = open_engine_or_report(o.db);
  if (!engine) return;
  const TimeZone& zone = engine->time_zone();
  analytics::RisingQuery q;
  auto by = analytics::parse_rising_by(o.by);
  if (!by.ok()) return report_error(by.error());
  auto baseline = analytics::parse_rising_baseline(o.baseline);
  if (!baseline.ok()) return report_error(baseline.error());
  q.by = *by;
  q.baseline = *baseline;
  q.history_windows = o.windows;
  q.history_years = o.years;
  q.alpha = o.alpha;
  if (!o.from.empty() || !o.to.empty()) {
    if (o.from.empty() || o.to.empty())
      return report_error(Error::invalid(o.from.empty() ? "from" : "to", "--from and --to go together"));
    auto from = local_date(o.from, "from", zone);
    if (!from.ok()) return report_error(from.error());
    auto to = local_date(o.to, "to", zone);
    if (!to.ok()) return report_error(to.error());
    q.from = *from;
    q.until = *to;
  }
  if (!o.at.empty()) {
    auto at = local_date(o.at, "at", zone);
    if (!at.ok()) return report_error(at.error());
    q.at = *at;
  }
  if (!o.unit.empty()) {
    if (auto unit = require_unit(*engine->units(), o.unit); !unit.ok()) return report_error(unit.error());
    q.scope = UnitScope::subtree(o.unit);
  }
  if (Status st = analytics::validate_rising_query(q); !st.ok()) return report_error(st.error());

  auto index = attach_index_with_progress(*engine);
  if (!index.ok()) return report_error(index.error());
  auto report = analytics::find_rising(**index, q, now_utc());
  if (!report.ok()) return report_error(report.error());
  const analytics::RisingReport& r = *report;
  if (o.json) {
    fmt::print("{}\n", rising_to_json(r, zone, o.top).dump(2));
    return;
  }
  fmt::print("rising ({}) in {} .. {} against {} {} windows ({} dropped before the data); "
             "{} series tested, {} rising at q < {}\n",
             analytics::rising_by_name(r.by), format_local(r.window.from, zone),
             format_local(r.window.until, zone), r.history.size(),
             analytics::rising_baseline_name(r.baseline), r.dropped.size(), r.tested, r.flagged, r.alpha);
  fmt::print("{:>4}  {:<44} {:>8} {:>9} {:>6} {:>7} {:>10} {:>10}  {:<6} {}\n", "rank", "series", "observed",
             "expected", "ratio", "z", "p", "q", "test", "rising");
  int shown = 0;
  for (size_t i = 0; i < r.series.size() && shown < o.top; ++i) {
    const analytics::RisingSeries& s = r.series[i];
    if (o.only_rising && !s.rising) continue;
    ++shown;
    const auto& f = s.score;
    fmt::print("{:>4}  {:<44} {:>8} {:>9.1f} {:>6} {:>7.2f} {:>10.3g} {:>10.3g}  {:<6} {}\n", i + 1, series_name(s),
               f.observed, f.expected, std::isfinite(f.ratio) ? fmt::format("{:.2f}", f.ratio) : std::string("new"),
               f.z, f.p, s.q, f.test == analytics::RisingTest::kPoisson ? "pois" : "negbin",
               s.rising ? "RISING" : "");
  }
}

}  // namespace

void add_analyze_rising_command(CLI::App& app) {
  auto o = std::make_shared<RisingOptions>();
  CLI::App* cmd = analyze_command(app)->add_subcommand(
      "rising", "types and units that rose beyond chance against their own history");
  add_database_options(*cmd, o->db);
  cmd->add_option("--unit", o->unit, "only this unit's subtree (series by unit are its children)");
  cmd->add_option("--from", o->from, "first local date of the window (YYYY-MM-DD; with --to)");
  cmd->add_option("--to", o->to, "local date the window ends before (YYYY-MM-DD)");
  cmd->add_option("--at", o->at, "without --from/--to: the 28 days before this local date "
                                 "(default: today, or the end of the data)");
  cmd->add_option("--by", o->by, "type, class, unit, unit_type or unit_class")->capture_default_str();
  cmd->add_option("--baseline", o->baseline, "previous (windows) or past_years (same season)")->capture_default_str();
  cmd->add_option("--windows", o->windows, "previous windows to compare with")->capture_default_str();
  cmd->add_option("--years", o->years, "past years to compare with (past_years)")->capture_default_str();
  cmd->add_option("--alpha", o->alpha, "false discovery rate for the flag")->capture_default_str();
  cmd->add_option("--top", o->top, "series printed")->capture_default_str();
  cmd->add_flag("--only-rising", o->only_rising, "print only the series flagged rising");
  cmd->add_flag("--json", o->json, "print the JSON of GET /api/stats/rising");
  cmd->callback([o] { run_rising(*o); });
}

}  // namespace pingan::cli
