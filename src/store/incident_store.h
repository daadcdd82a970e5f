#pragma once
// Incidents and their append-only events, durably. Implemented for SQLite
// (store/sqlite/sqlite_incident_store.h) and later PostgreSQL; only the
// engine calls it. Every read takes a UnitScope so that access control can
// narrow it; a record outside the scope is reported as not found.
//
// Writes are durable when the call returns OK (SQLite: WAL with
// synchronous=FULL), except batches inside begin_bulk() .. end_bulk().

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/incident.h"
#include "core/incident_filter.h"
#include "core/status.h"
#include "core/unit.h"

namespace pingan {

// Outcome of one batch of an import.
struct BatchResult {
  std::int64_t inserted = 0;
  std::int64_t duplicates = 0;  // (source, source_id) already present
  // Positions in the batch of the rows skipped as duplicates, ascending, so
  // that an importer can tell which of its files were imported before.
  std::vector<std::size_t> duplicate_rows;
  // Store ids of the inserted rows, in batch order (the rows not in
  // duplicate_rows), so that listeners of a bulk write can key on them.
  std::vector<IncidentId> inserted_ids;
};

class IncidentStore {
 public:
  virtual ~IncidentStore() = default;

  // Creates one validated incident and its first event (core's
  // intake_event(), whose incident_id the store fills in) in one
  // transaction. A (source, source_id) that exists already gives kAlreadyExists.
  virtual Result<Incident> create_incident(const Incident& incident, const IncidentEvent& first_event) = 0;
  // Inserts many validated incidents in one transaction, skipping those whose
  // (source, source_id) is present. Used by importers and the demo generator.
  // New records are never merged: one with merged_into set is refused.
  virtual Result<BatchResult> insert_incidents(std::span<const Incident> incidents) = 0;
  virtual Result<Incident> get_incident(IncidentId id, const UnitScope& scope) = 0;
  // The incidents of `ids` that exist, in that order, read on one
  // connection with one prepared statement (a follower applying an import's
  // thousands of changes; issue 19).
  virtual Result<std::vector<Incident>> get_incidents(std::span<const IncidentId> ids) = 0;
  virtual Result<IncidentPage> list_incidents(const IncidentFilter& filter) = 0;
  // Reads the incident, lets `apply` change it (returning an error to abort),
  // then writes the new state and appends the event, all in one transaction.
  virtual Result<Incident> update_incident(IncidentId id, const UnitScope& scope,
                                           const std::function<Status(Incident&)>& apply,
                                           const IncidentEvent& event_template) = 0;
  virtual Result<std::vector<IncidentEvent>> list_events(IncidentId id, const UnitScope& scope) = 0;
  // For an importer that matches its corrections in memory
  // (ingest/correction_targets.h) instead of through an index on the case
  // number: the live (not voided) incidents of `source` that carry a case
  // number, in id order.
  struct CaseRecord {
    IncidentId id = 0;
    std::string case_number;
    std::string original_code;
  };
  virtual Result<std::vector<CaseRecord>> live_case_records(const std::string& source) = 0;
  // Voids each listed incident that is still live and still has the case
  // number and code given, in one transaction (one durable commit).
  // voided[i] tells whether requests[i] did.
  struct VoidById {
    IncidentId id = 0;
    std::string case_number;  // the record must still carry these two
    std::string original_code;
    std::string reason;
  };
  virtual Result<std::vector<bool>> void_incidents(std::span<const VoidById> requests) = 0;
  // Bulk-import mode, for one importer at a time. Between begin_bulk() and
  // end_bulk(), insert_incidents() may commit without waiting for the disk
  // (a crash can lose those batches, never corrupt the store; an importer
  // re-runs idempotently). end_bulk() makes everything written so far durable
  // before it returns OK. Other writes stay durable when they return.
  virtual Status begin_bulk() = 0;
  virtual Status end_bulk() = 0;
  // Streams every incident (voided included) in id order, for building
  // in-memory indexes at start-up. One read: writes go on meanwhile and are
  // not seen by it. `visit` must not call the store (it runs inside the read).
  virtual Status scan_incidents(const std::function<void(const Incident&)>& visit) = 0;
  virtual Result<std::int64_t> count_incidents() = 0;

  // Moving a database to another store (`pingan migrate`, issue 19).
  // The events of `ids` (those that exist), by incident in `ids` order, then seq.
  virtual Result<std::vector<IncidentEvent>> events_of(std::span<const IncidentId> ids) = 0;
  // Stores records from another store as they are — their ids, lifecycle
  // times, merges, voids and events — in one transaction, skipping every
  // incident or event whose key is present already, so that a migration
  // run again goes on where it stopped. Personal fields are sealed under
  // this store's cipher. Returns how many incidents were stored. New ids
  // given by create_incident() afterwards come after the largest copied.
  virtual Result<std::int64_t> copy_in(std::span<const Incident> incidents, std::span<const IncidentEvent> events) = 0;
};

}  // namespace pingan
