// See store/postgres/pg_case_store.h.

#include "store/postgres/pg_case_store.h"

namespace pingan {

namespace {

Error not_yet() { return Error::unavailable("cases are not stored by the PostgreSQL store yet"); }

}  // namespace

Result<CaseRecord> PgCaseStore::create_case(const CaseRecord&, std::span<const CaseStep>) {
  return not_yet();
}

Result<CaseRecord> PgCaseStore::get_case(CaseId, const UnitScope&) {
  return not_yet();
}

Result<CaseRecord> PgCaseStore::get_case_by_number(const std::string&, const UnitScope&) {
  return not_yet();
}

Result<CasePage> PgCaseStore::list_cases(const CaseFilter&) {
  return not_yet();
}

Result<CaseRecord> PgCaseStore::update_case(CaseId, const UnitScope&, const std::function<Result<CaseStep>(CaseRecord&)>&) {
  return not_yet();
}

Result<std::vector<CaseStep>> PgCaseStore::case_history(CaseId, const UnitScope&) {
  return not_yet();
}

Result<CaseBundle> PgCaseStore::case_bundle(CaseId) {
  return not_yet();
}

Status PgCaseStore::scan_cases(const std::function<void(const CaseBundle&)>&) {
  return not_yet();
}

Result<std::int64_t> PgCaseStore::count_cases() {
  return not_yet();
}

Result<CaseStore::PersonSaved> PgCaseStore::save_person(const Person&) {
  return not_yet();
}

Result<Person> PgCaseStore::get_person(PersonId) {
  return not_yet();
}

Result<Person> PgCaseStore::find_person_by_id_number(const std::string&) {
  return not_yet();
}

Status PgCaseStore::add_party(const CaseParty&) {
  return not_yet();
}

Result<Measure> PgCaseStore::add_measure(const Measure&, const std::function<Status(const std::vector<Measure>& earlier)>&) {
  return not_yet();
}

Result<FraudMoneyEntry> PgCaseStore::add_fraud_money(const FraudMoneyEntry&, const std::function<Status(const std::vector<FraudMoneyEntry>& recorded)>&) {
  return not_yet();
}

Result<Fugitive> PgCaseStore::create_fugitive(const Fugitive&) {
  return not_yet();
}

Result<Fugitive> PgCaseStore::get_fugitive(FugitiveId) {
  return not_yet();
}

Result<Fugitive> PgCaseStore::update_fugitive(FugitiveId, const std::function<Result<FugitiveStep>(Fugitive&)>&) {
  return not_yet();
}

Result<std::vector<FugitiveStep>> PgCaseStore::fugitive_history(FugitiveId) {
  return not_yet();
}

Result<std::vector<FugitiveHit>> PgCaseStore::fugitives_by_id_number(const std::string&) {
  return not_yet();
}

Status PgCaseStore::scan_fugitives(const std::function<void(const CaseStore::ListingKey&)>&) {
  return not_yet();
}

Result<std::string> PgCaseStore::id_number_key(const std::string&) {
  return not_yet();
}

Result<DissuasionTask> PgCaseStore::create_dissuasion(const DissuasionTask&) {
  return not_yet();
}

Result<DissuasionTask> PgCaseStore::get_dissuasion(std::int64_t, const UnitScope&) {
  return not_yet();
}

Result<DissuasionTask> PgCaseStore::update_dissuasion(std::int64_t, const UnitScope&, const std::function<Result<DissuasionStep>(DissuasionTask&)>&) {
  return not_yet();
}

Result<std::vector<DissuasionStep>> PgCaseStore::dissuasion_history(std::int64_t, const UnitScope&) {
  return not_yet();
}

Status PgCaseStore::scan_dissuasions(const std::function<void(const DissuasionTask&)>&) {
  return not_yet();
}

Status PgCaseStore::begin_bulk() {
  return not_yet();
}

Status PgCaseStore::end_bulk() {
  return not_yet();
}
}  // namespace pingan
