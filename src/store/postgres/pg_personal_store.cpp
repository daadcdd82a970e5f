#include "store/postgres/pg_personal_store.h"
// STUB: replaced by the real implementation.
namespace pingan {
Result<std::int64_t> PgPersonalStore::reencrypt_batch(int limit) { return Error::internal("PgPersonalStore::reencrypt_batch: not built yet"); }
Result<std::int64_t> PgPersonalStore::count_due() { return Error::internal("PgPersonalStore::count_due: not built yet"); }
Status PgPersonalStore::seal_due_rows(bool all_keys) { return Error::internal("PgPersonalStore::seal_due_rows: not built yet"); }
}  // namespace pingan
