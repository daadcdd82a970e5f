// Posts, shifts and the patrol figures against hand-computed cases:
// officer-shifts = crews summed, vehicle-shifts = cars and motorcycles,
// posts staffed only by a shift covering their whole hours, distance from
// the stored tracks, hotspot coverage only by tracks driven on shift.

#include <cmath>
#include <map>
#include <numbers>

#include "analytics/incident_index.h"
#include "dispatch/patrol_records.h"
#include "analytics/patrol_stats.h"
#include "dispatch_test_support.h"
#include "ingest/demo_posts.h"

namespace pingan::testing {
namespace {

using ingest::demo_posts;
using ingest::demo_units;
using ingest::DemoOptions;

class PatrolStatsTest : public DispatchTest {
 protected:
  Timestamp local(int month, int day, int hour, int minute = 0) const {
    return engine_->time_zone().to_utc(CivilTime{2026, month, day, hour, minute, 0});
  }
  PatrolShift shift(const std::string& call_sign, Timestamp from, Timestamp until, int crew,
                              const std::string& post = "") {
    PatrolShift s;
    s.call_sign = call_sign;
    s.starts_at = from;
    s.ends_at = until;
    s.crew = crew;
    s.post_code = post;
    auto stored = dispatch::record_shift(*engine_, *service_, s);
    EXPECT_TRUE(stored.ok()) << stored.error().describe();
    return stored.ok() ? *stored : s;
  }
  void track(const std::string& call_sign, std::vector<std::pair<Timestamp, GeoPoint>> points) {
    std::vector<UnitPosition> out;
    for (auto& [at, p] : points) out.push_back(UnitPosition{call_sign, at, p});
    ASSERT_TRUE(engine_->append_track_points(out).ok());
  }
  analytics::PatrolStats stats(const UnitScope& scope, const analytics::IncidentIndex* index = nullptr) {
    analytics::PatrolStatsRequest r;
    r.scope = scope;
    r.from = local(7, 1, 0);
    r.until = local(7, 2, 0);
    r.hotspot_cells = 1;
    auto s = analytics::compute_patrol_stats(*engine_, index, r);
    EXPECT_TRUE(s.ok()) << s.error().describe();
    return s.ok() ? *s : analytics::PatrolStats{};
  }

