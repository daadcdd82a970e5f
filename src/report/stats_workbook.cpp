#include "report/stats_workbook.h"

#include <fmt/format.h>

#include <cmath>
#include <string>

namespace pingan::report {
namespace {

using analytics::StatsBucket;
using analytics::StatsCompare;
using analytics::StatsGroup;

const char* group_header(StatsGroup g) {
  switch (g) {
    case StatsGroup::kClass: return "类别";
    case StatsGroup::kType: return "类型";
    case StatsGroup::kUnit: return "单位";
    case StatsGroup::kStatus: return "状态";
    case StatsGroup::kNone: break;
  }
  return "范围";
}

const char* bucket_text(StatsBucket b) {
  switch (b) {
    case StatsBucket::kHour: return "按小时";
    case StatsBucket::kDay: return "按日";
    case StatsBucket::kWeek: return "按周（周一至周日）";
    case StatsBucket::kMonth: return "按月";
    case StatsBucket::kHourOfDay: return "按一天中的小时";
    case StatsBucket::kWeekday: return "按星期几";
    case StatsBucket::kNone: break;
  }
  return "不分时段";
}

// The comparison's words: base column, change column, percent column.
struct CompareWords {
  const char* base;
  const char* change;
  const char* percent;
};

CompareWords compare_words(StatsCompare c) {
  if (c == StatsCompare::kPrevious) return {"上期", "环比增减", "环比"};
  return {"去年同期", "同比增减", "同比"};
}

std::string local_day_or_time(Timestamp t, const TimeZone& zone) {
  const CivilTime c = zone.to_local(t);
  if (c.hour == 0 && c.minute == 0 && c.second == 0) return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", c.year, c.month, c.day, c.hour, c.minute, c.second);
}

// [from, until) as the bureau reads it: "2025-07-01 至 2025-08-01（不含）".
std::string period_text(Timestamp from, Timestamp until, const TimeZone& zone) {
  return fmt::format("{} 至 {}（不含）", local_day_or_time(from, zone), local_day_or_time(until, zone));
}

// A bucket as people name it: "2025-07-01", "2025-07", "08时", "周一".
std::string bucket_label(StatsBucket bucket, Timestamp start, int bin, const TimeZone& zone) {
  static const char* kWeekdays[] = {"周一", "周二", "周三", "周四", "周五", "周六", "周日"};
  const CivilTime c = zone.to_local(start);
  switch (bucket) {
    case StatsBucket::kHour: return fmt::format("{:04}-{:02}-{:02} {:02}:00", c.year, c.month, c.day, c.hour);
    case StatsBucket::kDay:
    case StatsBucket::kWeek: return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
    case StatsBucket::kMonth: return fmt::format("{:04}-{:02}", c.year, c.month);
    case StatsBucket::kHourOfDay: return fmt::format("{:02}时", bin);
    case StatsBucket::kWeekday: return bin >= 1 && bin <= 7 ? kWeekdays[bin - 1] : std::to_string(bin);
    case StatsBucket::kNone: break;
  }
  return "";
}

CellValue code_cell(const std::string& code) { return code.empty() ? CellValue{} : CellValue{code}; }

SheetTable conditions_sheet(std::vector<std::pair<std::string, std::string>> lines) {
  SheetTable t;
  t.title = kConditionsSheetTitle;
  t.columns = {{"项目", ColumnKind::kText}, {"内容", ColumnKind::kText}};
  for (auto& [key, value] : lines) t.rows.push_back({std::move(key), std::move(value)});
  return t;
}

}  // namespace

CellValue percent_cell(const std::optional<double>& percent) {
  if (!percent || !std::isfinite(*percent)) return {};
  return std::round(*percent * 100.0) / 100.0 / 100.0;  // stats_json's two decimals, as a fraction
}

std::vector<SheetTable> stats_tables(const analytics::StatsResult& r, const TimeZone& zone) {
  const bool compared = r.compare != StatsCompare::kNone;
  const bool bucketed = r.bucket != StatsBucket::kNone;
  const bool folded = r.bucket == StatsBucket::kHourOfDay || r.bucket == StatsBucket::kWeekday;
  const bool grouped = r.group_by != StatsGroup::kNone;
  const bool sub = r.then_by != StatsGroup::kNone;
  const CompareWords words = compare_words(r.compare);

  SheetTable t;
  t.title = kStatsSheetTitle;
  // The first column takes the totals label: a text column in every shape.
  if (bucketed) t.columns.push_back({"时段", ColumnKind::kText});
  if (bucketed && compared && !folded) t.columns.push_back({"对比时段", ColumnKind::kText});
  const std::string group = group_header(r.group_by);
  t.columns.push_back({group, ColumnKind::kText});
  if (grouped) t.columns.push_back({group + "代码", ColumnKind::kText});
  if (sub) {
    const std::string then = group_header(r.then_by);
    t.columns.push_back({then, ColumnKind::kText});
    t.columns.push_back({then + "代码", ColumnKind::kText});
  }
  t.columns.push_back({"数量", ColumnKind::kInteger, 0, true});
  if (compared) {
    t.columns.push_back({words.base, ColumnKind::kInteger, 0, true});
    t.columns.push_back({words.change, ColumnKind::kInteger, 0, true});
    t.columns.push_back({words.percent, ColumnKind::kPercent});
  }
  if (grouped) t.columns.push_back({"排名", ColumnKind::kInteger});

  for (const analytics::StatsCell& c : r.cells) {
    std::vector<CellValue> row;
    row.reserve(t.columns.size());
    if (bucketed) {
      const analytics::StatsBucketInfo& b = r.buckets[static_cast<std::size_t>(c.bucket)];
      row.emplace_back(bucket_label(r.bucket, b.start, b.bin, zone));
      if (compared && !folded)
        row.push_back(b.compare_start ? CellValue{bucket_label(r.bucket, *b.compare_start, b.bin, zone)} : CellValue{});
    }
    const analytics::StatsGroupInfo& g = r.groups[static_cast<std::size_t>(c.group)];
    row.emplace_back(g.name.empty() ? g.code : g.name);
    if (grouped) row.push_back(code_cell(g.code));
    if (sub) {
      const analytics::StatsGroupInfo& s = r.subgroups[static_cast<std::size_t>(c.subgroup)];
      row.emplace_back(s.name.empty() ? s.code : s.name);
      row.push_back(code_cell(s.code));
    }
    row.emplace_back(c.count);
    if (compared) {
      row.emplace_back(c.base.value_or(0));
      row.emplace_back(c.change.value_or(0));
      row.push_back(percent_cell(c.change_pct));
    }
    if (grouped) row.push_back(c.rank ? CellValue{static_cast<std::int64_t>(*c.rank)} : CellValue{});
    t.rows.push_back(std::move(row));
  }
  t.totals_label = "合计";

  std::vector<std::pair<std::string, std::string>> lines = {
      {"统计期间", period_text(r.from, r.until, zone)},
      {"分组", grouped ? group_header(r.group_by) : "不分组"},
      {"子分组", sub ? group_header(r.then_by) : "无"},
      {"时段", bucket_text(r.bucket)},
      {"对比", compared ? words.percent : "不对比"},
  };
  if (compared && r.compare_from && r.compare_until)
    lines.emplace_back(fmt::format("对比期间（{}）", words.base), period_text(*r.compare_from, *r.compare_until, zone));
  lines.emplace_back("警情总数", std::to_string(r.total));
  if (compared) {
    lines.emplace_back(fmt::format("{}总数", words.base), std::to_string(r.compare_total.value_or(0)));
    const CellValue pct = percent_cell(r.change_pct);
    lines.emplace_back(words.percent, std::holds_alternative<double>(pct)
                                          ? fmt::format("{:+.2f}%", std::get<double>(pct) * 100.0)
                                          : std::string("—（对比期为 0）"));
  }
  return {std::move(t), conditions_sheet(std::move(lines))};
}

std::vector<SheetTable> overview_tables(const analytics::CampaignOverview& o, const TimeZone& zone) {
  SheetTable classes;
  classes.title = "分类别";
  classes.columns = {{"类别", ColumnKind::kText},     {"类别代码", ColumnKind::kText},  {"本期", ColumnKind::kInteger},
                     {"去年同期", ColumnKind::kInteger}, {"同比增减", ColumnKind::kInteger}, {"同比", ColumnKind::kPercent},
                     {"上期", ColumnKind::kInteger},     {"环比增减", ColumnKind::kInteger}, {"环比", ColumnKind::kPercent}};
  auto class_row = [](const analytics::OverviewLine& l) {
    return std::vector<CellValue>{l.name,           code_cell(l.code),  l.count,
                                  l.yoy_count,      l.yoy_change,       percent_cell(l.yoy_change_pct),
                                  l.previous_count, l.previous_change,  percent_cell(l.previous_change_pct)};
  };
  for (const analytics::OverviewLine& l : o.classes) classes.rows.push_back(class_row(l));
  // The overview's own total line (every incident, whatever its class), not a SUM.
  classes.rows.push_back(class_row(o.total));

  SheetTable units;
  units.title = "分单位";
  units.columns = {{"排名", ColumnKind::kInteger},    {"单位", ColumnKind::kText},        {"单位代码", ColumnKind::kText},
                   {"本期", ColumnKind::kInteger},    {"去年同期", ColumnKind::kInteger}, {"同比增减", ColumnKind::kInteger},
                   {"同比", ColumnKind::kPercent}};
  for (const analytics::OverviewLine& l : o.units)
    units.rows.push_back({static_cast<std::int64_t>(l.rank), l.name, code_cell(l.code), l.count, l.yoy_count,
                          l.yoy_change, percent_cell(l.yoy_change_pct)});

  return {std::move(classes), std::move(units),
          conditions_sheet({{"统计期间", period_text(o.from, o.until, zone)},
                            {"去年同期（同比）", period_text(o.yoy_from, o.yoy_until, zone)},
                            {"上期（环比）", period_text(o.previous_from, o.previous_until, zone)},
                            {"警情总数", std::to_string(o.total.count)}})};
}

}  // namespace pingan::report
