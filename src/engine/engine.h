#pragma once
// The engine is the only door to the records: every layer above it (the
// dispatch desk, analytics, importers, the faces) reads and writes through
// it, never through the store. It owns the store, the taxonomy and a cached
// unit tree, runs validation (core) before durable writes (store), and
// publishes an event after each write of incidents or units, so that
// listeners (analytics indexes, live streams) learn of every change from
// the events alone. Patrol records (engine_patrol.cpp) go through here too;
// the dispatch desk publishes their changes to its own listeners.
//
// Thread safety: all methods may be called from several threads. The unit
// tree snapshot is swapped under units_mutex_; listeners are called on the
// writing thread after the write is durable.

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/incident.h"
#include "core/taxonomy.h"
#include "core/unit.h"
#include "engine/case_records.h"
#include "engine/followup_ledger.h"
#include "engine/ledger_notices.h"
#include "engine/ledger_records.h"
#include "engine/registry_records.h"
#include "store/store.h"

namespace pingan {

struct EngineConfig {
  std::string db_location;  // SQLite file path (or later a postgresql:// URL)
  std::string data_dir;     // folder with taxonomy/; empty = shipped_data_dir()
  std::string time_zone = "Asia/Shanghai";  // the bureau's local clock for naive times
  PersonalDataOptions personal_data{};  // how personal data is sealed (store/store.h; issue 17)
  ReadReplicaOptions read_replica{};    // a replica for lists (store/store.h; `serve --read-replica`)
  // Whether transition() keeps each incident's follow-up ledger item in step
  // (engine/followup_ledger.h). false only to write moves as a crash between
  // the two writes would leave them (tests of reconcile_followups()).
  bool mirror_followups = true;
};

// What happened, for listeners.
struct IncidentChange {
  Incident incident;
  std::optional<IncidentEvent> event;  // empty for bulk imports
};

// A dispatch desk step that writes patrol records and moves their incident
// together (Engine::save_desk_step): a dispatch, an arrival.
struct DeskStep {
  // Units the step takes (a dispatch): each must still be available in the
  // store, or the step is refused with kConflict naming it and nothing is
  // written (DeskStore::save_desk_step): another server's desk may have
  // taken it since this one last caught up.
  std::span<const std::string> claims;
  std::span<const PatrolUnit> units;
  std::span<const Assignment> assignments;
  IncidentId incident_id = 0;
  TransitionRequest move;  // the incident's transition, when it moves
  // Sees the incident as stored, inside the step's transaction: true to move
  // it by `move`, false to leave it as it is (another unit's step or a
  // dispatcher moved it first), an error to refuse the whole step.
  std::function<Result<bool>(const Incident&)> moves_when;
};

class Engine {
 public:
  // Reads the taxonomy and the case rules from config.data_dir.
  static Result<std::unique_ptr<Engine>> open(const EngineConfig& config);
  // With a taxonomy read and checked already (config/settings.h); the case
  // rules are still read from config.data_dir (empty: the shipped data).
  static Result<std::unique_ptr<Engine>> open(const EngineConfig& config, Taxonomy taxonomy);

  const Taxonomy& taxonomy() const { return taxonomy_; }
  const TimeZone& time_zone() const { return zone_; }
  // A consistent snapshot of the unit tree (cheap to copy the pointer).
  std::shared_ptr<const UnitTree> units() const;

  int schema_version();
  // The audit log's store (auth/audit_log.h).
  AuditStore& audit_store();
  // Users, sessions and API tokens: the records auth/ keeps, behind the same door.
  UserStore& user_store() { return store_->users(); }

  // Validates and stores units, refreshes the tree snapshot and publishes it
  // to the unit listeners.
  Status upsert_units(std::vector<Unit> batch);

  // Validates, fills the unit from the location when missing (the deepest unit
  // whose boundary holds it), stores, publishes. `actor` is recorded on the event.
  Result<Incident> create_incident(Incident incident, const std::string& actor);
  Result<Incident> get_incident(IncidentId id, const UnitScope& scope);
  Result<IncidentPage> list_incidents(const IncidentFilter& filter);
  Result<Incident> transition(IncidentId id, const UnitScope& scope, const TransitionRequest& request);
  Result<std::vector<IncidentEvent>> events(IncidentId id, const UnitScope& scope);
  // Links the duplicate call `id` under incident `into` (merged_into), with
  // an event "merged into #<into>"; statistics count `into` only, and both
  // stay readable. Refused: into itself, into a merged or voided incident,
  // an incident already merged or voided, or one that has calls merged into
  // it; an incident outside `scope` is not found.
  Result<Incident> merge(IncidentId id, IncidentId into, const UnitScope& scope, const std::string& actor);
  // The calls merged into `id`, oldest first.
  Result<std::vector<Incident>> merged_calls(IncidentId id, const UnitScope& scope);

