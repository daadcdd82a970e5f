#pragma once
// The durable record. One interface, implemented for SQLite (embedded
// default) and later PostgreSQL; the dialect lives only in the
// implementations. Every read takes a UnitScope so that access control can
// narrow it; a record outside the scope is reported as not found.
//
// Thread safety: a Store may be shared by the HTTP worker threads; each
// implementation serialises what it must. Writes are durable when the call
// returns OK (SQLite: WAL with synchronous=FULL).

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/incident.h"
#include "core/status.h"
#include "core/unit.h"
#include "dispatch/patrol_post.h"
#include "dispatch/patrol_unit.h"

namespace pingan {

struct IncidentFilter {
  UnitScope scope = UnitScope::everything();
  std::vector<std::string> class_codes;
  std::vector<std::string> type_codes;
  std::vector<IncidentStatus> statuses;
  std::optional<Timestamp> from;   // reported_at >= from
  std::optional<Timestamp> until;  // reported_at < until
  std::optional<BoundingBox> bbox;
  std::string source;
  bool include_voided = false;
  // Only the calls merged into this incident (Engine::merge); merged calls
  // are listed like any other record otherwise.
  std::optional<IncidentId> merged_into;
  int limit = 100;   // 1..1000
  std::int64_t offset = 0;
};

struct IncidentPage {
  std::vector<Incident> items;
  std::int64_t total = 0;  // matching records, ignoring limit/offset
};

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

class Store {
 public:
  virtual ~Store() = default;

  // Applies pending migrations; safe to call on every open.
  virtual Status migrate() = 0;
  virtual int schema_version() = 0;

  // --- units ---
  // Inserts or updates by code. Parents must already exist or be in the batch.
  virtual Status upsert_units(std::span<const Unit> units) = 0;
  virtual Result<std::vector<Unit>> list_units() = 0;

  // --- incidents ---
  // Creates one validated incident and its first event in one transaction.
  // A (source, source_id) that exists already gives kAlreadyExists.
  virtual Result<Incident> create_incident(const Incident& incident, const std::string& actor) = 0;
  // Inserts many validated incidents in one transaction, skipping those whose
  // (source, source_id) is present. Used by importers and the demo generator.
  // New records are never merged: one with merged_into set is refused.
  virtual Result<BatchResult> insert_incidents(std::span<const Incident> incidents) = 0;
  virtual Result<Incident> get_incident(IncidentId id, const UnitScope& scope) = 0;
  virtual Result<IncidentPage> list_incidents(const IncidentFilter& filter) = 0;
  // Reads the incident, lets `apply` change it (returning an error to abort),
  // then writes the new state and appends the event, all in one transaction.
  virtual Result<Incident> update_incident(IncidentId id, const UnitScope& scope,
                                           const std::function<Status(Incident&)>& apply,
                                           const IncidentEvent& event_template) = 0;
  virtual Result<std::vector<IncidentEvent>> list_events(IncidentId id, const UnitScope& scope) = 0;
  // Voids the oldest live incident of `source` with this case number and
  // original code (a St. Louis Count=-1 correction). Returns false if none.
  virtual Result<bool> void_matching(const std::string& source, const std::string& case_number,
                                     const std::string& original_code, const std::string& reason) = 0;
  // For an importer that matches its corrections in memory
  // (ingest/correction_targets.h) instead of through an index on the case
  // number: the live (not voided) incidents of `source` that carry a case
  // number, in id order.
  struct CaseRecord {
    IncidentId id = 0;
    std::string case_number;
    std::string original_code;
  };
  virtual Result<std::vector<CaseRecord>> live_case_records(const std::string& source) {
    return Error::unavailable("this store cannot list case records");
  }
  // Voids each listed incident that is still live and still has the case
  // number and code given, in one transaction (one durable commit).
  // voided[i] tells whether requests[i] did.
  struct VoidById {
    IncidentId id = 0;
    std::string case_number;  // the record must still carry these two
    std::string original_code;
    std::string reason;
  };
  virtual Result<std::vector<bool>> void_incidents(std::span<const VoidById> requests) {
    return Error::unavailable("this store cannot void by id");
  }
  // Bulk-import mode, for one importer at a time. Between begin_bulk() and
  // end_bulk(), insert_incidents() may commit without waiting for the disk
  // (a crash can lose those batches, never corrupt the store; an importer
  // re-runs idempotently). end_bulk() makes everything written so far durable
  // before it returns OK. Other writes stay durable when they return.
  virtual Status begin_bulk() { return {}; }
  virtual Status end_bulk() { return {}; }
  // Streams every incident (voided included) in id order, for building
  // in-memory indexes at start-up.
  virtual Status scan_incidents(const std::function<void(const Incident&)>& visit) = 0;
  virtual Result<std::int64_t> count_incidents() = 0;

