// GET /api/hotspots, /api/forecast and /api/patrol/suggestions over a small
// district with a planted cluster: the answers, the scope, the errors.

#include <fmt/format.h>

#include <random>

#include "http_test_support.h"

namespace pingan::testing {
namespace {

using nlohmann::json;

constexpr double kClusterLat = 36.6503, kClusterLon = 117.1504;  // inside JN-S01-C01

class SpatialHttpTest : public HttpServerTest {
 protected:
  void SetUp() override {
    HttpServerTest::SetUp();
    load_units();
    const TimeZone& zone = engine_->time_zone();
    std::mt19937 rng(5);
    std::uniform_real_distribution<double> lat(36.601, 36.699), lon(117.101, 117.299);
    std::uniform_real_distribution<double> jitter(-0.0003, 0.0003);
    std::vector<Incident> batch;
    auto add = [&](double la, double lo, CivilTime t) {
      Incident inc;
      inc.source = "test";
      inc.source_id = std::to_string(batch.size());
      inc.type_code = batch.size() % 3 == 0 ? "burglary" : "theft";
      inc.reported_at = zone.to_utc(t);
      inc.location = GeoPoint{la, lo};
      inc.unit_code = lo < 117.2 ? (la < 36.65 && lo < 117.15 ? "JN-S01-C01" : "JN-S01") : "JN-S02";
      ASSERT_TRUE(validate_new_incident(inc, engine_->taxonomy(), now_utc()).ok());
      batch.push_back(inc);
    };
    // 300 scattered over both stations in September 2025 ...
    for (int i = 0; i < 300; ++i) add(lat(rng), lon(rng), CivilTime{2025, 9, 1 + i % 30, i % 24, 0, 0});
    // ... and 40 in one spot in its last ten days.
    for (int i = 0; i < 40; ++i)
      add(kClusterLat + jitter(rng) / 3, kClusterLon + jitter(rng) / 3,
          CivilTime{2025, 9, 21 + i % 10, (i * 7) % 24, 0, 0});
    auto r = engine_->insert_batch(batch);
    ASSERT_TRUE(r.ok()) << r.error().describe();
  }