  // Bulk path for importers and the demo: rows are validated by the caller
  // (validate_new_incident) and written in one transaction.
  Result<BatchResult> insert_batch(std::span<const Incident> incidents);
  // Bulk-import mode around an importer's batches (IncidentStore::begin_bulk).
  Status begin_bulk();
  Status end_bulk();
  // An importer's corrections: the live incidents of `source` with a case
  // number, and voiding them by id (IncidentStore::void_incidents). Each
  // incident voided is published like any other change.
  Result<std::vector<IncidentStore::CaseRecord>> live_case_records(const std::string& source);
  Result<std::vector<bool>> void_incidents(std::span<const IncidentStore::VoidById> requests);
  // Every incident (voided and merged included) in id order, for building
  // in-memory indexes; count_incidents() for their progress.
  Status scan_incidents(const std::function<void(const Incident&)>& visit);
  Result<std::int64_t> count_incidents();
  // Moving a database to another store (`pingan migrate`; engine_copy.cpp,
  // IncidentStore documents each): records read by id with their events,
  // and stored elsewhere as they are. Nothing is published: a migration
  // runs with no server on the target.
  Result<std::vector<Incident>> incidents_by_id(std::span<const IncidentId> ids);
  Result<std::vector<IncidentEvent>> events_of(std::span<const IncidentId> ids);
  Result<std::int64_t> copy_in(std::span<const Incident> incidents, std::span<const IncidentEvent> events);

  // --- cases, persons, measures, fugitives, fraud money, dissuasion
  // (issue 20; case_records.h) ---
  CaseRecords& cases() { return *cases_; }
  // --- the base registry and its cameras (issue 21; registry_records.h) ---
  RegistryRecords& registry() { return *registry_; }
  // --- ledger work items (issue 21; ledger_records.h): the types of
  // <data_dir>/ledgers, read when the engine opens ---
  LedgerRecords& ledgers() { return *ledgers_; }
  // The reminders and escalations of their deadlines (ledger_notices.h).
  LedgerNotices& ledger_notices() { return *ledger_notices_; }
  // The follow-up loop's items (issue 21; followup_ledger.h): transition()
  // keeps the `followup` ledger item of each incident in the loop in step
  // after the incident's move is durable; this catch-up brings every item
  // that lags its incident (a crash between the two writes, incidents
  // written in bulk by the demo or an importer) in line, and does nothing to
  // items in step. Reads every incident: run it at start-up or on demand,
  // not per request. Refusals and failures are logged and counted. An
  // engine whose data has no `followup` type mirrors nothing.
  Result<FollowupReconcile> reconcile_followups();
  // The follow-up mirror, or null when the data has no `followup` type.
  FollowupLedger* followups() { return followups_.get(); }

  // --- patrol records, for the dispatch desk, the demo and patrol
  // statistics (engine_patrol.cpp; PatrolStore documents each) ---
  Status save_patrol_state(std::span<const PatrolUnit> units, std::span<const Assignment> assignments);
  Result<std::vector<PatrolUnit>> list_patrol_units();
  Result<std::vector<Assignment>> list_assignments(Timestamp from, Timestamp until);
  Result<std::vector<Assignment>> list_open_assignments();
  Status append_track_points(std::span<const UnitPosition> points);
  Result<std::vector<UnitPosition>> list_track_points(const std::string& call_sign, Timestamp from,
                                                      Timestamp until);
  Result<std::vector<UnitPosition>> latest_track_points();
  // The named units' records in one snapshot (PatrolStore::patrol_records_of).
  Result<PatrolRecords> patrol_records_of(std::span<const std::string> call_signs);
  Status upsert_posts(std::span<const PatrolPost> posts);
  Result<std::vector<PatrolPost>> list_posts();
  Result<PatrolShift> add_shift(const PatrolShift& shift);
  Result<std::vector<PatrolShift>> list_shifts(Timestamp from, Timestamp until);

  // --- the desk's steps that move an incident (engine_desk.cpp) ---
  // Writes the step's units and assignments and moves its incident in one
  // store transaction (DeskStore): after a crash both are there or neither.
  // A refused move (apply_transition's rules, or `moves_when`'s error)
  // writes nothing; its message names the incident. After the commit the
  // incident's change is published when it moved, as transition() does; the
  // units' changes are the desk's to publish. Returns the incident as moved,
  // or nullopt when the step left it as it was.
  Result<std::optional<Incident>> save_desk_step(const DeskStep& step);

  // Listeners are called after each durable write; keep them quick.
  using Listener = std::function<void(const IncidentChange&)>;
  void subscribe(Listener listener);

