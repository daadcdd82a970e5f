#include "engine/engine.h"

#include <fmt/format.h>

#include "core/code_checks.h"

namespace pingan {

Result<std::unique_ptr<Engine>> Engine::open(const EngineConfig& config) {
  const std::string data_dir = data_dir_or_shipped(config.data_dir);
  PINGAN_ASSIGN_OR_RETURN(Taxonomy taxonomy, Taxonomy::load_csv(data_dir + "/" + kTaxonomyFile));
  return open(config, std::move(taxonomy));
}

Result<std::unique_ptr<Engine>> Engine::open(const EngineConfig& config, Taxonomy taxonomy) {
  std::unique_ptr<Engine> e(new Engine());
  e->config_ = config;
  PINGAN_ASSIGN_OR_RETURN(e->zone_, TimeZone::locate(config.time_zone));
  e->taxonomy_ = std::move(taxonomy);
  // The case rules before the store: a bad file is refused before any
  // database is opened or migrated.
  PINGAN_ASSIGN_OR_RETURN(CaseRules case_rules, load_case_rules(data_dir_or_shipped(config.data_dir)));
  PINGAN_ASSIGN_OR_RETURN(PlaceCategories place_categories, load_place_categories(data_dir_or_shipped(config.data_dir)));
  PINGAN_ASSIGN_OR_RETURN(LedgerCatalogue ledger_types, LedgerCatalogue::load(config.data_dir));
  PINGAN_ASSIGN_OR_RETURN(e->store_, open_store(config.db_location, config.personal_data, config.read_replica));
  Engine* engine = e.get();
  e->cases_ = std::make_unique<CaseRecords>(
      e->store_->cases(), std::move(case_rules), [engine] { return engine->units(); },
      [engine](IncidentId id) { return status_of(engine->store_->incidents().get_incident(id, UnitScope::everything())); });
  e->registry_ = std::make_unique<RegistryRecords>(e->store_->registry(), e->store_->cases(),
                                                   std::move(place_categories), [engine] { return engine->units(); });
  e->ledgers_ = std::make_unique<LedgerRecords>(e->store_->ledgers(), std::move(ledger_types),
                                                 [engine] { return engine->units(); });
  e->ledger_notices_ = std::make_unique<LedgerNotices>(e->store_->ledger_notices(), *e->ledgers_);
  if (Result<const LedgerDefinition*> followup = e->ledgers_->type(kFollowupLedgerType); followup.ok())
    e->followups_ = std::make_unique<FollowupLedger>(*e->ledgers_, e->store_->ledgers(), **followup,
                                                     [engine] { return engine->units(); });
  // Before anything reads the records to build on them: whatever others
  // commit from here on reaches catch_up().
  PINGAN_ASSIGN_OR_RETURN(e->followed_, e->store_->changes().last_position());
  PINGAN_RETURN_IF_ERROR(e->reload_units());
  return e;
}

std::shared_ptr<const UnitTree> Engine::units() const {
  std::lock_guard lock(units_mutex_);
  return units_;
}

int Engine::schema_version() { return store_->schema_version(); }

Status Engine::reload_units() {
  PINGAN_ASSIGN_OR_RETURN(auto units, store_->units().list_units());
  PINGAN_ASSIGN_OR_RETURN(UnitTree tree, UnitTree::build(std::move(units)));
  auto snapshot = std::make_shared<const UnitTree>(std::move(tree));
  std::lock_guard lock(units_mutex_);
  units_ = std::move(snapshot);
  return {};
}

Status Engine::upsert_units(std::vector<Unit> batch) {
  for (size_t i = 0; i < batch.size(); ++i) {
    Status st = validate_unit(batch[i]);
    if (!st.ok()) {
      Error e = st.error();
      e.message = fmt::format("unit #{} ('{}'): {}", i + 1, batch[i].code, e.message);
      return e;
    }
  }
  // Check the resulting tree before writing, so a bad batch changes nothing.
  std::vector<Unit> merged = units()->units();
  for (const Unit& u : batch) {
    auto it = std::find_if(merged.begin(), merged.end(), [&](const Unit& m) { return m.code == u.code; });
    if (it == merged.end()) merged.push_back(u);
    else *it = u;
  }
  PINGAN_RETURN_IF_ERROR(UnitTree::build(std::move(merged)));
  PINGAN_RETURN_IF_ERROR(store_->units().upsert_units(batch));
  PINGAN_RETURN_IF_ERROR(reload_units());
  std::shared_ptr<const UnitTree> tree = units();
  std::lock_guard lock(listeners_mutex_);
  for (auto& l : units_listeners_) l(tree);
  return {};
}

Result<Incident> Engine::create_incident(Incident incident, const std::string& actor) {
  incident.id = 0;
  incident.status = IncidentStatus::kReceived;
  incident.times = {};
  incident.followup.reset();
  incident.voided = false;
  incident.void_reason.clear();
  incident.merged_into.reset();
  PINGAN_RETURN_IF_ERROR(validate_new_incident(incident, taxonomy_, now_utc()));
  auto tree = units();
  if (!incident.unit_code.empty()) {
    PINGAN_RETURN_IF_ERROR(require_unit(*tree, incident.unit_code));
  } else if (incident.location) {
    if (const Unit* u = tree->locate(*incident.location)) incident.unit_code = u->code;
  }
  IncidentEvent intake = intake_event(incident, actor);
  PINGAN_ASSIGN_OR_RETURN(Incident stored, store_->incidents().create_incident(incident, intake));
  intake.incident_id = stored.id;
  publish(IncidentChange{stored, intake});
  return stored;
}

Result<Incident> Engine::get_incident(IncidentId id, const UnitScope& scope) {
  return store_->incidents().get_incident(id, scope);
}

Result<IncidentPage> Engine::list_incidents(const IncidentFilter& filter) {
  if (filter.limit < 1 || filter.limit > 1000)
    return Error::invalid("limit", fmt::format("limit {} is outside 1..1000", filter.limit));
  if (filter.offset < 0) return Error::invalid("offset", "offset may not be negative");
  if (filter.from && filter.until && *filter.until <= *filter.from)
    return Error::invalid("to", "the end of the time range must be after its start");
  PINGAN_RETURN_IF_ERROR(check_class_codes(taxonomy_, filter.class_codes));
  PINGAN_RETURN_IF_ERROR(check_type_codes(taxonomy_, filter.type_codes));
  if (!filter.scope.all) PINGAN_RETURN_IF_ERROR(check_unit_codes(*units(), filter.scope.root_codes));
  return store_->incidents().list_incidents(filter);
}

Result<Incident> Engine::transition(IncidentId id, const UnitScope& scope,
                                    const TransitionRequest& request) {
  Timestamp now = now_utc();
  IncidentEvent event_template;
  event_template.actor = request.actor;
  event_template.note = request.note;
  PINGAN_ASSIGN_OR_RETURN(
      Incident updated,
      store_->incidents().update_incident(id, scope, [&](Incident& inc) { return apply_transition(inc, request, now); },
                              event_template));
  IncidentEvent moved = publish_transition(updated, event_template);
  // After the incident's write is durable; never changes the answer.
  if (followups_ && config_.mirror_followups) followups_->after_transition(updated, moved);
  return updated;
}

IncidentEvent Engine::publish_transition(const Incident& updated, IncidentEvent event) {
  event.incident_id = updated.id;
  event.to = updated.status;
  if (const auto* t = updated.times.slot(updated.status); t && t->has_value()) event.at = **t;
  publish(IncidentChange{updated, event});
  return event;
}

Result<std::vector<IncidentEvent>> Engine::events(IncidentId id, const UnitScope& scope) {
  return store_->incidents().list_events(id, scope);
}

Result<BatchResult> Engine::insert_batch(std::span<const Incident> incidents) {
  PINGAN_ASSIGN_OR_RETURN(BatchResult result, store_->incidents().insert_incidents(incidents));
  // Listeners get each inserted row with its id; rows skipped as duplicates
  // changed nothing and are not published (the analytics index would count
  // them twice). A store that does not report ids publishes id 0.
  std::lock_guard lock(listeners_mutex_);
  if (listeners_.empty()) return result;
  const bool have_ids = result.inserted_ids.size() == static_cast<std::size_t>(result.inserted);
  std::size_t next_duplicate = 0, next_id = 0;
  for (std::size_t i = 0; i < incidents.size(); ++i) {
    if (next_duplicate < result.duplicate_rows.size() && result.duplicate_rows[next_duplicate] == i) {
      ++next_duplicate;
      continue;
    }
    IncidentChange change{incidents[i], std::nullopt};
    change.incident.id = have_ids ? result.inserted_ids[next_id++] : 0;
    for (auto& l : listeners_) l(change);
  }
  return result;
}

Status Engine::begin_bulk() { return store_->incidents().begin_bulk(); }
Status Engine::end_bulk() { return store_->incidents().end_bulk(); }

Result<std::vector<IncidentStore::CaseRecord>> Engine::live_case_records(const std::string& source) {
  return store_->incidents().live_case_records(source);
}

Result<std::vector<bool>> Engine::void_incidents(std::span<const IncidentStore::VoidById> requests) {
  PINGAN_ASSIGN_OR_RETURN(std::vector<bool> voided, store_->incidents().void_incidents(requests));
  // Listeners learn of each voided record as it now stands (the analytics
  // index stops counting it).
  {
    std::lock_guard lock(listeners_mutex_);
    if (listeners_.empty()) return voided;
  }
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (!voided[i]) continue;
    PINGAN_ASSIGN_OR_RETURN(Incident now, store_->incidents().get_incident(requests[i].id, UnitScope::everything()));
    publish(IncidentChange{std::move(now), std::nullopt});
  }
  return voided;
}

Status Engine::scan_incidents(const std::function<void(const Incident&)>& visit) {
  return store_->incidents().scan_incidents(visit);
}

Result<std::int64_t> Engine::count_incidents() { return store_->incidents().count_incidents(); }

void Engine::subscribe(Listener listener) {
  std::lock_guard lock(listeners_mutex_);
  listeners_.push_back(std::move(listener));
}

void Engine::subscribe_units(UnitsListener listener) {
  std::lock_guard lock(listeners_mutex_);
  units_listeners_.push_back(std::move(listener));
}

void Engine::publish(const IncidentChange& change) {
  std::lock_guard lock(listeners_mutex_);
  for (auto& l : listeners_) l(change);
}

}  // namespace pingan
