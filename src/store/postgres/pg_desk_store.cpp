// PgDeskStore: a desk step's patrol records and incident move on one leased
// connection, one BEGIN .. COMMIT. Any error on the way leaves the
// transaction to roll back (pg::Transaction), so nothing of the step is
// written; the incident's key row stays locked from its read to the commit.

#include "store/postgres/pg_desk_store.h"

#include <map>

#include "store/postgres/pg_array.h"
#include "store/unit_claims.h"

namespace pingan {

Status PgDeskStore::check_claims_on(pg::Connection& c, std::span<const std::string> claims) {
  if (claims.empty()) return {};
  pg::ArrayLiteral signs;
  for (const std::string& call_sign : claims) signs.add(call_sign);
  pg::Params p;
  p.add(signs.str());
  // FOR UPDATE: another server's dispatch of the same unit waits here until
  // this step commits, then reads the unit as this step left it (en route)
  // and is refused. Locked in call-sign order, so two steps claiming
  // overlapping sets cannot wait on each other.
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r,
                          c.exec("SELECT call_sign, status, assignment FROM patrol_units "
                                 "WHERE call_sign = ANY($1::text[]) ORDER BY call_sign FOR UPDATE",
                                 p, "locking the claimed patrol units"));
  std::map<std::string, int, std::less<>> rows;
  for (int i = 0; i < r.rows(); ++i) rows.emplace(r.text(i, 0), i);
  for (const std::string& call_sign : claims) {
    auto it = rows.find(call_sign);
    const bool found = it != rows.end();
    PINGAN_RETURN_IF_ERROR(stored::check_claim(call_sign, found, found ? r.view(it->second, 1) : std::string_view(),
                                               found ? r.opt_int64(it->second, 2) : std::nullopt));
  }
  return {};
}

Result<std::optional<Incident>> PgDeskStore::save_desk_step(std::span<const std::string> claims,
                                                            std::span<const PatrolUnit> units,
                                                            std::span<const Assignment> assignments, IncidentId id,
                                                            const std::function<Result<bool>(Incident&)>& apply,
                                                            const IncidentEvent& event_template) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  PINGAN_RETURN_IF_ERROR(check_claims_on(*c, claims));
  PINGAN_RETURN_IF_ERROR(patrol_.save_patrol_state_on(*c, units, assignments));
  PINGAN_ASSIGN_OR_RETURN(std::optional<Incident> moved,
                          incidents_.update_incident_on(*c, id, UnitScope::everything(), apply, event_template));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return moved;
}

}  // namespace pingan
