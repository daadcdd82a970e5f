// The scan kernel: reads the rows of the scope and period (unit runs sorted
// by time, then the tail) and counts them into cells and buckets. One
// instance per bucket kind, so the inner loops have no switch; within a
// unit's run the unit's offset is fixed and calendar buckets advance with
// time, so a row costs two byte loads and two table lookups.

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
  const std::int32_t* type_part = p.type_part.data();
  const std::int32_t* status_part = p.status_part.data();
  const std::uint8_t* types = d.rows.type.data();
  const std::uint8_t* statuses = d.rows.status.data();
  std::int64_t* out = counts.data();
  LocalClock::Cursor cursor(d.clock);

  // The bucket of a row at time t (folded or calendar), for rows in any order.
  auto bucket_of = [&](Timestamp t) -> std::size_t {
    if constexpr (M == BucketMode::kCalendar) {
      return static_cast<std::size_t>(std::upper_bound(b, b_end, t) - b) - 1;
    } else if constexpr (M == BucketMode::kHourOfDay) {
      const std::int64_t local = cursor.local_seconds(t);
      return static_cast<std::size_t>(floor_div(local, 3600) - floor_div(local, kSecondsPerDay) * 24);
    } else if constexpr (M == BucketMode::kWeekday) {
      return static_cast<std::size_t>(iso_weekday(floor_div(cursor.local_seconds(t), kSecondsPerDay)) - 1);
    } else {
      return 0;
    }
  };

  auto run = [&](int dim, std::uint32_t begin, std::uint32_t end) {
    const std::int32_t unit_part = p.unit_part[static_cast<std::size_t>(dim)];
    if (unit_part < 0) return;
    if constexpr (M == BucketMode::kWhole) {
      for (std::size_t r = begin; r < end; ++r) {
        const std::int32_t cell = unit_part + type_part[types[r]] + status_part[statuses[r]];
        if (cell >= 0) ++out[cell];
      }
    } else if constexpr (M == BucketMode::kCalendar) {
      // Rows come in time order: move to the next bucket as time passes its end.
      std::size_t bucket = bucket_of(d.rows.time(begin));
      Timestamp next = b[bucket + 1];
      for (std::size_t r = begin; r < end; ++r) {
        const std::int32_t cell = unit_part + type_part[types[r]] + status_part[statuses[r]];
        if (cell < 0) continue;
        const Timestamp t = d.rows.time(r);
        while (t >= next) next = b[++bucket + 1];
        ++out[bucket * cells + static_cast<std::size_t>(cell)];
      }
    } else {
      for (std::size_t r = begin; r < end; ++r) {
        const std::int32_t cell = unit_part + type_part[types[r]] + status_part[statuses[r]];
        if (cell >= 0) ++out[bucket_of(d.rows.time(r)) * cells + static_cast<std::size_t>(cell)];
      }
    }
  };
  auto tail = [&](std::size_t r) {
    const std::int32_t cell = p.unit_part[static_cast<std::size_t>(d.unit_dim(d.rows.unit[r]))] +
                              type_part[types[r]] + status_part[statuses[r]];
    if (cell >= 0) ++out[bucket_of(d.rows.time(r)) * cells + static_cast<std::size_t>(cell)];
  };
  d.for_runs(p.filter.units, bounds.front(), bounds.back(), run, tail);
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
