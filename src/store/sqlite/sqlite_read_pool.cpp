#include "store/sqlite/sqlite_read_pool.h"

#include <fmt/format.h>

#include <string>

#include "store/sqlite/sqlite_statement.h"

namespace pingan::sqlite {
namespace {

// "wal", "delete", ... as the connection reports it.
std::string journal_mode(sqlite3* db) {
  Statement st(db, "PRAGMA journal_mode");
  auto row = st.next_row("reading the journal mode");
  return row.ok() && *row ? st.column_text(0) : std::string();
}

// Ends the read transaction a lease began, whatever its statements did: a
// connection left inside one would keep its old snapshot for the next call.
void end_read_transaction(sqlite3* db) {
  if (!sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
}

}  // namespace

ReadLease::ReadLease(ReadLease&& other) noexcept
    : pool_(other.pool_), db_(other.db_), writer_lock_(std::move(other.writer_lock_)) {
  other.pool_ = nullptr;
  other.db_ = nullptr;
}

ReadLease::~ReadLease() {
  if (!db_) return;  // moved from
  end_read_transaction(db_);
  if (pool_) pool_->give_back(db_);
  // On the writer, writer_lock_ is released here, after the transaction ended.
}

ReadPool::~ReadPool() = default;

Status ReadPool::open_readers(int count) {
  if (count <= 0 || !readers_.empty()) return {};
  std::string file;
  {
    std::lock_guard lock(writer_mutex_);
    const char* name = sqlite3_db_filename(writer_, "main");
    if (!name || !*name) return {};  // in memory or temporary: one connection only
    if (journal_mode(writer_) != "wal") return {};
    file = name;
  }
  std::vector<std::unique_ptr<sqlite3, CloseConnection>> opened;
  for (int i = 0; i < count; ++i) {
    sqlite3* db = nullptr;
    // NOMUTEX: a connection serves one lease at a time.
    int rc = sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    opened.emplace_back(db);
    if (rc != SQLITE_OK)
      return Error::unavailable(fmt::format("cannot open read connection {} of {} to {}: {}", i + 1, count, file,
                                            db ? sqlite3_errmsg(db) : "out of memory"));
    // A reader waits for a lock only in brief moments (a WAL restart, a
    // checkpoint truncating it, recovery after a crash); busy_timeout rides
    // them out instead of failing the read at once. Its own page cache, as
    // the writer's; sorts in memory.
    sqlite3_busy_timeout(db, static_cast<int>(kBusyTimeout.count()));
    PINGAN_RETURN_IF_ERROR(exec(db, "PRAGMA cache_size=-16384; PRAGMA temp_store=MEMORY;"));
  }
  std::lock_guard lock(mutex_);
  readers_ = std::move(opened);
  for (const auto& reader : readers_) idle_.push_back(reader.get());
  return {};
}

Result<ReadLease> ReadPool::lease() {
  if (readers_.empty()) {
    std::unique_lock writer_lock(writer_mutex_);
    PINGAN_RETURN_IF_ERROR(exec(writer_, "BEGIN"));
    return ReadLease(nullptr, writer_, std::move(writer_lock));
  }
  sqlite3* db = nullptr;
  {
    std::unique_lock lock(mutex_);
    returned_.wait(lock, [&] { return !idle_.empty(); });
    db = idle_.back();
    idle_.pop_back();
  }
  ReadLease lease(this, db, {});  // gives the connection back on every path
  PINGAN_RETURN_IF_ERROR(exec(db, "BEGIN"));
  return lease;
}

void ReadPool::give_back(sqlite3* db) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(db);
  }
  returned_.notify_one();
}

}  // namespace pingan::sqlite
