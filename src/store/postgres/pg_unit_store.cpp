#include "store/postgres/pg_unit_store.h"
// STUB: replaced by the real implementation.
namespace pingan {
Status PgUnitStore::upsert_units(std::span<const Unit> units) { return Error::internal("PgUnitStore::upsert_units: not built yet"); }
Result<std::vector<Unit>> PgUnitStore::list_units() { return Error::internal("PgUnitStore::list_units: not built yet"); }
}  // namespace pingan
