// The dispatch desk over HTTP: units in, positions in, a recommendation, a
// dispatch (and the 409 naming the busy unit), arrival and clearing, tracks.

#include <fmt/format.h>

#include <cctype>
#include <random>

#include "http_test_support.h"

namespace pingan::testing {
namespace {

using nlohmann::json;

class HttpDispatchTest : public HttpServerTest {
 protected:
  void SetUp() override {
    HttpServerTest::SetUp();
    load_units();
    JsonResponse r = post("/api/patrol-units", json::parse(R"([
      {"call_sign":"泉城-巡1","kind":"car","station":"JN-S01","crew_size":2,"status":"available"},
      {"call_sign":"泉城-巡2","kind":"car","station":"JN-S01","status":"available"},
      {"call_sign":"大明湖-步1","kind":"foot","station":"JN-S02","status":"available"},
      {"call_sign":"快反1","kind":"car","station":"JN","roles":["rapid"],"crew_size":4}
    ])"));
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.body["upserted"], 4);
  }
  std::string at(int minutes) const { return format_utc(base_ + minutes * 60); }
  static std::string escape(const std::string& call_sign) {
    std::string out;
    for (unsigned char c : call_sign) out += std::isalnum(c) || c == '-' ? std::string(1, char(c)) : fmt::format("%{:02X}", c);
    return out;
  }
  const Timestamp base_ = now_utc() / 60 * 60 - 7200;
};

TEST_F(HttpDispatchTest, PositionsRecommendationDispatchArrivalAndClearing) {
  JsonResponse pos = post("/api/positions", json{{"reports",
                                                  {{{"call_sign", "泉城-巡1"}, {"at", at(0)}, {"lat", 36.655}, {"lon", 117.15}},
                                                   {{"call_sign", "泉城-巡2"}, {"at", at(0)}, {"lat", 36.690}, {"lon", 117.15}},
                                                   {{"call_sign", "大明湖-步1"}, {"at", at(0)}, {"lat", 36.651}, {"lon", 117.15}},
                                                   {{"call_sign", "无此车"}, {"at", at(0)}, {"lat", 36.65}, {"lon", 117.15}},
                                                   {{"call_sign", "泉城-巡1"}, {"at", at(0)}, {"lat", 36.65}, {"lon", 117.15}},
                                                   {{"call_sign", "泉城-巡2"}, {"lat", 36.65}, {"lon", 117.15}}}}});
  ASSERT_EQ(pos.status, 200) << pos.raw;
  EXPECT_EQ(pos.body["accepted"], 3);
  ASSERT_EQ(pos.body["refused"].size(), 3u) << pos.raw;
  EXPECT_EQ(pos.body["refused"][0]["reason"], "unknown_unit");
  EXPECT_EQ(pos.body["refused"][1]["reason"], "duplicate");
  EXPECT_EQ(pos.body["refused"][2]["index"], 5);
  EXPECT_EQ(pos.body["refused"][2]["reason"], "invalid");
  JsonResponse health = get("/api/health");
  EXPECT_EQ(health.body["positions"]["accepted"], 3);
  EXPECT_EQ(health.body["positions"]["refused"]["duplicate"], 1);
  EXPECT_EQ(health.body["positions"]["refused"]["unknown_unit"], 1);
  EXPECT_EQ(health.body["positions"]["refused"]["too_fast"], 0);

  // The off-duty rapid team is listed but not offered.
  JsonResponse list = get("/api/patrol-units?unit=JN-S01");
  ASSERT_EQ(list.status, 200) << list.raw;
  EXPECT_EQ(list.body["total"], 2);
  EXPECT_EQ(get("/api/patrol-units?status=off_duty").body["items"][0]["call_sign"], "快反1");

  JsonResponse created = post("/api/incidents", json{{"type", "robbery"},
                                                     {"reported_at", at(1)},
                                                     {"location", {{"lat", 36.650}, {"lon", 117.15}}},
                                                     {"description", "持刀抢劫"}});
  ASSERT_EQ(created.status, 201) << created.raw;
  const std::string id = std::to_string(created.body["id"].get<std::int64_t>());
  JsonResponse rec = get("/api/incidents/" + id + "/recommendation");
  ASSERT_EQ(rec.status, 200) << rec.raw;
  ASSERT_EQ(rec.body["units"].size(), 2u) << rec.raw;  // two cars; the rapid team is off duty
  EXPECT_EQ(rec.body["units"][0]["call_sign"], "泉城-巡1");
  EXPECT_EQ(rec.body["units"][1]["call_sign"], "泉城-巡2");
  ASSERT_EQ(rec.body["unmet"].size(), 1u);
  EXPECT_EQ(rec.body["run_card"]["type"], "robbery");

  JsonResponse sent = post("/api/incidents/" + id + "/dispatch", json{{"units", {"泉城-巡1"}}, {"at", at(2)}});
  ASSERT_EQ(sent.status, 200) << sent.raw;
  EXPECT_EQ(sent.body["incident_status"], "dispatched");
  EXPECT_EQ(sent.body["units"][0]["status"], "en_route");
  JsonResponse again = post("/api/incidents/" + id + "/dispatch", json{{"units", {"泉城-巡2", "泉城-巡1"}}, {"at", at(2)}});
  ASSERT_EQ(again.status, 409) << again.raw;
  EXPECT_EQ(again.body["error"]["field"], "units");
  EXPECT_NE(again.body["error"]["message"].get<std::string>().find("泉城-巡1"), std::string::npos);
  EXPECT_EQ(get("/api/patrol-units/" + escape("泉城-巡2")).body["status"], "available");

  JsonResponse arrived = post("/api/patrol-units/" + escape("泉城-巡1") + "/arrive", json{{"at", at(5)}});
  ASSERT_EQ(arrived.status, 200) << arrived.raw;
  EXPECT_EQ(arrived.body["status"], "on_scene");
  JsonResponse incident = get("/api/incidents/" + id);
  EXPECT_EQ(incident.body["status"], "arrived");
  EXPECT_EQ(post("/api/patrol-units/" + escape("泉城-巡1") + "/arrive", json{{"at", at(6)}}).status, 409);
  JsonResponse cleared = post("/api/patrol-units/" + escape("泉城-巡1") + "/clear", json{{"at", at(30)}});
  ASSERT_EQ(cleared.status, 200) << cleared.raw;
  EXPECT_EQ(cleared.body["status"], "available");
  EXPECT_EQ(cleared.body["assignment"], nullptr);

  JsonResponse off = post("/api/patrol-units/" + escape("泉城-巡2") + "/duty", json{{"on_duty", false}});
  ASSERT_EQ(off.status, 200) << off.raw;
  EXPECT_EQ(off.body["status"], "off_duty");
  EXPECT_EQ(get("/api/patrol-units/" + escape("nobody")).status, 404);

  JsonResponse track = get(fmt::format("/api/patrol-units/{}/track?from={}&until={}", escape("泉城-巡1"),
                                       escape(at(-10)), escape(at(60))));
  ASSERT_EQ(track.status, 200) << track.raw;
  ASSERT_EQ(track.body["items"].size(), 1u);
  EXPECT_DOUBLE_EQ(track.body["items"][0]["lat"].get<double>(), 36.655);
}

// Damaged batches (bytes flipped, cut short, types swapped) get 200 with
// refusals or a 400 naming the problem, never a 500, and the server goes on.
TEST_F(HttpDispatchTest, DamagedPositionBatchesAreAnsweredNeverCrash) {
  const std::string good = json{{"reports",
                                 {{{"call_sign", "泉城-巡1"}, {"at", at(0)}, {"lat", 36.655}, {"lon", 117.15}, {"speed_kmh", 20}},
                                  {{"call_sign", "泉城-巡2"}, {"at", at(0)}, {"lat", 36.690}, {"lon", 117.15}}}}}
                               .dump();
  std::mt19937 rng(5);
  auto c = client();
  int answered = 0;
  for (int round = 0; round < 300; ++round) {
    std::string body = good;
    switch (round % 3) {
      case 0:  // flip a few bytes
        for (int k = 0; k < 3; ++k) body[rng() % body.size()] = char(rng() % 256);
        break;
      case 1:  // cut short
        body.resize(rng() % body.size());
        break;
      default: {  // a value of another type where a number or string belongs
        static const char* swaps[] = {"\"x\"", "null", "[]", "{}", "1e999", "-0", "true"};
        const std::string key = round % 2 ? "\"lat\":" : "\"at\":";
        const auto pos = body.find(key);
        const auto end = body.find_first_of(",}", pos + key.size());
        body.replace(pos + key.size(), end - pos - key.size(), swaps[rng() % 7]);
      }
    }
    auto r = c->Post("/api/positions", body, "application/json");
    ASSERT_TRUE(r) << "no answer to " << body;
    ASSERT_TRUE(r->status == 200 || r->status == 400) << r->status << " for " << body << ": " << r->body;
    auto answer = json::parse(r->body, nullptr, false);
    ASSERT_FALSE(answer.is_discarded()) << r->body;
    if (r->status == 200) {
      EXPECT_EQ(answer["accepted"].get<int>() + int(answer["refused"].size()), 2) << body;
      ++answered;
    }
  }
  EXPECT_GT(answered, 0);
  EXPECT_EQ(get("/api/health").status, 200);
}

}  // namespace
}  // namespace pingan::testing
