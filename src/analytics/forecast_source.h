#pragma once
// The thin adapter between the incident index and the spatial statistics:
// the located incidents of a filter as EventPoints, sorted by time.

#include <cstdint>
#include <vector>

#include "analytics/grid.h"
#include "analytics/incident_index.h"

namespace pingan::analytics {

struct CollectedEvents {
  std::vector<EventPoint> events;  // sorted by minute (when asked)
  std::int64_t unlocated = 0;      // rows that passed the filter without a location
};

// Time order costs a sort; maps that only bin the points go without.
enum class EventOrder { kByTime, kAsStored };
CollectedEvents collect_events(const IncidentIndex& index, const RowFilter& filter,
                               EventOrder order = EventOrder::kByTime);

}  // namespace pingan::analytics