  // --- patrol units, dispatch records and tracks (issue 4; src/dispatch) ---
  // The defaults refuse: a store that keeps no patrol units says so.
  // Inserts or updates units by call sign and assignments by (incident_id,
  // call_sign, dispatched_at), all in one transaction.
  virtual Status save_patrol_state(std::span<const dispatch::PatrolUnit> units,
                                   std::span<const dispatch::Assignment> assignments) {
    return Error::unavailable("this store keeps no patrol units");
  }
  virtual Result<std::vector<dispatch::PatrolUnit>> list_patrol_units() {
    return Error::unavailable("this store keeps no patrol units");
  }
  // Assignments dispatched in [from, until), by dispatched_at then call sign.
  virtual Result<std::vector<dispatch::Assignment>> list_assignments(Timestamp from, Timestamp until) {
    return Error::unavailable("this store keeps no dispatch records");
  }
  // Assignments not cleared yet (units en route or on scene).
  virtual Result<std::vector<dispatch::Assignment>> list_open_assignments() {
    return Error::unavailable("this store keeps no dispatch records");
  }
  // Appends downsampled track points in one transaction (one durable commit);
  // a point whose (call_sign, at) is stored already is skipped.
  virtual Status append_track_points(std::span<const dispatch::UnitPosition> points) {
    return Error::unavailable("this store keeps no tracks");
  }
  // Points with from <= at < until of one unit (empty call sign: every unit),
  // in (call_sign, at) order.
  virtual Result<std::vector<dispatch::UnitPosition>> list_track_points(const std::string& call_sign,
                                                                         Timestamp from, Timestamp until) {
    return Error::unavailable("this store keeps no tracks");
  }
  // The newest stored point of every unit, by call sign.
  virtual Result<std::vector<dispatch::UnitPosition>> latest_track_points() {
    return Error::unavailable("this store keeps no tracks");
  }

  // --- patrol posts and shifts (issue 4; dispatch/patrol_post.h) ---
  // Inserts or updates posts by code, in one transaction.
  virtual Status upsert_posts(std::span<const dispatch::PatrolPost> posts) {
    return Error::unavailable("this store keeps no posts");
  }
  virtual Result<std::vector<dispatch::PatrolPost>> list_posts() {
    return Error::unavailable("this store keeps no posts");
  }
  // Stores a validated shift; returns it with its id.
  virtual Result<dispatch::PatrolShift> add_shift(const dispatch::PatrolShift& shift) {
    return Error::unavailable("this store keeps no shifts");
  }
  // Shifts overlapping [from, until), by start then id.
  virtual Result<std::vector<dispatch::PatrolShift>> list_shifts(Timestamp from, Timestamp until) {
    return Error::unavailable("this store keeps no shifts");
  }
};

// Opens a store from a location: a file path (SQLite) or, later, a
// postgresql:// URL. Runs migrations.
Result<std::unique_ptr<Store>> open_store(const std::string& location);

}  // namespace pingan
