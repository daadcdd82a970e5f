// Creating, reading, listing and moving incidents through the HTTP API.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

#include "http_test_support.h"

namespace pingan::testing {
namespace {

using nlohmann::json;

class HttpIncidentsTest : public HttpServerTest {
 protected:
  void SetUp() override {
    HttpServerTest::SetUp();
    load_units();
  }
  // Creates an incident and returns its JSON; fails the test unless 201.
  json create(json body) {
    JsonResponse r = post("/api/incidents", body);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body;
  }
  json move(std::int64_t id, json body) {
    JsonResponse r = post("/api/incidents/" + std::to_string(id) + "/transition", body);
    EXPECT_EQ(r.status, 200) << body.dump() << " -> " << r.raw;
    return r.body;
  }
  std::set<std::int64_t> ids_of(const JsonResponse& r) {
    std::set<std::int64_t> ids;
    for (const auto& item : r.body.at("items")) ids.insert(item.at("id").get<std::int64_t>());
    return ids;
  }
};

TEST_F(HttpIncidentsTest, CreateReturnsTheStoredIncidentWithNamesAndLocalTimes) {
  JsonResponse r = post("/api/incidents", json{{"type", "theft"},
                                               {"reported_at", "2024-06-01T00:30:00Z"},
                                               {"location", {{"lat", 36.62}, {"lon", 117.12}}},
                                               {"address", "泉城路 188 号"},
                                               {"reporter_phone", "13800138000"},
                                               {"description", "群众报警称电动车被盗"},
                                               {"source_id", "110-0001"}});
  ASSERT_EQ(r.status, 201) << r.raw;
  EXPECT_EQ(r.content_type, "application/json; charset=utf-8");
  const json& inc = r.body;
  EXPECT_EQ(r.location, "/api/incidents/" + std::to_string(inc["id"].get<int>()));
  EXPECT_GT(inc["id"].get<int>(), 0);
  // UTC input, Asia/Shanghai output.
  EXPECT_EQ(inc["reported_at"], "2024-06-01T08:30:00+08:00");
  EXPECT_EQ(inc["times"]["received_at"], "2024-06-01T08:30:00+08:00");
  EXPECT_TRUE(inc["times"]["dispatched_at"].is_null());
  EXPECT_EQ(inc["class"], (json{{"code", "criminal"}, {"name_zh", "刑事"}}));
  EXPECT_EQ(inc["type"]["code"], "theft");
  EXPECT_EQ(inc["type"]["name_zh"], "盗窃");
  EXPECT_EQ(inc["status"], "received");
  EXPECT_EQ(inc["status_zh"], "接警");
  // The deepest unit whose boundary holds the point.
  EXPECT_EQ(inc["unit"], "JN-S01-C01");
  EXPECT_EQ(inc["unit_name"], "泉城路社区");
  EXPECT_EQ(inc["source"], "api");
  EXPECT_EQ(inc["source_id"], "110-0001");
  EXPECT_EQ(inc["address"], "泉城路 188 号");
  EXPECT_DOUBLE_EQ(inc["location"]["lat"].get<double>(), 36.62);
  EXPECT_TRUE(inc["followup"].is_null());
  EXPECT_EQ(inc["voided"], false);

  JsonResponse got = get(r.location);
  ASSERT_EQ(got.status, 200) << got.raw;
  // The create answer adds the duplicate candidates of that moment to the record.
  EXPECT_EQ(inc["possible_duplicates"], json::array());
  json stored = inc;
  stored.erase("possible_duplicates");
  EXPECT_EQ(got.body, stored);
}

TEST_F(HttpIncidentsTest, ReportedAtDefaultsToNowAndNaiveTimesAreBureauLocal) {
  const Timestamp before = now_utc();
  json now_inc = create({{"type", "noise"}});
  auto parsed = parse_iso8601(now_inc["reported_at"].get<std::string>());
  ASSERT_TRUE(parsed.ok());
  EXPECT_GE(*parsed, before);
  EXPECT_LE(*parsed, now_utc());

  json naive = create({{"type", "noise"}, {"reported_at", "2024-06-01 08:30"}});
  EXPECT_EQ(naive["reported_at"], "2024-06-01T08:30:00+08:00");
  // Outside every boundary and no unit given: no unit.
  json nowhere = create({{"type", "noise"}, {"location", {{"lat", 10.0}, {"lon", 10.0}}}});
  EXPECT_TRUE(nowhere["unit"].is_null());
  EXPECT_FALSE(nowhere.contains("unit_name"));
  json given = create({{"type", "noise"}, {"unit", "JN-S02"}});
  EXPECT_EQ(given["unit"], "JN-S02");
}

TEST_F(HttpIncidentsTest, ListFiltersByUnitClassTypeStatusTimeAndBox) {
  auto a = create({{"type", "theft"},
                   {"reported_at", "2024-06-01T08:00:00+08:00"},
                   {"location", {{"lat", 36.62}, {"lon", 117.12}}}})["id"]
               .get<std::int64_t>();  // C01
  auto b = create({{"type", "burglary"},
                   {"reported_at", "2024-06-02T08:00:00+08:00"},
                   {"location", {{"lat", 36.68}, {"lon", 117.17}}}})["id"]
               .get<std::int64_t>();  // S01
  auto c = create({{"type", "family_dispute"},
                   {"reported_at", "2024-06-03T08:00:00+08:00"},
                   {"location", {{"lat", 36.65}, {"lon", 117.25}}}})["id"]
               .get<std::int64_t>();  // S02
  auto d = create({{"type", "traffic_accident"},
                   {"reported_at", "2024-07-01T08:00:00+08:00"},
                   {"location", {{"lat", 36.66}, {"lon", 117.26}}}})["id"]
               .get<std::int64_t>();  // S02
  move(b, {{"to", "dispatched"}, {"at", "2024-06-02T08:05:00+08:00"}});

  auto ids = [&](const std::string& query) {
    JsonResponse r = get("/api/incidents" + query);
    EXPECT_EQ(r.status, 200) << query << " -> " << r.raw;
    if (r.status != 200) return std::set<std::int64_t>{};
    EXPECT_EQ(r.body["total"].get<std::int64_t>(), std::int64_t(r.body["items"].size())) << query;
    return ids_of(r);
  };
  using Ids = std::set<std::int64_t>;
  EXPECT_EQ(ids(""), (Ids{a, b, c, d}));
  EXPECT_EQ(ids("?unit=JN"), (Ids{a, b, c, d}));
  EXPECT_EQ(ids("?unit=JN-S01"), (Ids{a, b}));
  EXPECT_EQ(ids("?unit=JN-S01-C01"), (Ids{a}));
  EXPECT_EQ(ids("?unit=JN-S02"), (Ids{c, d}));
  EXPECT_EQ(ids("?class=criminal"), (Ids{a, b}));
  EXPECT_EQ(ids("?class=dispute,traffic"), (Ids{c, d}));
  EXPECT_EQ(ids("?type=burglary"), (Ids{b}));
  EXPECT_EQ(ids("?type=theft,traffic_accident"), (Ids{a, d}));
  EXPECT_EQ(ids("?status=dispatched"), (Ids{b}));
  EXPECT_EQ(ids("?status=received,dispatched"), (Ids{a, b, c, d}));
  EXPECT_EQ(ids("?from=2024-06-02&to=2024-06-03"),
            (Ids{b}));  // bare dates: local midnight; `to` exclusive
  EXPECT_EQ(ids("?from=2024-06-02T00:00:00%2B08:00"), (Ids{b, c, d}));
  EXPECT_EQ(ids("?to=2024-06-01T00:00:01Z"), (Ids{a}));
  EXPECT_EQ(ids("?bbox=117.2,36.6,117.3,36.7"), (Ids{c, d}));
  EXPECT_EQ(ids("?bbox=117.11,36.61,117.13,36.63"), (Ids{a}));
  EXPECT_EQ(ids("?unit=JN-S02&class=dispute"), (Ids{c}));
  EXPECT_EQ(ids("?unit=JN-S01&type=theft&status=dispatched"), (Ids{}));
}

TEST_F(HttpIncidentsTest, ListPagesWithLimitAndOffsetAndReportsTheTotal) {
  std::set<std::int64_t> all;
  for (int i = 0; i < 7; ++i)
    all.insert(create({{"type", "theft"},
                       {"reported_at", fmt::format("2024-06-01T08:{:02}:00+08:00", i)}})["id"]
                   .get<std::int64_t>());
  std::set<std::int64_t> seen;
  std::vector<std::string> times;
  for (int offset = 0; offset < 9; offset += 3) {
    JsonResponse r = get(fmt::format("/api/incidents?limit=3&offset={}", offset));
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.body["total"], 7);
    EXPECT_EQ(r.body["limit"], 3);
    EXPECT_EQ(r.body["offset"], offset);
    EXPECT_EQ(r.body["items"].size(), offset == 6 ? 1u : 3u);
    for (const auto& item : r.body["items"]) {
      EXPECT_TRUE(seen.insert(item["id"].get<std::int64_t>()).second) << "an incident on two pages";
      times.push_back(item["reported_at"]);
    }
  }
  EXPECT_EQ(seen, all);
  // Newest first, across pages.
  EXPECT_TRUE(std::is_sorted(times.rbegin(), times.rend()))
      << fmt::format("{}", fmt::join(times, " "));
  JsonResponse beyond = get("/api/incidents?offset=100");
  ASSERT_EQ(beyond.status, 200);
  EXPECT_EQ(beyond.body["items"].size(), 0u);
  EXPECT_EQ(beyond.body["total"], 7);
  EXPECT_EQ(get("/api/incidents").body["limit"], 100);
}

TEST_F(HttpIncidentsTest, WholeLifecycleWithTheFollowUpLoopAndItsHistory) {
  json inc = create({{"type", "neighbour_dispute"}, {"reported_at", "2024-06-01T08:00:00+08:00"}});
  const auto id = inc["id"].get<std::int64_t>();
  json r = move(id, {{"to", "dispatched"},
                     {"at", "2024-06-01T08:01:00+08:00"},
                     {"note", "派 1 号车"}});
  EXPECT_EQ(r["status"], "dispatched");
  EXPECT_EQ(r["status_zh"], "派警");
  EXPECT_EQ(r["times"]["dispatched_at"], "2024-06-01T08:01:00+08:00");
  r = move(id, {{"to", "arrived"}, {"at", "2024-06-01T08:04:00+08:00"}});
  EXPECT_EQ(r["times"]["arrived_at"], "2024-06-01T08:04:00+08:00");
  r = move(id, {{"to", "handled"}, {"at", "2024-06-01 08:30"}});  // naive: bureau time
  EXPECT_EQ(r["times"]["handled_at"], "2024-06-01T08:30:00+08:00");
  // 评估-派单: a remaining risk tasks a community officer.
  r = move(id, {{"to", "followup"},
                {"at", "2024-06-01T09:00:00+08:00"},
                {"assignee", "社区民警 李"},
                {"deadline", "2024-06-03T18:00:00+08:00"},
                {"note", "双方仍有积怨, 需回访"}});
  EXPECT_EQ(r["status"], "followup");
  EXPECT_EQ(r["followup"], (json{{"assignee", "社区民警 李"},
                                 {"deadline", "2024-06-03T18:00:00+08:00"},
                                 {"assessment", "双方仍有积怨, 需回访"}}));
  r = move(id, {{"to", "fed_back"}, {"at", "2024-06-02T10:00:00+08:00"}});
  EXPECT_EQ(r["times"]["fed_back_at"], "2024-06-02T10:00:00+08:00");
  // Verification fails: the task goes back with a new deadline, and the
  // previous feedback is cleared.
  r = move(id, {{"to", "followup"},
                {"at", "2024-06-02T11:00:00+08:00"},
                {"assignee", "社区民警 李"},
                {"deadline", "2024-06-05T18:00:00+08:00"}});
  EXPECT_EQ(r["followup"]["deadline"], "2024-06-05T18:00:00+08:00");
  EXPECT_TRUE(r["times"]["fed_back_at"].is_null());
  r = move(id, {{"to", "fed_back"}, {"at", "2024-06-04T10:00:00+08:00"}});
  r = move(id, {{"to", "verified"}, {"at", "2024-06-04T15:00:00+08:00"}});
  r = move(id, {{"to", "closed"}, {"at", "2024-06-04T16:00:00+08:00"}});
  EXPECT_EQ(r["status"], "closed");
  EXPECT_EQ(r["status_zh"], "办结");
  EXPECT_EQ(r["times"]["closed_at"], "2024-06-04T16:00:00+08:00");
  EXPECT_EQ(get("/api/incidents/" + std::to_string(id)).body, r);

  JsonResponse events = get("/api/incidents/" + std::to_string(id) + "/events");
  ASSERT_EQ(events.status, 200) << events.raw;
  EXPECT_EQ(events.body["incident_id"], id);
  const json& items = events.body["items"];
  std::vector<std::string> path;
  for (const auto& ev : items) path.push_back(ev["to"]);
  EXPECT_EQ(path,
            (std::vector<std::string>{"received", "dispatched", "arrived", "handled", "followup",
                                      "fed_back", "followup", "fed_back", "verified", "closed"}));
  ASSERT_EQ(items.size(), 10u);
  EXPECT_TRUE(items[0]["from"].is_null());
  for (size_t i = 0; i < items.size(); ++i) {
    EXPECT_EQ(items[i]["seq"], i + 1);
    if (i > 0) {
      EXPECT_EQ(items[i]["from"], items[i - 1]["to"]);
    }
  }
  // The signed-in caller (the fixture's API token), never a body's claim.
  EXPECT_EQ(items[1]["actor"], "tester (token tests)");
  EXPECT_EQ(items[1]["note"], "派 1 号车");
  EXPECT_EQ(items[1]["at"], "2024-06-01T08:01:00+08:00");
  EXPECT_EQ(items[1]["from_zh"], "接警");
  EXPECT_EQ(items[1]["to_zh"], "派警");
  EXPECT_EQ(items[2]["actor"], "tester (token tests)");
}

TEST_F(HttpIncidentsTest, CallSettledByPhoneGoesStraightToHandled) {
  auto id = create({{"type", "help_other"}, {"reported_at", "2024-06-01T08:00:00+08:00"}})["id"]
                .get<std::int64_t>();
  json r = move(id, {{"to", "handled"}, {"at", "2024-06-01T08:03:00+08:00"}});
  EXPECT_TRUE(r["times"]["dispatched_at"].is_null());
  r = move(id, {{"to", "closed"}, {"at", "2024-06-01T08:04:00+08:00"}});
  EXPECT_EQ(r["status"], "closed");
}

}  // namespace
}  // namespace pingan::testing
