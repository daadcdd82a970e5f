// GET /api/stats and /api/stats/overview on a real server: counts follow
// the incidents posted through the API at once, the unit parameter narrows
// the scope, and mistakes come back as 400 naming the parameter.

#include <fmt/format.h>

#include "http_test_support.h"

namespace pingan::testing {
namespace {

using nlohmann::json;

class HttpStatsTest : public HttpServerTest {
 protected:
  // Posts an incident at a local time (Asia/Shanghai) inside a unit's box.
  std::int64_t report(const std::string& type, const std::string& local_time, double lon) {
    JsonResponse r = post("/api/incidents", json{{"type", type},
                                                 {"reported_at", local_time},
                                                 {"location", {{"lat", 36.62}, {"lon", lon}}}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", std::int64_t{0});
  }
  // Counts of the rows of a stats answer by "group/subgroup".
  static std::map<std::string, std::int64_t> by_group(const json& body) {
    std::map<std::string, std::int64_t> out;
    for (const json& row : body["rows"])
      out[row["group"].get<std::string>() + (row.contains("subgroup") ? "/" + row["subgroup"].get<std::string>() : "")] +=
          row["count"].get<std::int64_t>();
    return out;
  }
};

constexpr double kCommunityLon = 117.12;  // JN-S01-C01
constexpr double kStation1Lon = 117.17;   // JN-S01, outside its community
constexpr double kStation2Lon = 117.25;   // JN-S02

TEST_F(HttpStatsTest, CountsByUnitWithYearOnYearAndRanks) {
  load_units();
  report("theft", "2025-07-03T10:00:00", kCommunityLon);
  report("theft", "2025-07-04T10:00:00", kCommunityLon);
  report("fraud", "2025-07-05T23:59:59", kStation2Lon);
  report("theft", "2024-07-10T09:00:00", kStation2Lon);   // a year earlier
  report("theft", "2025-08-01T00:00:00", kStation1Lon);   // just after the period

  JsonResponse r = get("/api/stats?from=2025-07-01&to=2025-08-01&group_by=unit&compare=yoy");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["total"], 3);
  EXPECT_EQ(r.body["compare_total"], 1);
  EXPECT_EQ(r.body["change"], 2);
  EXPECT_EQ(r.body["change_pct"], 200.0);
  EXPECT_EQ(r.body["compare_from"], "2024-07-01T00:00:00+08:00");
  EXPECT_EQ(by_group(r.body), (std::map<std::string, std::int64_t>{{"JN-S01", 2}, {"JN-S02", 1}}));
  for (const json& row : r.body["rows"]) {
    if (row["group"] == "JN-S01") {
      EXPECT_EQ(row["rank"], 1);
      EXPECT_EQ(row["compare_count"], 0);
      EXPECT_TRUE(row["change_pct"].is_null());
    } else {
      EXPECT_EQ(row["rank"], 2);
      EXPECT_EQ(row["compare_count"], 1);
      EXPECT_EQ(row["change_pct"], 0.0);
    }
  }

  // unit narrows the scope: inside JN-S01 the groups are its community and
  // the station's own records.
  r = get("/api/stats?from=2025-07-01&to=2025-08-02&unit=JN-S01&group_by=unit&then_by=class");
  ASSERT_EQ(r.status, 200) << r.raw;
  auto groups = by_group(r.body);
  EXPECT_EQ(groups["JN-S01-C01/criminal"], 2);
  EXPECT_EQ(groups["JN-S01/criminal"], 1);  // 2025-08-01 00:00 on the station itself
  EXPECT_EQ(r.body["total"], 3);
}

TEST_F(HttpStatsTest, ATransitionChangesTheStatusCountsAtOnce) {
  load_units();
  const std::int64_t id = report("robbery", "2025-03-01T12:00:00", kCommunityLon);
  const std::string url = "/api/stats?from=2025-03-01&to=2025-03-02&group_by=status";
  auto received = [&] {
    JsonResponse r = get(url);
    EXPECT_EQ(r.status, 200) << r.raw;
    return by_group(r.body);
  };
  EXPECT_EQ(received()["received"], 1);
  JsonResponse t = post(fmt::format("/api/incidents/{}/transition", id), json{{"to", "dispatched"}});
  ASSERT_EQ(t.status, 200) << t.raw;
  auto after = received();
  EXPECT_EQ(after["received"], 0);
  EXPECT_EQ(after["dispatched"], 1);
}

TEST_F(HttpStatsTest, BucketsFollowTheLocalCalendar) {
  load_units();
  report("theft", "2025-05-31T23:30:00", kCommunityLon);  // 15:30 UTC, still 31 May in Jinan
  report("theft", "2025-06-01T00:30:00", kCommunityLon);
  JsonResponse r = get("/api/stats?from=2025-05-01&to=2025-07-01&bucket=month");
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_EQ(r.body["buckets"].size(), 2u);
  EXPECT_EQ(r.body["buckets"][1]["start"], "2025-06-01T00:00:00+08:00");
  EXPECT_EQ(r.body["rows"][0]["count"], 1);
  EXPECT_EQ(r.body["rows"][1]["count"], 1);
  r = get("/api/stats?from=2025-05-01&to=2025-07-01&bucket=hour_of_day");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["rows"][0]["count"], 1);   // 00:30
  EXPECT_EQ(r.body["rows"][23]["count"], 1);  // 23:30
  EXPECT_EQ(r.body["buckets"][23]["bin"], 23);
}

TEST_F(HttpStatsTest, OverviewGivesClassesWithBothComparisonsAndRanksUnits) {
  load_units();
  report("theft", "2025-07-03T10:00:00", kCommunityLon);
  report("affray", "2025-07-04T10:00:00", kStation2Lon);
  report("noise", "2025-07-05T10:00:00", kStation2Lon);
  report("noise", "2025-06-20T10:00:00", kStation2Lon);  // the previous 31 days
  report("theft", "2024-07-20T10:00:00", kStation1Lon);  // a year earlier
  JsonResponse r = get("/api/stats/overview?from=2025-07-01&to=2025-08-01");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["previous_from"], "2025-05-31T00:00:00+08:00");
  EXPECT_EQ(r.body["total"]["count"], 3);
  EXPECT_EQ(r.body["total"]["yoy_count"], 1);
  EXPECT_EQ(r.body["total"]["previous_count"], 1);
  std::map<std::string, json> classes;
  for (const json& c : r.body["classes"]) classes[c["code"]] = c;
  EXPECT_EQ(classes["criminal"]["count"], 2);  // theft and affray
  EXPECT_EQ(classes["criminal"]["yoy_count"], 1);
  EXPECT_EQ(classes["criminal"]["yoy_change_pct"], 100.0);
  EXPECT_EQ(classes["public_order"]["count"], 1);
  EXPECT_EQ(classes["public_order"]["previous_count"], 1);
  EXPECT_TRUE(classes["public_order"]["yoy_change_pct"].is_null());
  ASSERT_EQ(r.body["units"].size(), 2u);
  EXPECT_EQ(r.body["units"][0]["code"], "JN-S02");
  EXPECT_EQ(r.body["units"][0]["rank"], 1);
  EXPECT_EQ(r.body["units"][1]["code"], "JN-S01");
  EXPECT_EQ(r.body["units"][1]["yoy_count"], 1);
}

TEST_F(HttpStatsTest, MistakesAreRefusedNamingTheParameter) {
  load_units();
  auto field_of = [&](const std::string& url) {
    JsonResponse r = get(url);
    EXPECT_EQ(r.status, 400) << url << ": " << r.raw;
    return r.body["error"].value("field", "");
  };
  EXPECT_EQ(field_of("/api/stats?from=2025-07-01&to=2025-08-01&groupby=unit"), "groupby");
  EXPECT_EQ(field_of("/api/stats?from=2025-07-01&to=2025-08-01&group_by=station"), "group_by");
  EXPECT_EQ(field_of("/api/stats?from=2025-07-01&to=2025-08-01&bucket=fortnight"), "bucket");
  EXPECT_EQ(field_of("/api/stats?from=2025-07-01&to=2025-08-01&compare=mom"), "compare");
  EXPECT_EQ(field_of("/api/stats?from=2025-07-01&to=2025-08-01&class=felony"), "class");
  EXPECT_EQ(field_of("/api/stats?from=2025-07-01&to=2025-08-01&status=lost"), "status");
  EXPECT_EQ(field_of("/api/stats?from=2025-07-01&to=2025-08-01&unit=NOPE"), "unit");
  EXPECT_EQ(field_of("/api/stats?from=2025-08-01&to=2025-07-01"), "to");
  EXPECT_EQ(field_of("/api/stats?from=July&to=2025-08-01"), "from");
  EXPECT_EQ(field_of("/api/stats?from=2025-07-01&to=2025-08-01&then_by=type"), "then_by");
  EXPECT_EQ(field_of("/api/stats/overview?from=2025-07-01&to=2025-08-01&group_by=unit"), "group_by");
  // Without a period: the 28 whole days before today.
  JsonResponse r = get("/api/stats");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["buckets"][0]["end"].get<std::string>().substr(11), "00:00:00+08:00");
}

}  // namespace
}  // namespace pingan::testing
