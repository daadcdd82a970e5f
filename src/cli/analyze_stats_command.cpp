// pingan analyze stats: campaign statistics from the command line, the same
// answers as GET /api/stats (analytics/aggregate.h) printed as a table, or
// as its JSON with --json; --xlsx FILE also writes it as a workbook
// (report/stats_workbook.h). E.g. on the St. Louis import:
//   pingan analyze stats --db stl.db --tz America/Chicago
//       --from 2016-06-01 --to 2016-09-01 --group-by class --compare yoy

#include <fmt/format.h>

#include <chrono>

#include "analytics/aggregate.h"
#include "analytics/incident_index.h"
#include "cli/commands.h"
#include "cli/table_text.h"
#include "core/code_checks.h"
#include "core/text.h"
#include "json/stats_json.h"
#include "report/scratch_dir.h"
#include "report/stats_workbook.h"

namespace pingan::cli {
namespace {

struct StatsOptions {
  DatabaseOptions db;
  std::string from, to, unit;
  std::vector<std::string> classes, types, statuses;
  std::string group_by = "none", then_by = "none", bucket = "none", compare = "none";
  bool json = false;
  std::string xlsx;  // also write the table as a workbook
};

std::string thousands(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (n < 0 ? "-" : "") + out;
}

std::string signed_count(std::int64_t n) { return (n > 0 ? "+" : "") + thousands(n); }

std::string percent(const std::optional<double>& p) {
  return p ? fmt::format("{:+.2f}%", *p) : std::string("—");
}

std::string bucket_label(const analytics::StatsResult& r, const analytics::StatsBucketInfo& b, const TimeZone& zone) {
  static const char* kWeekdays[] = {"周一 Mon", "周二 Tue", "周三 Wed", "周四 Thu", "周五 Fri", "周六 Sat", "周日 Sun"};
  const CivilTime c = zone.to_local(b.start);
  switch (r.bucket) {
    case analytics::StatsBucket::kHour:
      return fmt::format("{:04}-{:02}-{:02} {:02}:00", c.year, c.month, c.day, c.hour);
    case analytics::StatsBucket::kDay:
    case analytics::StatsBucket::kWeek:
      return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
    case analytics::StatsBucket::kMonth:
      return fmt::format("{:04}-{:02}", c.year, c.month);
    case analytics::StatsBucket::kHourOfDay:
      return fmt::format("{:02}时", b.bin);
    case analytics::StatsBucket::kWeekday:
      return kWeekdays[(b.bin + 6) % 7];
    case analytics::StatsBucket::kNone:
      break;
  }
  return "";
}

std::string local_date(Timestamp t, const TimeZone& zone) {
  const CivilTime c = zone.to_local(t);
  if (c.hour == 0 && c.minute == 0 && c.second == 0) return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
  return format_local(t, zone);
}

void print_table(const analytics::StatsResult& r, const analytics::StatsQuery& q, const TimeZone& zone,
                 const std::string& scope_name, double elapsed_ms) {
  const bool compared = r.compare != analytics::StatsCompare::kNone;
  const bool bucketed = r.bucket != analytics::StatsBucket::kNone;
  const bool sub = r.then_by != analytics::StatsGroup::kNone;
  const char* compare_name = r.compare == analytics::StatsCompare::kYearOnYear ? "同比 YoY" : "环比 vs previous";
  fmt::print("统计 stats: {} — {} ({}), {}", local_date(r.from, zone), local_date(r.until, zone), zone.name(),
             scope_name);
  if (compared)
    fmt::print("; {} {} — {}", compare_name, local_date(*r.compare_from, zone), local_date(*r.compare_until, zone));
  if (!q.filter.class_codes.empty() || !q.filter.type_codes.empty() || !q.filter.statuses.empty())
    fmt::print("; filtered");
  fmt::print("\n[{} in {:.3f} ms]\n\n", r.from_cube ? "day cube" : "scan", elapsed_ms);

  auto group_label = [](const analytics::StatsGroupInfo& g) {
    if (g.code.empty()) return g.name;
    return g.code == g.name ? g.code : fmt::format("{} {}", g.code, g.name);
  };
  int bucket_w = 0, group_w = 8, sub_w = 0;
  for (const auto& b : r.buckets) bucket_w = std::max(bucket_w, display_width(bucket_label(r, b, zone)));
  for (const auto& g : r.groups) group_w = std::max(group_w, display_width(group_label(g)));
  if (sub)
    for (const auto& g : r.subgroups) sub_w = std::max(sub_w, display_width(group_label(g)));
  if (bucketed) bucket_w = std::max(bucket_w, display_width("时段 bucket"));
  group_w = std::min(std::max(group_w, display_width("分组 group")), 40);
  sub_w = sub ? std::min(std::max(sub_w, display_width("子组 subgroup")), 40) : 0;

  std::string header;
  if (bucketed) header += pad("时段 bucket", bucket_w) + "  ";
  header += pad("分组 group", group_w) + "  ";
  if (sub) header += pad("子组 subgroup", sub_w) + "  ";
  header += pad("数量 count", 12, true);
  if (compared) header += pad("对比 base", 12, true) + pad("增减 change", 13, true) + pad("幅度 change%", 14, true);
  if (r.group_by != analytics::StatsGroup::kNone) header += pad("排名 rank", 11, true);
  fmt::print("{}\n{}\n", header, std::string(static_cast<std::size_t>(display_width(header)), '-'));
  for (const auto& c : r.cells) {
    std::string line;
    if (bucketed) line += pad(bucket_label(r, r.buckets[static_cast<std::size_t>(c.bucket)], zone), bucket_w) + "  ";
    line += pad(group_label(r.groups[static_cast<std::size_t>(c.group)]), group_w) + "  ";
    if (sub) line += pad(group_label(r.subgroups[static_cast<std::size_t>(c.subgroup)]), sub_w) + "  ";
    line += pad(thousands(c.count), 12, true);
    if (compared)
      line += pad(thousands(c.base.value_or(0)), 12, true) + pad(signed_count(c.change.value_or(0)), 13, true) +
              pad(percent(c.change_pct), 14, true);
    if (c.rank) line += pad(std::to_string(*c.rank), 11, true);
    fmt::print("{}\n", line);
  }
  fmt::print("{}\n", std::string(static_cast<std::size_t>(display_width(header)), '-'));
  std::string total = pad("合计 total", (bucketed ? bucket_w + 2 : 0) + group_w + (sub ? sub_w + 2 : 0)) + "  " +
                      pad(thousands(r.total), 12, true);
  if (compared)
    total += pad(thousands(r.compare_total.value_or(0)), 12, true) + pad(signed_count(r.change.value_or(0)), 13, true) +
             pad(percent(r.change_pct), 14, true);
  fmt::print("{}\n", total);
}

void run_stats_command(const StatsOptions& o) {
  auto engine = open_engine_or_report(o.db);
  if (!engine) return;
  const TimeZone& zone = engine->time_zone();
  analytics::StatsQuery q;
  for (const auto& [text, field, out] : {std::tuple{&o.from, "from", &q.filter.from}, std::tuple{&o.to, "to", &q.filter.until}}) {
    auto t = parse_iso8601(*text, &zone);
    if (!t.ok()) return report_error(Error::invalid(field, t.error().message));
    *out = *t;
  }
  std::string scope_name = "全部单位 all units";
  if (!o.unit.empty()) {
    auto unit = require_unit(*engine->units(), o.unit);
    if (!unit.ok()) return report_error(unit.error());
    q.filter.scope = UnitScope::subtree(o.unit);
    scope_name = fmt::format("{} {}", (*unit)->code, (*unit)->name);
  }
  auto split_all = [](const std::vector<std::string>& values) {
    std::vector<std::string> out;
    for (const std::string& v : values)
      for (std::string_view part : split(v, ','))
        if (auto t = trim(part); !t.empty()) out.emplace_back(t);
    return out;
  };
  q.filter.class_codes = split_all(o.classes);
  q.filter.type_codes = split_all(o.types);
  for (const std::string& name : split_all(o.statuses)) {
    auto s = parse_status(name);
    if (!s.ok()) return report_error(Error::invalid("status", s.error().message));
    q.filter.statuses.push_back(*s);
  }
  auto group = analytics::parse_stats_group(o.group_by);
  auto then = analytics::parse_stats_group(o.then_by);
  auto bucket = analytics::parse_stats_bucket(o.bucket);
  auto compare = analytics::parse_stats_compare(o.compare);
  if (!group.ok()) return report_error(group.error());
  if (!then.ok()) return report_error(Error::invalid("then_by", then.error().message));
  if (!bucket.ok()) return report_error(bucket.error());
  if (!compare.ok()) return report_error(compare.error());
  q.group_by = *group;
  q.then_by = *then;
  q.bucket = *bucket;
  q.compare = *compare;

  if (!o.xlsx.empty()) {
    if (Status st = check_output_path(o.xlsx); !st.ok()) return report_error(st.error());
  }

  auto index = attach_index_with_progress(*engine);
  if (!index.ok()) return report_error(index.error());
  const auto shape = (*index)->shape();
  fmt::print(stderr, "索引 index: {} incidents, {:.1f} MB ({:.1f} B/incident), day cube {} .. {}\n", shape.rows,
             static_cast<double>(shape.memory_bytes) / 1e6,
             shape.rows ? static_cast<double>(shape.memory_bytes) / static_cast<double>(shape.rows) : 0.0,
             shape.cube_first_day.empty() ? "-" : shape.cube_first_day,
             shape.cube_last_day.empty() ? "-" : shape.cube_last_day);

  const auto started = std::chrono::steady_clock::now();
  auto result = analytics::run_stats(**index, q);
  const double elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (!result.ok()) return report_error(result.error());
  if (!o.xlsx.empty()) {
    // The same rows as the table below and GET /api/stats/export.xlsx.
    if (Status st = report::write_xlsx(o.xlsx, report::stats_tables(*result, zone)); !st.ok())
      return report_error(st.error());
    fmt::print(stderr, "工作簿 workbook: {} rows -> {}\n", result->cells.size(), o.xlsx);
  }
  if (o.json) {
    fmt::print("{}\n", stats_to_json(*result, zone).dump(2));
    return;
  }
  print_table(*result, q, zone, scope_name, elapsed_ms);
}

}  // namespace

void add_analyze_stats_command(CLI::App& app) {
  auto o = std::make_shared<StatsOptions>();
  CLI::App* cmd = analyze_command(app)->add_subcommand(
      "stats", "campaign statistics: counts by class, type, unit or status with 同比/环比 and ranks");
  add_database_options(*cmd, o->db);
  cmd->add_option("--from", o->from, "start of the period (a local date or ISO 8601 time)")->required();
  cmd->add_option("--to", o->to, "end of the period, exclusive")->required();
  cmd->add_option("--unit", o->unit, "unit code: statistics of its subtree");
  cmd->add_option("--class", o->classes, "class codes (comma separated)");
  cmd->add_option("--type", o->types, "type codes (comma separated)");
  cmd->add_option("--status", o->statuses, "statuses (comma separated)");
  cmd->add_option("--group-by", o->group_by, "none|class|type|unit|status")->capture_default_str();
  cmd->add_option("--then-by", o->then_by, "a second grouping inside the first")->capture_default_str();
  cmd->add_option("--bucket", o->bucket, "none|hour|day|week|month|hour_of_day|weekday")->capture_default_str();
  cmd->add_option("--compare", o->compare, "none|yoy (同比)|previous (环比)")->capture_default_str();
  cmd->add_flag("--json", o->json, "print the JSON of GET /api/stats");
  cmd->add_option("--xlsx", o->xlsx, "also write the table to this .xlsx file (as GET /api/stats/export.xlsx)");
  cmd->callback([o] { run_stats_command(*o); });
}

}  // namespace pingan::cli
