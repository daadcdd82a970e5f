#pragma once
// The engine's door for cases, persons, measures, fugitives, fraud money
// and dissuasion tasks (issue 20): core's rules before every write, the
// checks that need the unit tree or other records (the unit exists and is
// in the caller's scope, the incidents linked exist, a measure's person is
// a suspect of the case), the store's write (whose transaction runs the
// checks against stored rows: measure order, money limits), then an event
// to the listeners (the case index, the fugitive check). Engine::cases()
// owns one; nothing else writes these records.

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/case_bundle.h"
#include "core/case_types.h"
#include "core/dissuasion.h"
#include "core/fraud_methods.h"
#include "core/fugitive.h"
#include "core/measure_rules.h"
#include "core/unit.h"
#include "store/case_store.h"
#include "store/change_log.h"

namespace pingan {

// The data files the case rules are read from (data/taxonomy/case_types.csv,
// data/cases/measure_rules.json, data/cases/fraud_methods.csv), checked when
// the engine opens.
struct CaseRules {
  CaseTypes types;
  MeasureRules measures;
  FraudMethods fraud_methods;
};
// Reads and checks the files in `data_dir`; errors name the file and line.
Result<CaseRules> load_case_rules(const std::string& data_dir);

// A Result's error alone, where only whether a record exists matters.
template <typename T>
Status status_of(const Result<T>& r) {
  return r.ok() ? Status() : Status(r.error());
}

// What listeners hear after each durable write.
struct FugitiveChange {
  Fugitive listing;
  std::string id_key;  // the listed person's keyed ID-number hash; empty without a number
};

class CaseRecords {
 public:
  using UnitsSource = std::function<std::shared_ptr<const UnitTree>()>;
  // An incident linked to a case must exist (the engine's reader).
  using IncidentExists = std::function<Status(IncidentId)>;
  CaseRecords(CaseStore& store, CaseRules rules, UnitsSource units, IncidentExists incident_exists);

  const CaseRules& rules() const { return rules_; }

  // ---- cases ----
  // Validates (validate_new_case), checks the unit is known (else 400 on
  // "unit") and in `scope` (else kPermissionDenied, as for an incident) and
  // each linked incident exists, stores with an "opened" history entry (and
  // the entries of the steps an imported case carries), publishes.
  Result<CaseRecord> open_case(CaseRecord record, const UnitScope& scope, const std::string& actor);
  Result<CaseRecord> get_case(CaseId id, const UnitScope& scope);
  Result<CaseRecord> get_case_by_number(const std::string& case_number, const UnitScope& scope);
  Result<CasePage> list_cases(const CaseFilter& filter);
  Result<CaseRecord> step_case(CaseId id, const UnitScope& scope, const CaseStepRequest& request);
  Result<std::vector<CaseStep>> case_history(CaseId id, const UnitScope& scope);
  // The case with its parties, measures and money, in scope.
  Result<CaseBundle> case_detail(CaseId id, const UnitScope& scope);

  // ---- persons ----
  // Validates the person (validate_person), saves or matches them by ID
  // number and adds their role in the case, in one store transaction
  // (CaseStore::save_party): a failure leaves no person without a case.
  Result<CaseStore::PersonSaved> add_party(CaseId case_id, const UnitScope& scope, Person person, PersonRole role,
                                           const std::string& actor);
  Result<Person> get_person(PersonId id);
  Result<Person> find_person_by_id_number(const std::string& id_number);

  // ---- measures and money ----
  // The person must be a suspect of the case; the unit known. The order
  // rules run inside the store's transaction. With `skip_same` (an import
  // run again) a measure of the same person, kind and time, or a money
  // entry of the same kind, amount and time, already recorded is refused
  // with kAlreadyExists instead of being recorded twice.
  Result<Measure> add_measure(Measure measure, const UnitScope& scope, bool skip_same = false);
  Result<FraudMoneyEntry> add_money(FraudMoneyEntry entry, const UnitScope& scope, bool skip_same = false);

  // ---- fugitives ----
  // Saves or matches the person, then the listing (validate_new_fugitive)
  // with its first history entry: "listed" by `actor` at listed_at (and the
  // step an imported listing carries, caught or revoked, by `actor` too).
  Result<Fugitive> list_fugitive(Fugitive listing, Person person, const std::string& actor);
  Result<Fugitive> step_fugitive(FugitiveId id, const FugitiveStepRequest& request);
  Result<Fugitive> get_fugitive(FugitiveId id);
  Result<std::vector<FugitiveStep>> fugitive_history(FugitiveId id);
  // The store's indexed look-up (the fugitive check's reference); the
  // served check is case/fugitive_watch.h, in memory.
  Result<std::vector<FugitiveHit>> fugitives_by_id_number(const std::string& id_number);
  // The keyed hash the store matches persons on.
  Result<std::string> id_number_key(const std::string& id_number);

  // ---- dissuasion ----
  // Validates (validate_new_dissuasion), checks the unit as open_case does
  // and the person named exists, stores with an "issued" history entry by
  // `actor` at issued_at.
  Result<DissuasionTask> open_dissuasion(DissuasionTask task, const UnitScope& scope, const std::string& actor);
  Result<DissuasionTask> step_dissuasion(std::int64_t id, const UnitScope& scope,
                                         const DissuasionStepRequest& request);
  Result<DissuasionTask> get_dissuasion(std::int64_t id, const UnitScope& scope);
  Result<std::vector<DissuasionStep>> dissuasion_history(std::int64_t id, const UnitScope& scope);

  // ---- building indexes, importing ----
  Status scan_cases(const std::function<void(const CaseBundle&)>& visit);
  Status scan_fugitives(const std::function<void(const FugitiveChange&)>& visit);
  Status scan_dissuasions(const std::function<void(const DissuasionTask&)>& visit);
  Status begin_bulk() { return store_.begin_bulk(); }
  Status end_bulk() { return store_.end_bulk(); }

  // ---- events ----
  // Called after each durable write, on the writing thread; keep them quick.
  void subscribe_cases(std::function<void(const CaseBundle&)> listener);
  void subscribe_fugitives(std::function<void(const FugitiveChange&)> listener);
  void subscribe_dissuasions(std::function<void(const DissuasionTask&)> listener);
  // Engine::catch_up's share: the records other processes changed are read
  // back and published as if written here.
  Status follow(const std::vector<ChangeRecord>& changes);

 private:
  // Error::invalid(field) for a unit not in the tree; kPermissionDenied for
  // one outside `scope`.
  Status check_unit(const std::string& field, const std::string& code, const UnitScope& scope) const;
  void publish_case(CaseId id);
  void publish_fugitive(const Fugitive& listing);

  CaseStore& store_;
  CaseRules rules_;
  UnitsSource units_;
  IncidentExists incident_exists_;
  std::mutex listeners_mutex_;
  std::vector<std::function<void(const CaseBundle&)>> case_listeners_;              // GUARDED_BY(listeners_mutex_)
  std::vector<std::function<void(const FugitiveChange&)>> fugitive_listeners_;      // GUARDED_BY(listeners_mutex_)
  std::vector<std::function<void(const DissuasionTask&)>> dissuasion_listeners_;    // GUARDED_BY(listeners_mutex_)
};

}  // namespace pingan
