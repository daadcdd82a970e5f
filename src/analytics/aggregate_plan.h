#pragma once
// How a StatsQuery is answered: its groups and how rows map to them, the
// bucket bounds of the period and of the comparison period, and the two
// counting kernels (a scan of the rows, the day cube). Internal to the
// aggregate_*.cpp files.

#include <array>
#include <cstdint>
#include <vector>

#include "analytics/aggregate.h"
#include "analytics/index_data.h"
#include "analytics/index_filter.h"

namespace pingan::analytics {

struct StatsPlan {
  StatsGroup group_by = StatsGroup::kNone;
  StatsBucket bucket = StatsBucket::kNone;
  StatsCompare compare = StatsCompare::kNone;
  ResolvedFilter filter;

  std::vector<StatsGroupInfo> groups;
  std::vector<bool> optional_group;  // shown only when it holds records
  // Where a row goes, -1 when it is not counted.
  std::array<std::int16_t, 256> group_of_type{};    // class / type grouping
  std::array<std::int16_t, 8> group_of_status{};    // status grouping
  std::vector<std::int32_t> group_of_unit;          // unit grouping, by unit dimension

  // Calendar buckets: bounds[i] .. bounds[i + 1] is bucket i. Otherwise
  // {from, until}, with `bins` folded buckets (24 or 7) or one.
  std::vector<Timestamp> bounds;
  std::vector<Timestamp> compare_bounds;  // bounds mapped to the comparison period
  int bins = 1;                           // buckets when folded or none
  bool folded() const { return bucket == StatsBucket::kHourOfDay || bucket == StatsBucket::kWeekday; }
  int bucket_count() const { return folded() || bucket == StatsBucket::kNone ? bins : static_cast<int>(bounds.size()) - 1; }
  bool has_compare() const { return compare != StatsCompare::kNone; }
  std::size_t cells() const { return static_cast<std::size_t>(bucket_count()) * groups.size(); }
};

Result<StatsPlan> plan_stats(const IndexData& data, const StatsQuery& query);

// Adds the rows of the period described by `bounds` (the plan's bounds or
// compare_bounds) to counts[bucket * groups + group].
void count_by_scan(const IndexData& data, const StatsPlan& plan, const std::vector<Timestamp>& bounds,
                   std::vector<std::int64_t>& counts);
// Whether the cube holds the answer for both periods.
bool cube_can_answer(const IndexData& data, const StatsPlan& plan);
void count_by_cube(const IndexData& data, const StatsPlan& plan, const std::vector<Timestamp>& bounds,
                   std::vector<std::int64_t>& counts);

}  // namespace pingan::analytics
