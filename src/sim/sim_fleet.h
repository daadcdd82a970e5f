#pragma once
// The patrol units the simulator puts on the demo district's streets: the
// demo's own fleet (ingest/demo_patrol_units.h), each with the station area
// it patrols, so both policies of a comparison run the same fleet from the
// same places.

#include <vector>

#include "core/patrol_unit.h"
#include "ingest/demo_district.h"
#include "ingest/demo_geography.h"

namespace pingan::sim {

struct SimFleetUnit {
  PatrolUnit unit;
  GeoPoint start;
  int station_index = -1;  // into DemoGeography::stations(); -1: a bureau team roaming the district
};

std::vector<SimFleetUnit> simulation_fleet(const ingest::DemoOptions& options,
                                           const ingest::DemoGeography& geography);

// A uniform point of one of the station's communities (chosen uniformly),
// or of any community for station -1.
ingest::Xy random_point_in_station(const ingest::DemoGeography& geography, int station_index,
                                   ingest::Random& random);

}  // namespace pingan::sim
