#pragma once
// The desk's two-domain steps in PostgreSQL: the patrol store's and the
// incident store's statements on one leased connection, in one transaction.

#include "store/desk_store.h"
#include "store/postgres/pg_incident_store.h"
#include "store/postgres/pg_patrol_store.h"

namespace pingan {

class PgDeskStore final : public DeskStore {
 public:
  PgDeskStore(pg::Pool& pool, PgIncidentStore& incidents, PgPatrolStore& patrol)
      : pool_(pool), incidents_(incidents), patrol_(patrol) {}
  Result<std::optional<Incident>> save_desk_step(std::span<const std::string> claims,
                                                 std::span<const PatrolUnit> units,
                                                 std::span<const Assignment> assignments, IncidentId id,
                                                 const std::function<Result<bool>(Incident&)>& apply,
                                                 const IncidentEvent& event_template) override;

 private:
  // DeskStore's claims check on `c`, inside the step's transaction: the
  // claimed units' rows locked to the commit.
  Status check_claims_on(pg::Connection& c, std::span<const std::string> claims);

  pg::Pool& pool_;
  PgIncidentStore& incidents_;
  PgPatrolStore& patrol_;
};

}  // namespace pingan
