// CaseRecords' persons, fugitive listings and dissuasion tasks (see
// case_records.h), and what it publishes of them.

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <set>
#include <vector>

#include "core/personal_masks.h"
#include "core/time.h"
#include "engine/case_records.h"

namespace pingan {

namespace {

// The history entries of a listing as it arrives: "listed", then the end an
// imported listing carries (validate_new_fugitive dated it after the
// listing), both by the actor who recorded it.
std::vector<FugitiveStep> arrival_history(const Fugitive& listing, const std::string& actor) {
  std::vector<FugitiveStep> steps;
  steps.push_back(FugitiveStep{std::nullopt, FugitiveStatus::kListed, listing.listed_at, actor, ""});
  if (listing.status == FugitiveStatus::kCaught && listing.caught_at)
    steps.push_back(FugitiveStep{FugitiveStatus::kListed, FugitiveStatus::kCaught, *listing.caught_at, actor, ""});
  if (listing.status == FugitiveStatus::kRevoked && listing.revoked_at)
    steps.push_back(FugitiveStep{FugitiveStatus::kListed, FugitiveStatus::kRevoked, *listing.revoked_at, actor,
                                 listing.revoke_reason});
  return steps;
}

}  // namespace

Result<CaseStore::PersonSaved> CaseRecords::add_party(CaseId case_id, const UnitScope& scope, Person person,
                                                      PersonRole role, const std::string& actor) {
  const Timestamp now = now_utc();
  PINGAN_RETURN_IF_ERROR(check_actor("actor", actor));
  PINGAN_RETURN_IF_ERROR(status_of(get_case(case_id, scope)));
  PINGAN_RETURN_IF_ERROR(validate_person(person, now));
  // The party checked before anything is written; the person's id is the
  // store's to give (a probe stands in for it).
  CaseParty party{case_id, /*person_id=*/1, role, now, actor};
  PINGAN_RETURN_IF_ERROR(validate_case_party(party, now));
  PINGAN_ASSIGN_OR_RETURN(CaseStore::PersonSaved saved, store_.save_party(person, party));
  publish_case(case_id);
  return saved;
}

Result<Person> CaseRecords::get_person(PersonId id) { return store_.get_person(id); }

Result<Person> CaseRecords::find_person_by_id_number(const std::string& id_number) {
  return store_.find_person_by_id_number(normalise_id_number(id_number));
}

Result<Fugitive> CaseRecords::list_fugitive(Fugitive listing, Person person, const std::string& actor) {
  const Timestamp now = now_utc();
  PINGAN_RETURN_IF_ERROR(check_actor("actor", actor));
  PINGAN_RETURN_IF_ERROR(check_unit("listing_unit", listing.listing_unit, UnitScope::everything()));
  // The case the person is wanted for, when named, must be one of ours.
  if (listing.case_id && !store_.get_case(*listing.case_id, UnitScope::everything()).ok())
    return Error::invalid("case_id", fmt::format("no case {}", *listing.case_id));
  if (person.id_number.empty())
    return Error::invalid("id_number", "a fugitive is listed with an ID number: the check on handhelds finds them by it");
  PINGAN_RETURN_IF_ERROR(validate_person(person, now));
  if (listing.status == FugitiveStatus::kCaught)
    PINGAN_RETURN_IF_ERROR(check_unit("caught_by_unit", listing.caught_by_unit, UnitScope::everything()));
  // The listing's own fields before the person is saved, so that a bad
  // listing stores nothing (the person's id is the store's to give).
  Fugitive probe = listing;
  probe.person_id = 1;
  PINGAN_RETURN_IF_ERROR(validate_new_fugitive(probe, now));
  PINGAN_ASSIGN_OR_RETURN(CaseStore::PersonSaved saved, store_.save_person(person));
  listing.person_id = saved.person.id;
  PINGAN_ASSIGN_OR_RETURN(Fugitive stored, store_.create_fugitive(listing, arrival_history(listing, actor)));
  publish_fugitive(stored);
  return stored;
}

Result<Fugitive> CaseRecords::step_fugitive(FugitiveId id, const FugitiveStepRequest& request) {
  const Timestamp now = now_utc();
  if (request.to == FugitiveStatus::kCaught)
    PINGAN_RETURN_IF_ERROR(check_unit("unit", request.unit, UnitScope::everything()));
  PINGAN_ASSIGN_OR_RETURN(Fugitive updated, store_.update_fugitive(id, [&](Fugitive& f) -> Result<FugitiveStep> {
                            Result<FugitiveStep> step = apply_fugitive_step(f, request, now);
                            if (!step.ok()) {
                              Error e = step.error();
                              e.message = fmt::format("fugitive {}: {}", id, e.message);
                              return e;
                            }
                            return step;
                          }));
  publish_fugitive(updated);
  return updated;
}

Result<Fugitive> CaseRecords::get_fugitive(FugitiveId id) { return store_.get_fugitive(id); }

Result<std::vector<FugitiveStep>> CaseRecords::fugitive_history(FugitiveId id) { return store_.fugitive_history(id); }

Result<std::vector<FugitiveHit>> CaseRecords::fugitives_by_id_number(const std::string& id_number) {
  return store_.fugitives_by_id_number(id_number);
}

Result<std::string> CaseRecords::id_number_key(const std::string& id_number) { return store_.id_number_key(id_number); }

Result<DissuasionTask> CaseRecords::open_dissuasion(DissuasionTask task, const UnitScope& scope,
                                                    const std::string& actor) {
  PINGAN_RETURN_IF_ERROR(check_actor("actor", actor));
  PINGAN_RETURN_IF_ERROR(validate_new_dissuasion(task, now_utc()));
  PINGAN_RETURN_IF_ERROR(check_unit("unit", task.unit_code, scope));
  // A body field naming nobody is a bad request, not a missing resource.
  if (task.person_id && !store_.get_person(*task.person_id).ok())
    return Error::invalid("person_id", fmt::format("no person {}", *task.person_id));
  // Issued with no step taken (validate_new_dissuasion): one entry.
  const DissuasionStep issued{std::nullopt, DissuasionStatus::kIssued, task.issued_at, actor, ""};
  PINGAN_ASSIGN_OR_RETURN(DissuasionTask stored, store_.create_dissuasion(task, {&issued, 1}));
  std::lock_guard lock(listeners_mutex_);
  for (auto& l : dissuasion_listeners_) l(stored);
  return stored;
}

Result<DissuasionTask> CaseRecords::step_dissuasion(std::int64_t id, const UnitScope& scope,
                                                    const DissuasionStepRequest& request) {
  const Timestamp now = now_utc();
  if (request.case_id) PINGAN_RETURN_IF_ERROR(status_of(get_case(*request.case_id, scope)));
  PINGAN_ASSIGN_OR_RETURN(DissuasionTask updated,
                          store_.update_dissuasion(id, scope, [&](DissuasionTask& t) -> Result<DissuasionStep> {
                            Result<DissuasionStep> step = apply_dissuasion_step(t, request, now);
                            if (!step.ok()) {
                              Error e = step.error();
                              e.message = fmt::format("dissuasion task {}: {}", id, e.message);
                              return e;
                            }
                            return step;
                          }));
  std::lock_guard lock(listeners_mutex_);
  for (auto& l : dissuasion_listeners_) l(updated);
  return updated;
}

Result<DissuasionTask> CaseRecords::get_dissuasion(std::int64_t id, const UnitScope& scope) {
  return store_.get_dissuasion(id, scope);
}

Result<std::vector<DissuasionStep>> CaseRecords::dissuasion_history(std::int64_t id, const UnitScope& scope) {
  return store_.dissuasion_history(id, scope);
}

Status CaseRecords::scan_fugitives(const std::function<void(const FugitiveChange&)>& visit) {
  return store_.scan_fugitives(
      [&](const CaseStore::ListingKey& key) { visit(FugitiveChange{key.listing, key.id_hash}); });
}

Status CaseRecords::scan_dissuasions(const std::function<void(const DissuasionTask&)>& visit) {
  return store_.scan_dissuasions(visit);
}

void CaseRecords::subscribe_fugitives(std::function<void(const FugitiveChange&)> listener) {
  std::lock_guard lock(listeners_mutex_);
  fugitive_listeners_.push_back(std::move(listener));
}

void CaseRecords::subscribe_dissuasions(std::function<void(const DissuasionTask&)> listener) {
  std::lock_guard lock(listeners_mutex_);
  dissuasion_listeners_.push_back(std::move(listener));
}

void CaseRecords::publish_fugitive(const Fugitive& listing) {
  {
    std::lock_guard lock(listeners_mutex_);
    if (fugitive_listeners_.empty()) return;
  }
  // The check keys listings by the person's ID-number hash.
  Result<Person> person = store_.get_person(listing.person_id);
  Result<std::string> key = person.ok() ? store_.id_number_key(person->id_number) : Result<std::string>(person.error());
  if (!key.ok()) {
    spdlog::warn("fugitive listing {} was stored but its person could not be read back for the check: {}", listing.id,
                 key.error().message);
    return;
  }
  std::lock_guard lock(listeners_mutex_);
  for (auto& l : fugitive_listeners_) l(FugitiveChange{listing, *key});
}

Status CaseRecords::follow(const std::vector<ChangeRecord>& changes) {
  // Each record once, read back as it stands now (the latest of its changes).
  std::set<std::int64_t> cases, fugitives, tasks;
  for (const ChangeRecord& c : changes) {
    if (c.kind == ChangeKind::kCase) cases.insert(c.record_id);
    else if (c.kind == ChangeKind::kFugitive) fugitives.insert(c.record_id);
    else if (c.kind == ChangeKind::kDissuasion) tasks.insert(c.record_id);
  }
  for (std::int64_t id : cases) publish_case(id);
  for (std::int64_t id : fugitives) {
    PINGAN_ASSIGN_OR_RETURN(Fugitive listing, store_.get_fugitive(id));
    publish_fugitive(listing);
  }
  for (std::int64_t id : tasks) {
    PINGAN_ASSIGN_OR_RETURN(DissuasionTask task, store_.get_dissuasion(id, UnitScope::everything()));
    std::lock_guard lock(listeners_mutex_);
    for (auto& l : dissuasion_listeners_) l(task);
  }
  return {};
}

}  // namespace pingan
