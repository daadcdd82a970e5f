// Reads of the SQLite store run side by side on its read connections
// (issue 16: every call used to take the one connection's mutex, so 200
// concurrent incident lists queued behind each other). A scan held open on
// one read connection must not stop another thread's read, nor a write; a
// read that starts after a write was acknowledged sees it.
//
// Deterministic: the scan is held by a promise, and each other call is
// waited for with a generous timeout that only a call blocked behind the
// scan reaches.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.h"
#include "test_support.h"

namespace pingan {
namespace {

using namespace std::chrono_literals;

// Far longer than any of these calls takes; reached only by a call that
// waits for the held scan.
constexpr auto kPatience = 10s;

std::vector<Incident> rows(int n, int first) {
  std::vector<Incident> out;
  for (int i = first; i < first + n; ++i) {
    Incident inc;
    inc.source = "pooltest";
    inc.source_id = std::to_string(i);
    inc.type_code = "theft";
    inc.class_code = "criminal";
    inc.reported_at = 1'700'000'000 + i;
    out.push_back(inc);
  }
  return out;
}

// Lets a held scan go on every path out of the test, once.
class ScanRelease {
 public:
  std::shared_future<void> future() { return promise_.get_future().share(); }
  void release() {
    if (released_) return;
    released_ = true;
    promise_.set_value();
  }
  ~ScanRelease() { release(); }

 private:
  std::promise<void> promise_;
  bool released_ = false;
};

TEST(StoreReadPoolTest, AScanHeldOpenStopsNeitherAnotherReadNorAWrite) {
  pingan::testing::TempDir dir;
  auto opened = SqliteStore::open(dir.file("pool.db"));
  ASSERT_TRUE(opened.ok()) << opened.error().describe();
  // Through the interface, as the engine calls it.
  Store& store = **opened;
  ASSERT_TRUE(store.incidents().insert_incidents(rows(3, 0)).ok());

  std::promise<void> scan_started;
  ScanRelease hold;
  std::shared_future<void> released = hold.future();
  int scanned = 0;  // written by the scan's thread only, read after get()
  auto scan = std::async(std::launch::async, [&] {
    return store.incidents().scan_incidents([&](const Incident&) {
      if (++scanned == 1) {
        scan_started.set_value();
        released.wait_for(2 * kPatience);  // a bound, should the test go wrong
      }
    });
  });
  ASSERT_EQ(scan_started.get_future().wait_for(kPatience), std::future_status::ready);

  // The scan sits on its first row, its read transaction open.
  auto listed = std::async(std::launch::async, [&] {
    IncidentFilter filter;
    filter.limit = 1000;
    return store.incidents().list_incidents(filter);
  });
  EXPECT_EQ(listed.wait_for(kPatience), std::future_status::ready) << "a read waited for another thread's scan";

  auto written = std::async(std::launch::async, [&] { return store.incidents().insert_incidents(rows(1, 100)); });
  EXPECT_EQ(written.wait_for(kPatience), std::future_status::ready) << "a write waited for a scan";

  // Started after the write was acknowledged: it must see the write.
  std::future<Result<std::int64_t>> counted;
  if (written.wait_for(0s) == std::future_status::ready) {
    counted = std::async(std::launch::async, [&] { return store.incidents().count_incidents(); });
    EXPECT_EQ(counted.wait_for(kPatience), std::future_status::ready) << "a read after the write waited";
  }

  hold.release();
  Status scan_status = scan.get();
  ASSERT_TRUE(scan_status.ok()) << scan_status.error().describe();
  // The scan read one snapshot, taken before the write.
  EXPECT_EQ(scanned, 3);
  auto page = listed.get();
  ASSERT_TRUE(page.ok()) << page.error().describe();
  EXPECT_EQ(page->items.size(), 3u);
  auto batch = written.get();
  ASSERT_TRUE(batch.ok()) << batch.error().describe();
  EXPECT_EQ(batch->inserted, 1);
  ASSERT_TRUE(counted.valid());
  auto count = counted.get();
  ASSERT_TRUE(count.ok()) << count.error().describe();
  EXPECT_EQ(*count, 4);
}

// Many readers and one writer at once: every read that starts after a
// create was acknowledged finds that incident, on whichever read connection
// it lands.
TEST(StoreReadPoolTest, EveryReadFindsTheWritesAcknowledgedBeforeIt) {
  pingan::testing::TempDir dir;
  auto opened = SqliteStore::open(dir.file("fresh.db"), SqliteStoreOptions{.read_connections = 3});
  ASSERT_TRUE(opened.ok()) << opened.error().describe();
  Store& store = **opened;

  constexpr int kWrites = 60;
  constexpr int kReaders = 4;
  std::promise<IncidentId> first_id;
  std::shared_future<IncidentId> first = first_id.get_future().share();
  std::atomic<IncidentId> newest_acknowledged{0};
  std::atomic<bool> writing{true};
  struct StopReaders {
    std::atomic<bool>& writing;
    ~StopReaders() { writing.store(false); }
  };
  // Declared after what the readers use: joined before it goes.
  std::vector<std::future<int>> readers;
  for (int r = 0; r < kReaders; ++r)
    readers.push_back(std::async(std::launch::async, [&] {
      int misses = 0;
      if (first.wait_for(kPatience) != std::future_status::ready) return -1;
      while (writing.load()) {
        IncidentId id = newest_acknowledged.load();
        auto got = store.incidents().get_incident(id, UnitScope::everything());
        if (!got.ok()) ++misses;
      }
      return misses;
    }));
  StopReaders stop{writing};  // before the futures die, on every path
  for (int i = 0; i < kWrites; ++i) {
    auto batch = store.incidents().insert_incidents(rows(1, 1000 + i));
    ASSERT_TRUE(batch.ok()) << batch.error().describe();
    ASSERT_EQ(batch->inserted_ids.size(), 1u);
    newest_acknowledged.store(batch->inserted_ids[0]);
    if (i == 0) first_id.set_value(batch->inserted_ids[0]);
  }
  writing.store(false);
  for (auto& reader : readers) EXPECT_EQ(reader.get(), 0) << "a read missed an acknowledged write";
}

}  // namespace
}  // namespace pingan
