#pragma once
// Statistics tables as workbooks (issue 22: "exports of any list or
// statistics table to .xlsx"), in report/xlsx_writer.h's conventions:
//
// - stats_tables: an analytics::StatsResult (GET /api/stats) as the sheet
//   "警情统计", one row per row of json/stats_json.h's answer in the same
//   order: 时段 (when bucketed; 对比时段 for a compared calendar bucket),
//   the group's name and code (类别/类型/单位/状态 by group_by), the
//   subgroup's (then_by), 数量, and with a comparison 去年同期 or 上期,
//   增减 and 同比 or 环比 (a percentage rounded to two decimals as the JSON
//   rounds it; empty where the JSON has null), 排名 with a grouping; a
//   totals row "合计" summing 数量, the base and 增减 (cached SUMs; the sum
//   of the rows is the answer's total, each incident being in one row).
//   Then "统计条件": the period, comparison period, grouping and bucket.
// - overview_tables: an analytics::CampaignOverview (GET /api/stats/overview)
//   as "分类别" (each class, then the overview's own 合计 line, with 同比 and
//   环比), "分单位" (the child units by rank, with 同比) and "统计条件".
//
// Pure: tables from values, no I/O (write them with write_xlsx or
// xlsx_bytes). Thread-safe.

#include <vector>

#include "analytics/aggregate.h"
#include "analytics/stats_overview.h"
#include "core/time.h"
#include "report/xlsx_writer.h"

namespace pingan::report {

inline constexpr const char* kStatsSheetTitle = "警情统计";
inline constexpr const char* kConditionsSheetTitle = "统计条件";

// "警情统计", then "统计条件". `zone`: the bureau's, for the periods and buckets.
std::vector<SheetTable> stats_tables(const analytics::StatsResult& result, const TimeZone& zone);

// "分类别", "分单位", then "统计条件".
std::vector<SheetTable> overview_tables(const analytics::CampaignOverview& overview, const TimeZone& zone);

// A percentage as stats_json writes it (-14.934 -> -14.93) as a fraction for
// a percent cell (-0.1493); empty for null.
CellValue percent_cell(const std::optional<double>& percent);

}  // namespace pingan::report
