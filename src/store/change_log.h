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
// The dispatch desk's records are logged too (kPatrol, by call sign): a
// patrol unit's status or assignment, its assignments, and its stored track
// points, which are already downsampled (DispatchConfig::track_min_*), so
// another server's map follows a unit at the track's resolution while the
// raw AVL reports, several times as many, are never logged.
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

// kPatrol: a patrol unit's record, one of its assignments or a stored
// track point changed (the dispatch desk's state, shared between servers).
// kCase: a case, its parties, measures or money (record_id: the case);
// kFugitive: a fugitive listing (record_id); kDissuasion: a dissuasion
// task (record_id). Issue 20, store/case_store.h. kCamera: a camera of
// the registry (record_id: its row), issue 21, store/registry_store.h.
// kLedger: a ledger work item created or stepped (record_id: the item),
// issue 21, store/ledger_store.h.
enum class ChangeKind : std::uint8_t { kIncident, kUnits, kPatrol, kCase, kFugitive, kDissuasion, kCamera, kLedger };

struct ChangeRecord {
  std::int64_t seq = 0;        // the log's position, increasing with each commit
  ChangeKind kind = ChangeKind::kIncident;
  IncidentId incident_id = 0;  // kIncident only
  std::string call_sign;       // kPatrol only: the patrol unit whose records changed
  std::int64_t record_id = 0;  // kCase, kFugitive, kDissuasion, kCamera, kLedger: the record's id
};

class ChangeLog {
 public:
  virtual ~ChangeLog() = default;

  // The position of the last change logged by anyone (0 for none).
  virtual Result<std::int64_t> last_position() = 0;
  // The lowest position still in the log: the first row kept, or
  // last_position() + 1 when every row was pruned (rows are kept a week).
  // A reader at position p missed changes when first_position() > p + 1
  // (on PostgreSQL a rolled-back write also leaves a hole in the sequence,
  // so this may rarely claim a gap that is not one: the reader then
  // rebuilds, which is slow but right).
  virtual Result<std::int64_t> first_position() = 0;
  // Up to `limit` changes after position `after` written by other stores
  // than this one, oldest first.
  virtual Result<std::vector<ChangeRecord>> changes_by_others(std::int64_t after, int limit) = 0;
  // Returns when another writer may have logged a change, or after
  // `timeout`: a follower's pause between catch-ups. PostgreSQL wakes on
  // NOTIFY; SQLite has no notification across processes and sleeps.
  virtual Status wait_for_changes(std::chrono::milliseconds timeout) = 0;
};

}  // namespace pingan
