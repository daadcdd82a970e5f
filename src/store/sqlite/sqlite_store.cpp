#include "store/sqlite/sqlite_store.h"

#include <fmt/format.h>

#include <mutex>
#include <set>

#include "store/sqlite/sqlite_migrations.h"
#include "store/sqlite/sqlite_statement.h"

namespace pingan {

using sqlite::Statement;
using sqlite::Transaction;

namespace {

// Process-wide SQLite settings, before its first use. Memory statistics
// (on by default) take a global mutex and keep counters on every allocation:
// about a seventh of the instructions of a bulk insert, for figures pingan
// never reads. Multi-thread mode: no connection is used by two threads at
// once (the writer's mutex, one lease per read connection). Too late
// (SQLITE_MISUSE) if something else in the process used SQLite first, which
// only costs that speed.
void configure_sqlite_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
  });
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path, SqliteStoreOptions options) {
  configure_sqlite_once();
  sqlite3* db = nullptr;
  // NOMUTEX: every use of the connection holds mutex_ already.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Error::unavailable(fmt::format("cannot open database {}: {}", path, msg));
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(db, options.personal.cipher));
  sqlite3_busy_timeout(db, static_cast<int>(sqlite::kBusyTimeout.count()));
  PINGAN_RETURN_IF_ERROR(sqlite::exec(db,
      // page_size only takes effect on a new, empty file (before the WAL
      // switch and the first table). 8 KiB: fewer instructions per row than
      // 4 KiB for the 27-column incidents table, and half the WAL of 16 KiB,
      // whose pages an import rewrites whole for every scattered change (a
      // correction voiding an old record, a late-reported date in the
      // reported_at index). Existing files keep theirs.
      "PRAGMA page_size=8192; "
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
      "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"));
  PINGAN_RETURN_IF_ERROR(store->migrate());
  if (options.personal.cipher) {
    // Freed cells and pages zeroed, not left behind: once sealed, a plain
    // phone must not linger in a page's free space (issue 17).
    PINGAN_RETURN_IF_ERROR(sqlite::exec(db, "PRAGMA secure_delete=ON"));
    // Plain rows left by a store without keys (or by migration 9), sealed
    // before the store serves anything.
    PINGAN_RETURN_IF_ERROR(store->personal_store_.seal_due_rows(options.personal.reseal_all_on_open));
  }
  // After the sealing pass, which changes nothing anyone downstream sees.
  PINGAN_RETURN_IF_ERROR(store->change_log_.install());
  // After the WAL switch and the migrations: readers find the WAL in place
  // and the current schema.
  PINGAN_RETURN_IF_ERROR(store->reads_.open_readers(options.read_connections));
  return store;
}

SqliteStore::~SqliteStore() = default;

int SqliteStore::schema_version_locked() {
  Statement st(db_, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  auto row = st.next_row("reading the schema version");
  return row.ok() && *row ? int(st.column_int(0)) : 0;
}

int SqliteStore::schema_version() {
  std::lock_guard lock(mutex_);
  return schema_version_locked();
}

Status SqliteStore::migrate() {
  std::lock_guard lock(mutex_);
  PINGAN_RETURN_IF_ERROR(sqlite::exec(db_,
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
      "description TEXT NOT NULL, applied_at INTEGER NOT NULL)"));
  // Version numbers are reserved ahead and may land out of order: every
  // migration not recorded yet is applied, not only those above the highest.
  std::set<std::int64_t> applied;
  {
    // A failed read must not pass for "none applied": that would run them again.
    Statement done(db_, "SELECT version FROM schema_migrations");
    PINGAN_RETURN_IF_ERROR(done.each_row("reading the applied migrations",
                                         [&](const Statement& row) { applied.insert(row.column_int(0)); }));
  }
  for (const auto& m : sqlite::migrations()) {
    if (applied.count(m.version)) continue;
    Transaction tx(db_);
    PINGAN_RETURN_IF_ERROR(tx.begin());
    PINGAN_RETURN_IF_ERROR(sqlite::exec(db_, m.sql));
    Statement st(db_, "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)");
    st.bind(1, m.version);
    st.bind(2, m.description);
    st.bind(3, now_utc());
    if (st.step() != SQLITE_DONE) return sqlite::last_error(db_, "recording migration");
    PINGAN_RETURN_IF_ERROR(tx.commit());
  }
  return {};
}

}  // namespace pingan
