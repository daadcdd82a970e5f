#pragma once
// The desk's two-domain steps in SQLite: one transaction on the writer
// connection (and its mutex) of the SqliteStore that owns it, running the
// patrol store's and the incident store's writes inside it.

#include <sqlite3.h>

#include <mutex>

#include "store/desk_store.h"
#include "store/sqlite/sqlite_incident_store.h"
#include "store/sqlite/sqlite_patrol_store.h"

namespace pingan {

class SqliteDeskStore final : public DeskStore {
 public:
  SqliteDeskStore(std::mutex& mutex, sqlite3* db, SqliteIncidentStore& incidents, SqlitePatrolStore& patrol)
      : mutex_(mutex), db_(db), incidents_(incidents), patrol_(patrol) {}

  Result<std::optional<Incident>> save_desk_step(std::span<const std::string> claims,
                                                 std::span<const PatrolUnit> units,
                                                 std::span<const Assignment> assignments, IncidentId id,
                                                 const std::function<Result<bool>(Incident&)>& apply,
                                                 const IncidentEvent& event_template) override;

 private:
  // DeskStore's claims check, inside the step's transaction on the writer.
  Status check_claims_locked(std::span<const std::string> claims);

  std::mutex& mutex_;
  sqlite3* const db_;  // GUARDED_BY(mutex_): the writer
  SqliteIncidentStore& incidents_;
  SqlitePatrolStore& patrol_;
};

}  // namespace pingan
