// The scan kernel: reads the rows of the scope and period (unit runs sorted
// by time, then the tail) and counts them into cells and buckets. One
// instance per bucket kind, so the inner loop has no switch.

#include "analytics/aggregate_plan.h"

namespace pingan::analytics {
namespace {

enum class BucketMode { kWhole, kCalendar, kHourOfDay, kWeekday };

template <BucketMode M>
void scan_pass(const IndexData& d, const StatsPlan& p, const std::vector<Timestamp>& bounds,
               std::vector<std::int64_t>& counts) {
  const std::size_t cells = p.group_cells();
  const Timestamp* b = bounds.data();
  const Timestamp* b_end = b + bounds.size();
  const std::int32_t* unit_part = p.unit_part.data();
  const std::int32_t* type_part = p.type_part.data();
  const std::int32_t* status_part = p.status_part.data();
  const std::uint8_t* types = d.rows.type.data();
  const std::uint8_t* statuses = d.rows.status.data();
  const std::uint16_t* units = d.rows.unit.data();
  std::size_t current = 0;
  LocalClock::Cursor cursor(d.clock);
  d.for_rows(p.filter.units, bounds.front(), bounds.back(), [&](std::size_t r) {
    const std::int32_t cell = unit_part[d.unit_dim(units[r])] + type_part[types[r]] + status_part[statuses[r]];
    if (cell < 0) return;
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
    ++counts[bucket * cells + static_cast<std::size_t>(cell)];
  });
}

}  // namespace

void count_by_scan(const IndexData& d, const StatsPlan& p, const std::vector<Timestamp>& bounds,
                   std::vector<std::int64_t>& counts) {
  switch (p.bucket) {
    case StatsBucket::kNone:
      return scan_pass<BucketMode::kWhole>(d, p, bounds, counts);
    case StatsBucket::kHourOfDay:
      return scan_pass<BucketMode::kHourOfDay>(d, p, bounds, counts);
    case StatsBucket::kWeekday:
      return scan_pass<BucketMode::kWeekday>(d, p, bounds, counts);
    default:
      return scan_pass<BucketMode::kCalendar>(d, p, bounds, counts);
  }
}

}  // namespace pingan::analytics
