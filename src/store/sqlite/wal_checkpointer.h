#pragma once
// Copies a bulk import's WAL frames into the database file on a thread of
// its own, while the import goes on. Without it every frame is copied (and
// the database file synced) by end_bulk() after the last batch, in the
// importer's wall-clock time. The thread has its own connection: a PASSIVE
// checkpoint runs beside the writer without blocking it, and a WAL that was
// copied completely is restarted by the next batch, so the file stays small.

#include <sqlite3.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace pingan::sqlite {

class WalCheckpointer {
 public:
  // Null when the database has no file (":memory:") or no second connection
  // can be opened; the import then works as without it.
  static std::unique_ptr<WalCheckpointer> start(sqlite3* db);
  ~WalCheckpointer();  // waits for a checkpoint under way
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // A batch was committed: copy what is in the WAL when the thread is free.
  void nudge();

 private:
  explicit WalCheckpointer(sqlite3* conn);
  void loop();

  sqlite3* conn_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool pending_ = false;  // GUARDED_BY(mutex_)
  bool stop_ = false;     // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace pingan::sqlite
