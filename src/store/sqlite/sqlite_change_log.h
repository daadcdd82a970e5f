#pragma once
// The change log (store/change_log.h) in SQLite: table `changes` (migration
// 10) filled by TEMP triggers on the writer connection of each SqliteStore,
// each writing the store's own random token, so that every write through
// pingan is logged in its transaction while other connections (the sqlite3
// shell, a repair) write nothing there. Migration 11 adds the dispatch
// desk's records (kind 'patrol': patrol units, assignments, stored track
// points, by call sign); migration 13 the case store's (kinds 'case',
// 'fugitive', 'dissuasion', by record_id). Rows older than a week are pruned
// when a store opens; a server needs only the changes since it started.

#include <sqlite3.h>

#include <mutex>
#include <string>

#include "store/change_log.h"
#include "store/sqlite/sqlite_read_pool.h"

namespace pingan {

class SqliteChangeLog final : public ChangeLog {
 public:
  SqliteChangeLog(std::mutex& mutex, sqlite3* db, sqlite::ReadPool& reads);

  // Creates the triggers on the writer connection and prunes old rows;
  // after the migrations, once per open.
  Status install();

  Result<std::int64_t> last_position() override;
  Result<std::int64_t> first_position() override;
  Result<std::vector<ChangeRecord>> changes_by_others(std::int64_t after, int limit) override;
  Status wait_for_changes(std::chrono::milliseconds timeout) override;

  const std::string& token() const { return token_; }

 private:
  // The patrol records' triggers (kind 'patrol'); mutex_ held.
  Status install_patrol_triggers();
  // The case store's triggers (kinds 'case', 'fugitive', 'dissuasion',
  // record_id); mutex_ held.
  Status install_case_triggers();

  std::mutex& mutex_;
  sqlite3* const db_;  // GUARDED_BY(mutex_): the writer
  sqlite::ReadPool& reads_;
  const std::string token_;  // this store's writer tag, random per open
};

}  // namespace pingan
