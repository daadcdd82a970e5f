// Status rules of the dispatch desk: busy and off-duty units are never
// recommended, a claim is all or none, and of two dispatchers racing for a
// unit exactly one wins; run cards pick a set of units.

#include <fmt/format.h>

#include <atomic>
#include <set>
#include <thread>

#include "dispatch_test_support.h"
#include "shipped_settings.h"

namespace pingan::testing {
namespace {


std::vector<std::string> call_signs(const std::vector<dispatch::Candidate>& cs) {
  std::vector<std::string> out;
  for (const auto& c : cs) out.push_back(c.call_sign);
  return out;
}

TEST_F(DispatchTest, BusyAndOffDutyUnitsAreNeverRecommended) {
  add({patrol("A", PatrolKind::kCar), patrol("B", PatrolKind::kCar), patrol("C", PatrolKind::kCar)});
  place("A", 36.650, 117.050, 0);  // nearest
  place("B", 36.660, 117.050, 0);
  place("C", 36.670, 117.050, 0);
  const GeoPoint scene{36.650, 117.051};
  EXPECT_EQ(call_signs(service_->nearest_available(scene, 3)), (std::vector<std::string>{"A", "B", "C"}));

  const IncidentId id = incident("theft", 36.650, 117.051);
  auto sent = service_->dispatch(id, {"A"}, base_ + 60, "指挥员", UnitScope::everything());
  ASSERT_TRUE(sent.ok()) << sent.error().describe();
  EXPECT_EQ(sent->front().status, PatrolStatus::kEnRoute);
  ASSERT_TRUE(service_->set_duty("B", false, base_ + 60, "指挥员").ok());
  EXPECT_EQ(call_signs(service_->nearest_available(scene, 3)), (std::vector<std::string>{"C"}));
  // The incident followed the dispatch.
  EXPECT_EQ(engine_->get_incident(id, UnitScope::everything())->status, IncidentStatus::kDispatched);
  EXPECT_EQ(*engine_->get_incident(id, UnitScope::everything())->times.dispatched_at, base_ + 60);

  // A unit on a job cannot go off duty; cleared it is available again.
  auto off = service_->set_duty("A", false, base_ + 70, "指挥员");
  ASSERT_FALSE(off.ok());
  EXPECT_EQ(off.error().code, ErrorCode::kConflict);
  ASSERT_TRUE(service_->clear("A", base_ + 600, "指挥员").ok());
  EXPECT_EQ(call_signs(service_->nearest_available(scene, 3)), (std::vector<std::string>{"A", "C"}));
}

TEST_F(DispatchTest, AClaimIsAllOrNoneAndTheConflictNamesTheBusyUnit) {
  add({patrol("A", PatrolKind::kCar), patrol("B", PatrolKind::kCar)});
  place("A", 36.650, 117.050, 0);
  place("B", 36.660, 117.050, 0);
  const IncidentId first = incident("theft", 36.650, 117.051);
  const IncidentId second = incident("theft", 36.652, 117.051);
  ASSERT_TRUE(service_->dispatch(first, {"B"}, base_ + 60, "甲", UnitScope::everything()).ok());
  auto both = service_->dispatch(second, {"A", "B"}, base_ + 61, "乙", UnitScope::everything());
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.error().code, ErrorCode::kConflict);
  EXPECT_NE(both.error().message.find("'B'"), std::string::npos) << both.error().message;
  EXPECT_EQ(service_->get_unit("A")->unit.status, PatrolStatus::kAvailable);  // not claimed by the failed call
  EXPECT_EQ(engine_->get_incident(second, UnitScope::everything())->status, IncidentStatus::kReceived);
  auto unknown = service_->dispatch(second, {"A", "Z"}, base_ + 61, "乙", UnitScope::everything());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->get_unit("A")->unit.status, PatrolStatus::kAvailable);
}

TEST_F(DispatchTest, OfTwoDispatchersRacingForOneUnitExactlyOneWins) {
  add({patrol("A", PatrolKind::kCar)});
  place("A", 36.650, 117.050, 0);
  for (int round = 0; round < 20; ++round) {
    const IncidentId one = incident("theft", 36.650, 117.051);
    const IncidentId two = incident("theft", 36.651, 117.051);
    std::atomic<bool> go{false};
    Result<std::vector<PatrolUnit>> r1 = Error::internal("not run"), r2 = Error::internal("not run");
    std::thread t1([&] {
      while (!go) std::this_thread::yield();
      r1 = service_->dispatch(one, {"A"}, base_ + 60 + round, "甲", UnitScope::everything());
    });
    std::thread t2([&] {
      while (!go) std::this_thread::yield();
      r2 = service_->dispatch(two, {"A"}, base_ + 60 + round, "乙", UnitScope::everything());
    });
    go = true;
    t1.join();
    t2.join();
    ASSERT_NE(r1.ok(), r2.ok()) << "round " << round;
    const Error& lost = r1.ok() ? r2.error() : r1.error();
    EXPECT_EQ(lost.code, ErrorCode::kConflict);
    EXPECT_NE(lost.message.find("'A'"), std::string::npos);
    const IncidentId won = r1.ok() ? one : two;
    EXPECT_EQ(service_->get_unit("A")->unit.assignment, won);
    // Exactly one assignment record for this round.
    auto records = engine_->list_open_assignments();
    ASSERT_TRUE(records.ok());
    ASSERT_EQ(records->size(), 1u);
    EXPECT_EQ(records->front().incident_id, won);
    ASSERT_TRUE(service_->clear("A", base_ + 600, "甲").ok());
  }
}

