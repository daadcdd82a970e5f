// 1-3-5 figures on real data: the San Luis Obispo police call log
// (../shared/data/slo-police-calls; SOURCE.txt: median received -> arrived
// about 10 minutes over the calls with an arrival). The report's figures are
// checked against a brute-force pass over the stored incidents.

#include <gtest/gtest.h>

#include <algorithm>

#include "analytics/response_index.h"
#include "analytics/response_stats.h"
#include "engine/engine.h"
#include "ingest/importer.h"
#include "store/store.h"
#include "test_support.h"
#include "shipped_settings.h"

namespace pingan::analytics {
namespace {

TEST(ResponseSloRealData, MedianCallToArrivalIsAboutTenMinutes) {
  testing::TempDir dir;
  auto opened = Engine::open(EngineConfig{dir.file("slo.db"), "", "America/Los_Angeles"});
  ASSERT_TRUE(opened.ok()) << opened.error().describe();
  Engine& engine = **opened;
  ingest::ImportOptions o{"slo", testing::shared_data_file("slo-police-calls/SLOPD_report.csv"),
                          dir.file("rejects.csv"), nullptr, ""};
  auto imported = ingest::import_incidents(engine, o);
  ASSERT_TRUE(imported.ok()) << imported.error().describe();
  ASSERT_GT(imported->imported, 18000);

  auto index = attach_response_index(engine);
  ASSERT_TRUE(index.ok()) << index.error().describe();
  auto standard = Result<analytics::ResponseStandard>(testing::shipped_settings().response_standard);
  ASSERT_TRUE(standard.ok()) << standard.error().describe();
  ResponseQuery q;
  q.from = engine.time_zone().to_utc(CivilTime{2021, 9, 1, 0, 0, 0});
  q.until = engine.time_zone().to_utc(CivilTime{2022, 4, 1, 0, 0, 0});
  q.group_by = ResponseGroup::kMonth;
  auto report = response_report(**index, *standard, *engine.units(), engine.time_zone(), q);
  ASSERT_TRUE(report.ok()) << report.error().describe();
  const ResponseFigures& f = report->total.current;
  const auto& arrival = f.durations[static_cast<std::size_t>(ResponseMetric::kCallToArrival)];
  const auto& dispatch = f.durations[static_cast<std::size_t>(ResponseMetric::kCallToDispatch)];
  std::printf("SLO %lld incidents, %lld responded; call->arrival median %.1f min, p90 %.1f min (%lld calls); "
              "call->dispatch median %.1f min; 1min %.2f%%, 3min %.2f%%, 5min %.2f%%\n",
              static_cast<long long>(f.incidents), static_cast<long long>(f.responded), *arrival.median_s / 60,
              *arrival.p90_s / 60, static_cast<long long>(arrival.count), *dispatch.median_s / 60,
              *f.marks[0].share_pct, *f.marks[1].share_pct, *f.marks[2].share_pct);
  // SOURCE.txt: 10 minutes median, 34 minutes at the 90th percentile.
  EXPECT_GE(*arrival.median_s, 8 * 60);
  EXPECT_LE(*arrival.median_s, 12 * 60);
  EXPECT_GE(*arrival.p90_s, 25 * 60);
  EXPECT_LE(*arrival.p90_s, 45 * 60);
  EXPECT_EQ(report->groups.size(), 7u);  // September 2021 .. March 2022

  // Brute force over the store: the same counts and median.
  std::vector<std::uint32_t> to_arrival;
  std::int64_t incidents = 0, responded = 0, within_5 = 0;
  ASSERT_TRUE(engine.scan_incidents([&](const Incident& inc) {
                    if (!inc.counts_in_statistics()) return;
                    ++incidents;
                    if (inc.times.dispatched_at || inc.times.arrived_at) ++responded;
                    if (inc.times.arrived_at) {
                      const auto s = static_cast<std::uint32_t>(*inc.times.arrived_at - inc.reported_at);
                      to_arrival.push_back(s);
                      if (s <= 300) ++within_5;
                    }
                  })
                  .ok());
  std::sort(to_arrival.begin(), to_arrival.end());
  EXPECT_EQ(f.incidents, incidents);
  EXPECT_EQ(f.responded, responded);
  EXPECT_EQ(arrival.count, static_cast<std::int64_t>(to_arrival.size()));
  EXPECT_DOUBLE_EQ(*arrival.median_s, *interpolated_quantile(to_arrival, 0.5));
  EXPECT_EQ(f.marks[2].met, within_5);
  // The month lines add up to the total.
  std::int64_t month_incidents = 0;
  for (const ResponseLine& m : report->groups) month_incidents += m.current.incidents;
  EXPECT_EQ(month_incidents, f.incidents);
}

}  // namespace
}  // namespace pingan::analytics
