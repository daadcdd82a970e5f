// pingan analyze response: 1-3-5 compliance (1-3-5 分钟快速反应) from the
// command line, the same answers as GET /api/stats/response
// (analytics/response_stats.h) printed as a table, or as its JSON with
// --json. E.g. on the San Luis Obispo import:
//   pingan analyze response --db slo.db --tz America/Los_Angeles
//       --from 2021-10-01 --until 2022-03-01 --group-by month

#include <fmt/format.h>

#include "analytics/response_index.h"
#include "analytics/response_stats.h"
#include "cli/commands.h"
#include "cli/table_text.h"
#include "config/settings.h"
#include "core/code_checks.h"
#include "json/response_json.h"

namespace pingan::cli {
namespace {

struct ResponseOptions {
  DatabaseOptions db;
  std::string from, until, unit, standard_file;
  std::string group_by = "none";
  bool json = false;
};

std::string minutes(const std::optional<double>& seconds) {
  return seconds ? fmt::format("{:.1f}", *seconds / 60.0) : std::string("—");
}

std::string share(const analytics::MarkShare& s, const std::optional<double>& yoy_pp) {
  if (!s.share_pct) return "—";
  return yoy_pp ? fmt::format("{:.2f}% ({:+.2f})", *s.share_pct, *yoy_pp) : fmt::format("{:.2f}% (—)", *s.share_pct);
}

void print_table(const analytics::ResponseReport& r, const TimeZone& zone, const std::string& scope_name) {
  fmt::print("出警时效 response: {} — {} ({}), {}; standard: {}\n", format_local(r.from, zone),
             format_local(r.until, zone), zone.name(), scope_name, r.standard.name);
  fmt::print("shares are of the responded incidents (dispatched or arrived); (±pp) = 同比 YoY change in percentage "
             "points; times in minutes\n\n");
  std::vector<const analytics::ResponseLine*> lines;
  for (const auto& g : r.groups) lines.push_back(&g);
  lines.push_back(&r.total);
  auto label = [](const analytics::ResponseLine& l) { return l.code.empty() ? l.name : l.code + " " + l.name; };
  int name_w = display_width("分组 group");
  for (const auto* l : lines) name_w = std::min(40, std::max(name_w, display_width(label(*l))));
  constexpr int kShareW = 20;
  std::string header = pad("分组 group", name_w) + pad("警情 incidents", 16, true) + pad("出警 responded", 16, true);
  for (const auto& m : r.standard.marks) header += pad(fmt::format("{} ≤{}s", m.label, m.seconds), kShareW + 2, true);
  header += pad("接警→派警 中位", 16, true) + pad("接警→到场 中位", 16, true) + pad("p90", 8, true) +
            pad("同比 incidents", 16, true);
  const std::string rule(static_cast<std::size_t>(display_width(header)), '-');
  fmt::print("{}\n{}\n", header, rule);
  for (const auto* l : lines) {
    if (l == &r.total && !r.groups.empty()) fmt::print("{}\n", rule);
    const auto& c = l->current;
    std::string row = pad(label(*l), name_w) + pad(std::to_string(c.incidents), 16, true) +
                      pad(std::to_string(c.responded), 16, true);
    for (std::size_t k = 0; k < c.marks.size(); ++k)
      row += pad(share(c.marks[k], l->yoy.share_change_pp[k]), kShareW + 2, true);
    const auto& to_dispatch = c.durations[static_cast<std::size_t>(analytics::ResponseMetric::kCallToDispatch)];
    const auto& to_arrival = c.durations[static_cast<std::size_t>(analytics::ResponseMetric::kCallToArrival)];
    row += pad(minutes(to_dispatch.median_s), 16, true) + pad(minutes(to_arrival.median_s), 16, true) +
           pad(minutes(to_arrival.p90_s), 8, true) +
           pad(fmt::format("{} ({:+})", l->yoy.base.incidents, l->yoy.incidents_change), 16, true);
    fmt::print("{}\n", row);
  }
}

void run_response_command(const ResponseOptions& o) {
  std::shared_ptr<const config::Settings> settings;
  auto engine = open_engine_or_report(o.db, &settings);
  if (!engine) return;
  const TimeZone& zone = engine->time_zone();
  analytics::ResponseQuery q;
  for (const auto& [text, field, out] : {std::tuple{&o.from, "from", &q.from}, std::tuple{&o.until, "until", &q.until}}) {
    auto t = parse_iso8601(*text, &zone);
    if (!t.ok()) return report_error(Error::invalid(field, t.error().message));
    *out = *t;
  }
  auto units = engine->units();
  std::string scope_name = "全部单位 all units";
  if (!o.unit.empty()) {
    auto unit = require_unit(*units, o.unit);
    if (!unit.ok()) return report_error(unit.error());
    q.scope = UnitScope::subtree(o.unit);
    scope_name = fmt::format("{} {}", (*unit)->code, (*unit)->name);
  }
  auto group = analytics::parse_response_group(o.group_by);
  if (!group.ok()) return report_error(group.error());
  q.group_by = *group;
  auto standard = o.standard_file.empty() ? Result<analytics::ResponseStandard>(settings->response_standard)
                                          : config::load_response_standard(o.standard_file);
  if (!standard.ok()) return report_error(standard.error());
  auto index = analytics::attach_response_index(*engine);
  if (!index.ok()) return report_error(index.error());
  auto report = analytics::response_report(**index, *standard, *units, zone, q);
  if (!report.ok()) return report_error(report.error());
  if (o.json) {
    fmt::print("{}\n", response_report_to_json(*report, zone).dump(2));
    return;
  }
  print_table(*report, zone, scope_name);
}

}  // namespace

void add_analyze_response_command(CLI::App& app) {
  auto o = std::make_shared<ResponseOptions>();
  CLI::App* cmd = analyze_command(app)->add_subcommand(
      "response", "1-3-5 response compliance: medians, p90 and the share meeting each mark, with 同比/环比");
  add_database_options(*cmd, o->db);
  cmd->add_option("--from", o->from, "start of the period (a local date or ISO 8601 time)")->required();
  cmd->add_option("--until,--to", o->until, "end of the period, exclusive")->required();
  cmd->add_option("--unit", o->unit, "unit code: figures of its subtree");
  cmd->add_option("--group-by", o->group_by, "none|unit|day|week|month")->capture_default_str();
  cmd->add_option("--standard", o->standard_file, "a response standard JSON file (default: data/dispatch/response_standard.json)");
  cmd->add_flag("--json", o->json, "print the JSON of GET /api/stats/response");
  cmd->callback([o] { run_response_command(*o); });
}

}  // namespace pingan::cli
