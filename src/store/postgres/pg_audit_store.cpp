#include "store/postgres/pg_audit_store.h"
// STUB: replaced by the real implementation.
namespace pingan {
Result<AuditEntry> PgAuditStore::append(AuditEntry entry, const AuditSeal& seal) { return Error::internal("PgAuditStore::append: not built yet"); }
Status PgAuditStore::search(const AuditQuery& query, const std::function<Status(const AuditEntry&)>& visit) { return Error::internal("PgAuditStore::search: not built yet"); }
Result<std::int64_t> PgAuditStore::count(const AuditQuery& query) { return Error::internal("PgAuditStore::count: not built yet"); }
Result<AuditAnchor> PgAuditStore::anchor() { return Error::internal("PgAuditStore::anchor: not built yet"); }
Result<std::int64_t> PgAuditStore::prune(Timestamp before, Timestamp now) { return Error::internal("PgAuditStore::prune: not built yet"); }
}  // namespace pingan
