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
  std::vector<StationPatrol> stations;
};

// Stations: the station units in scope; with none (a scope below station
// level), the scope's own units. Errors name "hours", "k".
Result<PatrolPlan> suggest_patrols(const IncidentIndex& index, const PatrolRequest& request);

}  // namespace pingan::analytics
