// Duplicate calls: candidates at the edges of the radius and the time
// window and by type compatibility; merging and its refusals; a merged call
// stays readable but the statistics count the incident once.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "analytics/aggregate.h"
#include "analytics/incident_index.h"
#include "analytics/response_index.h"
#include "core/geo.h"
#include "dispatch/duplicate_calls.h"
#include "engine/engine.h"
#include "test_support.h"
#include "shipped_settings.h"
#include "test_store.h"

namespace pingan {
namespace {

constexpr GeoPoint kCentre{36.6500, 117.0200};
const Timestamp kT0 = 1'780'000'000;  // 2026-05-28, in the past of any test run

// The point `metres` north of the centre (on the sphere distance_m uses).
GeoPoint north_of_centre(double metres) {
  // Refine the latitude step until the great-circle distance matches to a millimetre.
  double dlat = metres / 111'195.0;
  for (int i = 0; i < 5; ++i) {
    const double d = distance_m(kCentre, GeoPoint{kCentre.lat + dlat, kCentre.lon});
    if (d > 0) dlat *= metres / d;
  }
  return GeoPoint{kCentre.lat + dlat, kCentre.lon};
}

class DuplicateCalls : public ::testing::Test {
 protected:
  void SetUp() override {
    auto e = Engine::open(EngineConfig{testing::test_store_location(dir_, "dup.db"), "", "Asia/Shanghai"});
    ASSERT_TRUE(e.ok()) << e.error().describe();
    engine_ = std::move(e).value();
    rules_.radius_m = 300;
    rules_.window_minutes = 30;
    rules_.same_class = false;
    rules_.compatible_types = {{"assault", "simple_assault"}};
  }
  IncidentId create(const std::string& type, GeoPoint at, Timestamp reported) {
    Incident inc;
    inc.type_code = type;
    inc.location = at;
    inc.reported_at = reported;
    inc.source = "api";
    inc.description = "test";
    auto r = engine_->create_incident(inc, "test");
    EXPECT_TRUE(r.ok()) << r.error().describe();
    return r.ok() ? r->id : 0;
  }
  std::vector<IncidentId> candidates(IncidentId call, const UnitScope& scope = UnitScope::everything()) {
    auto inc = engine_->get_incident(call, UnitScope::everything());
    EXPECT_TRUE(inc.ok());
    auto found = dispatch::find_duplicates(*engine_, *inc, rules_, scope);
    EXPECT_TRUE(found.ok()) << found.error().describe();
    std::vector<IncidentId> ids;
    for (const auto& c : *found) ids.push_back(c.id);
    return ids;
  }
  void transition(IncidentId id, IncidentStatus to, Timestamp at) {
    TransitionRequest r;
    r.to = to;
    r.at = at;
    r.actor = "test";
    auto t = engine_->transition(id, UnitScope::everything(), r);
    ASSERT_TRUE(t.ok()) << t.error().describe();
  }

