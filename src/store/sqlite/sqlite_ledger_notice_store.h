#pragma once
// The ledger scheduler's notices in SQLite (store/ledger_notice_store.h;
// table ledger_notices of migration 17). record() is one BEGIN IMMEDIATE
// transaction of INSERT OR IGNORE on the writer under the SqliteStore's
// mutex, so two processes on one file record each event once; list() reads
// on the read pool.

#include <sqlite3.h>

#include <mutex>

#include "store/ledger_notice_store.h"
#include "store/sqlite/sqlite_read_pool.h"

namespace pingan {

class SqliteLedgerNoticeStore final : public LedgerNoticeStore {
 public:
  SqliteLedgerNoticeStore(std::mutex& mutex, sqlite3* db, sqlite::ReadPool& reads)
      : mutex_(mutex), db_(db), reads_(reads) {}

  Result<std::vector<LedgerNotice>> record(const std::vector<LedgerNotice>& notices) override;
  Result<std::vector<LedgerNotice>> list(const LedgerNoticeFilter& filter) override;

 private:
  std::mutex& mutex_;
  sqlite3* const db_;  // GUARDED_BY(mutex_): the writer
  sqlite::ReadPool& reads_;
};

}  // namespace pingan
