// GET /api/stats/response, duplicate calls and merging on a real server:
// figures follow transitions at once; a second call nearby is offered as a
// duplicate; after the merge /api/stats counts one incident and both calls
// stay readable.

#include <fmt/format.h>

#include "http_test_support.h"

namespace pingan::testing {
namespace {

using nlohmann::json;

class HttpResponseTest : public HttpServerTest {
 protected:
  std::int64_t report(const std::string& type, const std::string& local_time, double lat, double lon) {
    JsonResponse r = post("/api/incidents", json{{"type", type},
                                                 {"reported_at", local_time},
                                                 {"location", {{"lat", lat}, {"lon", lon}}}});
    EXPECT_EQ(r.status, 201) << r.raw;
    last_create_ = r.body;
    return r.body.value("id", std::int64_t{0});
  }
  void step(std::int64_t id, const std::string& to, const std::string& at) {
    JsonResponse r = post(fmt::format("/api/incidents/{}/transition", id), json{{"to", to}, {"at", at}});
    ASSERT_EQ(r.status, 200) << r.raw;
  }
  json last_create_;
};

TEST_F(HttpResponseTest, FiguresFollowTransitions) {
  load_units();
  const auto a = report("theft", "2025-07-03T10:00:00", 36.62, 117.12);   // JN-S01-C01
  const auto b = report("fraud", "2025-07-03T11:00:00", 36.62, 117.25);   // JN-S02
  report("theft", "2024-07-03T10:00:00", 36.62, 117.25);                  // 同比
  const std::string url = "/api/stats/response?from=2025-07-01&until=2025-08-01&group_by=unit";
  JsonResponse r = get(url);  // builds the index
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["total"]["current"]["incidents"], 2);
  EXPECT_EQ(r.body["total"]["current"]["responded"], 0);
  EXPECT_TRUE(r.body["total"]["current"]["marks"][0]["share_pct"].is_null());

  step(a, "dispatched", "2025-07-03T10:01:00");  // 60 s: meets the 1-minute mark exactly
  step(a, "arrived", "2025-07-03T10:04:00");     // 240 s: misses 3 minutes, meets 5
  step(b, "dispatched", "2025-07-03T11:02:00");
  r = get(url);
  ASSERT_EQ(r.status, 200) << r.raw;
  const json& total = r.body["total"]["current"];
  EXPECT_EQ(total["responded"], 2);
  EXPECT_EQ(total["marks"][0]["code"], "1min");
  EXPECT_EQ(total["marks"][0]["met"], 1);
  EXPECT_EQ(total["marks"][0]["share_pct"], 50.0);
  EXPECT_EQ(total["marks"][1]["met"], 0);
  EXPECT_EQ(total["marks"][2]["met"], 1);
  EXPECT_EQ(total["durations"]["call_to_dispatch"]["median_s"], 90.0);
  EXPECT_EQ(total["durations"]["call_to_arrival"]["median_s"], 240.0);
  EXPECT_EQ(total["durations"]["dispatch_to_arrival"]["count"], 1);
  EXPECT_EQ(r.body["total"]["yoy"]["figures"]["incidents"], 1);
  EXPECT_EQ(r.body["total"]["yoy"]["incidents_change"], 1);
  ASSERT_EQ(r.body["groups"].size(), 2u);
  EXPECT_EQ(r.body["groups"][0]["code"], "JN-S01");
  EXPECT_EQ(r.body["groups"][0]["current"]["marks"][2]["share_pct"], 100.0);
  EXPECT_EQ(r.body["groups"][1]["code"], "JN-S02");
  EXPECT_EQ(r.body["groups"][1]["current"]["marks"][2]["met"], 0);  // dispatched, never arrived

  r = get("/api/stats/response?from=2025-07-01&until=2025-08-01&unit=JN-S02");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["total"]["current"]["incidents"], 1);
  EXPECT_EQ(get("/api/stats/response?group_by=beat").status, 400);
  EXPECT_EQ(get("/api/stats/response?from=2025-07-01&to=2025-08-01&until=2025-08-01").status, 400);
  EXPECT_EQ(get("/api/stats/response?unit=NOPE").status, 400);
  EXPECT_EQ(get("/api/stats/response?colour=red").status, 400);
}

TEST_F(HttpResponseTest, DuplicateCallIsOfferedMergedAndCountedOnce) {
  load_units();
  const auto first = report("theft", "2025-07-03T10:00:00", 36.6200, 117.1200);
  EXPECT_EQ(last_create_["possible_duplicates"], json::array());
  EXPECT_TRUE(last_create_["merged_into"].is_null());
  // About 111 m north, 5 minutes later: offered.
  const auto second = report("theft", "2025-07-03T10:05:00", 36.6210, 117.1200);
  ASSERT_EQ(last_create_["possible_duplicates"].size(), 1u) << last_create_.dump();
  const json& candidate = last_create_["possible_duplicates"][0];
  EXPECT_EQ(candidate["id"], first);
  EXPECT_NEAR(candidate["distance_m"].get<double>(), 111.2, 0.5);
  EXPECT_EQ(candidate["minutes_apart"], 5.0);
  EXPECT_EQ(candidate["type"], "theft");
  // Far away: not offered.
  report("theft", "2025-07-03T10:06:00", 36.6300, 117.1200);
  EXPECT_EQ(last_create_["possible_duplicates"], json::array());

  JsonResponse d = get(fmt::format("/api/incidents/{}/duplicates", first));
  ASSERT_EQ(d.status, 200) << d.raw;
  ASSERT_EQ(d.body["items"].size(), 1u);
  EXPECT_EQ(d.body["items"][0]["id"], second);

  const std::string stats = "/api/stats?from=2025-07-01&to=2025-08-01";
  ASSERT_EQ(get(stats).body["total"], 3);
  JsonResponse m = post(fmt::format("/api/incidents/{}/merge", second), json{{"into", first}});
  ASSERT_EQ(m.status, 200) << m.raw;
  EXPECT_EQ(m.body["merged_into"], first);
  EXPECT_EQ(get(stats).body["total"], 2);
  EXPECT_EQ(get("/api/stats/response?from=2025-07-01&to=2025-08-01").body["total"]["current"]["incidents"], 2);
  // Both calls stay visible.
  EXPECT_EQ(get("/api/incidents?from=2025-07-01&to=2025-08-01").body["total"], 3);
  JsonResponse survivor = get(fmt::format("/api/incidents/{}", first));
  ASSERT_EQ(survivor.body["merged_calls"].size(), 1u);
  EXPECT_EQ(survivor.body["merged_calls"][0]["id"], second);
  EXPECT_EQ(get(fmt::format("/api/incidents/{}", second)).body["merged_into"], first);
  JsonResponse events = get(fmt::format("/api/incidents/{}/events", second));
  EXPECT_EQ(events.body["items"].back()["note"], fmt::format("merged into #{}", first));
  // The surviving incident takes no duplicates from the merged call any more, and refusals.
  EXPECT_EQ(post(fmt::format("/api/incidents/{}/merge", second), json{{"into", first}}).status, 409);
  EXPECT_EQ(post(fmt::format("/api/incidents/{}/merge", first), json{{"into", first}}).status, 400);
  EXPECT_EQ(post(fmt::format("/api/incidents/{}/merge", first), json{{"into", second}}).status, 409);
  EXPECT_EQ(post(fmt::format("/api/incidents/{}/merge", first), json{{"into", "x"}}).status, 400);
  EXPECT_EQ(post(fmt::format("/api/incidents/{}/merge", first), json{{"into", 1}, {"why", 2}}).status, 400);
}

}  // namespace
}  // namespace pingan::testing
