// The demo district's units and the validity and determinism of its incidents.

#include "ingest/demo_district.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <stdexcept>

namespace pingan {
namespace {

using ingest::check_demo_taxonomy;
using ingest::demo_end;
using ingest::demo_units;
using ingest::DemoOptions;
using ingest::generate_demo_incidents;
using ingest::validate_demo_options;

const Taxonomy& taxonomy() {
  static const Taxonomy t = Taxonomy::load_default().value();
  return t;
}

// FNV-1a over every field of every incident: equal hashes mean equal output.
struct Hasher {
  std::uint64_t h = 1469598103934665603ULL;
  void bytes(const void* p, size_t n) {
    auto* c = static_cast<const unsigned char*>(p);
    for (size_t i = 0; i < n; ++i) h = (h ^ c[i]) * 1099511628211ULL;
  }
  void str(const std::string& s) { bytes(s.data(), s.size()); bytes("\0", 1); }
  void num(std::int64_t v) { bytes(&v, sizeof v); }
  void real(double v) { bytes(&v, sizeof v); }
  void incident(const Incident& inc) {
    str(inc.source); str(inc.source_id); str(inc.case_number); str(inc.original_code);
    num(inc.reported_at);
    real(inc.location ? inc.location->lat : -999);
    real(inc.location ? inc.location->lon : -999);
    str(inc.address); str(inc.type_code); str(inc.class_code); str(inc.unit_code);
    num(int(inc.status)); str(inc.reporter_phone); str(inc.description);
    for (IncidentStatus s : kAllStatuses) {
      const auto* t = inc.times.slot(s);
      num(t && t->has_value() ? **t : -1);
    }
    if (inc.followup) { str(inc.followup->assignee); num(inc.followup->deadline); str(inc.followup->assessment); }
    num(inc.voided);
  }
};

std::uint64_t hash_of(const DemoOptions& options, std::int64_t* count = nullptr) {
  Hasher h;
  std::int64_t n = 0;
  generate_demo_incidents(options, taxonomy(), [&](Incident&& inc) { h.incident(inc); ++n; });
  if (count) *count = n;
  return h.h;
}

TEST(DemoUnits, FormAValidTreeOfOneBureauEightStationsFortyCommunities) {
  std::vector<Unit> units = demo_units(DemoOptions{});
  std::map<UnitKind, int> kinds;
  for (const Unit& u : units) {
    EXPECT_TRUE(validate_unit(u).ok()) << u.code;
    EXPECT_FALSE(u.boundary.empty()) << u.code;
    ++kinds[u.kind];
  }
  EXPECT_EQ(kinds[UnitKind::kBureau], 1);
  EXPECT_EQ(kinds[UnitKind::kStation], 8);
  EXPECT_EQ(kinds[UnitKind::kCommunity], 40);
  auto tree = UnitTree::build(units);
  ASSERT_TRUE(tree.ok()) << tree.error().describe();
  const Unit* bureau = tree->find("PA");
  ASSERT_NE(bureau, nullptr);
  EXPECT_EQ(bureau->name, "平安市公安局示范分局");
  EXPECT_NE(tree->find("PA-S08"), nullptr);
  const Unit* community = tree->find("PA-S03-C05");
  ASSERT_NE(community, nullptr);
  EXPECT_EQ(community->parent_code, "PA-S03");
  EXPECT_EQ(tree->path("PA-S03-C05"), (std::vector<std::string>{"PA", "PA-S03", "PA-S03-C05"}));
  std::set<std::string> names;
  for (const Unit& u : units) names.insert(u.name);
  EXPECT_EQ(names.size(), units.size()) << "unit names repeat";
}

TEST(DemoUnits, LieNearJinanAndCoverAbout300SquareKilometres) {
  std::vector<Unit> units = demo_units(DemoOptions{});
  const BoundingBox& box = units.front().boundary.bbox();
  EXPECT_NEAR((box.min_lon + box.max_lon) / 2, 117.00, 0.01);
  EXPECT_NEAR((box.min_lat + box.max_lat) / 2, 36.65, 0.01);
  EXPECT_NEAR(distance_m({box.min_lat, box.min_lon}, {box.min_lat, box.max_lon}), 20000, 200);
  EXPECT_NEAR(distance_m({box.min_lat, box.min_lon}, {box.max_lat, box.min_lon}), 15000, 150);
  EXPECT_NEAR(units.front().boundary.area_m2() / 1e6, 300, 3);
}

// Communities tile their station and stations tile the district: the areas
// add up, and every point of the district lies in exactly one station and
// one community, which belongs to that station.
TEST(DemoUnits, CommunitiesTileStationsAndStationsTileTheDistrict) {
  std::vector<Unit> units = demo_units(DemoOptions{});
  std::map<std::string, double> community_area_by_station;
  double station_area = 0;
  for (const Unit& u : units) {
    if (u.kind == UnitKind::kCommunity) community_area_by_station[u.parent_code] += u.boundary.area_m2();
    if (u.kind == UnitKind::kStation) station_area += u.boundary.area_m2();
  }
  for (const Unit& u : units) {
    if (u.kind == UnitKind::kStation) {
      EXPECT_NEAR(community_area_by_station[u.code] / u.boundary.area_m2(), 1.0, 1e-4) << u.code;
    }
  }
  EXPECT_NEAR(station_area / units.front().boundary.area_m2(), 1.0, 1e-4);

  const BoundingBox& box = units.front().boundary.bbox();
  int checked = 0;
  for (int i = 1; i < 150; ++i)
    for (int j = 1; j < 100; ++j) {
      GeoPoint p{box.min_lat + (box.max_lat - box.min_lat) * j / 100.0 + 1.3e-7,
                 box.min_lon + (box.max_lon - box.min_lon) * i / 150.0 + 1.7e-7};
      const Unit* station = nullptr;
      const Unit* community = nullptr;
      int stations = 0, communities = 0;
      for (const Unit& u : units) {
        if (!u.boundary.contains(p)) continue;
        if (u.kind == UnitKind::kStation) ++stations, station = &u;
        if (u.kind == UnitKind::kCommunity) ++communities, community = &u;
      }
      ASSERT_EQ(stations, 1) << p.lat << "," << p.lon;
      ASSERT_EQ(communities, 1) << p.lat << "," << p.lon;
      EXPECT_EQ(community->parent_code, station->code);
      ++checked;
    }
  EXPECT_EQ(checked, 149 * 99);
}

TEST(DemoUnits, DependOnTheSeedOnly) {
  DemoOptions a, b, c;
  b.days = 3;  // not the geometry
  c.seed = 7;
  auto ua = demo_units(a), ub = demo_units(b), uc = demo_units(c);
  ASSERT_EQ(ua.size(), ub.size());
  for (size_t i = 0; i < ua.size(); ++i) {
    EXPECT_EQ(ua[i].code, ub[i].code);
    EXPECT_EQ(ua[i].boundary.centroid().lat, ub[i].boundary.centroid().lat);
    EXPECT_EQ(ua[i].boundary.centroid().lon, ub[i].boundary.centroid().lon);
  }
  EXPECT_NE(ua[9].boundary.centroid().lat, uc[9].boundary.centroid().lat);
}

TEST(DemoIncidents, SameSeedGivesIdenticalIncidentsAndAnotherSeedDiffers) {
  DemoOptions options;
  options.days = 90;
  std::int64_t n1 = 0, n2 = 0, n3 = 0;
  std::uint64_t first = hash_of(options, &n1);
  std::uint64_t second = hash_of(options, &n2);
  EXPECT_EQ(first, second);
  EXPECT_EQ(n1, n2);
  options.seed += 1;
  std::uint64_t other = hash_of(options, &n3);
  EXPECT_NE(first, other);
  EXPECT_GT(n1, 90 * 130);
  EXPECT_LT(n1, 90 * 190);
}

// Every incident of the default two years is valid, lies in the polygon of
// its community, comes in time order with a sequential source id, and has a
// lifecycle in order that ends before the demo's end.
TEST(DemoIncidents, EveryIncidentIsValidAndInsideItsCommunity) {
  const DemoOptions options;
  const Timestamp end = demo_end(options);
  EXPECT_EQ(format_utc(end), "2026-10-31T16:00:00Z");  // 2026-11-01 00:00 in Shanghai
  auto tree = UnitTree::build(demo_units(options)).value();
  std::int64_t n = 0, open = 0, followups = 0, phone_settled = 0, no_phone = 0;
  Timestamp previous = 0;
  std::set<std::string> classes;
  std::map<std::string, std::int64_t> by_type;
  generate_demo_incidents(options, taxonomy(), [&](Incident&& inc) {
    ++n;
    std::string type = inc.type_code;
    Status valid = validate_new_incident(inc, taxonomy(), end);
    ASSERT_TRUE(valid.ok()) << inc.source_id << ": " << valid.error().describe();
    ASSERT_EQ(inc.source, "demo");
    ASSERT_EQ(inc.source_id, fmt::format("{:09}", n));
    ASSERT_GE(inc.reported_at, previous) << inc.source_id;
    previous = inc.reported_at;
    ASSERT_LT(inc.reported_at, end);
    ASSERT_TRUE(inc.location.has_value());
    const Unit* unit = tree.find(inc.unit_code);
    ASSERT_NE(unit, nullptr) << inc.unit_code;
    ASSERT_EQ(unit->kind, UnitKind::kCommunity);
    ASSERT_TRUE(unit->boundary.contains(*inc.location)) << inc.source_id << " " << inc.unit_code;
    ASSERT_FALSE(inc.address.empty());
    ASSERT_FALSE(inc.description.empty());
    ASSERT_EQ(inc.description.find('{'), std::string::npos) << inc.description;
    ASSERT_EQ(inc.case_number.size(), 15u);
    if (inc.reporter_phone.empty()) ++no_phone;
    else ASSERT_TRUE(inc.reporter_phone.size() == 11 && inc.reporter_phone[0] == '1') << inc.reporter_phone;
    // The status is the last step reached, and no step is after the end.
    const auto* reached = inc.times.slot(inc.status);
    if (inc.status != IncidentStatus::kReceived) {
      ASSERT_TRUE(reached && reached->has_value());
    }
    for (IncidentStatus s : kAllStatuses) {
      const auto* t = inc.times.slot(s);
      if (t && t->has_value()) {
        ASSERT_LT(**t, end);
      }
    }
    if (inc.status != IncidentStatus::kClosed) {
      ++open;
      ASSERT_GT(inc.reported_at, end - 30 * 86400) << "open long before the end: " << inc.source_id;
    }
    if (inc.times.followup_at) {
      ++followups;
      ASSERT_TRUE(inc.followup.has_value());
      ASSERT_FALSE(inc.followup->assignee.empty());
      ASSERT_GT(inc.followup->deadline, *inc.times.followup_at);
      ASSERT_TRUE(inc.class_code == "dispute" || type == "hazard" || type == "noise") << type;
    }
    if (inc.times.handled_at && !inc.times.dispatched_at) ++phone_settled;
    classes.insert(inc.class_code);
    ++by_type[type];
  });
  EXPECT_NEAR(double(n), 160.0 * 730, 160.0 * 730 * 0.03);
  EXPECT_EQ(classes.size(), taxonomy().classes().size());
  EXPECT_GT(open, 0);
  EXPECT_LT(open, n / 100);
  EXPECT_GT(followups, 500);
  EXPECT_GT(phone_settled, n / 20);
  EXPECT_GT(no_phone, 0);
  // The mix: theft is the largest criminal type, homicide a handful.
  for (const auto& [type, count] : by_type) {
    if (taxonomy().find_type(type)->class_code == "criminal" && type != "theft") {
      EXPECT_GT(by_type["theft"], count) << type;
    }
  }
  EXPECT_LT(by_type["homicide"], 20);
  EXPECT_GT(by_type["welfare_check"], by_type["theft"]);
}

TEST(DemoIncidents, RefusesATaxonomyThatLacksADemoType) {
  auto small = Taxonomy::parse_csv(
      "class_code,class_name_zh,type_code,type_name_zh,type_name_en\n"
      "criminal,刑事,theft,盗窃,Larceny\n",
      "test");
  ASSERT_TRUE(small.ok());
  Status s = check_demo_taxonomy(*small);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("homicide"), std::string::npos) << s.error().message;
  DemoOptions options;
  options.days = 1;
  EXPECT_THROW(generate_demo_incidents(options, *small, [](Incident&&) {}), std::invalid_argument);
  EXPECT_TRUE(check_demo_taxonomy(taxonomy()).ok());
}

TEST(DemoIncidents, RefusesInvalidOptions) {
  DemoOptions bad_day;
  bad_day.first_day = {2025, 2, 30};
  EXPECT_FALSE(validate_demo_options(bad_day).ok());
  DemoOptions no_days;
  no_days.days = 0;
  EXPECT_EQ(validate_demo_options(no_days).error().field, "days");
  DemoOptions no_rate;
  no_rate.incidents_per_day = 0;
  EXPECT_EQ(validate_demo_options(no_rate).error().field, "incidents_per_day");
  EXPECT_THROW(generate_demo_incidents(no_rate, taxonomy(), [](Incident&&) {}), std::invalid_argument);
  EXPECT_TRUE(validate_demo_options(DemoOptions{}).ok());
}

// A repeat call from the same flat gives the same address and caller.
TEST(DemoIncidents, RepeatCallsFromOneHomeShareAddressAndPhone) {
  std::map<std::pair<double, double>, std::pair<std::string, std::string>> seen;
  int repeats = 0;
  DemoOptions options;
  options.days = 365;
  generate_demo_incidents(options, taxonomy(), [&](Incident&& inc) {
    if (inc.type_code != "family_dispute" || inc.reporter_phone.empty()) return;
    auto key = std::make_pair(inc.location->lat, inc.location->lon);
    auto [it, fresh] = seen.emplace(key, std::make_pair(inc.address, inc.reporter_phone));
    if (fresh) return;
    ++repeats;
    EXPECT_EQ(it->second.first, inc.address);
    EXPECT_EQ(it->second.second, inc.reporter_phone);
  });
  EXPECT_GT(repeats, 100);
}

}  // namespace
}  // namespace pingan
