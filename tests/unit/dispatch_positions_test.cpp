// AVL reports: bad ones refused with the right reason and counted, tracks
// downsampled, arrival inferred from a position near the incident.

#include "dispatch_test_support.h"

namespace pingan::testing {
namespace {

using dispatch::PositionRejection;

TEST_F(DispatchTest, BadReportsAreRefusedWithTheirReasonAndCounted) {
  add({patrol("A", PatrolKind::kCar), patrol("B", PatrolKind::kCar)});
  place("A", 36.65, 117.05, 0);
  place("B", 36.65, 117.06, 2000);  // the newest report seen
  std::vector<PositionReport> batch = {
      {"NOBODY", base_ + 2000, {36.65, 117.05}, std::nullopt},   // unknown unit
      {"A", base_ + 2001, {95.0, 117.05}, std::nullopt},          // invalid latitude
      {"A", base_, {36.65, 117.05}, std::nullopt},                 // duplicate: same time as the last
      {"A", base_ + 1000, {36.66, 117.05}, std::nullopt},          // late: 1000 s behind the newest (lag 600)
      {"A", base_ + 1999, {37.65, 117.05}, std::nullopt},          // too fast: 111 km in 1999 s = 200 km/h
      {"A", base_ + 1999, {36.65, 117.50}, std::nullopt},          // outside: ~30 km east of the district
      {"A", base_ + 1999, {36.651, 117.05}, std::nullopt},         // fine
      {"A", base_ + 1998, {36.651, 117.05}, std::nullopt},         // late: before A's last report
  };
  auto result = service_->report_positions(batch);
  EXPECT_EQ(result.accepted, 1);
  std::vector<std::pair<std::size_t, PositionRejection>> want = {
      {0, PositionRejection::kUnknownUnit}, {1, PositionRejection::kInvalid}, {2, PositionRejection::kDuplicate},
      {3, PositionRejection::kLate},        {4, PositionRejection::kTooFast}, {5, PositionRejection::kOutsideDistrict},
      {7, PositionRejection::kLate}};
  ASSERT_EQ(result.refused.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(result.refused[i].index, want[i].first);
    EXPECT_EQ(result.refused[i].reason, want[i].second) << result.refused[i].message;
    EXPECT_FALSE(result.refused[i].message.empty());
  }
  EXPECT_NE(result.refused[4].message.find("km/h"), std::string::npos) << result.refused[4].message;
  auto counters = service_->counters();
  EXPECT_EQ(counters.positions_accepted, 3);  // two placements and one good report
  EXPECT_EQ(counters.positions_refused["late"], 2);
  EXPECT_EQ(counters.positions_refused["unknown_unit"], 1);
  EXPECT_EQ(counters.positions_refused["too_fast"], 1);
  EXPECT_EQ(counters.positions_refused["outside_district"], 1);
  // The refused reports changed nothing.
  EXPECT_EQ(service_->get_unit("A")->position->at, base_ + 1999);
  EXPECT_DOUBLE_EQ(service_->get_unit("A")->position->point.lat, 36.651);
}

TEST_F(DispatchTest, TracksAreStoredDownsampled) {
  add({patrol("A", PatrolKind::kCar)});
  // Every 10 s, 20 m further north: a point is kept every 30 s (the 100 m
  // rule would keep one every 50 s).
  std::vector<PositionReport> batch;
  for (int i = 0; i <= 12; ++i)
    batch.push_back({"A", base_ + 10 * i, {36.65 + i * 20 / 111195.0, 117.05}, std::nullopt});
  ASSERT_EQ(service_->report_positions(batch).accepted, 13);
  auto track = engine_->list_track_points("A", base_, base_ + 1000);
  ASSERT_TRUE(track.ok());
  std::vector<Timestamp> times;
  for (const auto& p : *track) times.push_back(p.at - base_);
  EXPECT_EQ(times, (std::vector<Timestamp>{0, 30, 60, 90, 120}));
  // The live position is the newest report, kept or not.
  EXPECT_EQ(service_->get_unit("A")->position->at, base_ + 120);
}

TEST_F(DispatchTest, ArrivalIsInferredWhenAUnitEnRouteReachesItsIncident) {
  add({patrol("A", PatrolKind::kCar), patrol("B", PatrolKind::kCar)});
  place("A", 36.650, 117.050, 0);
  place("B", 36.652, 117.050, 0);
  const IncidentId id = incident("theft", 36.660, 117.050);
  ASSERT_TRUE(service_->dispatch(id, {"A"}, base_ + 60, "指挥员", UnitScope::everything()).ok());
  // B (not dispatched) drives through the scene: nothing happens.
  place("B", 36.660, 117.050, 300);
  EXPECT_EQ(service_->get_unit("B")->unit.status, PatrolStatus::kAvailable);
  place("A", 36.655, 117.050, 200);  // 550 m short
  EXPECT_EQ(service_->get_unit("A")->unit.status, PatrolStatus::kEnRoute);
  place("A", 36.6603, 117.050, 320);  // 33 m from the scene
  EXPECT_EQ(service_->get_unit("A")->unit.status, PatrolStatus::kOnScene);
  auto inc = engine_->get_incident(id, UnitScope::everything());
  EXPECT_EQ(inc->status, IncidentStatus::kArrived);
  EXPECT_EQ(*inc->times.arrived_at, base_ + 320);
  auto records = engine_->list_assignments(base_, base_ + 3600);
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ(records->front().dispatched_at, base_ + 60);
  EXPECT_EQ(records->front().arrived_at, base_ + 320);
  EXPECT_FALSE(records->front().cleared_at.has_value());
}

}  // namespace
}  // namespace pingan::testing
