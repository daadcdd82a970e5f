// The dispatch desk's records in the change log (issue 19, migration 11):
// a write of a patrol unit, an assignment or a track point is logged by call
// sign in its own transaction, an upsert that changes nothing is not, and
// the SQLite table's rebuild keeps the log's position.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <set>
#include <string>
#include <vector>

#include "store/store.h"
#include "test_store.h"

namespace pingan::testing {
namespace {

PatrolUnit unit(const std::string& call_sign) {
  PatrolUnit u;
  u.call_sign = call_sign;
  u.station_code = "S1";
  u.status = PatrolStatus::kAvailable;
  return u;
}

class ChangeLogPatrol : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string location = test_store_location(dir_, "patrol-log.db");
    auto a = open_store(location);
    auto b = open_store(location);
    ASSERT_TRUE(a.ok() && b.ok());
    writer_ = std::move(a).value();
    reader_ = std::move(b).value();
    from_ = reader_->changes().last_position().value();
  }
  // The call signs of the patrol changes the reader has not seen yet.
  std::set<std::string> news() {
    auto changes = reader_->changes().changes_by_others(from_, 1000);
    EXPECT_TRUE(changes.ok()) << changes.error().describe();
    std::set<std::string> out;
    if (!changes.ok()) return out;
    for (const ChangeRecord& c : *changes) {
      EXPECT_EQ(c.kind, ChangeKind::kPatrol);
      out.insert(c.call_sign);
      from_ = c.seq;
    }
    return out;
  }

  TempDir dir_;
  std::unique_ptr<Store> writer_, reader_;
  std::int64_t from_ = 0;
};

TEST_F(ChangeLogPatrol, WritesAreLoggedByCallSignAndWritesThatChangeNothingAreNot) {
  const std::vector<PatrolUnit> units = {unit("U1"), unit("U2")};
  ASSERT_TRUE(writer_->patrol().save_patrol_state(units, {}).ok());
  EXPECT_EQ(news(), (std::set<std::string>{"U1", "U2"}));
  // The desk writes every unit again on an upsert: unchanged rows are not news.
  ASSERT_TRUE(writer_->patrol().save_patrol_state(units, {}).ok());
  EXPECT_TRUE(news().empty());

  PatrolUnit sent = unit("U1");
  sent.status = PatrolStatus::kEnRoute;
  sent.assignment = 7;
  const Assignment record{7, "U1", 1'750'000'000, std::nullopt, std::nullopt, "指挥员"};
  ASSERT_TRUE(writer_->patrol().save_patrol_state(std::span(&sent, 1), std::span(&record, 1)).ok());
  EXPECT_EQ(news(), std::set<std::string>{"U1"});
  Assignment arrived = record;
  arrived.arrived_at = record.dispatched_at + 300;
  ASSERT_TRUE(writer_->patrol().save_patrol_state({}, std::span(&arrived, 1)).ok());
  EXPECT_EQ(news(), std::set<std::string>{"U1"});

  // Track points carry positions; one already stored is skipped, unlogged.
  const std::vector<UnitPosition> points = {{"U2", 1'750'000'000, GeoPoint{36.65, 117.05}},
                                            {"U2", 1'750'000'030, GeoPoint{36.66, 117.05}}};
  ASSERT_TRUE(writer_->patrol().append_track_points(points).ok());
  EXPECT_EQ(news(), std::set<std::string>{"U2"});
  ASSERT_TRUE(writer_->patrol().append_track_points(std::span(points).subspan(1)).ok());
  EXPECT_TRUE(news().empty());
  // Nothing of it is news to the writer itself.
  EXPECT_TRUE(writer_->changes().changes_by_others(0, 1000)->empty());

  // What a follower re-reads of the units named.
  const std::vector<std::string> named = {"U1", "U2", "U9"};
  auto records = reader_->patrol().patrol_records_of(named);
  ASSERT_TRUE(records.ok()) << records.error().describe();
  ASSERT_EQ(records->units.size(), 2u);
  ASSERT_EQ(records->open_assignments.size(), 1u);
  EXPECT_EQ(records->open_assignments[0].arrived_at, arrived.arrived_at);
  ASSERT_EQ(records->latest_points.size(), 1u);
  EXPECT_EQ(records->latest_points[0].at, 1'750'000'030);
}

// A database at version 10 (before patrol changes) keeps its log's rows and
// position through migration 11, which rebuilds the SQLite table.
TEST_F(ChangeLogPatrol, TheSqliteRebuildKeepsTheLogsRowsAndPosition) {
  if (testing_postgres()) GTEST_SKIP() << "PostgreSQL alters the table in place";
  Incident inc;
  inc.source = "api";
  inc.source_id = "c1";
  inc.type_code = "theft";
  inc.class_code = "criminal";
  inc.reported_at = 1'750'000'000;
  for (int n = 0; n < 3; ++n) {
    inc.source_id = fmt::format("c{}", n);
    ASSERT_TRUE(writer_->incidents().create_incident(inc, intake_event(inc, "test")).ok());
  }
  const std::int64_t last = writer_->changes().last_position().value();
  writer_.reset();
  reader_.reset();
  // Back to version 10's table, the newest row pruned: the position lives
  // only in sqlite_sequence.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir_.file("patrol-log.db").c_str(), &db), SQLITE_OK);
  const char* downgrade =
      "BEGIN; DELETE FROM changes WHERE seq = (SELECT MAX(seq) FROM changes); "
      "CREATE TABLE changes_10 (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, "
      "kind TEXT NOT NULL CHECK (kind IN ('incident', 'units')), incident_id INTEGER, writer TEXT NOT NULL); "
      "INSERT INTO changes_10 SELECT seq, at, kind, incident_id, writer FROM changes; "
      "UPDATE sqlite_sequence SET seq = (SELECT seq FROM sqlite_sequence WHERE name = 'changes') "
      "WHERE name = 'changes_10'; "
      "DROP TABLE changes; ALTER TABLE changes_10 RENAME TO changes; CREATE INDEX changes_at ON changes(at); "
      // Migration 13 rebuilds the table again (record_id): undone too.
      "DELETE FROM schema_migrations WHERE version IN (11, 13); COMMIT;";
  char* err = nullptr;
  ASSERT_EQ(sqlite3_exec(db, downgrade, nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_close(db);

  auto reopened = open_store(dir_.file("patrol-log.db"));
  ASSERT_TRUE(reopened.ok()) << reopened.error().describe();
  EXPECT_EQ((*reopened)->changes().last_position().value(), last);
  EXPECT_EQ((*reopened)->changes().changes_by_others(0, 100)->size(), 2u);  // the rows kept
  // And it logs patrol changes after the positions it had.
  auto other = open_store(dir_.file("patrol-log.db"));
  ASSERT_TRUE(other.ok());
  const PatrolUnit u = unit("U1");
  ASSERT_TRUE((*other)->patrol().save_patrol_state(std::span(&u, 1), {}).ok());
  auto seen = (*reopened)->changes().changes_by_others(last, 100);
  ASSERT_TRUE(seen.ok());
  ASSERT_EQ(seen->size(), 1u);
  EXPECT_EQ((*seen)[0].seq, last + 1);
  EXPECT_EQ((*seen)[0].call_sign, "U1");
}

}  // namespace
}  // namespace pingan::testing
