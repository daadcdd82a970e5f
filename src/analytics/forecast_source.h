#pragma once
// The thin adapter between the incident index and the spatial statistics:
// the located incidents of a filter as EventPoints, sorted by time.

#include <cstdint>
#include <vector>

#include "analytics/grid.h"
#include "analytics/incident_index.h"

namespace pingan::analytics {

struct CollectedEvents {
  std::vector<EventPoint> events;  // sorted by minute
  std::int64_t unlocated = 0;      // rows that passed the filter without a location
};

CollectedEvents collect_events(const IncidentIndex& index, const RowFilter& filter);

}  // namespace pingan::analytics
