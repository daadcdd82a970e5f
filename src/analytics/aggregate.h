#pragma once
// Campaign statistics over the incident index: counts for any unit subtree,
// classes, types, statuses and period, grouped and bucketed, each with an
// optional comparison period (同比 year on year, 环比 the previous period)
// and a ranking of the groups.
//
// Conventions (docs/analytics.md):
// - Buckets follow the bureau's local calendar (IncidentIndex::zone()):
//   hour, day, week (Monday to Sunday), month; hour_of_day (0-23) and
//   weekday (1 = Monday .. 7 = Sunday) fold the period onto a clock or a week.
//   The first and last calendar bucket are clipped to the period.
// - 同比 maps every instant to the same local clock time a year earlier
//   (29 February to 28 February): [from, until) -> [yoy(from), yoy(until)).
// - 环比 is the period of equal length just before: for a period of whole
//   local days, the same number of days before `from`; otherwise
//   [from - (until - from), from).
// - A calendar bucket is compared with its own image under the same map; a
//   folded bucket (hour_of_day, weekday) with the same bin of the comparison
//   period. Percent change is null when the comparison count is 0.
// - group_by unit: the children of each scope root (their whole subtrees),
//   a root without children stands for itself; records attached to a root
//   itself, or (unrestricted scope) to no unit of the tree, form extra groups
//   that appear only when they hold records.
// - rank: 1 for the largest count among the groups of a bucket; ties share
//   a rank (1, 2, 2, 4).
// Answers come from the day cube when the periods are whole local days
// inside its window, there is no status filter or grouping and no hour
// bucket; otherwise from a scan of the rows of the scope and period.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analytics/incident_index.h"
#include "analytics/index_clock.h"
#include "core/status.h"

namespace pingan::analytics {

struct IndexData;

enum class StatsGroup : std::uint8_t { kNone, kClass, kType, kUnit, kStatus };
enum class StatsBucket : std::uint8_t { kNone, kHour, kDay, kWeek, kMonth, kHourOfDay, kWeekday };
enum class StatsCompare : std::uint8_t { kNone, kYearOnYear, kPrevious };

const char* stats_group_name(StatsGroup g);      // "none", "class", "type", "unit", "status"
const char* stats_bucket_name(StatsBucket b);    // "none", "hour", ..., "hour_of_day", "weekday"
const char* stats_compare_name(StatsCompare c);  // "none", "yoy", "previous"
Result<StatsGroup> parse_stats_group(std::string_view text);
Result<StatsBucket> parse_stats_bucket(std::string_view text);
Result<StatsCompare> parse_stats_compare(std::string_view text);

struct StatsQuery {
  RowFilter filter;  // filter.from and filter.until are required
  StatsGroup group_by = StatsGroup::kNone;
  // A second grouping inside the first (unit x type: every unit's count of
  // every type); none, or different from group_by when group_by is set.
  StatsGroup then_by = StatsGroup::kNone;
  StatsBucket bucket = StatsBucket::kNone;
  StatsCompare compare = StatsCompare::kNone;
};

struct StatsGroupInfo {
  std::string code;     // class, type, unit or status code; "" for the total
  std::string name;     // Chinese name
  std::string name_en;  // English name where the taxonomy has one
};

struct StatsBucketInfo {
  Timestamp start = 0, end = 0;  // calendar bucket (clipped); the whole period for folded ones
  int bin = -1;                  // hour_of_day 0..23, weekday 1..7; -1 otherwise
  std::optional<Timestamp> compare_start, compare_end;  // a calendar bucket's comparison
};

struct StatsCell {
  int bucket = 0;    // index into StatsResult::buckets
  int group = 0;     // index into StatsResult::groups
  int subgroup = 0;  // index into StatsResult::subgroups (0 without then_by)
  std::int64_t count = 0;
  std::optional<std::int64_t> base;    // the comparison period's count
  std::optional<std::int64_t> change;  // count - base
  std::optional<double> change_pct;    // 100 * change / base; null when base is 0
  // With a grouping: the group's rank among the groups of the same bucket
  // (and the same subgroup).
  std::optional<int> rank;
};

struct StatsResult {
  StatsGroup group_by = StatsGroup::kNone;
  StatsGroup then_by = StatsGroup::kNone;
  StatsBucket bucket = StatsBucket::kNone;
  StatsCompare compare = StatsCompare::kNone;
  Timestamp from = 0, until = 0;
  std::optional<Timestamp> compare_from, compare_until;
  std::vector<StatsGroupInfo> groups;
  std::vector<StatsGroupInfo> subgroups;  // one entry (the total) without then_by
  std::vector<StatsBucketInfo> buckets;
  // Bucket by bucket; within a bucket group by group; within a group
  // subgroup by subgroup.
  std::vector<StatsCell> cells;
  std::int64_t total = 0;
  std::optional<std::int64_t> compare_total;
  std::optional<std::int64_t> change;
  std::optional<double> change_pct;
  bool from_cube = false;  // answered from the day cube rather than a scan
};

// Errors: missing or reversed period, unknown class or type code, then_by
// without group_by or equal to it, more cells than CostBudgets::stats_cells
// (request_cost.h; the server's budget, for the CLI too: it bounds the
// answer's size), naming "bucket" or "group_by" and by how much to narrow.
Result<StatsResult> run_stats(const IncidentIndex& index, const StatsQuery& query);
// The same with the index's lock already held (IncidentIndex::read).
Result<StatsResult> run_stats(const IndexData& data, const StatsQuery& query);
// Rows passing the filter; from the cube when it can answer.
std::int64_t count_rows(const IndexData& data, const RowFilter& filter);

// The comparison image [first, second) of the interval [start, end) inside
// the period [from, until) under `compare` (kNone is refused by the caller),
// by the conventions above: what run_stats compares a bucket with, for other
// statistics (response metrics) that must compare the same way.
std::pair<Timestamp, Timestamp> comparison_image(const LocalClock& clock, StatsCompare compare, Timestamp from,
                                                 Timestamp until, Timestamp start, Timestamp end);

// Percent change, null when the base is 0.
std::optional<double> percent_change(std::int64_t count, std::int64_t base);

}  // namespace pingan::analytics
