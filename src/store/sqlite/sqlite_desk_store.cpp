// SqliteDeskStore: a desk step's patrol records and incident move, one
// BEGIN IMMEDIATE .. COMMIT. Any error on the way leaves the transaction to
// roll back (sqlite::Transaction), so nothing of the step is written.

#include "store/sqlite/sqlite_desk_store.h"

#include <fmt/format.h>

#include "store/sqlite/sqlite_statement.h"
#include "store/unit_claims.h"

namespace pingan {

Status SqliteDeskStore::check_claims_locked(std::span<const std::string> claims) {
  if (claims.empty()) return {};
  // Read on the writer inside the step's BEGIN IMMEDIATE: no other
  // connection (another server on the file) can write before the commit.
  sqlite::Statement st(db_, "SELECT status, assignment FROM patrol_units WHERE call_sign = ?");
  if (!st.valid()) return Error::internal(st.prepare_error());
  for (const std::string& call_sign : claims) {
    st.reset();
    st.bind(1, std::string_view(call_sign));
    PINGAN_ASSIGN_OR_RETURN(bool row, st.next_row(fmt::format("reading patrol unit '{}'", call_sign)));
    PINGAN_RETURN_IF_ERROR(stored::check_claim(call_sign, row, row ? st.column_text(0) : std::string(),
                                               row ? st.column_optional_int(1) : std::nullopt));
  }
  return {};
}

Result<std::optional<Incident>> SqliteDeskStore::save_desk_step(std::span<const std::string> claims,
                                                                std::span<const PatrolUnit> units,
                                                                std::span<const Assignment> assignments,
                                                                IncidentId id,
                                                                const std::function<Result<bool>(Incident&)>& apply,
                                                                const IncidentEvent& event_template) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  PINGAN_RETURN_IF_ERROR(check_claims_locked(claims));
  PINGAN_RETURN_IF_ERROR(patrol_.save_patrol_state_locked(units, assignments));
  PINGAN_ASSIGN_OR_RETURN(std::optional<Incident> moved,
                          incidents_.update_incident_locked(id, UnitScope::everything(), apply, event_template));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return moved;
}

}  // namespace pingan
