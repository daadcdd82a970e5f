#pragma once
// The engine is the one API that every face of pingan calls: HTTP handlers,
// the CLI and tests. It owns the store, the taxonomy and a cached unit tree,
// runs validation (core) before durable writes (store), and publishes an
// event after each write for listeners (analytics index, live streams).
//
// Thread safety: all methods may be called from several threads. The unit
// tree snapshot is swapped under units_mutex_; listeners are called on the
// writing thread after the write is durable.

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/incident.h"
#include "core/taxonomy.h"
#include "core/unit.h"
#include "store/store.h"

namespace pingan {

struct EngineConfig {
  std::string db_location;  // SQLite file path (or later a postgresql:// URL)
  std::string data_dir;     // folder with taxonomy/ and mappings/; empty = shipped data/
  std::string time_zone = "Asia/Shanghai";  // the bureau's local clock for naive times
};

// What happened, for listeners.
struct IncidentChange {
  Incident incident;
  std::optional<IncidentEvent> event;  // empty for bulk imports
};

class Engine {
 public:
  static Result<std::unique_ptr<Engine>> open(const EngineConfig& config);

  Store& store() { return *store_; }
  const Taxonomy& taxonomy() const { return taxonomy_; }
  const TimeZone& time_zone() const { return zone_; }
  // A consistent snapshot of the unit tree (cheap to copy the pointer).
  std::shared_ptr<const UnitTree> units() const;

  // Validates and stores units, then refreshes the tree snapshot.
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

  // Listeners are called after each durable write; keep them quick.
  using Listener = std::function<void(const IncidentChange&)>;
  void subscribe(Listener listener);

 private:
  Engine() = default;
  Status reload_units();
  void publish(const IncidentChange& change);

  EngineConfig config_;
  std::unique_ptr<Store> store_;
  Taxonomy taxonomy_;
  TimeZone zone_;
  mutable std::mutex units_mutex_;
  std::shared_ptr<const UnitTree> units_;  // GUARDED_BY(units_mutex_)
  // Merges run one at a time: a merge checks its target, then writes the
  // call, and two merges crossing (A into B while B goes into C) must not
  // both pass their checks and leave a chain.
  std::mutex merge_mutex_;
  std::mutex listeners_mutex_;
  std::vector<Listener> listeners_;  // GUARDED_BY(listeners_mutex_)
};

}  // namespace pingan