TEST_F(DispatchTest, RobberyGetsTwoCarsAndTheNearestRapidTeamWithoutSpendingItTwice) {
  add({patrol("R1", PatrolKind::kCar, "S1", {"rapid"}), patrol("R2", PatrolKind::kCar, "S2", {"rapid"}),
       patrol("C1", PatrolKind::kCar), patrol("C2", PatrolKind::kCar), patrol("C3", PatrolKind::kCar),
       patrol("F1", PatrolKind::kFoot)});
  place("R1", 36.6500, 117.0500, 0);  // the nearest car of all is a rapid team
  place("R2", 36.6900, 117.1500, 0);
  place("C1", 36.6550, 117.0500, 0);
  place("C2", 36.6600, 117.0500, 0);
  place("C3", 36.6900, 117.0500, 0);
  place("F1", 36.6500, 117.0501, 0);  // at the scene, but a robbery asks for cars
  const IncidentId robbery = incident("robbery", 36.6500, 117.0501);
  auto rec = service_->recommend(robbery, UnitScope::everything());
  ASSERT_TRUE(rec.ok()) << rec.error().describe();
  EXPECT_TRUE(rec->unmet.empty());
  std::vector<std::string> cars, rapid;
  for (const auto& c : rec->units) {
    EXPECT_EQ(c.kind, PatrolKind::kCar);
    // Read from the settings themselves: a reference into a temporary copy dangled (ASan).
    const auto& need = testing::shipped_settings().run_cards.for_type("robbery").needs[c.need_index];
    (need.role == "rapid" ? rapid : cars).push_back(c.call_sign);
  }
  EXPECT_EQ(rapid, std::vector<std::string>{"R1"});
  EXPECT_EQ(cars, (std::vector<std::string>{"C1", "C2"}));

  // A type without a card of its own gets one unit of any kind: the foot patrol.
  const IncidentId noise = incident("noise", 36.6500, 117.0501);
  rec = service_->recommend(noise, UnitScope::everything());
  ASSERT_TRUE(rec.ok());
  ASSERT_EQ(rec->units.size(), 1u);
  EXPECT_EQ(rec->units[0].call_sign, "F1");

  // With both rapid teams busy the robbery's rapid need is reported unmet.
  ASSERT_TRUE(service_->dispatch(noise, {"R1", "R2"}, base_ + 60, "指挥员", UnitScope::everything()).ok());
  rec = service_->recommend(robbery, UnitScope::everything());
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(rec->units.size(), 2u);
  ASSERT_EQ(rec->unmet.size(), 1u);
  EXPECT_NE(rec->unmet[0].find("rapid"), std::string::npos);
}

// Reports move units while two dispatchers claim and clear them: every claim
// either wins or gets kConflict, and afterwards each unit is in the index of
// available units exactly once with no assignment left open.
TEST_F(DispatchTest, ConcurrentReportsAndDispatchesLeaveTheIndexConsistent) {
  std::vector<PatrolUnit> fleet;
  for (int i = 0; i < 40; ++i) fleet.push_back(patrol(fmt::format("U{:02}", i), PatrolKind(i % 4)));
  add(fleet);
  for (int i = 0; i < 40; ++i) place(fmt::format("U{:02}", i), 36.61 + i * 0.002, 117.05, 0);
  std::vector<IncidentId> incidents;
  for (int i = 0; i < 8; ++i) incidents.push_back(incident("theft", 36.62 + i * 0.005, 117.05));
  std::atomic<bool> stop{false};
  std::atomic<int> dispatched{0}, conflicts{0}, tick{0};
  std::thread reporter([&] {
    for (int step = 1; step <= 200; ++step) {
      std::vector<PositionReport> batch;
      for (int i = 0; i < 40; ++i)
        batch.push_back({fmt::format("U{:02}", i), base_ + step, {36.61 + i * 0.002, 117.05 + step * 1e-5}, std::nullopt});
      service_->report_positions(batch);
    }
    stop = true;
  });
  auto dispatcher = [&](int seed) {
    int turn = seed;
    while (!stop) {
      const IncidentId id = incidents[std::size_t(turn++ % 8)];
      auto best = service_->nearest_available(GeoPoint{36.63, 117.05}, 3);
      if (best.empty()) continue;
      // Distinct times: an assignment is keyed by (incident, unit, dispatched_at).
      const Timestamp at = base_ + 300 + 2 * tick++;
      auto sent = service_->dispatch(id, {best.front().call_sign}, at, "甲", UnitScope::everything());
      if (sent.ok()) {
        ++dispatched;
        EXPECT_TRUE(service_->clear(best.front().call_sign, at + 1, "甲").ok());
      } else {
        EXPECT_EQ(sent.error().code, ErrorCode::kConflict) << sent.error().describe();
        ++conflicts;
      }
    }
  };
  std::thread d1(dispatcher, 0), d2(dispatcher, 3);
  reporter.join();
  d1.join();
  d2.join();
  EXPECT_GT(dispatched, 0);
  auto records = engine_->list_assignments(base_, base_ + 3600);
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(records->size(), std::size_t(dispatched));
  // Every unit is available again and in the index exactly once.
  auto all = service_->nearest_available(GeoPoint{36.65, 117.05}, 100);
  std::set<std::string> seen;
  for (const auto& c : all) EXPECT_TRUE(seen.insert(c.call_sign).second) << c.call_sign;
  EXPECT_EQ(all.size(), 40u);
  auto open = engine_->list_open_assignments();
  ASSERT_TRUE(open.ok());
  EXPECT_TRUE(open->empty());
}

}  // namespace
}  // namespace pingan::testing
