// A fast start (issue 19): the analytics index read back from its snapshot,
// with the change log since replayed, answers every figure as an index
// built by scanning the store does — after lifecycle moves, a merge, new
// calls and a renumbered unit tree. A damaged, truncated or foreign
// snapshot, or one the log no longer reaches, is left aside with the reason
// and the index is built from the store. A server further behind than the
// log keeps (a week) rebuilds and says so.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "analytics/incident_index.h"
#include "analytics_index_fixture.h"
#include "engine/engine.h"
#include "ingest/demo_district.h"
#include "server_process.h"
#include "test_store.h"
#include "test_support.h"

namespace pingan::testing {
namespace {

using analytics::attach_index;
using analytics::attach_index_from_snapshot;
using analytics::IncidentIndex;
using analytics::IndexStart;

constexpr char kDatabase[] = "the test database";

std::unique_ptr<Engine> open_engine(const std::string& location) {
  auto engine = Engine::open(EngineConfig{location, "", "Asia/Shanghai"});
  EXPECT_TRUE(engine.ok()) << engine.error().describe();
  return engine.ok() ? std::move(engine).value() : nullptr;
}

// A statement on the test's store behind pingan's back (an operator, the
// week's prune run by another process).
void run_sql(const std::string& location, const std::string& sql) {
  if (testing_postgres()) return pg_test_exec(location, sql);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(location.c_str(), &db), SQLITE_OK);
  char* message = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK) << (message ? message : "");
  sqlite3_free(message);
  sqlite3_close(db);
}

Incident new_call(int n) {
  Incident inc;
  inc.source = "api";
  inc.source_id = fmt::format("after-snapshot-{}", n);
  inc.type_code = "theft";
  inc.class_code = "criminal";
  inc.reported_at = local_time(TimeZone::locate("Asia/Shanghai").value(), 2025, 2, 1, 10) + n * 60;
  inc.location = GeoPoint{36.66, 117.02};
  return inc;
}

// 30 calls taken before the snapshot (the demo's own are long closed).
std::vector<IncidentId> take_open_calls(Engine& engine) {
  std::vector<IncidentId> ids;
  for (int n = 0; n < 30; ++n) {
    Incident inc = new_call(n);
    inc.source_id = fmt::format("before-snapshot-{}", n);
    auto made = engine.create_incident(inc, "接警员");
    EXPECT_TRUE(made.ok()) << made.error().describe();
    if (made.ok()) ids.push_back(made->id);
  }
  return ids;
}

// Settles the open calls by phone, merges one demo call into another and
// takes 5 new calls: 36 changes.
void write_after_snapshot(Engine& engine, const std::vector<IncidentId>& open_calls) {
  ASSERT_EQ(open_calls.size(), 30u);
  for (IncidentId id : open_calls) {
    TransitionRequest req;
    req.to = IncidentStatus::kHandled;
    req.actor = "test";
    req.note = "电话处置";
    auto moved = engine.transition(id, UnitScope::everything(), req);
    ASSERT_TRUE(moved.ok()) << moved.error().describe();
  }
  auto merged = engine.merge(300, 301, UnitScope::everything(), "test");
  ASSERT_TRUE(merged.ok()) << merged.error().describe();
  for (int n = 0; n < 5; ++n) ASSERT_TRUE(engine.create_incident(new_call(n), "接警员").ok());
}

// The demo district, and an index of it saved at the log's end.
struct Saved {
  std::string location, snapshot;
  std::int64_t incidents = 0;  // in the index at the snapshot
  std::int64_t position = 0;
  std::vector<IncidentId> open_calls;
};
Saved demo_with_snapshot(const TempDir& dir) {
  Saved s;
  s.location = test_store_location(dir, "snap.db");
  s.snapshot = dir.file("index.snap");
  auto engine = open_engine(s.location);
  if (!engine) return s;
  auto written = ingest::write_demo_district(*engine, small_demo(), nullptr);
  EXPECT_TRUE(written.ok()) << written.error().describe();
  s.open_calls = take_open_calls(*engine);
  s.incidents = (written.ok() ? written->incidents : 0) + static_cast<std::int64_t>(s.open_calls.size());
  auto index = attach_index(*engine);
  EXPECT_TRUE(index.ok());
  EXPECT_TRUE(engine->catch_up().ok());  // the position moves to the log's end
  s.position = engine->follow_state()->position;
  EXPECT_GT(s.position, 0);
  Status saved = (*index)->save_snapshot(s.snapshot, s.position, kDatabase);
  EXPECT_TRUE(saved.ok()) << saved.error().describe();
  return s;
}

// An index built by scanning, for comparison.
std::string scanned_answers(Engine& engine) {
  IncidentIndex scanned(engine.taxonomy(), engine.units(), engine.time_zone());
  EXPECT_TRUE(scanned.build_from(engine).ok());
  return fmt::format("{} rows\n{}", scanned.size(), answers(scanned, engine.time_zone()));
}

std::string index_answers(Engine& engine, const IncidentIndex& index) {
  return fmt::format("{} rows\n{}", index.size(), answers(index, engine.time_zone()));
}

