// PgDeskStore: a desk step's patrol records and incident move on one leased
// connection, one BEGIN .. COMMIT. Any error on the way leaves the
// transaction to roll back (pg::Transaction), so nothing of the step is
// written; the incident's key row stays locked from its read to the commit.

#include "store/postgres/pg_desk_store.h"

namespace pingan {

Result<std::optional<Incident>> PgDeskStore::save_desk_step(std::span<const PatrolUnit> units,
                                                            std::span<const Assignment> assignments, IncidentId id,
                                                            const std::function<Result<bool>(Incident&)>& apply,
                                                            const IncidentEvent& event_template) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  PINGAN_RETURN_IF_ERROR(patrol_.save_patrol_state_on(*c, units, assignments));
  PINGAN_ASSIGN_OR_RETURN(std::optional<Incident> moved,
                          incidents_.update_incident_on(*c, id, UnitScope::everything(), apply, event_template));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return moved;
}

}  // namespace pingan