  void SetUp() override {
    DispatchTest::SetUp();
    auto crew = [](PatrolUnit u, int n) {
      u.crew_size = n;
      return u;
    };
    add({crew(patrol("S1-巡1", PatrolKind::kCar, "S1"), 2), crew(patrol("S1-步1", PatrolKind::kFoot, "S1"), 1),
         crew(patrol("S1-摩1", PatrolKind::kMotorcycle, "S1"), 1), crew(patrol("S2-巡1", PatrolKind::kCar, "S2"), 3)});
    std::vector<PatrolPost> posts(3);
    posts[0] = {"S1-N01", "夜市夜巡点", "night", "S1", {36.65, 117.05}, 20 * 60, 2 * 60};
    posts[1] = {"S1-X01", "一小护学岗", "school", "S1", {36.62, 117.02}, 7 * 60, 8 * 60 + 30};
    posts[2] = {"S2-N01", "东站夜巡点", "night", "S2", {36.65, 117.15}, 20 * 60, 2 * 60};
    ASSERT_TRUE(dispatch::save_posts(*engine_, posts).ok());
  }
};

TEST_F(PatrolStatsTest, ShiftsPostsAndDistanceAsComputedByHand) {
  shift("S1-巡1", local(7, 1, 19), local(7, 2, 3), 2, "S1-N01");  // covers 20:00-02:00
  shift("S1-步1", local(7, 1, 7), local(7, 1, 8), 1, "S1-X01");   // ends before 08:30: not staffed
  shift("S1-摩1", local(7, 1, 8), local(7, 1, 16), 1);
  shift("S2-巡1", local(7, 1, 8), local(7, 1, 16), 3);
  shift("S2-巡1", local(7, 3, 8), local(7, 3, 16), 3);  // outside the period
  // 0.02° of latitude north (2.224 km) in S1, 0.01° of longitude east in S2.
  track("S1-巡1", {{local(7, 1, 19, 10), {36.64, 117.05}}, {local(7, 1, 19, 12), {36.65, 117.05}},
                   {local(7, 1, 19, 14), {36.66, 117.05}}});
  track("S2-巡1", {{local(7, 1, 9), {36.65, 117.15}}, {local(7, 1, 9, 2), {36.65, 117.16}}});

  analytics::PatrolStats s1 = stats(UnitScope::subtree("S1"));
  EXPECT_EQ(s1.current.shifts, 3);
  EXPECT_EQ(s1.current.officer_shifts, 2 + 1 + 1);
  EXPECT_EQ(s1.current.vehicle_shifts, 2);  // the car and the motorcycle
  EXPECT_EQ(s1.current.posts, 2);
  EXPECT_EQ(s1.current.posts_staffed, 1);
  EXPECT_NEAR(s1.current.distance_km, 2.224, 0.003);
  EXPECT_FALSE(s1.last_year.has_value());

  analytics::PatrolStats all = stats(UnitScope::everything());
  EXPECT_EQ(all.current.officer_shifts, 7);
  EXPECT_EQ(all.current.vehicle_shifts, 3);
  EXPECT_EQ(all.current.posts, 3);
  EXPECT_EQ(all.current.posts_staffed, 1);
  const double east_km = 0.01 * 111.195 * std::cos(36.65 * std::numbers::pi / 180);
  EXPECT_NEAR(all.current.distance_km, 2.224 + east_km, 0.005);
}

TEST_F(PatrolStatsTest, LastYearAppearsWhenThatPeriodHoldsShifts) {
  shift("S1-巡1", local(7, 1, 8), local(7, 1, 16), 2);
  PatrolShift old;
  old.call_sign = "S1-巡1";
  old.starts_at = engine_->time_zone().to_utc(CivilTime{2025, 7, 1, 8, 0, 0});
  old.ends_at = old.starts_at + 4 * 3600;
  old.crew = 4;
  ASSERT_TRUE(dispatch::record_shift(*engine_, *service_, old).ok());
  analytics::PatrolStats s = stats(UnitScope::everything());
  ASSERT_TRUE(s.last_year.has_value());
  EXPECT_EQ(s.last_year->officer_shifts, 4);
  EXPECT_EQ(s.current.officer_shifts, 2);
}

TEST_F(PatrolStatsTest, HotspotCoverageCountsOnlyTracksDrivenOnShift) {
  // A cluster of past incidents at the night market makes its cell the
  // forecast's top cell of S1.
  for (int day = 0; day < 40; ++day) {
    Incident inc;
    inc.type_code = "theft";
    inc.reported_at = local(5, 20, 21) + day * 86400;
    inc.location = GeoPoint{36.65 + 0.0001 * (day % 3), 117.05};
    inc.description = "夜市盗窃";
    ASSERT_TRUE(engine_->create_incident(inc, "tester").ok());
  }
  auto index = analytics::attach_index(*engine_);
  ASSERT_TRUE(index.ok()) << index.error().describe();

  shift("S1-步1", local(7, 1, 7), local(7, 1, 8), 1);
  // On foot through the market at 10:00, after the shift ended.
  track("S1-步1", {{local(7, 1, 10), {36.64, 117.05}}, {local(7, 1, 10, 20), {36.66, 117.05}}});
  analytics::PatrolStats before = stats(UnitScope::subtree("S1"), index->get());
  EXPECT_EQ(before.hotspot_model, "etas");
  ASSERT_EQ(before.current.hotspot_cells, 1);
  EXPECT_EQ(before.current.hotspot_cells_covered, 0);

  shift("S1-巡1", local(7, 1, 19), local(7, 2, 3), 2);
  track("S1-巡1", {{local(7, 1, 19, 10), {36.64, 117.05}}, {local(7, 1, 19, 14), {36.66, 117.05}}});
  analytics::PatrolStats after = stats(UnitScope::subtree("S1"), index->get());
  EXPECT_EQ(after.current.hotspot_cells_covered, 1);
  EXPECT_DOUBLE_EQ(after.current.hotspot_coverage, 1.0);
}

TEST_F(PatrolStatsTest, BadPostsAndShiftsAreRefusedNamingTheField) {
  PatrolPost p{"S9-N01", "无名点", "night", "S9", {36.65, 117.05}, 20 * 60, 2 * 60};
  auto st = dispatch::save_posts(*engine_, {p});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().field, "posts[0].station");
  p.station_code = "S1";
  p.kind = "party";
  st = dispatch::save_posts(*engine_, {p});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().field, "posts[0].kind");

  PatrolShift s;
  s.call_sign = "S1-巡1";
  s.starts_at = local(7, 1, 8);
  s.ends_at = local(7, 1, 7);
  s.crew = 2;
  auto r = dispatch::record_shift(*engine_, *service_, s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "end");
  s.ends_at = local(7, 1, 16);
  s.post_code = "NOPE";
  r = dispatch::record_shift(*engine_, *service_, s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "post");
  s.post_code.clear();
  s.call_sign = "S7-巡9";
  r = dispatch::record_shift(*engine_, *service_, s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "call_sign");
}

TEST(DemoPostsTest, EveryStationHasNightAndSchoolPostsInsideItsArea) {
  DemoOptions options;
  auto posts = demo_posts(options);
  auto units = demo_units(options);
  auto tree = UnitTree::build(units);
  ASSERT_TRUE(tree.ok());
  std::map<std::string, std::pair<int, int>> per_station;  // night, school
  for (const auto& p : posts) {
    EXPECT_TRUE(validate_post(p).ok()) << p.code;
    const Unit* at = tree->locate(p.location);
    ASSERT_NE(at, nullptr) << p.code;
    EXPECT_EQ(at->parent_code, p.station_code) << p.code << " lies in " << at->code;
    auto& [night, school] = per_station[p.station_code];
    (p.kind == "night" ? night : school)++;
  }
  EXPECT_EQ(per_station.size(), 8u);
  for (const auto& [station, counts] : per_station) {
    EXPECT_GE(counts.first, 1) << station;
    EXPECT_GE(counts.second, 1) << station;
  }
  EXPECT_EQ(demo_posts(options).size(), posts.size());
}

}  // namespace
}  // namespace pingan::testing