  static double distance_to_cluster(const json& feature) {
    const json& p = feature["properties"];
    return distance_m(GeoPoint{p["lat"].get<double>(), p["lon"].get<double>()},
                      GeoPoint{kClusterLat, kClusterLon});
  }
};

TEST_F(SpatialHttpTest, GiStarMarksThePlantedCluster) {
  JsonResponse r = get("/api/hotspots?method=gistar&from=2025-09-01&to=2025-10-01&fdr=1");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["type"], "FeatureCollection");
  const json& meta = r.body["meta"];
  EXPECT_EQ(meta["area_basis"], "unit_boundaries");
  EXPECT_EQ(meta["incidents"], 340);
  EXPECT_EQ(meta["band_m"], 225);
  ASSERT_FALSE(r.body["features"].empty());
  // The highest z is next to the cluster (the cluster may straddle cells,
  // and a cell whose neighbours hold it all sums the most), and the cell
  // holding most of it is a hot spot at 99.9%.
  const json& top = r.body["features"][0];
  EXPECT_LT(distance_to_cluster(top), 250) << top.dump();
  EXPECT_EQ(top["properties"]["significance"], 3);
  EXPECT_TRUE(top["properties"]["fdr_significant"].get<bool>());
  EXPECT_EQ(top["geometry"]["type"], "Polygon");
  const json* fullest = &top;
  for (const json& f : r.body["features"])
    if (f["properties"]["count"] > (*fullest)["properties"]["count"]) fullest = &f;
  EXPECT_GE((*fullest)["properties"]["count"].get<double>(), 10);
  EXPECT_LT(distance_to_cluster(*fullest), 160);
  EXPECT_EQ((*fullest)["properties"]["significance"], 3);
  EXPECT_EQ(top["geometry"]["coordinates"][0].size(), 5u);
  // Sorted by z, and every count adds up to the incidents.
  double previous = 1e9, counted = 0;
  for (const json& f : r.body["features"]) {
    EXPECT_LE(f["properties"]["z"].get<double>(), previous);
    previous = f["properties"]["z"].get<double>();
    counted += f["properties"]["count"].get<double>();
  }
  EXPECT_EQ(counted, 340);
}

TEST_F(SpatialHttpTest, CountsAndKdeHonourTheUnitAndTheFilters) {
  // Station 2 alone: the cluster (in station 1) is not there.
  JsonResponse s2 = get("/api/hotspots?unit=JN-S02&from=2025-09-01&to=2025-10-01&geometry=point");
  ASSERT_EQ(s2.status, 200) << s2.raw;
  double counted = 0;
  for (const json& f : s2.body["features"]) {
    EXPECT_EQ(f["geometry"]["type"], "Point");
    EXPECT_GE(f["properties"]["lon"].get<double>(), 117.199);
    counted += f["properties"]["count"].get<double>();
  }
  EXPECT_EQ(counted, s2.body["meta"]["incidents"].get<double>());
  EXPECT_GT(counted, 100);
  EXPECT_LT(counted, 200);
  // Burglary only: every third incident.
  JsonResponse burglary = get("/api/hotspots?type=burglary&from=2025-09-01&to=2025-10-01");
  ASSERT_EQ(burglary.status, 200) << burglary.raw;
  EXPECT_EQ(burglary.body["meta"]["incidents"], 114);
  // The kernel density keeps the mass: the surface sums to the incidents,
  // less the faint cells under 0.1% of the densest, which are not listed.
  JsonResponse kde = get("/api/hotspots?method=kde&bandwidth=200&from=2025-09-01&to=2025-10-01&limit=100000");
  ASSERT_EQ(kde.status, 200) << kde.raw;
  double mass = 0;
  for (const json& f : kde.body["features"]) mass += f["properties"]["density"].get<double>();
  EXPECT_NEAR(mass, 340, 5);
  EXPECT_LE(mass, 340 + 1e-6);
  EXPECT_LT(distance_to_cluster(kde.body["features"][0]), 200);
}

TEST_F(SpatialHttpTest, RefusesBadQueriesNamingTheField) {
  struct Case {
    const char* query;
    const char* field;
  } cases[] = {{"/api/hotspots?method=heat", "method"},
               {"/api/hotspots?cell=5", "cell"},
               {"/api/hotspots?cell=abc", "cell"},
               {"/api/hotspots?colour=red", "colour"},
               {"/api/hotspots?type=nonsense", "type"},
               {"/api/hotspots?unit=NOWHERE", "unit"},
               {"/api/hotspots?from=2025-10-01&to=2025-09-01", "to"},
               {"/api/forecast?model=oracle", "model"},
               {"/api/forecast?window=month", "window"},
               {"/api/patrol/suggestions?hours=30", "hours"},
               {"/api/patrol/suggestions?k=0", "k"}};
  for (const Case& c : cases) {
    JsonResponse r = get(c.query);
    EXPECT_EQ(r.status, 400) << c.query << " " << r.raw;
    EXPECT_EQ(r.body["error"]["field"], c.field) << c.query << " " << r.raw;
  }
}

TEST_F(SpatialHttpTest, ForecastsTheNextWindowFromThePast) {
  // At 10:00 on Sept 30 the next day starts at midnight; the cluster is
  // the most expected place under both models.
  for (const char* model : {"etas", "kde"}) {
    JsonResponse r = get(fmt::format(
        "/api/forecast?model={}&window=day&at=2025-09-30T10:00:00%2B08:00&limit=20", model));
    ASSERT_EQ(r.status, 200) << r.raw;
    const json& meta = r.body["meta"];
    EXPECT_EQ(meta["window_start"], "2025-10-01T00:00:00+08:00");
    EXPECT_EQ(meta["window_end"], "2025-10-02T00:00:00+08:00");
    EXPECT_EQ(meta["history_events"], 340);
    EXPECT_EQ(r.body["features"].size(), 20u);
    EXPECT_LT(distance_to_cluster(r.body["features"][0]), 160) << model;
    double previous = 1e9;
    for (const json& f : r.body["features"]) {
      EXPECT_LE(f["properties"]["expected"].get<double>(), previous);
      previous = f["properties"]["expected"].get<double>();
    }
    EXPECT_GT(meta["expected_total"].get<double>(), 0);
    EXPECT_EQ(meta.contains("fit"), std::string(model) == "etas");
  }
  // A forecast of September 15 sees only the first half of the month.
  JsonResponse early = get("/api/forecast?window=day&at=2025-09-15");
  ASSERT_EQ(early.status, 200) << early.raw;
  EXPECT_LT(early.body["meta"]["history_events"].get<int>(), 160);
}

TEST_F(SpatialHttpTest, PatrolSuggestsTheClusterCellToStationOne) {
  JsonResponse r = get("/api/patrol/suggestions?shift_start=2025-10-01T08:00:00%2B08:00&k=3");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["shift_end"], "2025-10-01T16:00:00+08:00");
  EXPECT_EQ(r.body["planned_for"], "stations");
  ASSERT_EQ(r.body["stations"].size(), 2u);
  for (const json& s : r.body["stations"]) {
    EXPECT_EQ(s["cells_basis"], "boundary");
    ASSERT_EQ(s["cells"].size(), 3u);
    double previous = 0;
    for (const json& c : s["cells"]) {
      EXPECT_GE(c["cumulative_share"].get<double>(), previous);
      EXPECT_LE(c["cumulative_share"].get<double>(), 1.0 + 1e-9);
      previous = c["cumulative_share"].get<double>();
    }
    if (s["unit"] == "JN-S01") {
      const json& top = s["cells"][0];
      EXPECT_LT(distance_m(GeoPoint{top["lat"].get<double>(), top["lon"].get<double>()},
                           GeoPoint{kClusterLat, kClusterLon}),
                160);
    } else {
      EXPECT_EQ(s["unit"], "JN-S02");
      for (const json& c : s["cells"]) EXPECT_GE(c["lon"].get<double>(), 117.2);
    }
  }
  // Scoped to station 2, station 1 is not planned for.
  JsonResponse s2 = get("/api/patrol/suggestions?unit=JN-S02&shift_start=2025-10-01T08:00:00%2B08:00");
  ASSERT_EQ(s2.status, 200) << s2.raw;
  ASSERT_EQ(s2.body["stations"].size(), 1u);
  EXPECT_EQ(s2.body["stations"][0]["unit"], "JN-S02");
  // Below station level the scope's own unit is planned for.
  JsonResponse c1 =
      get("/api/patrol/suggestions?unit=JN-S01-C01&shift_start=2025-10-01T08:00:00%2B08:00");
  ASSERT_EQ(c1.status, 200) << c1.raw;
  EXPECT_EQ(c1.body["planned_for"], "scope");
  ASSERT_EQ(c1.body["stations"].size(), 1u);
  EXPECT_EQ(c1.body["stations"][0]["unit"], "JN-S01-C01");
}

