#pragma once
// The audit log in SQLite (migration 8): appends on the writer connection
// and mutex of the SqliteStore that owns it, reads on its read pool. The
// table's triggers refuse UPDATE and DELETE, so only prune() removes
// entries, and only a prefix.

#include <sqlite3.h>

#include <mutex>

#include "store/audit_store.h"
#include "store/sqlite/sqlite_read_pool.h"

namespace pingan {

class SqliteAuditStore final : public AuditStore {
 public:
  SqliteAuditStore(std::mutex& mutex, sqlite3* db, sqlite::ReadPool& reads) : mutex_(mutex), db_(db), reads_(reads) {}

  Result<AuditEntry> append(AuditEntry entry, const AuditSeal& seal) override;
  Result<std::vector<AuditEntry>> append_all(std::vector<AuditEntry> entries, const AuditSeal& seal) override;
  Status search(const AuditQuery& query, const std::function<Status(const AuditEntry&)>& visit) override;
  Result<std::int64_t> count(const AuditQuery& query) override;
  Result<AuditAnchor> anchor() override;
  Result<std::int64_t> prune(Timestamp before, Timestamp now) override;

 private:
  std::mutex& mutex_;
  sqlite3* const db_;  // GUARDED_BY(mutex_): the writer
  sqlite::ReadPool& reads_;
};

}  // namespace pingan
