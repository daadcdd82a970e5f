// Cost caps and deadlines of the analytics routes (analytics/request_cost.h,
// core/deadline.h), end to end: a request over its budget is refused at once
// with 400 naming the parameter to narrow and by how much, and the advice it
// gives is enough; a request within its budget runs; a computation that
// outlives the server's time limit is answered 503 long before it would
// have finished.

#include <fmt/format.h>

#include <chrono>
#include <random>
#include <regex>

#include "analytics/getis_ord.h"
#include "analytics/hotspot.h"
#include "analytics/incident_index.h"
#include "http_test_support.h"

namespace pingan::testing {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The whole number after `prefix` in an error message ("use cell of at least 36").
double advised(const std::string& message, const std::string& prefix) {
  std::smatch m;
  if (!std::regex_search(message, m, std::regex(prefix + " ([0-9]+)"))) return -1;
  return std::stod(m[1]);
}

// 400 incidents over the two stations of load_units() (a 18 x 11 km
// district) in September 2025.
void seed_incidents(Engine& engine) {
  const TimeZone& zone = engine.time_zone();
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> lat(36.601, 36.699), lon(117.101, 117.299);
  std::vector<Incident> batch;
  for (int i = 0; i < 400; ++i) {
    Incident inc;
    inc.source = "test";
    inc.source_id = std::to_string(i);
    inc.type_code = i % 3 == 0 ? "burglary" : "theft";
    inc.reported_at = zone.to_utc(CivilTime{2025, 9, 1 + i % 30, i % 24, 0, 0});
    inc.location = GeoPoint{lat(rng), lon(rng)};
    inc.unit_code = inc.location->lon < 117.2 ? "JN-S01" : "JN-S02";
    batch.push_back(inc);
  }
  auto r = engine.insert_batch(batch);
  ASSERT_TRUE(r.ok()) << r.error().describe();
}

class CostCapsTest : public HttpServerTest {
 protected:
  void SetUp() override {
    HttpServerTest::SetUp();
    load_units();
    seed_incidents(*engine_);
  }

