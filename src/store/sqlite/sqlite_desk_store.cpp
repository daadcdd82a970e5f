// SqliteDeskStore: a desk step's patrol records and incident move, one
// BEGIN IMMEDIATE .. COMMIT. Any error on the way leaves the transaction to
// roll back (sqlite::Transaction), so nothing of the step is written.

#include "store/sqlite/sqlite_desk_store.h"

#include "store/sqlite/sqlite_statement.h"

namespace pingan {

Result<std::optional<Incident>> SqliteDeskStore::save_desk_step(std::span<const PatrolUnit> units,
                                                                std::span<const Assignment> assignments,
                                                                IncidentId id,
                                                                const std::function<Result<bool>(Incident&)>& apply,
                                                                const IncidentEvent& event_template) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  PINGAN_RETURN_IF_ERROR(patrol_.save_patrol_state_locked(units, assignments));
  PINGAN_ASSIGN_OR_RETURN(std::optional<Incident> moved,
                          incidents_.update_incident_locked(id, UnitScope::everything(), apply, event_template));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return moved;
}

}  // namespace pingan
