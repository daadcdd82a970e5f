#pragma once
// The demo district's patrol units (巡逻警力): per station 3 cars, 1
// motorcycle, 2 e-bikes and 2 foot patrols, plus 2 bureau rapid-reaction
// teams (cars with the role "rapid"), all on duty at a starting position
// inside their station's polygon (the rapid teams in the two town centres).
// Deterministic in the seed. docs/demo.md lists them.

#include <vector>

#include "core/time.h"
#include "core/patrol_unit.h"
#include "ingest/demo_district.h"

namespace pingan::ingest {

// Call signs read like the radio: "西关-巡1" (car), "西关-摩1", "西关-电1",
// "西关-步1"; the bureau's teams "示范快反1", "示范快反2" (station "PA").
std::vector<PatrolUnit> demo_patrol_units(const DemoOptions& options);

// One starting position per unit of demo_patrol_units(), at `at`.
std::vector<UnitPosition> demo_patrol_positions(const DemoOptions& options, Timestamp at);

}  // namespace pingan::ingest
