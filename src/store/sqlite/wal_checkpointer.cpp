#include "store/sqlite/wal_checkpointer.h"

#include <string>

namespace pingan::sqlite {

std::unique_ptr<WalCheckpointer> WalCheckpointer::start(sqlite3* db) {
  const char* file = sqlite3_db_filename(db, "main");
  if (!file || !*file) return nullptr;  // in memory or temporary
  sqlite3* conn = nullptr;
  if (sqlite3_open_v2(file, &conn, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    sqlite3_close(conn);
    return nullptr;
  }
  // NORMAL: a checkpoint syncs the WAL before copying and the database file
  // after, here on this thread rather than in end_bulk().
  sqlite3_exec(conn, "PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr);
  return std::unique_ptr<WalCheckpointer>(new WalCheckpointer(conn));
}

WalCheckpointer::WalCheckpointer(sqlite3* conn) : conn_(conn) {
  thread_ = std::thread([this] { loop(); });
}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
  sqlite3_close_v2(conn_);
}

void WalCheckpointer::nudge() {
  {
    std::lock_guard lock(mutex_);
    pending_ = true;
  }
  changed_.notify_all();
}

void WalCheckpointer::loop() {
  while (true) {
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return pending_ || stop_; });
      if (stop_) return;
      pending_ = false;
    }
    // PASSIVE takes no writer lock and never waits: it copies the frames no
    // reader still needs, and end_bulk() copies whatever is left.
    sqlite3_wal_checkpoint_v2(conn_, "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }
}

}  // namespace pingan::sqlite
