#include "sim/sim_fleet.h"

#include "ingest/demo_patrol_units.h"

namespace pingan::sim {

std::vector<SimFleetUnit> simulation_fleet(const ingest::DemoOptions& options,
                                           const ingest::DemoGeography& geography) {
  std::vector<PatrolUnit> units = ingest::demo_patrol_units(options);
  std::vector<UnitPosition> starts = ingest::demo_patrol_positions(options, 0);
  std::vector<SimFleetUnit> fleet;
  const auto& stations = geography.stations();
  for (std::size_t i = 0; i < units.size(); ++i) {
    SimFleetUnit f;
    f.unit = units[i];
    f.unit.status = PatrolStatus::kAvailable;
    f.start = i < starts.size() ? starts[i].point : GeoPoint{ingest::Plane::kCentreLat, ingest::Plane::kCentreLon};
    for (int s = 0; s < static_cast<int>(stations.size()); ++s)
      if (stations[s].code == f.unit.station_code) f.station_index = s;
    fleet.push_back(std::move(f));
  }
  return fleet;
}

ingest::Xy random_point_in_station(const ingest::DemoGeography& geography, int station_index,
                                   ingest::Random& random) {
  std::vector<int> members;
  const auto& communities = geography.communities();
  for (int c = 0; c < static_cast<int>(communities.size()); ++c)
    if (station_index < 0 || communities[c].station == station_index) members.push_back(c);
  const int community = members[random.below(static_cast<std::uint32_t>(members.size()))];
  return geography.uniform_point(community, random);
}

}  // namespace pingan::sim
