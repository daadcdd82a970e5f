#pragma once
// The durable, ordered log of committed changes to incidents and units
// (issue 19, "one change stream"). Every write of an incident or a unit
// through a store adds a row to the log inside the write's own transaction,
// tagged with the writing store's token; a server reads the rows other
// stores (other processes: an import while `pingan serve` runs) wrote after
// its last position and applies them to its indexes and live stream
// (Engine::catch_up). Changes that touch only personal data or its sealing
// are not logged: nothing downstream shows them.
//
// Implemented for SQLite (store/sqlite/sqlite_change_log.h) and PostgreSQL
// (store/postgres/pg_change_log.h).

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/incident.h"
#include "core/status.h"

namespace pingan {

enum class ChangeKind : std::uint8_t { kIncident, kUnits };

struct ChangeRecord {
  std::int64_t seq = 0;        // the log's position, increasing with each commit
  ChangeKind kind = ChangeKind::kIncident;
  IncidentId incident_id = 0;  // kIncident only
};

class ChangeLog {
 public:
  virtual ~ChangeLog() = default;

  // The position of the last change logged by anyone (0 for none).
  virtual Result<std::int64_t> last_position() = 0;
  // Up to `limit` changes after position `after` written by other stores
  // than this one, oldest first.
  virtual Result<std::vector<ChangeRecord>> changes_by_others(std::int64_t after, int limit) = 0;
  // Returns when another writer may have logged a change, or after
  // `timeout`: a follower's pause between catch-ups. PostgreSQL wakes on
  // NOTIFY; SQLite has no notification across processes and sleeps.
  virtual Status wait_for_changes(std::chrono::milliseconds timeout) = 0;
};

}  // namespace pingan
