// Patrol units, their positions, assignments and tracks survive a reopen;
// configuration and run cards are read strictly.

#include <nlohmann/json.hpp>

#include "core/taxonomy.h"
#include "dispatch_test_support.h"
#include "shipped_settings.h"

namespace pingan::testing {
namespace {


TEST_F(DispatchTest, UnitsPositionsAndAssignmentsSurviveAReopen) {
  add({patrol("A", PatrolKind::kCar, "S1", {"rapid"}), patrol("B", PatrolKind::kEbike, "S2"),
       patrol("C", PatrolKind::kFoot)});
  ASSERT_TRUE(service_->set_duty("C", false, base_, "值班长").ok());
  place("A", 36.650, 117.050, 0);
  place("B", 36.651, 117.150, 0);
  const IncidentId id = incident("theft", 36.652, 117.050);
  ASSERT_TRUE(service_->dispatch(id, {"A"}, base_ + 60, "指挥员", UnitScope::everything()).ok());

  reopen();
  auto a = service_->get_unit("A");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->unit.status, PatrolStatus::kEnRoute);
  EXPECT_EQ(a->unit.assignment, id);
  EXPECT_EQ(a->unit.roles, std::vector<std::string>{"rapid"});
  ASSERT_TRUE(a->position.has_value());
  EXPECT_DOUBLE_EQ(a->position->point.lat, 36.650);
  EXPECT_EQ(service_->get_unit("C")->unit.status, PatrolStatus::kOffDuty);
  EXPECT_EQ(service_->get_unit("B")->unit.kind, PatrolKind::kEbike);
  // Only B is available to recommend.
  auto near = service_->nearest_available(GeoPoint{36.652, 117.050}, 5);
  ASSERT_EQ(near.size(), 1u);
  EXPECT_EQ(near[0].call_sign, "B");
  // The reopened service still knows where A is going: arrival is inferred.
  place("A", 36.652, 117.0502, 200);
  EXPECT_EQ(service_->get_unit("A")->unit.status, PatrolStatus::kOnScene);
  ASSERT_TRUE(service_->clear("A", base_ + 900, "指挥员").ok());

  reopen();
  EXPECT_EQ(service_->get_unit("A")->unit.status, PatrolStatus::kAvailable);
  auto records = engine_->list_assignments(base_, base_ + 3600);
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ(records->front().arrived_at, base_ + 200);
  EXPECT_EQ(records->front().cleared_at, base_ + 900);
  EXPECT_EQ(records->front().actor, "指挥员");
  auto all = engine_->list_track_points("", base_, base_ + 3600);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);  // A twice, B once, in (call_sign, at) order
  EXPECT_EQ((*all)[0].call_sign, "A");
  EXPECT_EQ((*all)[1].at, base_ + 200);
  EXPECT_EQ((*all)[2].call_sign, "B");
}

TEST_F(DispatchTest, UpsertsCheckStationsAndKeepLiveStatus) {
  auto bad = service_->upsert_units({patrol("X", PatrolKind::kCar, "NOWHERE")});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "station");
  PatrolUnit zero = patrol("Y", PatrolKind::kCar);
  zero.crew_size = 0;
  EXPECT_EQ(service_->upsert_units({zero}).error().field, "crew_size");
  add({patrol("A", PatrolKind::kCar)});
  place("A", 36.650, 117.050, 0);
  const IncidentId id = incident("theft", 36.652, 117.050);
  ASSERT_TRUE(service_->dispatch(id, {"A"}, base_ + 60, "指挥员", UnitScope::everything()).ok());
  PatrolUnit again = patrol("A", PatrolKind::kCar);
  again.crew_size = 3;
  add({again});  // an update of the register does not free a unit on a job
  EXPECT_EQ(service_->get_unit("A")->unit.status, PatrolStatus::kEnRoute);
  EXPECT_EQ(service_->get_unit("A")->unit.crew_size, 3);
  EXPECT_EQ(service_->list_units(UnitScope::subtree("S2")).size(), 0u);
  EXPECT_EQ(service_->list_units(UnitScope::subtree("S1")).size(), 1u);
}

TEST(DispatchConfigTest, ShippedFilesLoadAndNameKnownTypes) {
  auto config = Result<dispatch::DispatchConfig>(testing::shipped_settings().dispatch);
  ASSERT_TRUE(config.ok()) << config.error().describe();
  EXPECT_DOUBLE_EQ(config->speed_kmh[int(PatrolKind::kFoot)], 5);
  auto cards = Result<dispatch::RunCards>(testing::shipped_settings().run_cards);
  ASSERT_TRUE(cards.ok()) << cards.error().describe();
  auto taxonomy = Taxonomy::load_default();
  ASSERT_TRUE(taxonomy.ok());
  EXPECT_TRUE(cards->check_types(*taxonomy).ok());
  const auto& robbery = cards->for_type("robbery");
  int cars = 0, rapid = 0;
  for (const auto& need : robbery.needs) (need.role == "rapid" ? rapid : cars) += need.count;
  EXPECT_EQ(cars, 2);
  EXPECT_EQ(rapid, 1);
  EXPECT_EQ(cards->for_type("no_such_type").type_code, "*");
}

TEST(DispatchConfigTest, BadSettingsAndCardsAreRefusedNamingTheProblem) {
  EXPECT_EQ(dispatch::parse_dispatch_config(nlohmann::json::parse(R"({"detour_factr": 1.2})")).error().field, "detour_factr");
  EXPECT_EQ(dispatch::parse_dispatch_config(nlohmann::json::parse(R"({"detour_factor": -1})")).error().field, "detour_factor");
  EXPECT_FALSE(dispatch::parse_dispatch_config(nlohmann::json::parse(R"({"speed_kmh": {"horse": 12}})")).ok());
  auto fine = dispatch::parse_dispatch_config(nlohmann::json::parse(R"({"speed_kmh": {"ebike": 18}, "arrival_radius_m": 80})"));
  ASSERT_TRUE(fine.ok());
  EXPECT_DOUBLE_EQ(fine->speed_kmh[int(PatrolKind::kEbike)], 18);
  EXPECT_DOUBLE_EQ(fine->speed_kmh[int(PatrolKind::kCar)], 30);
  EXPECT_FALSE(dispatch::RunCards::parse("type_code,kind,role,count\nrobbery,tank,,1\n", "t").ok());
  EXPECT_FALSE(dispatch::RunCards::parse("type_code,kind,role,count\nrobbery,car,,0\n", "t").ok());
  auto taxonomy = Taxonomy::load_default();
  auto unknown = dispatch::RunCards::parse("type_code,kind,role,count\nrobery,car,,1\n", "t");
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->check_types(*taxonomy).ok());
}

}  // namespace
}  // namespace pingan::testing
