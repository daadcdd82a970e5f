// The demo's patrol units: the promised mix per station, unique call signs,
// starting positions inside their station, the same for the same seed.

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "ingest/demo_patrol_units.h"

namespace pingan {
namespace {

using ingest::demo_patrol_positions;
using ingest::demo_patrol_units;
using ingest::demo_units;
using ingest::DemoOptions;

TEST(DemoPatrolUnitsTest, EveryStationHasItsMixAndEveryUnitStartsInsideItsStation) {
  DemoOptions options;
  const auto units = demo_patrol_units(options);
  const auto positions = demo_patrol_positions(options, 1'800'000'000);
  ASSERT_EQ(units.size(), 8u * 8 + 2);
  ASSERT_EQ(positions.size(), units.size());
  std::map<std::string, const Unit*> stations;
  const auto tree = demo_units(options);
  for (const Unit& u : tree) stations[u.code] = &u;
  std::map<std::string, std::map<PatrolKind, int>> mix;
  std::set<std::string> call_signs;
  int rapid = 0;
  for (std::size_t i = 0; i < units.size(); ++i) {
    const auto& u = units[i];
    EXPECT_TRUE(validate_patrol_unit(u).ok()) << u.call_sign;
    EXPECT_EQ(u.status, PatrolStatus::kAvailable);
    EXPECT_TRUE(call_signs.insert(u.call_sign).second) << u.call_sign;
    EXPECT_EQ(positions[i].call_sign, u.call_sign);
    ASSERT_TRUE(stations.count(u.station_code)) << u.station_code;
    EXPECT_TRUE(stations[u.station_code]->boundary.contains(positions[i].point)) << u.call_sign;
    if (!u.roles.empty()) {
      EXPECT_EQ(u.roles, std::vector<std::string>{"rapid"});
      ++rapid;
    } else {
      ++mix[u.station_code][u.kind];
    }
  }
  EXPECT_EQ(rapid, 2);
  ASSERT_EQ(mix.size(), 8u);
  for (const auto& [station, kinds] : mix) {
    EXPECT_EQ(kinds.at(PatrolKind::kCar), 3) << station;
    EXPECT_EQ(kinds.at(PatrolKind::kMotorcycle), 1) << station;
    EXPECT_EQ(kinds.at(PatrolKind::kEbike), 2) << station;
    EXPECT_EQ(kinds.at(PatrolKind::kFoot), 2) << station;
  }
  EXPECT_EQ(units.front().call_sign, "西关-巡1");
  // Deterministic in the seed, different for another.
  const auto again = demo_patrol_positions(options, 1'800'000'000);
  EXPECT_DOUBLE_EQ(again[5].point.lat, positions[5].point.lat);
  options.seed += 1;
  EXPECT_NE(demo_patrol_positions(options, 1'800'000'000)[5].point.lat, positions[5].point.lat);
}

}  // namespace
}  // namespace pingan