  testing::TempDir dir_;
  std::unique_ptr<Engine> engine_;
  dispatch::DuplicateRules rules_;
};

TEST_F(DuplicateCalls, RadiusEdgeIsInside) {
  const IncidentId open = create("theft", kCentre, kT0);
  const IncidentId beyond = create("theft", north_of_centre(300.5), kT0 + 60);
  EXPECT_TRUE(candidates(beyond).empty());
  const IncidentId at_edge = create("theft", north_of_centre(299.9), kT0 + 60);
  // Nearest first: `beyond` is 0.6 m away, the first call 299.9 m.
  EXPECT_EQ(candidates(at_edge), (std::vector<IncidentId>{beyond, open}));
  auto inc = engine_->get_incident(at_edge, UnitScope::everything());
  auto found = dispatch::find_duplicates(*engine_, *inc, rules_, UnitScope::everything());
  ASSERT_EQ(found->size(), 2u);
  EXPECT_NEAR((*found)[1].distance_m, 299.9, 0.01);
  EXPECT_NEAR((*found)[1].minutes_apart, 1.0, 1e-9);
  EXPECT_EQ((*found)[1].type_code, "theft");
}

TEST_F(DuplicateCalls, TimeWindowEdgeIsInside) {
  const IncidentId first = create("theft", kCentre, kT0);
  const IncidentId at_edge = create("theft", kCentre, kT0 + 30 * 60);
  const IncidentId late = create("theft", kCentre, kT0 + 30 * 60 + 30 * 60 + 1);
  EXPECT_EQ(candidates(at_edge), (std::vector<IncidentId>{first}));  // `late` is 30 min 1 s after it
  EXPECT_TRUE(candidates(late).empty());
  // The window looks both ways: the first call sees the later one.
  EXPECT_EQ(candidates(first), std::vector<IncidentId>{at_edge});
}

TEST_F(DuplicateCalls, TypeCompatibility) {
  const IncidentId assault = create("assault", kCentre, kT0);
  const IncidentId simple = create("simple_assault", north_of_centre(50), kT0 + 120);
  const IncidentId fire = create("fire", north_of_centre(20), kT0 + 60);
  const IncidentId burglary = create("burglary", north_of_centre(10), kT0 + 60);
  EXPECT_EQ(candidates(simple), std::vector<IncidentId>{assault});  // a listed pair
  EXPECT_TRUE(candidates(fire).empty());
  EXPECT_EQ(candidates(burglary), std::vector<IncidentId>{});  // assault is criminal too, but same_class is off
  rules_.same_class = true;
  EXPECT_EQ(candidates(burglary), std::vector<IncidentId>{assault});
  auto taxonomy_rules = Result<dispatch::DuplicateRules>(testing::shipped_settings().duplicates);
  ASSERT_TRUE(taxonomy_rules.ok()) << taxonomy_rules.error().describe();
  EXPECT_TRUE(taxonomy_rules->compatible("simple_assault", "assault", engine_->taxonomy()));
  EXPECT_FALSE(taxonomy_rules->compatible("theft", "fire", engine_->taxonomy()));
}

TEST_F(DuplicateCalls, ClosedAndMergedIncidentsTakeNoDuplicates) {
  const IncidentId closed = create("theft", kCentre, kT0);
  for (IncidentStatus s : {IncidentStatus::kDispatched, IncidentStatus::kArrived, IncidentStatus::kHandled,
                           IncidentStatus::kClosed})
    transition(closed, s, kT0 + 600);
  const IncidentId open = create("theft", kCentre, kT0 + 60);
  const IncidentId merged = create("theft", kCentre, kT0 + 90);
  ASSERT_TRUE(engine_->merge(merged, open, UnitScope::everything(), "test").ok());
  const IncidentId call = create("theft", kCentre, kT0 + 120);
  EXPECT_EQ(candidates(call), std::vector<IncidentId>{open});
}

TEST_F(DuplicateCalls, MergeRefusals) {
  const IncidentId a = create("theft", kCentre, kT0);
  const IncidentId b = create("theft", kCentre, kT0 + 60);
  const IncidentId c = create("theft", kCentre, kT0 + 120);
  const UnitScope all = UnitScope::everything();
  auto self = engine_->merge(a, a, all, "test");
  ASSERT_FALSE(self.ok());
  EXPECT_EQ(self.error().field, "into");
  auto missing = engine_->merge(a, 999, all, "test");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().field, "into");
  // A scope that sees nothing sees neither incident.
  auto unseen = engine_->merge(a, b, UnitScope{false, {}}, "test");
  ASSERT_FALSE(unseen.ok());

  ASSERT_TRUE(engine_->merge(b, a, all, "调度员").ok());
  auto twice = engine_->merge(b, a, all, "test");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
  auto into_merged = engine_->merge(c, b, all, "test");
  ASSERT_FALSE(into_merged.ok());
  EXPECT_EQ(into_merged.error().code, ErrorCode::kConflict);
  EXPECT_EQ(into_merged.error().field, "into");
  auto survivor_away = engine_->merge(a, c, all, "test");  // a holds b
  ASSERT_FALSE(survivor_away.ok());
  EXPECT_EQ(survivor_away.error().code, ErrorCode::kConflict);

