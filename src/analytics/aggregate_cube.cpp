// The cube kernel: for whole local days inside the cube's window, a count is
// a difference of two prefix sums per (unit, type) slot of the scope.

#include "analytics/aggregate_plan.h"

namespace pingan::analytics {

bool cube_can_answer(const IndexData& d, const StatsPlan& p) {
  if (!p.filter.all_statuses || p.group_by == StatsGroup::kStatus) return false;
  if (p.bucket == StatsBucket::kHour || p.bucket == StatsBucket::kHourOfDay) return false;
  auto whole_days_in_window = [&](const std::vector<Timestamp>& bounds) {
    for (Timestamp t : bounds)
      if (!d.clock.is_day_start(t)) return false;
    return d.cube.covers(d.clock.local_day(bounds.front()), d.clock.local_day(bounds.back()));
  };
  return whole_days_in_window(p.bounds) && (!p.has_compare() || whole_days_in_window(p.compare_bounds));
}

void count_by_cube(const IndexData& d, const StatsPlan& p, const std::vector<Timestamp>& bounds,
                   std::vector<std::int64_t>& counts) {
  const DayCube& cube = d.cube;
  const std::size_t groups = p.groups.size();
  std::vector<DayNumber> days;
  days.reserve(bounds.size());
  for (Timestamp t : bounds) days.push_back(d.clock.local_day(t));
  const int types = static_cast<int>(d.types.size());
  auto count_unit = [&](int dim) {
    for (int t = 0; t < types; ++t) {
      if (!p.filter.type_wanted[static_cast<std::size_t>(t)]) continue;
      const int slot = cube.slot(dim, t);
      if (slot < 0) continue;
      int g = 0;
      if (p.group_by == StatsGroup::kClass || p.group_by == StatsGroup::kType)
        g = p.group_of_type[static_cast<std::size_t>(t)];
      else if (p.group_by == StatsGroup::kUnit)
        g = p.group_of_unit[static_cast<std::size_t>(dim)];
      if (g < 0) continue;
      const auto group = static_cast<std::size_t>(g);
      if (p.bucket == StatsBucket::kWeekday) {
        for (DayNumber day = days.front(); day < days.back(); ++day)
          counts[static_cast<std::size_t>(iso_weekday(day) - 1) * groups + group] += cube.count(slot, day, day + 1);
      } else if (p.bucket == StatsBucket::kNone) {
        counts[group] += cube.count(slot, days.front(), days.back());
      } else {
        for (std::size_t i = 0; i + 1 < days.size(); ++i)
          counts[i * groups + group] += cube.count(slot, days[i], days[i + 1]);
      }
    }
  };
  for (const auto& [begin, end] : p.filter.units.ranges)
    for (int dim = begin; dim < end; ++dim) count_unit(dim);
  if (p.filter.units.unplaced) count_unit(d.catalog.size());
}

}  // namespace pingan::analytics
