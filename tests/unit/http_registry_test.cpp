// The registry's cameras through the HTTP API (issue 21; docs/api.md
// "Registry and cameras"), end to end on a real server and store, on SQLite
// and in the `pg.` run on PostgreSQL: the cameras around an incident equal a
// brute-force scan over the store's cameras (distance_m(), ties by code);
// another unit's incident and cameras are refused; every bad row of a batch
// is named by index and field and nothing is written; stream URLs only for
// a caller who may view video; the map layer is GeoJSON.

#include <fmt/format.h>

#include <algorithm>
#include <random>

#include "core/camera.h"
#include "core/geo.h"
#include "http_test_support.h"

namespace pingan::testing {
namespace {

using nlohmann::json;

class HttpRegistryTest : public HttpServerTest {
 protected:
  void SetUp() override {
    HttpServerTest::SetUp();
    if (HasFatalFailure()) return;
    load_units();
  }

  static json camera(const std::string& code, double lat, double lon, const std::string& unit) {
    return json{{"code", code},         {"name", "路口" + code},  {"lat", lat},
                {"lon", lon},           {"owner_name", "分局"},   {"unit", unit},
                {"stream_url", "rtsp://10.0.0.9:554/live/" + code}};
  }
  std::string new_incident(double lat, double lon) {
    JsonResponse r = post("/api/incidents", json{{"type", "theft"}, {"location", {{"lat", lat}, {"lon", lon}}},
                                                 {"address", "经十路 1 号"}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.contains("id") ? std::to_string(r.body["id"].get<std::int64_t>()) : "0";
  }
  // A station user of `unit` by API token, with the shipped station role.
  std::unique_ptr<httplib::Client> station_client(const std::string& name, const std::string& unit,
                                                  const std::string& role = "station") {
    auto user = authority_->add_user({name, "民警", unit, role}, "test");
    EXPECT_TRUE(user.ok()) << user.error().describe();
    auto token = authority_->issue_token(name, "registry", {}, "test");
    EXPECT_TRUE(token.ok()) << token.error().describe();
    auto c = anonymous_client();
    if (token.ok()) c->set_bearer_token_auth(token->secret);
    return c;
  }
  static std::string field_of(const JsonResponse& r) { return r.body.value("/error/field"_json_pointer, std::string()); }

  // The nearest cameras by testing every camera in the store.
  std::vector<std::pair<double, std::string>> brute_force(const GeoPoint& p, double radius, std::size_t k,
                                                          bool facing, bool online) {
    std::vector<std::pair<double, std::string>> all;
    Status scanned = engine_->registry().scan_cameras([&](const StoredCamera& s) {
      const double d = distance_m(s.camera.location, p);
      if (d > radius) return;
      if (online && s.camera.status != CameraStatus::kOnline) return;
      if (facing && !camera_faces(s.camera, p)) return;
      all.emplace_back(d, s.camera.code);
    });
    EXPECT_TRUE(scanned.ok()) << scanned.error().describe();
    std::sort(all.begin(), all.end());
    if (all.size() > k) all.resize(k);
    return all;
  }
};

TEST_F(HttpRegistryTest, TheCamerasAroundAnIncidentAreExactlyABruteForceScanOfTheStore) {
  // 1,200 cameras over both stations, a third directed, a tenth offline, in
  // batches of 200 (the test server's body limit is 64 KiB); a point inside
  // station 1 with cameras of station 2 near.
  std::mt19937 rng(21);
  std::uniform_real_distribution<double> lat(36.60, 36.70), lon(117.10, 117.30), dir(0, 360);
  for (int b = 0; b < 6; ++b) {
    json rows = json::array();
    for (int i = 0; i < 200; ++i) {
      const int n = b * 200 + i;
      const double x = lon(rng);
      json c = camera(fmt::format("C{:05}", n), lat(rng), x, x < 117.20 ? "JN-S01" : "JN-S02");
      if (n % 3 == 0) c["direction_deg"] = dir(rng);
      if (n % 10 == 0) c["status"] = "offline";
      rows.push_back(c);
    }
    JsonResponse r = post("/api/cameras", json{{"cameras", rows}});
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.body["created"], 200);
  }
  const GeoPoint at{36.65, 117.195};
  const std::string id = new_incident(at.lat, at.lon);
  struct Ask {
    double radius;
    std::size_t k;
    bool facing, online;
  };
  for (const Ask& ask : {Ask{1000, 20, false, false}, Ask{2500, 200, false, false}, Ask{2000, 50, true, true},
                         Ask{0, 5, false, false}}) {
    JsonResponse r = get(fmt::format("/api/incidents/{}/cameras?radius_m={}&k={}&facing={}&online={}", id,
                                     ask.radius, ask.k, ask.facing, ask.online));
    ASSERT_EQ(r.status, 200) << r.raw;
    const auto expected = brute_force(at, ask.radius, ask.k, ask.facing, ask.online);
    ASSERT_EQ(r.body["items"].size(), expected.size()) << "radius " << ask.radius;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(r.body["items"][i]["code"], expected[i].second) << i;
      EXPECT_NEAR(r.body["items"][i]["distance_m"].get<double>(), expected[i].first, 1e-6) << i;
    }
    if (ask.radius == 2500) {
      EXPECT_FALSE(expected.empty());
    }
  }
  // The same point by coordinates, and the index follows a later change.
  JsonResponse by_point = get(fmt::format("/api/cameras/nearest?lat={}&lon={}&radius_m=1000", at.lat, at.lon));
  ASSERT_EQ(by_point.status, 200) << by_point.raw;
  EXPECT_EQ(by_point.body["items"].size(), brute_force(at, 1000, 20, false, false).size());
  ASSERT_EQ(post("/api/cameras", json{{"cameras", {camera("AT-POINT", at.lat, at.lon, "JN-S01")}}}).status, 200);
  JsonResponse after = get("/api/incidents/" + id + "/cameras?radius_m=1");
  ASSERT_EQ(after.status, 200) << after.raw;
  ASSERT_EQ(after.body["items"].size(), 1u) << after.raw;
  EXPECT_EQ(after.body["items"][0]["code"], "AT-POINT");
  EXPECT_EQ(after.body["items"][0]["stream_url"], "rtsp://10.0.0.9:554/live/AT-POINT");
}

TEST_F(HttpRegistryTest, AnotherUnitsIncidentAndCamerasAreRefused) {
  ASSERT_EQ(post("/api/cameras", json{{"cameras", {camera("S1-A", 36.65, 117.15, "JN-S01"),
                                                    camera("S2-A", 36.65, 117.25, "JN-S02")}}})
                .status,
            200);
  const std::string theirs = new_incident(36.65, 117.25);
  const std::string ours = new_incident(36.65, 117.15);
  auto station = station_client("wang.s01", "JN-S01");
  JsonResponse hidden = to_json_response(station->Get(("/api/incidents/" + theirs + "/cameras").c_str()));
  EXPECT_EQ(hidden.status, 404) << hidden.raw;
  JsonResponse own = to_json_response(station->Get(("/api/incidents/" + ours + "/cameras").c_str()));
  EXPECT_EQ(own.status, 200) << own.raw;
  // A camera written for another unit: 403, and nothing stored.
  JsonResponse refused = to_json_response(station->Post(
      "/api/cameras", json{{"cameras", {camera("S2-NEW", 36.65, 117.25, "JN-S02")}}}.dump(), "application/json"));
  EXPECT_EQ(refused.status, 403) << refused.raw;
  EXPECT_EQ(engine_->registry().get_camera("S2-NEW", UnitScope::everything()).error().code, ErrorCode::kNotFound);
  // The layer shows the caller's subtree only; another station's is empty.
  JsonResponse layer = to_json_response(station->Get("/api/cameras"));
  ASSERT_EQ(layer.status, 200) << layer.raw;
  EXPECT_EQ(layer.body["type"], "FeatureCollection");
  ASSERT_EQ(layer.body["features"].size(), 1u) << layer.raw;
  EXPECT_EQ(layer.body["features"][0]["id"], "S1-A");
  EXPECT_EQ(layer.body["features"][0]["geometry"]["coordinates"], json::array({117.15, 36.65}));
  JsonResponse other_layer = to_json_response(station->Get("/api/cameras?unit=JN-S02"));
  ASSERT_EQ(other_layer.status, 200) << other_layer.raw;
  EXPECT_TRUE(other_layer.body["features"].empty()) << other_layer.raw;
}

TEST_F(HttpRegistryTest, StreamUrlsAreShownOnlyToWhoMayViewVideo) {
  ASSERT_EQ(post("/api/cameras", json{{"cameras", {camera("V1", 36.65, 117.15, "JN-S01")}}}).status, 200);
  auto community = station_client("li.c01", "JN-S01", "community");  // registry.read, no cameras.view
  auto station = station_client("wang.s01", "JN-S01");                // cameras.view
  for (const char* path : {"/api/cameras", "/api/cameras/nearest?lat=36.65&lon=117.15"}) {
    JsonResponse without = to_json_response(community->Get(path));
    ASSERT_EQ(without.status, 200) << without.raw;
    const json& first = without.body.contains("features") ? without.body["features"][0]["properties"]
                                                          : without.body["items"][0];
    EXPECT_FALSE(first.contains("stream_url")) << path << ": " << without.raw;
    EXPECT_EQ(first["code"], "V1");
    JsonResponse with = to_json_response(station->Get(path));
    ASSERT_EQ(with.status, 200) << with.raw;
    const json& seen = with.body.contains("features") ? with.body["features"][0]["properties"] : with.body["items"][0];
    EXPECT_EQ(seen["stream_url"], "rtsp://10.0.0.9:554/live/V1") << path;
  }
}

TEST_F(HttpRegistryTest, EveryBadRowOfABatchIsNamedAndNothingIsWritten) {
  json rows = json::array();
  rows.push_back(camera("OK-1", 36.65, 117.15, "JN-S01"));
  json creds = camera("BAD-URL", 36.65, 117.15, "JN-S01");
  creds["stream_url"] = "rtsp://admin:12345@10.0.0.9/live";
  rows.push_back(creds);
  json unnamed = camera("NO-NAME", 36.65, 117.15, "JN-S01");
  unnamed.erase("name");
  rows.push_back(unnamed);
  rows.push_back(camera("NO-UNIT", 36.65, 117.15, "JN-S99"));
  json dome = camera("FOV-NO-DIR", 36.65, 117.15, "JN-S01");
  dome["field_of_view_deg"] = 60;
  rows.push_back(dome);
  JsonResponse r = post("/api/cameras", json{{"cameras", rows}});
  ASSERT_EQ(r.status, 400) << r.raw;
  EXPECT_EQ(field_of(r), "cameras[1].stream_url") << r.raw;
  const json& named = r.body["error"]["rows"];
  ASSERT_EQ(named.size(), 4u) << r.raw;
  EXPECT_EQ(named[0]["index"], 1);
  EXPECT_EQ(named[1]["field"], "cameras[2].name");
  EXPECT_EQ(named[2]["field"], "cameras[3].unit");
  EXPECT_EQ(named[3]["index"], 4);
  EXPECT_EQ(named[3]["field"].get<std::string>().rfind("cameras[4].", 0), 0u) << named[3];
  EXPECT_EQ(engine_->registry().get_camera("OK-1", UnitScope::everything()).error().code, ErrorCode::kNotFound);

  // The good row alone is written; sent again it changes nothing.
  JsonResponse ok = post("/api/cameras", json{{"cameras", {rows[0]}}});
  ASSERT_EQ(ok.status, 200) << ok.raw;
  EXPECT_EQ(ok.body, json({{"created", 1}, {"updated", 0}, {"unchanged", 0}}));
  JsonResponse again = post("/api/cameras", json{{"cameras", {rows[0]}}});
  EXPECT_EQ(again.body, json({{"created", 0}, {"updated", 0}, {"unchanged", 1}}));
  EXPECT_EQ(field_of(get("/api/cameras/nearest?lat=36.65&lon=117.15&radius_m=60000")), "radius_m");
  EXPECT_EQ(field_of(get("/api/cameras/nearest?lon=117.15")), "lat");
  EXPECT_EQ(field_of(get("/api/cameras/nearest?lat=36.65&lon=117.15&facing=maybe")), "facing");
}

TEST_F(HttpRegistryTest, PlacesArePagedInScopeWithTheirContactMaskedAndBadRowsNamed) {
  const auto place = [](const std::string& code, const std::string& unit, const std::string& category) {
    return json{{"code", code},   {"name", "平安旅馆" + code}, {"category", category}, {"address", "经十路 1 号"},
                {"lat", 36.65},   {"lon", 117.15},             {"unit", unit},         {"contact_name", "王强"},
                {"contact_phone", "13800001111"}, {"opened", "2015-03-01"}};
  };
  JsonResponse written = post("/api/places", json{{"places", {place("P1", "JN-S01", "hotel"), place("P2", "JN-S01-C01", "internet_cafe"),
                                                               place("P3", "JN-S02", "small_shop")}}});
  ASSERT_EQ(written.status, 200) << written.raw;
  EXPECT_EQ(written.body, json({{"created", 3}, {"updated", 0}, {"unchanged", 0}}));
  // The stored contact is the plain one; answers mask it.
  auto stored = engine_->registry().get_place("P1", UnitScope::everything());
  ASSERT_TRUE(stored.ok()) << stored.error().describe();
  EXPECT_EQ(stored->contact_phone, "13800001111");
  auto station = station_client("wang.s01", "JN-S01");
  JsonResponse first = to_json_response(station->Get("/api/places?limit=1"));
  ASSERT_EQ(first.status, 200) << first.raw;
  ASSERT_EQ(first.body["items"].size(), 1u) << first.raw;
  EXPECT_EQ(first.body["items"][0]["code"], "P1");
  EXPECT_EQ(first.body["items"][0]["contact_name"], "王*");
  EXPECT_EQ(first.body["items"][0]["contact_phone"], "138****1111");
  EXPECT_EQ(first.body["items"][0]["category_zh"], "旅馆");
  EXPECT_EQ(first.body["items"][0]["key_place"], true);
  EXPECT_EQ(first.body["items"][0]["opened"], "2015-03-01");
  EXPECT_EQ(first.body["next_after"], "P1");
  JsonResponse second = to_json_response(station->Get("/api/places?limit=1&after=P1"));
  ASSERT_EQ(second.status, 200) << second.raw;
  ASSERT_EQ(second.body["items"].size(), 1u) << second.raw;
  EXPECT_EQ(second.body["items"][0]["code"], "P2");  // P3 is another station's
  EXPECT_TRUE(second.body["next_after"].is_null()) << second.raw;
  JsonResponse theirs = to_json_response(station->Post(
      "/api/places", json{{"places", {place("P4", "JN-S02", "hotel")}}}.dump(), "application/json"));
  EXPECT_EQ(theirs.status, 403) << theirs.raw;
  // A bad category and a bad date are named; nothing is written.
  json late = place("P6", "JN-S01", "hotel");
  late["opened"] = "2015-13-01";
  JsonResponse bad = post("/api/places", json{{"places", {place("P5", "JN-S01", "hotle"), late}}});
  ASSERT_EQ(bad.status, 400) << bad.raw;
  EXPECT_EQ(field_of(bad), "places[0].category") << bad.raw;
  ASSERT_EQ(bad.body["error"]["rows"].size(), 2u) << bad.raw;
  EXPECT_EQ(bad.body["error"]["rows"][1]["field"], "places[1].opened") << bad.raw;
  EXPECT_EQ(engine_->registry().get_place("P5", UnitScope::everything()).error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace pingan::testing
