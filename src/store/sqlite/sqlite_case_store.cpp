// See store/sqlite/sqlite_case_store.h.

#include "store/sqlite/sqlite_case_store.h"

namespace pingan {

namespace {

Error not_yet() { return Error::unavailable("cases are not stored by the SQLite store yet"); }

}  // namespace

Result<CaseRecord> SqliteCaseStore::create_case(const CaseRecord&, std::span<const CaseStep>) {
  return not_yet();
}

Result<CaseRecord> SqliteCaseStore::get_case(CaseId, const UnitScope&) {
  return not_yet();
}

Result<CaseRecord> SqliteCaseStore::get_case_by_number(const std::string&, const UnitScope&) {
  return not_yet();
}

Result<CasePage> SqliteCaseStore::list_cases(const CaseFilter&) {
  return not_yet();
}

Result<CaseRecord> SqliteCaseStore::update_case(CaseId, const UnitScope&, const std::function<Result<CaseStep>(CaseRecord&)>&) {
  return not_yet();
}

Result<std::vector<CaseStep>> SqliteCaseStore::case_history(CaseId, const UnitScope&) {
  return not_yet();
}

Result<CaseBundle> SqliteCaseStore::case_bundle(CaseId) {
  return not_yet();
}

Status SqliteCaseStore::scan_cases(const std::function<void(const CaseBundle&)>&) {
  return not_yet();
}

Result<std::int64_t> SqliteCaseStore::count_cases() {
  return not_yet();
}

Result<CaseStore::PersonSaved> SqliteCaseStore::save_person(const Person&) {
  return not_yet();
}

Result<Person> SqliteCaseStore::get_person(PersonId) {
  return not_yet();
}

Result<Person> SqliteCaseStore::find_person_by_id_number(const std::string&) {
  return not_yet();
}

Status SqliteCaseStore::add_party(const CaseParty&) {
  return not_yet();
}

Result<Measure> SqliteCaseStore::add_measure(const Measure&, const std::function<Status(const std::vector<Measure>& earlier)>&) {
  return not_yet();
}

Result<FraudMoneyEntry> SqliteCaseStore::add_fraud_money(const FraudMoneyEntry&, const std::function<Status(const std::vector<FraudMoneyEntry>& recorded)>&) {
  return not_yet();
}

Result<Fugitive> SqliteCaseStore::create_fugitive(const Fugitive&) {
  return not_yet();
}

Result<Fugitive> SqliteCaseStore::get_fugitive(FugitiveId) {
  return not_yet();
}

Result<Fugitive> SqliteCaseStore::update_fugitive(FugitiveId, const std::function<Result<FugitiveStep>(Fugitive&)>&) {
  return not_yet();
}

Result<std::vector<FugitiveStep>> SqliteCaseStore::fugitive_history(FugitiveId) {
  return not_yet();
}

Result<std::vector<FugitiveHit>> SqliteCaseStore::fugitives_by_id_number(const std::string&) {
  return not_yet();
}

Status SqliteCaseStore::scan_fugitives(const std::function<void(const CaseStore::ListingKey&)>&) {
  return not_yet();
}

Result<std::string> SqliteCaseStore::id_number_key(const std::string&) {
  return not_yet();
}

Result<DissuasionTask> SqliteCaseStore::create_dissuasion(const DissuasionTask&) {
  return not_yet();
}

Result<DissuasionTask> SqliteCaseStore::get_dissuasion(std::int64_t, const UnitScope&) {
  return not_yet();
}

Result<DissuasionTask> SqliteCaseStore::update_dissuasion(std::int64_t, const UnitScope&, const std::function<Result<DissuasionStep>(DissuasionTask&)>&) {
  return not_yet();
}

Result<std::vector<DissuasionStep>> SqliteCaseStore::dissuasion_history(std::int64_t, const UnitScope&) {
  return not_yet();
}

Status SqliteCaseStore::scan_dissuasions(const std::function<void(const DissuasionTask&)>&) {
  return not_yet();
}

Status SqliteCaseStore::begin_bulk() {
  return not_yet();
}

Status SqliteCaseStore::end_bulk() {
  return not_yet();
}
}  // namespace pingan
