#pragma once
// The audit log in PostgreSQL (migration 8): appends serialised by an
// advisory lock held to commit (one chain across every server), triggers
// refusing UPDATE, DELETE outside prune() and TRUNCATE.

#include "store/audit_store.h"
#include "store/postgres/pg_pool.h"

namespace pingan {

class PgAuditStore final : public AuditStore {
 public:
  explicit PgAuditStore(pg::Pool& pool) : pool_(pool) {}
  Result<AuditEntry> append(AuditEntry entry, const AuditSeal& seal) override;
  Result<std::vector<AuditEntry>> append_all(std::vector<AuditEntry> entries, const AuditSeal& seal) override;
  Status search(const AuditQuery& query, const std::function<Status(const AuditEntry&)>& visit) override;
  Result<std::int64_t> count(const AuditQuery& query) override;
  Result<AuditAnchor> anchor() override;
  Result<std::int64_t> prune(Timestamp before, Timestamp now) override;

 private:
  pg::Pool& pool_;
};

}  // namespace pingan
