// The scan kernel: reads the rows of the scope and period (unit runs sorted
// by time, then the tail) and counts them into groups and buckets. One
// instance per grouping and bucket kind, so the inner loop has no switch.

#include "analytics/aggregate_plan.h"

namespace pingan::analytics {
namespace {

enum class BucketMode { kWhole, kCalendar, kHourOfDay, kWeekday };

template <StatsGroup G, BucketMode M>
void scan_pass(const IndexData& d, const StatsPlan& p, const std::vector<Timestamp>& bounds,
               std::vector<std::int64_t>& counts) {
  const ResolvedFilter& f = p.filter;
  const std::size_t groups = p.groups.size();
  const Timestamp* b = bounds.data();
  const Timestamp* b_end = b + bounds.size();
  std::size_t current = 0;
  LocalClock::Cursor cursor(d.clock);
  d.for_rows(f.units, bounds.front(), bounds.back(), [&](std::size_t r) {
    if (!f.wants(d.rows, r)) return;
    int g;
    if constexpr (G == StatsGroup::kNone) {
      g = 0;
    } else if constexpr (G == StatsGroup::kClass || G == StatsGroup::kType) {
      g = p.group_of_type[d.rows.type[r]];
    } else if constexpr (G == StatsGroup::kUnit) {
      g = p.group_of_unit[static_cast<std::size_t>(d.unit_dim(d.rows.unit[r]))];
    } else {
      g = p.group_of_status[d.rows.status[r]];
    }
    if (g < 0) return;
    std::size_t bucket = 0;
    if constexpr (M == BucketMode::kCalendar) {
      // Rows of a unit come in time order: the bucket is usually the last one.
      const Timestamp t = d.rows.time(r);
      if (t < b[current] || t >= b[current + 1])
        current = static_cast<std::size_t>(std::upper_bound(b, b_end, t) - b) - 1;
      bucket = current;
    } else if constexpr (M == BucketMode::kHourOfDay) {
      const std::int64_t local = cursor.local_seconds(d.rows.time(r));
      bucket = static_cast<std::size_t>(floor_div(local, 3600) - floor_div(local, kSecondsPerDay) * 24);
    } else if constexpr (M == BucketMode::kWeekday) {
      const std::int64_t local = cursor.local_seconds(d.rows.time(r));
      bucket = static_cast<std::size_t>(iso_weekday(floor_div(local, kSecondsPerDay)) - 1);
    }
    ++counts[bucket * groups + static_cast<std::size_t>(g)];
  });
}

template <StatsGroup G>
void scan_grouped(const IndexData& d, const StatsPlan& p, const std::vector<Timestamp>& bounds,
                  std::vector<std::int64_t>& counts) {
  switch (p.bucket) {
    case StatsBucket::kNone:
      return scan_pass<G, BucketMode::kWhole>(d, p, bounds, counts);
    case StatsBucket::kHourOfDay:
      return scan_pass<G, BucketMode::kHourOfDay>(d, p, bounds, counts);
    case StatsBucket::kWeekday:
      return scan_pass<G, BucketMode::kWeekday>(d, p, bounds, counts);
    default:
      return scan_pass<G, BucketMode::kCalendar>(d, p, bounds, counts);
  }
}

}  // namespace

void count_by_scan(const IndexData& d, const StatsPlan& p, const std::vector<Timestamp>& bounds,
                   std::vector<std::int64_t>& counts) {
  switch (p.group_by) {
    case StatsGroup::kNone:
      return scan_grouped<StatsGroup::kNone>(d, p, bounds, counts);
    case StatsGroup::kClass:
      return scan_grouped<StatsGroup::kClass>(d, p, bounds, counts);
    case StatsGroup::kType:
      return scan_grouped<StatsGroup::kType>(d, p, bounds, counts);
    case StatsGroup::kUnit:
      return scan_grouped<StatsGroup::kUnit>(d, p, bounds, counts);
    case StatsGroup::kStatus:
      return scan_grouped<StatsGroup::kStatus>(d, p, bounds, counts);
  }
}

}  // namespace pingan::analytics
