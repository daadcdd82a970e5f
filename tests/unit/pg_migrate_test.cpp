// `pingan migrate` (issue 19): a SQLite database moved to PostgreSQL and
// back keeps every incident with its id, lifecycle and history, users,
// tokens and the audit chain; run again it stores nothing twice; a target
// that holds other records is reported as different, not silently merged.

#include <gtest/gtest.h>

#include <string>

#include "engine/engine.h"
#include "server_process.h"
#include "test_store.h"

namespace pingan::testing {
namespace {

std::unique_ptr<Engine> open_at(const std::string& location) {
  EngineConfig config;
  config.db_location = location;
  auto engine = Engine::open(config);
  EXPECT_TRUE(engine.ok()) << (engine.ok() ? "" : engine.error().describe());
  return engine.ok() ? std::move(engine).value() : nullptr;
}

Incident call(int n) {
  Incident inc;
  inc.source = "migrate";
  inc.source_id = fmt::format("m{}", n);
  inc.type_code = n % 2 ? "theft" : "neighbour_dispute";
  inc.reported_at = 1'750'000'000 + n * 3'600 * 24 * 7;  // several months: several partitions
  inc.location = GeoPoint{36.05, 117.05};
  inc.reporter_phone = "13800138000";
  inc.description = fmt::format("第 {} 起", n);
  return inc;
}

// Runs `pingan migrate`; its output and whether it exited 0.
std::pair<bool, std::string> migrate(const TempDir& dir, const std::string& from, const std::string& to) {
  const std::string out = dir.file("migrate.out");
  const int status = run_pingan({"migrate", "--from", from, "--to", to, "--batch", "7"}, out, dir.file("migrate.log"));
  return {status == 0, read_log_file(out) + read_log_file(dir.file("migrate.log"))};
}

TEST(PostgresMigrate, SqliteToPostgresAndBackKeepsEveryRecordAndRunsAgainWithoutDoubling) {
  TempDir dir;
  const std::string source = dir.file("county.db");
  const std::string province = pg_test_schema_url(dir.file("province"));
  const std::string back = dir.file("back.db");
  std::vector<IncidentId> ids;
  {
    auto engine = open_at(source);
    ASSERT_TRUE(engine);
    ASSERT_TRUE(engine->upsert_units({test_unit("PA", "", UnitKind::kBureau),
                                      test_unit("PA-S1", "PA", UnitKind::kStation, 36.0, 117.0)})
                    .ok());
    for (int n = 0; n < 40; ++n) {
      auto made = engine->create_incident(call(n), "接警员");
      ASSERT_TRUE(made.ok()) << made.error().describe();
      ids.push_back(made->id);
    }
    TransitionRequest to_dispatched;
    to_dispatched.to = IncidentStatus::kDispatched;
    to_dispatched.actor = "调度员";
    to_dispatched.note = "派 1 号巡逻车";
    for (int n = 0; n < 10; ++n)
      ASSERT_TRUE(engine->transition(ids[n], UnitScope::everything(), to_dispatched).ok());
  }
  ASSERT_FALSE(issue_tester_token(source, dir.file("cli.log")).empty()) << read_log_file(dir.file("cli.log"));

  auto [ok, out] = migrate(dir, source, province);
  ASSERT_TRUE(ok) << out;
  EXPECT_NE(out.find("the same: 40 incidents, 50 events"), std::string::npos) << out;
  // Run again: nothing stored twice, still the same.
  std::tie(ok, out) = migrate(dir, source, province);
  ASSERT_TRUE(ok) << out;
  EXPECT_NE(out.find("incidents: 40 read, 0 stored now"), std::string::npos) << out;
  EXPECT_NE(out.find("the same: 40 incidents, 50 events"), std::string::npos) << out;

  // And back to a new SQLite file: ids, lifecycle, history and personal data as they were.
  std::tie(ok, out) = migrate(dir, province, back);
  ASSERT_TRUE(ok) << out;
  EXPECT_NE(out.find("the same: 40 incidents, 50 events"), std::string::npos) << out;
  auto original = open_at(source);
  auto returned = open_at(back);
  ASSERT_TRUE(original && returned);
  for (IncidentId id : {ids[0], ids[9], ids[39]}) {
    auto a = original->get_incident(id, UnitScope::everything());
    auto b = returned->get_incident(id, UnitScope::everything());
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(b->source_id, a->source_id);
    EXPECT_EQ(b->status, a->status);
    EXPECT_EQ(b->reporter_phone, "13800138000");
    EXPECT_EQ(b->unit_code, a->unit_code);
    EXPECT_EQ(returned->events(id, UnitScope::everything())->size(), original->events(id, UnitScope::everything())->size());
  }
  // New incidents in the moved database take ids after the copied ones.
  auto next = returned->create_incident(call(1000), "接警员");
  ASSERT_TRUE(next.ok()) << next.error().describe();
  EXPECT_GT(next->id, ids.back());
  auto pg = open_at(province);
  ASSERT_TRUE(pg);
  auto next_pg = pg->create_incident(call(1001), "接警员");
  ASSERT_TRUE(next_pg.ok()) << next_pg.error().describe();
  EXPECT_GT(next_pg->id, ids.back());
}

TEST(PostgresMigrate, ATargetHoldingOtherRecordsIsReportedAsDifferent) {
  TempDir dir;
  const std::string source = dir.file("county.db");
  const std::string target = pg_test_schema_url(dir.file("busy"));
  {
    auto engine = open_at(source);
    ASSERT_TRUE(engine);
    ASSERT_TRUE(engine->create_incident(call(1), "接警员").ok());
    auto other = open_at(target);
    ASSERT_TRUE(other);
    ASSERT_TRUE(other->create_incident(call(2), "接警员").ok());
    ASSERT_TRUE(other->create_incident(call(3), "接警员").ok());
  }
  auto [ok, out] = migrate(dir, source, target);
  EXPECT_FALSE(ok) << out;
  EXPECT_NE(out.find("differs from the source"), std::string::npos) << out;
}

}  // namespace
}  // namespace pingan::testing
