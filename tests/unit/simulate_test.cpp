// pingan simulate: the motion step and the 1-3-5 summary by hand, and one
// simulated day through the real engine and desk: every call of the demo's
// day is created, the desk never dispatches before its delay, arrivals come
// after dispatches, and the own-station policy sends only the incident's
// station's units.

#include <map>

#include "analytics/patrol_stats.h"
#include "dispatch/response_summary.h"
#include "sim/sim_motion.h"
#include "sim/sim_run.h"
#include "engine/engine.h"
#include "test_support.h"

namespace pingan::testing {
namespace {

TEST(SimMotionTest, MovesAtItsSpeedAndTellsWhenTheTargetIsReached) {
  // 500 m to go at 10 m/s: 300 m in 30 s, arrival 50 s after the start.
  sim::SimStep part = sim::step_towards({0, 0}, {300, 400}, 10, 1000, 1030);
  EXPECT_NEAR(part.at.x, 180, 1e-9);
  EXPECT_NEAR(part.at.y, 240, 1e-9);
  EXPECT_FALSE(part.reached);
  sim::SimStep whole = sim::step_towards({0, 0}, {300, 400}, 10, 1000, 1060);
  ASSERT_TRUE(whole.reached);
  EXPECT_EQ(*whole.reached, 1050);
  EXPECT_EQ(whole.at.x, 300);
}

TEST(ResponseSummaryTest, SharesAndQuantilesAsCountedByHand) {
  auto incident = [](std::optional<Timestamp> dispatched, std::optional<Timestamp> arrived) {
    Incident inc;
    inc.reported_at = 1000;
    if (dispatched) inc.times.dispatched_at = 1000 + *dispatched;
    if (arrived) inc.times.arrived_at = 1000 + *arrived;
    return inc;
  };
  std::vector<Incident> all = {incident(30, 170), incident(60, 180), incident(61, 300), incident(90, 301),
                               incident(45, std::nullopt), incident(std::nullopt, std::nullopt)};
  all.push_back(incident(20, 100));
  all.back().voided = true;  // not counted at all
  dispatch::ResponseSummary s = dispatch::summarise_response(all);
  EXPECT_EQ(s.incidents, 6);
  EXPECT_EQ(s.dispatched, 5);
  EXPECT_EQ(s.arrived, 4);
  EXPECT_DOUBLE_EQ(s.dispatch_within_1min, 3.0 / 5);  // 30, 60, 45 s
  EXPECT_DOUBLE_EQ(s.arrival_within_3min, 2.0 / 5);   // 170, 180 s
  EXPECT_DOUBLE_EQ(s.arrival_within_5min, 3.0 / 5);   // and 300 s
  EXPECT_DOUBLE_EQ(s.median_call_to_arrival_s, 180);  // nearest rank of 170, 180, 300, 301
  EXPECT_DOUBLE_EQ(s.p90_call_to_arrival_s, 301);
}

TEST(SimulationTest, OneDayThroughTheDeskUnderTheOwnStationPolicy) {
  TempDir dir;
  sim::SimOptions options;
  options.days = 1;
  options.first_day = CivilTime{2026, 7, 15, 0, 0, 0};
  options.report_interval_s = 60;
  options.tail_s = 3600;
  options.policy = sim::SimPolicy::kOwnStation;
  options.db = dir.file("sim.db");
  auto result = sim::run_simulation(options);
  ASSERT_TRUE(result.ok()) << result.error().describe();

  auto engine = Engine::open(EngineConfig{options.db, "", options.time_zone});
  ASSERT_TRUE(engine.ok());
  const Timestamp start = (*engine)->time_zone().to_utc(options.first_day);
  std::int64_t expected_calls = 0;
  ingest::generate_demo_incidents(options.demo, (*engine)->taxonomy(), [&](Incident&& inc) {
    if (inc.reported_at >= start && inc.reported_at < start + 86400 && inc.location) ++expected_calls;
  });
  EXPECT_GT(expected_calls, 100);
  EXPECT_EQ(result->calls, expected_calls);
  EXPECT_EQ(result->response.incidents, expected_calls);
  EXPECT_GT(result->response.dispatched, expected_calls / 3);
  EXPECT_GT(result->arrivals_inferred, 0);
  EXPECT_EQ(result->positions_refused, 0);
  // The metrics module agrees where the standard has no override (1 and 3 minutes).
  ASSERT_EQ(result->standard_marks.size(), 3u);
  ASSERT_TRUE(result->standard_marks[0].share_pct && result->standard_marks[1].share_pct);
  EXPECT_NEAR(*result->standard_marks[0].share_pct, 100 * result->response.dispatch_within_1min, 0.01);
  EXPECT_NEAR(*result->standard_marks[1].share_pct, 100 * result->response.arrival_within_3min, 0.01);

  std::map<IncidentId, Incident> incidents;
  ASSERT_TRUE((*engine)->scan_incidents([&](const Incident& inc) { incidents[inc.id] = inc; }).ok());
  for (const auto& [id, inc] : incidents) {
    if (!inc.times.dispatched_at) continue;
    EXPECT_GE(*inc.times.dispatched_at - inc.reported_at, options.desk_delay_min_s) << id;
    if (inc.times.arrived_at) {
      EXPECT_GT(*inc.times.arrived_at, *inc.times.dispatched_at) << id;
    }
  }
  // The rota: each station's foot patrols man a night and a school post.
  analytics::PatrolStatsRequest day;
  day.from = start;
  day.until = start + 86400;
  auto patrol = analytics::compute_patrol_stats(**engine, nullptr, day);
  ASSERT_TRUE(patrol.ok()) << patrol.error().describe();
  EXPECT_EQ(patrol->current.posts_staffed, 16);
  EXPECT_GT(patrol->current.vehicle_shifts, 0);
  EXPECT_GT(patrol->current.distance_km, 100);

  auto units = (*engine)->list_patrol_units();
  ASSERT_TRUE(units.ok());
  std::map<std::string, std::string> station_of;
  for (const auto& u : *units) station_of[u.call_sign] = u.station_code;
  auto assignments = (*engine)->list_assignments(start, start + 2 * 86400);
  ASSERT_TRUE(assignments.ok());
  ASSERT_FALSE(assignments->empty());
  auto tree = (*engine)->units();
  for (const auto& a : *assignments) {
    const Unit* community = tree->find(incidents[a.incident_id].unit_code);
    ASSERT_NE(community, nullptr);
    EXPECT_EQ(station_of[a.call_sign], community->parent_code) << a.call_sign << " sent to incident " << a.incident_id;
  }
}

}  // namespace
}  // namespace pingan::testing
