#pragma once
// JSON for campaign statistics (analytics/aggregate.h, stats_overview.h),
// shared by GET /api/stats, GET /api/stats/overview and
// `pingan analyze stats --json`. Times are local ISO 8601 with offset;
// percentages are numbers to two decimals (-14.93 for a fall of 14.93 %),
// null when the comparison count is 0.

#include <nlohmann/json.hpp>

#include "analytics/aggregate.h"
#include "analytics/stats_overview.h"
#include "core/time.h"

namespace pingan {

// {from, to, group_by, then_by, bucket, compare, compare_from, compare_to,
//  source, total, compare_total, change, change_pct, groups, subgroups,
//  buckets, rows}; each row {bucket, group, subgroup?, count, rank?,
//  compare_count?, change?, change_pct?}.
nlohmann::json stats_to_json(const analytics::StatsResult& result, const TimeZone& zone);

// {from, to, yoy_from, yoy_to, previous_from, previous_to, source, total,
//  classes, units}.
nlohmann::json overview_to_json(const analytics::CampaignOverview& overview, const TimeZone& zone);

}  // namespace pingan
