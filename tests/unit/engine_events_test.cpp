// The analytics index learns of every change from the engine's events
// alone (issue 15): the St. Louis corrections an import voids while the
// index is attached, and a change of the unit tree with no incident written
// after it and no statistics request handing the tree over.

#include <gtest/gtest.h>

#include "analytics/incident_index.h"
#include "http_test_support.h"
#include "ingest/importer.h"
#include "ingest_test_support.h"

namespace pingan::testing {
namespace {

using nlohmann::json;

TEST(EngineEvents, StLouisCorrectionsImportedWhileTheIndexIsAttachedLeaveItEqualToTheStore) {
  TempDir dir;
  auto engine = open_test_engine(dir);
  ASSERT_NE(engine, nullptr);
  // As `pingan serve` does: the index is built and attached before any write.
  auto index = analytics::attach_index(*engine);
  ASSERT_TRUE(index.ok()) << index.error().describe();

  ingest::ImportOptions options;
  options.format = "stlouis";
  options.path = shared_data_file("stlouis-crimes/2015");  // twelve months, corrections across them
  options.rejects_path = dir.file("rejects.csv");
  auto report = ingest::import_incidents(*engine, options);
  ASSERT_TRUE(report.ok()) << report.error().describe();
  ASSERT_GT(report->corrections, 100);  // records voided after the index had counted them

  std::int64_t counted = 0, voided_by_correction = 0;
  ASSERT_TRUE(engine
                  ->scan_incidents([&](const Incident& inc) {
                    if (inc.counts_in_statistics()) ++counted;
                    else if (inc.voided && inc.void_reason != "unfounded") ++voided_by_correction;
                  })
                  .ok());
  EXPECT_EQ(voided_by_correction, report->corrections);
  EXPECT_EQ((*index)->size(), counted);

  // A count through the index's own query path agrees with the store too.
  IncidentFilter all;
  all.limit = 1;
  EXPECT_EQ(engine->list_incidents(all)->total, counted);
}

class UnitTreeEventsTest : public HttpServerTest {};

TEST_F(UnitTreeEventsTest, AChangedUnitTreeReachesTheIndexAndTheNextStatisticsAnswerWithoutAnyIncidentWritten) {
  load_units();
  for (const char* at : {"2025-07-03T10:00:00", "2025-07-04T10:00:00"})
    ASSERT_EQ(post("/api/incidents", json{{"type", "theft"},
                                          {"reported_at", at},
                                          {"location", {{"lat", 36.62}, {"lon", 117.12}}}})  // in JN-S01-C01
                  .status,
              201);
  const std::string stats = "/api/stats?from=2025-07-01&to=2025-08-01&group_by=unit";
  auto counts = [&] {
    JsonResponse r = get(stats);
    EXPECT_EQ(r.status, 200) << r.raw;
    std::map<std::string, std::int64_t> out;
    for (const json& row : r.body["rows"])
      if (row["count"].get<std::int64_t>() > 0) out[row["group"].get<std::string>()] = row["count"].get<std::int64_t>();
    return out;
  };
  EXPECT_EQ(counts(), (std::map<std::string, std::int64_t>{{"JN-S01", 2}}));

  // An index attached beside the server's, never asked a question: only the
  // engine's unit event can tell it.
  auto watcher = analytics::attach_index(*engine_);
  ASSERT_TRUE(watcher.ok());

  // The community moves to the other station; no incident is written.
  JsonResponse moved = post("/api/units", json::parse(R"([
      {"code":"JN-S01-C01","name":"泉城路社区","kind":"community","parent":"JN-S02"}])"));
  ASSERT_EQ(moved.status, 200) << moved.raw;

  const Unit* community = (*watcher)->units()->find("JN-S01-C01");
  ASSERT_NE(community, nullptr);
  EXPECT_EQ(community->parent_code, "JN-S02");
  EXPECT_EQ(counts(), (std::map<std::string, std::int64_t>{{"JN-S02", 2}}));
}

// The same through a running server: its statistics answer, built before
// the import, counts what the store counts after it.
TEST_F(UnitTreeEventsTest, TheServersStatisticsCountTheStoreAfterAnImportWithCorrections) {
  const std::string stats = "/api/stats?from=2014-12-01&to=2016-03-01";
  JsonResponse before = get(stats);  // builds and attaches the server's index
  ASSERT_EQ(before.status, 200) << before.raw;
  EXPECT_EQ(before.body["total"], 0);

  ingest::ImportOptions options;
  options.format = "stlouis";
  options.path = shared_data_file("stlouis-crimes/2015");
  options.rejects_path = dir_.file("rejects.csv");
  auto report = ingest::import_incidents(*engine_, options);
  ASSERT_TRUE(report.ok()) << report.error().describe();
  ASSERT_GT(report->corrections, 100);

  const Timestamp from = engine_->time_zone().to_utc(CivilTime{2014, 12, 1, 0, 0, 0});
  const Timestamp until = engine_->time_zone().to_utc(CivilTime{2016, 3, 1, 0, 0, 0});
  std::int64_t counted = 0;
  ASSERT_TRUE(engine_
                  ->scan_incidents([&](const Incident& inc) {
                    if (inc.counts_in_statistics() && inc.reported_at >= from && inc.reported_at < until) ++counted;
                  })
                  .ok());
  ASSERT_GT(counted, 40000);
  JsonResponse after = get(stats);
  ASSERT_EQ(after.status, 200) << after.raw;
  EXPECT_EQ(after.body["total"], counted);
}

}  // namespace
}  // namespace pingan::testing
