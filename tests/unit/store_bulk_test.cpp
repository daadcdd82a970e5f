// Bulk-import mode of the SQLite store: batches written between begin_bulk()
// and end_bulk() are in the database file itself (WAL checkpointed and
// truncated) once end_bulk() returns, and survive reopening.

#include <gtest/gtest.h>

#include <filesystem>

#include "store/sqlite/sqlite_store.h"
#include "test_support.h"

namespace pingan {
namespace {

std::vector<Incident> rows(int n, int first) {
  std::vector<Incident> out;
  for (int i = first; i < first + n; ++i) {
    Incident inc;
    inc.source = "bulktest";
    inc.source_id = std::to_string(i);
    inc.type_code = "theft";
    inc.class_code = "criminal";
    inc.reported_at = 1'700'000'000 + i;
    out.push_back(inc);
  }
  return out;
}

TEST(StoreBulkTest, EndBulkCheckpointsIntoTheDatabaseFileAndDataSurvivesReopen) {
  pingan::testing::TempDir dir;
  const std::string path = dir.file("bulk.db");
  {
    auto store = SqliteStore::open(path);
    ASSERT_TRUE(store.ok()) << store.error().describe();
    ASSERT_TRUE((*store)->incidents().begin_bulk().ok());
    auto first = (*store)->incidents().insert_incidents(rows(500, 0));
    ASSERT_TRUE(first.ok()) << first.error().describe();
    EXPECT_EQ(first->inserted, 500);
    // Overlapping second batch: the duplicates are still reported by position.
    auto second = (*store)->incidents().insert_incidents(rows(100, 450));
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(second->inserted, 50);
    ASSERT_EQ(second->duplicate_rows.size(), 50u);
    EXPECT_EQ(second->duplicate_rows.front(), 0u);
    EXPECT_EQ(second->duplicate_rows.back(), 49u);
    EXPECT_GT(std::filesystem::file_size(path + "-wal"), 0u);
    ASSERT_TRUE((*store)->incidents().end_bulk().ok());
    // TRUNCATE: every frame was copied into the (synced) database file.
    EXPECT_EQ(std::filesystem::file_size(path + "-wal"), 0u);
    // A normal write after bulk mode still works.
    auto third = (*store)->incidents().insert_incidents(rows(1, 1000));
    ASSERT_TRUE(third.ok());
    EXPECT_EQ(third->inserted, 1);
  }
  auto reopened = SqliteStore::open(path);
  ASSERT_TRUE(reopened.ok());
  auto count = (*reopened)->incidents().count_incidents();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 551);
}

}  // namespace
}  // namespace pingan
