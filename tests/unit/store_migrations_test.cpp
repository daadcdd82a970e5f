// Migrations are applied by version number, each once, also when a lower
// number lands after higher ones were applied (numbers are reserved ahead).

#include <gtest/gtest.h>

#include <sqlite3.h>

#include "store/sqlite/sqlite_store.h"
#include "test_support.h"

namespace pingan {
namespace {

int count_rows(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

void exec(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

TEST(StoreMigrationsTest, AMissingLowerVersionIsAppliedAfterHigherOnes) {
  pingan::testing::TempDir dir;
  const std::string path = dir.file("m.db");
  { ASSERT_TRUE(SqliteStore::open(path).ok()); }
  const char* case_index = "SELECT count(*) FROM sqlite_master WHERE name = 'incidents_case'";
  EXPECT_EQ(count_rows(path, case_index), 0);  // migration 2 dropped it
  const int versions = count_rows(path, "SELECT count(*) FROM schema_migrations");
  ASSERT_GE(versions, 2);
  // A database that got the later migrations before number 2 existed.
  exec(path,
       "DELETE FROM schema_migrations WHERE version = 2; "
       "CREATE INDEX incidents_case ON incidents(source, case_number) WHERE case_number IS NOT NULL;");
  { ASSERT_TRUE(SqliteStore::open(path).ok()); }
  EXPECT_EQ(count_rows(path, case_index), 0);
  EXPECT_EQ(count_rows(path, "SELECT count(*) FROM schema_migrations WHERE version = 2"), 1);
  EXPECT_EQ(count_rows(path, "SELECT count(*) FROM schema_migrations"), versions);
}


std::string text_of(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  std::string out = sqlite3_step(st) == SQLITE_ROW ? reinterpret_cast<const char*>(sqlite3_column_text(st, 0)) : "";
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

// Ids stored before migration 6 ("2015-01:2") must become what the importer
// now writes ("2015-01:0000002"), or re-importing the file would add it twice.
TEST(StoreMigrationsTest, RowNumberedSourceIdsArePadded) {
  pingan::testing::TempDir dir;
  const std::string path = dir.file("m.db");
  { ASSERT_TRUE(SqliteStore::open(path).ok()); }
  exec(path,
       "DELETE FROM schema_migrations WHERE version = 6; "
       "INSERT INTO incidents (source, source_id, reported_at, type_code, class_code, status) VALUES "
       "('stlouis', '2015-01:2', 0, 't', 'c', 'closed'), "
       "('stlouis', '2015-01:1234567', 0, 't', 'c', 'closed'), "
       "('portland-nij', 'NIJ2016_AUG01_AUG31:45', 0, 't', 'c', 'closed'), "
       "('slo', '18:7', 0, 't', 'c', 'closed');");
  { ASSERT_TRUE(SqliteStore::open(path).ok()); }
  auto id_of = [&](int rowid) {
    return text_of(path, "SELECT source_id FROM incidents WHERE id = " + std::to_string(rowid));
  };
  EXPECT_EQ(id_of(1), "2015-01:0000002");
  EXPECT_EQ(id_of(2), "2015-01:1234567");
  EXPECT_EQ(id_of(3), "NIJ2016_AUG01_AUG31:0000045");
  EXPECT_EQ(id_of(4), "18:7");  // not a row-numbered source
}

}  // namespace
}  // namespace pingan
