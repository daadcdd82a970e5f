// Units and taxonomy through the HTTP API.

#include "http_test_support.h"

namespace pingan::testing {
namespace {

using nlohmann::json;

class HttpUnitsTest : public HttpServerTest {};

TEST_F(HttpUnitsTest, UnitsListWithParentsAndKindsAndGeometryOnlyOnRequest) {
  load_units();
  JsonResponse r = get("/api/units");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["total"], 4);
  std::map<std::string, json> by_code;
  for (const auto& u : r.body["items"]) by_code[u["code"]] = u;
  ASSERT_EQ(by_code.size(), 4u);
  EXPECT_TRUE(by_code["JN"]["parent"].is_null());
  EXPECT_EQ(by_code["JN"]["kind"], "bureau");
  EXPECT_EQ(by_code["JN"]["has_boundary"], false);
  EXPECT_EQ(by_code["JN-S01-C01"]["parent"], "JN-S01");
  EXPECT_EQ(by_code["JN-S01-C01"]["kind"], "community");
  EXPECT_EQ(by_code["JN-S01-C01"]["name"], "泉城路社区");
  EXPECT_EQ(by_code["JN-S02"]["has_boundary"], true);
  EXPECT_FALSE(by_code["JN-S02"].contains("boundary"));

  JsonResponse g = get("/api/units?geometry=1");
  ASSERT_EQ(g.status, 200);
  for (const auto& u : g.body["items"]) {
    if (u["code"] == "JN") {
      EXPECT_TRUE(u["boundary"].is_null());
      continue;
    }
    ASSERT_EQ(u["boundary"]["type"], "MultiPolygon") << u.dump();
    // GeoJSON order: [lon, lat].
    const json& first = u["boundary"]["coordinates"][0][0][0];
    EXPECT_GT(first[0].get<double>(), 117.0);
    EXPECT_LT(first[1].get<double>(), 37.0);
  }
}

TEST_F(HttpUnitsTest, GeoJsonFeatureCollectionRoundTripsAndUpdatesByCode) {
  json fc = json::parse(R"({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"code":"PD","name":"波特兰警察局","kind":"bureau","parent":null},"geometry":null},
    {"type":"Feature","properties":{"code":"PD-N","name":"北区","kind":"station","parent":"PD"},
     "geometry":{"type":"Polygon","coordinates":[[[-122.7,45.5],[-122.6,45.5],[-122.6,45.6],[-122.7,45.6],[-122.7,45.5]]]}}]})");
  JsonResponse r = post("/api/units", fc);
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body, (json{{"upserted", 2}, {"total", 2}}));

  // An incident inside the boundary is placed in the unit.
  JsonResponse inc = post(
      "/api/incidents", json{{"type", "theft"}, {"location", {{"lat", 45.55}, {"lon", -122.65}}}});
  ASSERT_EQ(inc.status, 201) << inc.raw;
  EXPECT_EQ(inc.body["unit"], "PD-N");
  EXPECT_EQ(inc.body["unit_name"], "北区");

  // What GET returns with geometry can be posted back unchanged.
  JsonResponse g = get("/api/units?geometry=1");
  json items = g.body["items"];
  for (auto& u : items)
    if (u["code"] == "PD-N") u["name"] = "北区分局";
  JsonResponse again = post("/api/units", items);
  ASSERT_EQ(again.status, 200) << again.raw;
  EXPECT_EQ(again.body["total"], 2);
  JsonResponse after = get("/api/units?geometry=1");
  for (const auto& u : after.body["items"])
    if (u["code"] == "PD-N") {
      EXPECT_EQ(u["name"], "北区分局");
      EXPECT_EQ(u["boundary"], g.body["items"][1]["code"] == "PD-N"
                                   ? g.body["items"][1]["boundary"]
                                   : g.body["items"][0]["boundary"]);
    }
}

TEST_F(HttpUnitsTest, TaxonomyListsClassesTypesAndStatusesWithChineseNames) {
  JsonResponse r = get("/api/taxonomy");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["classes"].size(), engine_->taxonomy().classes().size());
  EXPECT_EQ(r.body["types"].size(), engine_->taxonomy().types().size());
  bool theft = false;
  for (const auto& t : r.body["types"])
    if (t["code"] == "theft") {
      theft = true;
      EXPECT_EQ(t["class"], "criminal");
      EXPECT_EQ(t["name_zh"], "盗窃");
    }
  EXPECT_TRUE(theft);
  ASSERT_EQ(r.body["statuses"].size(), 8u);
  EXPECT_EQ(r.body["statuses"][0],
            (json{{"code", "received"}, {"name_zh", "接警"}, {"next", {"dispatched", "handled"}}}));
  EXPECT_EQ(r.body["statuses"][7]["next"], json::array());
}

TEST_F(HttpUnitsTest, HealthReportsVersionSchemaAndCount) {
  JsonResponse h = get("/api/health");
  ASSERT_EQ(h.status, 200);
  EXPECT_EQ(h.body["version"], PINGAN_VERSION);
  EXPECT_GE(h.body["schema_version"].get<int>(), 1);
  EXPECT_EQ(h.body["incidents"], 0);
  EXPECT_EQ(h.body["time_zone"], "Asia/Shanghai");
  ASSERT_EQ(post("/api/incidents", json{{"type", "theft"}}).status, 201);
  EXPECT_EQ(get("/api/health").body["incidents"], 1);
}

}  // namespace
}  // namespace pingan::testing