  // The merged call keeps its record and its history.
  auto got = engine_->get_incident(b, all);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->merged_into, a);
  auto events = engine_->events(b, all);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ(events->back().note, fmt::format("merged into #{}", a));
  EXPECT_EQ(events->back().actor, "调度员");
  EXPECT_GT(events->back().at, kT0);
  auto linked = engine_->merged_calls(a, all);
  ASSERT_TRUE(linked.ok());
  ASSERT_EQ(linked->size(), 1u);
  EXPECT_EQ(linked->front().id, b);
}

TEST_F(DuplicateCalls, StatisticsCountMergedCallsOnce) {
  auto index = analytics::attach_index(*engine_);
  ASSERT_TRUE(index.ok());
  auto response = analytics::attach_response_index(*engine_);
  ASSERT_TRUE(response.ok());
  const IncidentId a = create("theft", kCentre, kT0);
  const IncidentId b = create("theft", north_of_centre(40), kT0 + 60);
  analytics::RowFilter filter;
  EXPECT_EQ((*index)->count(filter), 2);
  EXPECT_EQ((*response)->size(), 2);
  ASSERT_TRUE(engine_->merge(b, a, UnitScope::everything(), "test").ok());
  EXPECT_EQ((*index)->count(filter), 1);
  EXPECT_EQ((*response)->size(), 1);
  // A fresh index built from the store agrees.
  auto rebuilt = analytics::attach_index(*engine_);
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_EQ((*rebuilt)->count(filter), 1);
  // The merged call is still listed.
  IncidentFilter list;
  auto page = engine_->list_incidents(list);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 2);
}

// Two merges crossing (A into B while B goes into C) from two threads: one
// may win, never both, or A would point at a merged record.
TEST_F(DuplicateCalls, CrossingMergesNeverLeaveAChain) {
  for (int round = 0; round < 20; ++round) {
    const Timestamp t = kT0 + round * 3600;
    const IncidentId a = create("theft", kCentre, t);
    const IncidentId b = create("theft", kCentre, t + 60);
    const IncidentId c = create("theft", kCentre, t + 120);
    Result<Incident> a_into_b = Error::internal("not run"), b_into_c = Error::internal("not run");
    std::thread first([&] { a_into_b = engine_->merge(a, b, UnitScope::everything(), "desk 1"); });
    std::thread second([&] { b_into_c = engine_->merge(b, c, UnitScope::everything(), "desk 2"); });
    first.join();
    second.join();
    EXPECT_FALSE(a_into_b.ok() && b_into_c.ok()) << "round " << round << ": both merges went through";
    EXPECT_TRUE(a_into_b.ok() || b_into_c.ok()) << "round " << round << ": neither merge went through";
    auto stored_a = engine_->get_incident(a, UnitScope::everything());
    ASSERT_TRUE(stored_a.ok());
    if (stored_a->merged_into) {
      auto target = engine_->get_incident(*stored_a->merged_into, UnitScope::everything());
      ASSERT_TRUE(target.ok());
      EXPECT_FALSE(target->merged_into) << "round " << round << ": a chain of merges";
    }
  }
}

TEST(DuplicateRulesConfig, RefusesBadValues) {
  auto taxonomy = Taxonomy::load_default();
  ASSERT_TRUE(taxonomy.ok());
  auto bad = dispatch::parse_duplicate_rules(nlohmann::json::parse(R"({"radius_m": -5})"), *taxonomy);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "radius_m");
  bad = dispatch::parse_duplicate_rules(nlohmann::json::parse(R"({"compatible_types": [["theft", "ufo"]]})"), *taxonomy);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "compatible_types[0]");
}

}  // namespace
}  // namespace pingan