// Stations without cells (no polygon, no incidents of their own) give way
// to the units below the scope, as in St. Louis.
TEST_F(SpatialHttpTest, PatrolFallsBackToTheUnitsBelowWhenStationsHaveNoCells) {
  JsonResponse add = post("/api/units", json::parse(R"([
    {"code":"EMPTY","name":"空局","kind":"bureau"},
    {"code":"EMPTY-S","name":"空所","kind":"station","parent":"EMPTY"},
    {"code":"EMPTY-C","name":"有界社区","kind":"community","parent":"EMPTY",
     "boundary":{"type":"Polygon","coordinates":[[[117.10,36.60],[117.12,36.60],[117.12,36.62],[117.10,36.62],[117.10,36.60]]]}}
  ])"));
  ASSERT_EQ(add.status, 200) << add.raw;
  JsonResponse r =
      get("/api/patrol/suggestions?unit=EMPTY&shift_start=2025-10-01T08:00:00%2B08:00&k=2");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["planned_for"], "units_below_scope");
  ASSERT_EQ(r.body["stations"].size(), 1u);
  EXPECT_EQ(r.body["stations"][0]["unit"], "EMPTY-C");
  EXPECT_EQ(r.body["stations"][0]["cells_basis"], "boundary");
}

}  // namespace
}  // namespace pingan::testing
