#include "store/postgres/pg_desk_store.h"
// STUB: replaced by the real implementation.
namespace pingan {
Result<std::optional<Incident>> PgDeskStore::save_desk_step(std::span<const PatrolUnit> units,
                                                 std::span<const Assignment> assignments, IncidentId id,
                                                 const std::function<Result<bool>(Incident&)>& apply,
                                                 const IncidentEvent& event_template) { return Error::internal("PgDeskStore::save_desk_step: not built yet"); }
}  // namespace pingan
