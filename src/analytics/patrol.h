#pragma once
// Patrol suggestions: for each station in scope, the cells to cover in the
// next shift, ranked by the forecast of the best model of the replay
// (ETAS, see docs/forecasting.md), with the share of the station's expected
// incidents that the first k cells cover.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "analytics/forecast_service.h"
#include "analytics/incident_index.h"

namespace pingan::analytics {

struct PatrolRequest {
  UnitScope scope = UnitScope::everything();
  std::vector<std::string> class_codes, type_codes;  // empty = all
  Timestamp shift_start = 0;
  int hours = kShiftHours;  // 1..24
  int k = 5;                // cells per station, 1..100
  ForecastSettings settings;
  // What the plan may cost (request_cost.h; the forecast's rules): the
  // server gives its budgets, the CLI none. window_field names the
  // parameter of the shift's length in a refusal.
  CostBudgets budgets = CostBudgets::unlimited();
  const char* window_field = "hours";
  const char* cell_field = "cell";  // null: the request has no cell parameter
};

struct PatrolCell {
  std::string key;  // cell_key()
  GeoPoint centre;
  std::array<GeoPoint, 5> outline;
  double expected = 0;          // incidents expected in the shift
  double cumulative_share = 0;  // of the station's expected total, this cell and those above
};

struct StationPatrol {
  std::string unit_code, unit_name;
  // "boundary": cells inside the station's polygons; "incidents": cells
  // where its incidents of the last year happened (no polygon known).
  std::string cells_basis;
  int station_cells = 0;
  double expected_total = 0;  // over all of the station's cells
  std::vector<PatrolCell> cells;
};

struct PatrolPlan {
  Timestamp shift_start = 0, shift_end = 0;
  std::string model;
  std::optional<EtasFit> fit;
  // Which units were planned for: "stations" (in scope, with cells), else
  // "units_below_scope" (their children), else "scope" (the scope's roots).
  std::string planned_for;
  std::vector<StationPatrol> stations;  // units with at least one cell
};

// Plans for the stations in scope that have cells; with none, for the
// units one level below the scope that have, else for the scope's roots.
// Errors name "hours", "k", or the parameter over budget; unavailable when
// the deadline passes.
Result<PatrolPlan> suggest_patrols(const IncidentIndex& index, const PatrolRequest& request,
                                   const Deadline& deadline = Deadline::none());

}  // namespace pingan::analytics
