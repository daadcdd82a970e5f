// The change log (issue 19): every write of an incident or the units through
// a store is logged with its writer, and an engine applies what other
// writers committed (Engine::catch_up) to its listeners, once each. The
// process test: `pingan import` in one process while `pingan serve` runs on
// the same SQLite file; the server's statistics include the import within a
// second of its end.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "engine/engine.h"
#include "ingest_test_support.h"
#include "server_process.h"
#include "store/store.h"
#include "test_store.h"

namespace pingan::testing {
namespace {

Incident new_call(int n) {
  Incident inc;
  inc.source = "api";
  inc.source_id = fmt::format("c{}", n);
  inc.type_code = "theft";
  inc.class_code = "criminal";
  inc.reported_at = 1'750'000'000 + n;
  inc.location = GeoPoint{36.62, 117.12};
  return inc;
}

std::unique_ptr<Engine> open_engine(const std::string& path) {
  EngineConfig config;
  config.db_location = path;
  auto engine = Engine::open(config);
  EXPECT_TRUE(engine.ok()) << (engine.ok() ? "" : engine.error().describe());
  return engine.ok() ? std::move(engine).value() : nullptr;
}

TEST(ChangeLog, EachStoreReadsTheOthersWritesInOrderAndNotItsOwn) {
  TempDir dir;
  const std::string location = test_store_location(dir, "log.db");
  auto a = open_store(location);
  auto b = open_store(location);
  ASSERT_TRUE(a.ok() && b.ok());
  const std::int64_t start = (*a)->changes().last_position().value();
  Incident inc = new_call(1);
  auto made = (*a)->incidents().create_incident(inc, intake_event(inc, "test"));
  ASSERT_TRUE(made.ok()) << made.error().describe();
  const std::vector<Unit> bureau = {Unit{0, "JN", "济南市公安局", UnitKind::kBureau, "", {}}};
  ASSERT_TRUE((*a)->units().upsert_units(bureau).ok());

  auto seen_by_b = (*b)->changes().changes_by_others(start, 100);
  ASSERT_TRUE(seen_by_b.ok()) << seen_by_b.error().describe();
  ASSERT_EQ(seen_by_b->size(), 2u);
  EXPECT_EQ((*seen_by_b)[0].kind, ChangeKind::kIncident);
  EXPECT_EQ((*seen_by_b)[0].incident_id, made->id);
  EXPECT_EQ((*seen_by_b)[1].kind, ChangeKind::kUnits);
  EXPECT_LT((*seen_by_b)[0].seq, (*seen_by_b)[1].seq);
  EXPECT_EQ((*b)->changes().last_position().value(), (*seen_by_b)[1].seq);
  // Its own writes are not news to a store.
  EXPECT_TRUE((*a)->changes().changes_by_others(start, 100)->empty());
}

TEST(ChangeLog, AnEngineAppliesAnotherWritersChangesToItsListenersOnce) {
  TempDir dir;
  auto writer = open_engine(test_store_location(dir, "two.db"));
  auto server = open_engine(test_store_location(dir, "two.db"));
  ASSERT_TRUE(writer && server);
  std::vector<IncidentChange> heard;
  server->subscribe([&](const IncidentChange& c) { heard.push_back(c); });
  int trees = 0;
  server->subscribe_units([&](const std::shared_ptr<const UnitTree>&) { ++trees; });

  auto made = writer->create_incident(new_call(1), "导入");
  ASSERT_TRUE(made.ok()) << made.error().describe();
  TransitionRequest settle;
  settle.to = IncidentStatus::kHandled;  // settled by phone
  settle.at = made->reported_at + 60;
  settle.note = "电话处置";
  ASSERT_TRUE(writer->transition(made->id, UnitScope::everything(), settle).ok());
  ASSERT_TRUE(writer->upsert_units({Unit{0, "JN", "济南市公安局", UnitKind::kBureau, "", {}}}).ok());
  EXPECT_TRUE(heard.empty()) << "another process's writes are not heard before catch_up";

  auto applied = server->catch_up();
  ASSERT_TRUE(applied.ok()) << applied.error().describe();
  EXPECT_EQ(*applied, 3);  // created, moved, units
  // One publication per incident, as it stands now (handled).
  ASSERT_EQ(heard.size(), 1u);
  EXPECT_EQ(heard[0].incident.id, made->id);
  EXPECT_EQ(heard[0].incident.status, IncidentStatus::kHandled);
  EXPECT_EQ(trees, 1);
  EXPECT_NE(server->units()->find("JN"), nullptr);
  // Nothing twice; the server's own writes are not re-applied.
  EXPECT_EQ(server->catch_up().value(), 0);
  ASSERT_TRUE(server->create_incident(new_call(2), "接警员").ok());
  heard.clear();
  EXPECT_EQ(server->catch_up().value(), 0);
  EXPECT_TRUE(heard.empty());
  auto state = server->follow_state();
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->position, state->last);
}

TEST(ChangeLog, AnImportInAnotherProcessReachesTheServedStatisticsWithinASecond) {
  TempDir dir;
  const std::string db = test_store_location(dir, "serve.db");
  const std::string log = dir.file("server.log");
  const std::string token = issue_tester_token(db, log);
  ASSERT_FALSE(token.empty()) << read_log_file(log);
  const int port = free_port();
  ServerProcess server(db, port, log);
  ASSERT_TRUE(server.wait_healthy()) << read_log_file(log);
  const std::string stats = "/api/stats?from=2015-01-01&to=2026-01-01";
  nlohmann::json before = get_json(port, token, stats);
  ASSERT_TRUE(before.is_object()) << read_log_file(log);
  EXPECT_EQ(before["total"], 0);

  // The importer is another process on the same file, as an operator runs it.
  const int status = run_pingan({"import", "incidents", shared_data_file("slo-police-calls/SLOPD_report.csv"),
                                 "--format", "slo", "--db", db, "--rejects", dir.file("rejects.csv")},
                                dir.file("import.out"), dir.file("import.log"));
  ASSERT_EQ(status, 0) << read_log_file(dir.file("import.log"));
  const auto imported = std::chrono::steady_clock::now();

  // Applied: the log's end reached (lag 0) and the statistics moved.
  nlohmann::json after;
  while (std::chrono::steady_clock::now() - imported < std::chrono::seconds(10)) {
    nlohmann::json health = get_json(port, token, "/api/health");
    after = get_json(port, token, stats);
    if (health.is_object() && health["changes"]["lag"] == 0 && after.is_object() && after["total"] > 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - imported);
  std::cout << "the served statistics included the import " << waited.count() << " ms after it ended\n";

  // What the statistics must say: the counted incidents of the period in the file.
  std::int64_t counted = 0;
  {
    auto reader = open_engine(db);
    ASSERT_TRUE(reader);
    ASSERT_TRUE(reader->scan_incidents([&](const Incident& inc) {
      if (inc.counts_in_statistics() && inc.reported_at >= 1'420'041'600 && inc.reported_at < 1'767'196'800) ++counted;
    }).ok());
  }
  ASSERT_GT(counted, 10'000);
  ASSERT_TRUE(after.is_object());
  EXPECT_EQ(after["total"], counted);
  EXPECT_LT(waited.count(), 1000) << "the served statistics took " << waited.count() << " ms to include the import";
  nlohmann::json health = get_json(port, token, "/api/health");
  EXPECT_EQ(health["changes"]["lag"], 0) << health.dump();
}

}  // namespace
}  // namespace pingan::testing
