// A read that fails halfway through its rows is an error, not a short
// result (issue 16): the store's loops over sqlite3_step stopped at the
// first step that gave no row without asking whether the rows had ended, so
// a list over a damaged page answered 200 with part of the page.
//
// The damage is real: the test writes a database whose incidents span many
// pages, closes it, overwrites the table page that holds one row in the
// middle, reopens it and lists.

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.h"
#include "test_support.h"

namespace pingan {
namespace {

constexpr int kRows = 4000;
constexpr std::size_t kPageSize = 8192;  // SqliteStore::open's page_size for new files

std::string description_of(int i) { return fmt::format("row {:05} of the failed-scan test", i); }

std::vector<Incident> rows() {
  std::vector<Incident> out;
  for (int i = 0; i < kRows; ++i) {
    Incident inc;
    inc.source = "scantest";
    inc.source_id = std::to_string(i);
    inc.type_code = "theft";
    inc.class_code = "criminal";
    inc.reported_at = 1'700'000'000 + i;
    inc.description = description_of(i);
    out.push_back(inc);
  }
  return out;
}

// Overwrites the whole page whose bytes hold `marker`; false when the
// marker is not in the file. Only the incidents table stores descriptions,
// so the page is one of its leaves.
bool damage_page_holding(const std::string& path, const std::string& marker) {
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::size_t at = bytes.find(marker);
  if (at == std::string::npos) return false;
  std::size_t page_start = at / kPageSize * kPageSize;
  std::fstream file(path, std::ios::binary | std::ios::in | std::ios::out);
  file.seekp(static_cast<std::streamoff>(page_start));
  const std::string garbage(kPageSize, '\xff');
  file.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  return file.good();
}

TEST(StoreFailedScanTest, ADamagedPageMidTableFailsTheListInsteadOfShorteningIt) {
  pingan::testing::TempDir dir;
  const std::string path = dir.file("damaged.db");
  {
    auto opened = SqliteStore::open(path);
    ASSERT_TRUE(opened.ok()) << opened.error().describe();
    auto batch = (*opened)->incidents().insert_incidents(rows());
    ASSERT_TRUE(batch.ok()) << batch.error().describe();
    ASSERT_EQ(batch->inserted, kRows);
  }
  // Closing the last connection copied the WAL into the file and removed it.
  ASSERT_FALSE(std::filesystem::exists(path + "-wal"));
  ASSERT_GT(std::filesystem::file_size(path), 20 * kPageSize) << "the table should span many pages";
  ASSERT_TRUE(damage_page_holding(path, description_of(kRows / 2)));

  auto opened = SqliteStore::open(path);
  ASSERT_TRUE(opened.ok()) << opened.error().describe();
  Store& store = **opened;  // through the interface, as the engine calls it
  IncidentFilter filter;
  filter.limit = kRows;
  // Voided ones too: the total is then counted from an index, undamaged,
  // and the damage is met halfway through the page's rows.
  filter.include_voided = true;
  auto listed = store.incidents().list_incidents(filter);
  ASSERT_FALSE(listed.ok()) << "a damaged table listed as " << listed->items.size() << " of " << listed->total
                            << " incidents";
  EXPECT_EQ(listed.error().code, ErrorCode::kInternal);
  // Names what the store was doing and SQLite's reason.
  EXPECT_NE(listed.error().message.find("listing incidents"), std::string::npos) << listed.error().message;
  EXPECT_NE(listed.error().message.find("malformed"), std::string::npos) << listed.error().message;

  // Without voided ones, the count itself reads the damaged page.
  filter.include_voided = false;
  auto live = store.incidents().list_incidents(filter);
  ASSERT_FALSE(live.ok()) << "listed " << live->items.size() << " of " << live->total;
  EXPECT_NE(live.error().message.find("malformed"), std::string::npos) << live.error().message;

  // The rows before the damaged page still read; the scan over all of them fails.
  int visited = 0;
  Status scanned = store.incidents().scan_incidents([&](const Incident&) { ++visited; });
  EXPECT_FALSE(scanned.ok()) << "scanned " << visited << " of " << kRows;
  EXPECT_GT(visited, 0);
  EXPECT_LT(visited, kRows);
}

}  // namespace
}  // namespace pingan
