// The cube kernel: for whole local days inside the cube's window, a count is
// a difference of two prefix sums per (unit, type) slot of the scope.

#include <algorithm>

#include "analytics/aggregate_plan.h"

namespace pingan::analytics {

bool cube_can_answer(const IndexData& d, const StatsPlan& p) {
  if (!p.filter.all_statuses || p.group_by == StatsGroup::kStatus || p.then_by == StatsGroup::kStatus)
    return false;
  if (p.bucket == StatsBucket::kHour || p.bucket == StatsBucket::kHourOfDay) return false;
  auto whole_days_in_window = [&](const std::vector<Timestamp>& bounds) {
    for (Timestamp t : bounds)
      if (!d.clock.is_day_start(t)) return false;
    return d.cube.covers(d.clock.local_day(bounds.front()), d.clock.local_day(bounds.back()));
  };
  return whole_days_in_window(p.bounds) && (!p.has_compare() || whole_days_in_window(p.compare_cuts));
}

void count_by_cube(const IndexData& d, const StatsPlan& p, const std::vector<Timestamp>& bounds,
                   std::vector<std::int64_t>& counts) {
  const DayCube& cube = d.cube;
  const std::size_t cells = p.group_cells();
  std::vector<DayNumber> days;
  days.reserve(bounds.size());
  for (Timestamp t : bounds) days.push_back(d.clock.local_day(t));
  const int types = static_cast<int>(d.types.size());
  // Weekday bins: counts day by day, then folded.
  std::vector<DayNumber> every_day;
  if (p.bucket == StatsBucket::kWeekday)
    for (DayNumber day = days.front(); day <= days.back(); ++day) every_day.push_back(day);
  std::vector<std::int64_t> per_day(every_day.empty() ? 0 : every_day.size() - 1);
  auto count_unit = [&](int dim) {
    const std::int32_t unit_part = p.unit_part[static_cast<std::size_t>(dim)];
    for (int t = 0; t < types; ++t) {
      // No status filter or grouping reaches the cube: every status is 0.
      const std::int32_t c = unit_part + p.type_part[static_cast<std::size_t>(t)];
      if (c < 0) continue;
      const int slot = cube.slot(dim, t);
      if (slot < 0) continue;
      const auto cell = static_cast<std::size_t>(c);
      if (p.bucket == StatsBucket::kWeekday) {
        std::fill(per_day.begin(), per_day.end(), 0);
        cube.add_counts(slot, every_day.data(), every_day.size(), per_day.data(), 1);
        for (std::size_t i = 0; i < per_day.size(); ++i)
          counts[static_cast<std::size_t>(iso_weekday(every_day[i]) - 1) * cells + cell] += per_day[i];
      } else {
        cube.add_counts(slot, days.data(), days.size(), counts.data() + cell, cells);
      }
    }
  };
  for (const auto& [begin, end] : p.filter.units.ranges)
    for (int dim = begin; dim < end; ++dim) count_unit(dim);
  if (p.filter.units.unplaced) count_unit(d.catalog.size());
}

}  // namespace pingan::analytics