  // Applies what other processes committed since this engine last looked
  // (the store's change log: an import while `pingan serve` runs). Each
  // incident changed is read back and published as if written here; a
  // change of the units reloads the tree and publishes it. Listeners'
  // upserts are idempotent, so a change seen twice does no harm. Returns
  // how many changes were applied (at most `limit`); `pingan serve` calls
  // it every 200 ms. Starts from the log's end when the engine opened, so
  // an index built after open() misses nothing.
  //
  // A follower that fell behind further than the log keeps (a week: the
  // server was stopped or hung while another process pruned it) cannot
  // replay what it missed: catch_up() then calls the resync listeners, which
  // rebuild from the store (the analytics index scans it again), moves to the
  // log's end and logs a warning saying so; follow_state() counts it.
  Result<int> catch_up(int limit = 10'000);
  struct FollowState {
    std::int64_t position = 0;  // the last change catch_up() took in
    std::int64_t last = 0;      // the last change in the log
    int resyncs = 0;            // rebuilds after a gap in the log
    std::string last_resync;    // why the last one happened; empty: none
  };
  Result<FollowState> follow_state();
  // Starts following at `position` instead of the log's end at open: for an
  // index loaded from a snapshot taken at that position, so that the next
  // catch_up() calls replay every change since. Refused (kConflict on "position",
  // saying why) when the log no longer holds every change after `position`
  // or never reached it (a snapshot of another database); the position is
  // then left as it was.
  Status follow_from(std::int64_t position);
  // Resync listeners rebuild what they derive from the records (see catch_up).
  using ResyncListener = std::function<Status()>;
  void subscribe_resync(ResyncListener listener);
  // Returns when another writer may have committed (PostgreSQL: a NOTIFY
  // from the change log's triggers) or after `timeout` (SQLite polls): the
  // follower's pause between catch_up() calls.
  Status wait_for_changes(std::chrono::milliseconds timeout);
  // Unit listeners get the new tree after each change of the units.
  using UnitsListener = std::function<void(const std::shared_ptr<const UnitTree>&)>;
  void subscribe_units(UnitsListener listener);
  // Patrol listeners (the dispatch desk) get, from catch_up(), the call
  // signs whose patrol records another process changed (ChangeKind::kPatrol:
  // status, assignments, stored track points), each once per catch-up, after
  // the incidents of the same catch-up are published. They re-read the
  // records themselves; an error leaves the position for a retry, so a
  // listener must take the same call signs twice without harm.
  using PatrolListener = std::function<Status(const std::vector<std::string>& call_signs)>;
  void subscribe_patrol(PatrolListener listener);

 private:
  Engine() = default;
  Status reload_units();
  // catch_up() found changes after `position` pruned (the log starts at
  // `first`): rebuild through the resync listeners and follow from `end`.
  Result<int> resync_locked(std::int64_t position, std::int64_t first, std::int64_t end);
  void publish(const IncidentChange& change);
  // Publishes a stored transition: the event as update_incident() wrote it
  // from `event_template` (to, at from the incident's step time), and
  // returns that event.
  IncidentEvent publish_transition(const Incident& updated, IncidentEvent event_template);

  EngineConfig config_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<CaseRecords> cases_;  // on store_: declared after it
  std::unique_ptr<RegistryRecords> registry_;  // on store_: declared after it
  std::unique_ptr<LedgerRecords> ledgers_;     // on store_: declared after it
  std::unique_ptr<LedgerNotices> ledger_notices_;  // on ledgers_: declared after it
  std::unique_ptr<FollowupLedger> followups_;      // on ledgers_; null without a followup type
  Taxonomy taxonomy_;
  TimeZone zone_;
  mutable std::mutex units_mutex_;
  std::shared_ptr<const UnitTree> units_;  // GUARDED_BY(units_mutex_)
  // Merges run one at a time: a merge checks its target, then writes the
  // call, and two merges crossing (A into B while B goes into C) must not
  // both pass their checks and leave a chain.
  std::mutex merge_mutex_;
  std::mutex follow_mutex_;
  std::int64_t followed_ = 0;  // GUARDED_BY(follow_mutex_): the change log position applied
  int resyncs_ = 0;            // GUARDED_BY(follow_mutex_)
  std::string last_resync_;    // GUARDED_BY(follow_mutex_)
  std::vector<ResyncListener> resync_listeners_;  // GUARDED_BY(follow_mutex_)
  // Called with follow_mutex_ held, not listeners_mutex_: the desk's re-read
  // waits for its own writes, which publish incidents (listeners_mutex_).
  std::vector<PatrolListener> patrol_listeners_;  // GUARDED_BY(follow_mutex_)
  std::mutex listeners_mutex_;
  std::vector<Listener> listeners_;             // GUARDED_BY(listeners_mutex_)
  std::vector<UnitsListener> units_listeners_;  // GUARDED_BY(listeners_mutex_)
};

}  // namespace pingan
