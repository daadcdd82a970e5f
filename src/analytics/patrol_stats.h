#pragma once
// Patrol statistics for a unit scope and period (防: 巡逻): officer-shifts
// (警力人次, the crews of the shifts summed), vehicle-shifts (警车辆次, shifts
// of cars and motorcycles), posts staffed, distance patrolled (from the
// stored tracks), and hotspot coverage: the share of the forecast's top cells
// (150 m, the ETAS forecast of analytics/patrol.h for the period's start)
// that a unit's track passed through during one of its shifts. With the same
// figures a year earlier (同比) when that period holds shifts or tracks.

#include <cstdint>
#include <optional>
#include <string>

#include "analytics/request_cost.h"
#include "core/deadline.h"
#include "core/status.h"
#include "core/time.h"
#include "core/unit.h"

namespace pingan {
class Engine;
namespace analytics {
class IncidentIndex;
}
}  // namespace pingan

namespace pingan::analytics {

struct PatrolStatsRequest {
  UnitScope scope = UnitScope::everything();
  Timestamp from = 0, until = 0;  // [from, until), until - from at most 366 days
  int hotspot_cells = 10;         // top forecast cells per station, 1..100
  bool compare_last_year = true;
  // What the hotspot figures' forecasts may cost (request_cost.h): the
  // server gives its budgets, the CLI none.
  CostBudgets budgets = CostBudgets::unlimited();
};

struct PatrolFigures {
  std::int64_t shifts = 0;
  std::int64_t officer_shifts = 0;  // 警力人次
  std::int64_t vehicle_shifts = 0;  // 警车辆次
  std::int64_t posts = 0;           // posts of stations in scope
  std::int64_t posts_staffed = 0;   // with a shift of theirs covering their hours on a day of the period
  double distance_km = 0;           // tracks of the scope's units inside the period
  std::int64_t hotspot_cells = 0;
  std::int64_t hotspot_cells_covered = 0;
  double hotspot_coverage = 0;  // covered / cells; 0 when no cells
};

struct PatrolStats {
  Timestamp from = 0, until = 0;
  PatrolFigures current;
  std::optional<PatrolFigures> last_year;  // null when that period holds no shifts or tracks
  std::string hotspot_model;               // "etas", or "none" without an index or cells
};

// `index` may be null: hotspot figures are then 0. Errors name "from"/"to",
// "hotspot_cells", or the parameter over budget; unavailable when the
// deadline passes.
Result<PatrolStats> compute_patrol_stats(Engine& engine, const analytics::IncidentIndex* index,
                                         const PatrolStatsRequest& request,
                                         const Deadline& deadline = Deadline::none());

// The same instant a year earlier in the bureau's zone (29 Feb → 28 Feb).
Timestamp one_year_earlier(Timestamp t, const TimeZone& zone);

}  // namespace pingan::analytics
