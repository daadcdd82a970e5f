#pragma once
// The read side of a SqliteStore: a few read-only connections to the same
// file, so that reads run side by side while writes stay serialised on the
// one writer connection. WAL mode is what makes this safe: a reader sees the
// database as of the start of its read transaction and never blocks the
// writer, nor the writer it.
//
// An in-memory database (":memory:") cannot be opened twice, and a file not
// in WAL mode would let readers block the writer: there, and when the pool
// is opened with no connections, every read shares the writer connection
// under the writer's mutex, as writes do.

#include <sqlite3.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "core/status.h"

namespace pingan::sqlite {

// How long a call waits for SQLite's locks (busy_timeout, on the writer and
// on every reader) before it gives up with `unavailable`.
inline constexpr std::chrono::milliseconds kBusyTimeout{5000};

class ReadPool;

// One read connection lent to one store call, inside one read transaction
// (a deferred BEGIN): every statement of the call sees the same snapshot,
// which holds every write acknowledged before the call's first step.
// Returned to the pool, the transaction ended, when the lease dies; declare
// it before the statements that use it, so that they are finalised first.
class ReadLease {
 public:
  ReadLease(ReadLease&& other) noexcept;
  ReadLease& operator=(ReadLease&&) = delete;
  ReadLease(const ReadLease&) = delete;
  ReadLease& operator=(const ReadLease&) = delete;
  ~ReadLease();

  sqlite3* db() const { return db_; }

 private:
  friend class ReadPool;
  ReadLease(ReadPool* pool, sqlite3* db, std::unique_lock<std::mutex> writer_lock)
      : pool_(pool), db_(db), writer_lock_(std::move(writer_lock)) {}

  ReadPool* pool_;  // null when db_ is the writer
  sqlite3* db_;
  std::unique_lock<std::mutex> writer_lock_;  // owned when db_ is the writer
};

// Thread-safe: lease() may be called from any thread. A connection is used
// by one lease at a time (SQLite runs in multi-thread mode).
class ReadPool {
 public:
  // Until open_readers() succeeds, reads share `writer` under `writer_mutex`.
  ReadPool(std::mutex& writer_mutex, sqlite3* writer) : writer_mutex_(writer_mutex), writer_(writer) {}
  ~ReadPool();  // no lease may be outstanding
  ReadPool(const ReadPool&) = delete;
  ReadPool& operator=(const ReadPool&) = delete;

  // Opens `count` read-only connections to the writer's database file, once,
  // before the first lease. Opens none (and reads stay on the writer) when
  // `count` is 0, the database has no file or it is not in WAL mode.
  Status open_readers(int count);
  // Read connections open; 0 when reads share the writer.
  int size() const { return static_cast<int>(readers_.size()); }

  // A free read connection in a read transaction. With every connection
  // lent, waits for one to come back, as a write waits for the writer's
  // mutex: a call queued behind others under load is slow, not failed (a
  // request's deadline, above the store, bounds it). A lease never waits for
  // a second one, so the wait always ends.
  Result<ReadLease> lease();

 private:
  friend class ReadLease;
  void give_back(sqlite3* db);

  struct CloseConnection {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };

  std::mutex& writer_mutex_;
  sqlite3* const writer_;  // GUARDED_BY(writer_mutex_)
  // Filled once by open_readers(), before any lease; read-only afterwards.
  std::vector<std::unique_ptr<sqlite3, CloseConnection>> readers_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<sqlite3*> idle_;  // GUARDED_BY(mutex_)
};

}  // namespace pingan::sqlite