TEST(IndexSnapshot, ASnapshotAndTheLogSinceAnswerAsAScanOfTheStoreDoes) {
  TempDir dir;
  const Saved saved = demo_with_snapshot(dir);
  ASSERT_GT(saved.incidents, 4000);
  ASSERT_EQ(saved.open_calls.size(), 30u);
  {
    auto writer = open_engine(saved.location);
    ASSERT_TRUE(writer);
    write_after_snapshot(*writer, saved.open_calls);
  }
  auto server = open_engine(saved.location);
  ASSERT_TRUE(server);
  IndexStart start;
  auto index = attach_index_from_snapshot(*server, saved.snapshot, kDatabase, &start);
  ASSERT_TRUE(index.ok()) << index.error().describe();
  EXPECT_TRUE(start.from_snapshot) << start.note;
  EXPECT_EQ(start.snapshot_position, saved.position);
  // 30 moves, the merge, 5 calls: one change each, none before the snapshot.
  EXPECT_EQ(start.changes_replayed, 36);
  EXPECT_TRUE(start.note.empty());
  EXPECT_EQ((*index)->start().changes_replayed, 36);
  const std::string expected = scanned_answers(*server);
  EXPECT_EQ(index_answers(*server, **index), expected);
  EXPECT_EQ((*index)->size(), saved.incidents - 1 + 5);  // the merged call counts under its target
  // And it is live from there on: a write through the server shows at once.
  ASSERT_TRUE(server->create_incident(new_call(99), "接警员").ok());
  EXPECT_EQ((*index)->size(), saved.incidents - 1 + 6);
}

TEST(IndexSnapshot, AUnitTreeChangedSinceTheSnapshotRenumbersItsRows) {
  TempDir dir;
  const Saved saved = demo_with_snapshot(dir);
  auto server = open_engine(saved.location);
  ASSERT_TRUE(server);
  // A station whose code sorts before the others: every later number moves.
  std::vector<Unit> units = server->units()->units();
  Unit fresh;
  fresh.code = "PA-S00";
  fresh.name = "新建派出所";
  fresh.kind = UnitKind::kStation;
  fresh.parent_code = "PA";
  units.push_back(fresh);
  ASSERT_TRUE(server->upsert_units(units).ok());
  IndexStart start;
  auto index = attach_index_from_snapshot(*server, saved.snapshot, kDatabase, &start);
  ASSERT_TRUE(index.ok());
  EXPECT_TRUE(start.from_snapshot) << start.note;
  EXPECT_EQ(index_answers(*server, **index), scanned_answers(*server));
  EXPECT_GE((*index)->unit_index("PA-S00"), 0);
}

// Starts from `snapshot` and expects the scan instead, for `why`.
void expect_refused(const Saved& saved, const std::string& snapshot, const std::string& database,
                    const std::string& why) {
  auto server = open_engine(saved.location);
  ASSERT_TRUE(server);
  IndexStart start;
  auto index = attach_index_from_snapshot(*server, snapshot, database, &start);
  ASSERT_TRUE(index.ok()) << index.error().describe();
  EXPECT_FALSE(start.from_snapshot);
  EXPECT_NE(start.note.find(why), std::string::npos) << start.note;
  EXPECT_EQ(index_answers(*server, **index), scanned_answers(*server));
  EXPECT_EQ((*index)->size(), saved.incidents);
}

TEST(IndexSnapshot, ADamagedTruncatedOrForeignSnapshotIsLeftAsideAndTheStoreScanned) {
  TempDir dir;
  const Saved saved = demo_with_snapshot(dir);
  const auto size = std::filesystem::file_size(saved.snapshot);
  ASSERT_GT(size, 4000u * 17);
  auto copy_as = [&](const std::string& name) {
    const std::string path = dir.file(name);
    std::filesystem::copy_file(saved.snapshot, path);
    return path;
  };
  {
    const std::string damaged = copy_as("damaged.snap");
    std::fstream f(damaged, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size / 2));
    f.put('\x5a');
    f.close();
    expect_refused(saved, damaged, kDatabase, "damaged");
  }
  {
    const std::string truncated = copy_as("truncated.snap");
    std::filesystem::resize_file(truncated, size - 100);
    expect_refused(saved, truncated, kDatabase, "truncated");
  }
  {
    const std::string other = copy_as("other.snap");
    std::ofstream(other, std::ios::binary) << "not a snapshot at all";
    expect_refused(saved, other, kDatabase, "not a pingan index snapshot");
  }
  expect_refused(saved, saved.snapshot, "another database", "written for database");
}

