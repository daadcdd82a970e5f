#include "analytics/forecast_source.h"

#include <algorithm>

namespace pingan::analytics {

CollectedEvents collect_events(const IncidentIndex& index, const RowFilter& filter,
                               EventOrder order) {
  CollectedEvents out;
  index.for_each_point(filter, [&](const PointRow& row) {
    if (row.x == kNoPoint || row.y == kNoPoint) {
      ++out.unlocated;
      return;
    }
    out.events.push_back(EventPoint{static_cast<double>(row.x), static_cast<double>(row.y),
                                    static_cast<std::int64_t>(row.minute)});
  });
  if (order == EventOrder::kAsStored) return out;
  // The index keeps rows by unit, then time; forecasts slide along time.
  // Ties broken by place so that the order (and every sum) does not depend
  // on the index's layout.
  std::sort(out.events.begin(), out.events.end(), [](const EventPoint& a, const EventPoint& b) {
    if (a.minute != b.minute) return a.minute < b.minute;
    return a.x != b.x ? a.x < b.x : a.y < b.y;
  });
  return out;
}

}  // namespace pingan::analytics