  // Expects a 400 naming `field` in well under a second; returns the message.
  std::string refused(const std::string& path, const std::string& field) const {
    const auto start = Clock::now();
    JsonResponse r = get(path);
    const double took = seconds_since(start);
    EXPECT_EQ(r.status, 400) << path << " " << r.raw;
    EXPECT_EQ(r.body["error"]["code"], "invalid_argument") << r.raw;
    EXPECT_EQ(r.body["error"]["field"], field) << path << " " << r.raw;
    EXPECT_LT(took, 2.0) << path << ": a refusal is priced, not computed";
    return r.body["error"]["message"].is_string() ? r.body["error"]["message"].get<std::string>() : "";
  }
};

constexpr const char* kSeptember = "&from=2025-09-01&to=2025-10-01";

TEST_F(CostCapsTest, TheHalfMinuteGiStarIsRefusedAtOnceNamingTheCell) {
  // Today's 31-second request: 2e6 cells of 10 m, each visiting the 7,845
  // cells within 500 m.
  const std::string message = refused(std::string("/api/hotspots?cell=10&band=500&method=gistar") + kSeptember,
                                      "cell");
  EXPECT_NE(message.find("cell=10 with band=500 needs 1.6e10 neighbour visits"), std::string::npos) << message;
  EXPECT_NE(message.find("the limit is 2e8"), std::string::npos) << message;
  // The advice is enough: the cell it names answers.
  const double cell = advised(message, "use cell of at least");
  ASSERT_GT(cell, 10) << message;
  JsonResponse ok = get(fmt::format("/api/hotspots?cell={}&band=500&method=gistar{}", cell, kSeptember));
  EXPECT_EQ(ok.status, 200) << ok.raw;
  EXPECT_EQ(ok.body["meta"]["incidents"], 400);
}

TEST_F(CostCapsTest, ANarrowerBandIsOfferedWhenTheGridFitsAndItIsEnough) {
  // 20 m cells fit (5e5 of them), but 500 m is 1,961 neighbours each.
  const std::string message = refused(std::string("/api/hotspots?cell=20&band=500&method=gistar") + kSeptember,
                                      "cell");
  const double band = advised(message, "a band of at most");
  ASSERT_GE(band, 20) << message;
  ASSERT_LT(band, 500) << message;
  JsonResponse ok = get(fmt::format("/api/hotspots?cell=20&band={}&method=gistar{}", band, kSeptember));
  EXPECT_EQ(ok.status, 200) << ok.raw;
  EXPECT_EQ(ok.body["meta"]["band_m"], band);
}

TEST_F(CostCapsTest, ARequestJustWithinTheBudgetRuns) {
  // 20 m cells: the grid over both stations is just under 5e5 cells and a
  // band of 220 m (11 cells) visits 377 neighbours: 1.9e8 visits, under 2e8;
  // 240 m (12 cells, 441 neighbours) is over.
  ASSERT_EQ(analytics::gi_star_neighbour_count(220, 20), 377);
  ASSERT_EQ(analytics::gi_star_neighbour_count(240, 20), 441);
  JsonResponse ok = get(std::string("/api/hotspots?cell=20&band=220&method=gistar") + kSeptember);
  ASSERT_EQ(ok.status, 200) << ok.raw;
  EXPECT_EQ(ok.body["meta"]["incidents"], 400);
  refused(std::string("/api/hotspots?cell=20&band=240&method=gistar") + kSeptember, "cell");
  // The default 150 m map is far inside every budget.
  EXPECT_EQ(get(std::string("/api/hotspots?method=gistar") + kSeptember).status, 200);
  EXPECT_EQ(get(std::string("/api/hotspots?method=kde&bandwidth=2000") + kSeptember).status, 200);
}

TEST_F(CostCapsTest, AWideKernelOnFineCellsIsRefusedNamingTheBandwidth) {
  // 20 m cells, a quartic kernel of 5 km: 501 x 501 cells per incident and
  // tables of 225 x 25 x 501^2 samples.
  const std::string message =
      refused(std::string("/api/hotspots?method=kde&kernel=quartic&cell=20&bandwidth=5000") + kSeptember,
              "bandwidth");
  const double bandwidth = advised(message, "use a bandwidth of at most");
  ASSERT_GT(bandwidth, 0) << message;
  JsonResponse ok = get(fmt::format("/api/hotspots?method=kde&kernel=quartic&cell=20&bandwidth={}{}", bandwidth,
                                    kSeptember));
  EXPECT_EQ(ok.status, 200) << ok.raw;
}

TEST_F(CostCapsTest, AForecastOverItsBudgetIsRefusedAndItsAdviceIsEnough) {
  // 20 m cells: 6.5e5 cells, each scored in 91 day windows to tune the model.
  const std::string message = refused("/api/forecast?cell=20&at=2025-09-30", "cell");
  EXPECT_NE(message.find("91 windows"), std::string::npos) << message;
  EXPECT_NE(message.find("the limit is 2e7"), std::string::npos) << message;
  const double cell = advised(message, "use cell of at least");
  ASSERT_GT(cell, 20) << message;
  JsonResponse ok = get(fmt::format("/api/forecast?cell={}&at=2025-09-30&limit=5", cell));
  EXPECT_EQ(ok.status, 200) << ok.raw;
  // The default forecast is far inside.
  EXPECT_EQ(get("/api/forecast?at=2025-09-30&limit=5").status, 200);
}

TEST_F(CostCapsTest, APatrolPlanOfOneHourShiftsIsRefusedWithLongerShiftsOffered) {
  // One-hour windows: 2,184 of them in 91 days over 1.2e4 cells of 150 m.
  const std::string message =
      refused("/api/patrol/suggestions?hours=1&shift_start=2025-10-01T08:00:00%2B08:00", "cell");
  const double hours = advised(message, "windows of at least");
  ASSERT_GE(hours, 2) << message;
  EXPECT_NE(message.find(" h (hours)"), std::string::npos) << message;
  JsonResponse ok =
      get(fmt::format("/api/patrol/suggestions?hours={}&shift_start=2025-10-01T08:00:00%2B08:00", hours));
  EXPECT_EQ(ok.status, 200) << ok.raw;
}

TEST_F(CostCapsTest, StatisticsOverTheirBudgetSayByHowMuchToNarrow) {
  // Every hour of a year by type: 8,760 buckets x the taxonomy's types.
  const std::string message = refused("/api/stats?from=2025-01-01&to=2026-01-01&bucket=hour&group_by=type", "bucket");
  EXPECT_NE(message.find("the limit is 200,000"), std::string::npos) << message;
  const double days = advised(message, "a period of at most");
  ASSERT_GE(days, 1) << message;
  ASSERT_LT(days, 365) << message;
  JsonResponse ok = get(fmt::format("/api/stats?from=2025-09-01T00:00:00&to=2025-09-{:02}T00:00:00&bucket=hour&group_by=type",
                                    1 + static_cast<int>(std::min(days, 29.0))));
  EXPECT_EQ(ok.status, 200) << ok.raw;
  // 1-3-5 lines: five years by day is 1,827 lines.
  const std::string lines = refused("/api/stats/response?from=2020-01-01&to=2025-01-01&group_by=day", "group_by");
  EXPECT_NE(lines.find("1,827 lines; the limit is 1,000"), std::string::npos) << lines;
  EXPECT_EQ(get("/api/stats/response?from=2024-01-01&to=2025-01-01&group_by=day").status, 200);
}

// --- the deadline ---

class DeadlineTest : public CostCapsTest {
 protected:
  void configure(HttpConfig& config) override { config.request_deadline_ms = 25; }
};

TEST_F(DeadlineTest, ALongComputationIsStoppedAtTheServersTimeLimit) {
  // The largest Gi* the budgets allow (ARequestJustWithinTheBudgetRuns),
  // timed on its own first, without a deadline.
  auto index = analytics::attach_index(*engine_);
  ASSERT_TRUE(index.ok()) << index.error().describe();
  analytics::HotspotRequest q;
  q.method = analytics::HotspotMethod::kGiStar;
  q.cell_m = 20;
  q.band_m = 220;
  q.filter.from = engine_->time_zone().to_utc(CivilTime{2025, 9, 1, 0, 0, 0});
  q.filter.until = engine_->time_zone().to_utc(CivilTime{2025, 10, 1, 0, 0, 0});
  q.budgets = analytics::CostBudgets::server();
  auto start = Clock::now();
  auto full = analytics::compute_hotspots(**index, q);
  const double full_s = seconds_since(start);
  ASSERT_TRUE(full.ok()) << full.error().describe();
  ASSERT_GT(full_s, 0.1) << "the computation must outlive the 25 ms limit by far for the test to mean anything";

  start = Clock::now();
  JsonResponse r = get(std::string("/api/hotspots?cell=20&band=220&method=gistar") + kSeptember);
  const double stopped_s = seconds_since(start);
  EXPECT_EQ(r.status, 503) << r.raw;
  EXPECT_EQ(r.body["error"]["code"], "unavailable") << r.raw;
  const std::string message = r.body["error"]["message"].is_string() ? r.body["error"]["message"].get<std::string>() : "";
  EXPECT_NE(message.find("ran past the server's time limit"), std::string::npos) << message;
  EXPECT_LT(stopped_s, full_s / 2) << "stopped after " << stopped_s << " s; the whole computation takes " << full_s;
  RecordProperty("whole_ms", static_cast<int>(full_s * 1000));
  RecordProperty("stopped_ms", static_cast<int>(stopped_s * 1000));
  // Quick requests still answer under the same limit.
  EXPECT_EQ(get("/api/health").status, 200);
}

}  // namespace
}  // namespace pingan::testing