TEST(IndexSnapshot, ASnapshotPastTheLogsEndOrBeforeWhatItKeepsIsLeftAside) {
  TempDir dir;
  const Saved saved = demo_with_snapshot(dir);
  {
    // Stamped further than this database's log ever went: another database,
    // or this one restored from an older backup.
    auto engine = open_engine(saved.location);
    ASSERT_TRUE(engine);
    auto index = attach_index(*engine);
    ASSERT_TRUE(index.ok());
    ASSERT_TRUE((*index)->save_snapshot(dir.file("ahead.snap"), saved.position + 1000, kDatabase).ok());
  }
  expect_refused(saved, dir.file("ahead.snap"), kDatabase, "past the change log's end");
  {
    auto writer = open_engine(saved.location);
    ASSERT_TRUE(writer);
    write_after_snapshot(*writer, saved.open_calls);
  }
  // The week's prune took the changes since the snapshot (the newest row stays).
  run_sql(saved.location, "DELETE FROM changes WHERE seq < (SELECT MAX(seq) FROM changes)");
  auto server = open_engine(saved.location);
  ASSERT_TRUE(server);
  IndexStart start;
  auto index = attach_index_from_snapshot(*server, saved.snapshot, kDatabase, &start);
  ASSERT_TRUE(index.ok());
  EXPECT_FALSE(start.from_snapshot);
  EXPECT_NE(start.note.find("no longer holds"), std::string::npos) << start.note;
  EXPECT_EQ(index_answers(*server, **index), scanned_answers(*server));
}

TEST(IndexSnapshot, AServerFurtherBehindThanTheLogKeepsRebuildsAndSaysSo) {
  TempDir dir;
  const std::string location = test_store_location(dir, "behind.db");
  auto writer = open_engine(location);
  auto server = open_engine(location);
  ASSERT_TRUE(writer && server);
  ASSERT_TRUE(ingest::write_demo_district(*writer, small_demo(), nullptr).ok());
  const std::vector<IncidentId> open_calls = take_open_calls(*writer);
  auto index = attach_index(*server);
  ASSERT_TRUE(index.ok());
  const std::int64_t before = (*index)->size();
  ASSERT_TRUE(server->catch_up().ok());
  // The server stalls; meanwhile the writer works on and the log is pruned.
  write_after_snapshot(*writer, open_calls);
  run_sql(location, "DELETE FROM changes WHERE seq < (SELECT MAX(seq) FROM changes)");
  auto applied = server->catch_up();
  ASSERT_TRUE(applied.ok()) << applied.error().describe();
  auto state = server->follow_state();
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->resyncs, 1);
  EXPECT_NE(state->last_resync.find("no longer holds"), std::string::npos) << state->last_resync;
  EXPECT_EQ(state->position, state->last);
  EXPECT_EQ((*index)->size(), before - 1 + 5);
  EXPECT_EQ(index_answers(*server, **index), scanned_answers(*server));
  // Once: the next look finds no gap.
  ASSERT_TRUE(server->catch_up().ok());
  EXPECT_EQ(server->follow_state()->resyncs, 1);
}

// `pingan serve` end to end: the first start scans and writes the snapshot,
// a clean stop writes it again, and the next start reads it and replays
// what another process wrote in between.
TEST(IndexSnapshot, AServerStartedAgainStartsFromItsSnapshotAndTheChangesSince) {
  TempDir dir;
  const std::string db = test_store_location(dir, "serve.db");
  const std::string snapshot = dir.file("serve.index");
  const std::string log = dir.file("server.log");
  auto write_calls = [&](int first, int n) {
    auto engine = open_engine(db);
    ASSERT_TRUE(engine);
    for (int i = first; i < first + n; ++i) ASSERT_TRUE(engine->create_incident(new_call(i), "接警员").ok());
  };
  write_calls(0, 20);
  const std::string token = issue_tester_token(db, log);
  ASSERT_FALSE(token.empty()) << read_log_file(log);
  const std::string stats = "/api/stats?from=2025-01-01&to=2026-01-01";
  {
    const int port = free_port();
    ServerProcess first(db, port, log, {"--index-snapshot", snapshot});
    ASSERT_TRUE(first.wait_healthy()) << read_log_file(log);
    nlohmann::json health = get_json(port, token, "/api/health");
    EXPECT_EQ(health["index"]["started_from"], "scan") << health.dump();
    EXPECT_TRUE(std::filesystem::exists(snapshot)) << "written right after the scan";
    EXPECT_EQ(get_json(port, token, stats)["total"], 20);
    EXPECT_EQ(first.signal_and_wait(SIGTERM, std::chrono::seconds(20)), 0) << read_log_file(log);
  }
  write_calls(100, 3);  // while no server runs
  const int port = free_port();
  ServerProcess second(db, port, log, {"--index-snapshot", snapshot});
  ASSERT_TRUE(second.wait_healthy()) << read_log_file(log);
  nlohmann::json health = get_json(port, token, "/api/health");
  EXPECT_EQ(health["index"]["started_from"], "snapshot") << health.dump();
  EXPECT_EQ(health["index"]["changes_replayed"], 3) << health.dump();
  EXPECT_EQ(health["index"]["rows"], 23);
  EXPECT_EQ(get_json(port, token, stats)["total"], 23);
  EXPECT_NE(read_log_file(log).find("analytics index from snapshot"), std::string::npos);
}

}  // namespace
}  // namespace pingan::testing
