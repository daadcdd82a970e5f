#pragma once
// How a StatsQuery is answered: its groups and how rows map to them, the
// bucket bounds of the period and of the comparison period, and the two
// counting kernels (a scan of the rows, the day cube). Internal to the
// aggregate_*.cpp files.
//
// A row's cell within a bucket is the sum of three table lookups, by unit,
// type and status; each table holds the row's offset for the groupings on
// its dimension and kExcluded for what the filter leaves out, so a negative
// sum means "not counted" and the filter costs nothing extra.

#include <array>
#include <cstdint>
#include <vector>

#include "analytics/aggregate.h"
#include "analytics/index_data.h"
#include "analytics/index_filter.h"

namespace pingan::analytics {

inline constexpr std::int32_t kExcluded = -(1 << 28);

struct GroupList {
  std::vector<StatsGroupInfo> groups;
  std::vector<bool> optional;  // shown only when it holds records
};

struct StatsPlan {
  StatsGroup group_by = StatsGroup::kNone;
  StatsGroup then_by = StatsGroup::kNone;
  StatsBucket bucket = StatsBucket::kNone;
  StatsCompare compare = StatsCompare::kNone;
  ResolvedFilter filter;

  GroupList groups;     // one entry (the total) without group_by
  GroupList subgroups;  // one entry without then_by
  std::size_t group_cells() const { return groups.groups.size() * subgroups.groups.size(); }

  // Cell offset within a bucket = unit_part + type_part + status_part.
  std::vector<std::int32_t> unit_part;        // by unit dimension
  std::array<std::int32_t, 256> type_part{};  // by type index
  std::array<std::int32_t, 256> status_part{};  // by status byte (dead rows excluded)

  // Calendar buckets: bounds[i] .. bounds[i + 1] is bucket i. Otherwise
  // {from, until}, with `bins` folded buckets (24 or 7) or one.
  std::vector<Timestamp> bounds;
  int bins = 1;  // buckets when folded or none

  // The comparison. Calendar bucket i compares with the image
  // [compare_starts[i], compare_ends[i]) of its interval; otherwise one
  // image, of the period. Images may overlap (28 and 29 February both map to
  // 28 February) or leave gaps (a skipped hour), so they are counted through
  // the segments between their sorted, distinct ends (compare_cuts): image
  // i is segments [segment_begin[i], segment_end[i]).
  std::vector<Timestamp> compare_starts, compare_ends;
  std::vector<Timestamp> compare_cuts;
  std::vector<std::size_t> segment_begin, segment_end;
  bool folded() const { return bucket == StatsBucket::kHourOfDay || bucket == StatsBucket::kWeekday; }
  int bucket_count() const {
    return folded() || bucket == StatsBucket::kNone ? bins : static_cast<int>(bounds.size()) - 1;
  }
  bool has_compare() const { return compare != StatsCompare::kNone; }
  std::size_t cells() const { return static_cast<std::size_t>(bucket_count()) * group_cells(); }
};

Result<StatsPlan> plan_stats(const IndexData& data, const StatsQuery& query);

// Adds the rows of the period described by `bounds` (the plan's bounds or
// compare_cuts) to counts[bucket * group_cells() + cell]; calendar buckets
// are the intervals between consecutive bounds.
void count_by_scan(const IndexData& data, const StatsPlan& plan, const std::vector<Timestamp>& bounds,
                   std::vector<std::int64_t>& counts);
// Whether the cube holds the answer for both periods.
bool cube_can_answer(const IndexData& data, const StatsPlan& plan);
void count_by_cube(const IndexData& data, const StatsPlan& plan, const std::vector<Timestamp>& bounds,
                   std::vector<std::int64_t>& counts);

}  // namespace pingan::analytics
