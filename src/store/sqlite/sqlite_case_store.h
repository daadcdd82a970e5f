#pragma once
// Cases, persons, measures, fugitives, fraud money and dissuasion tasks in
// SQLite (store/case_store.h). Skeleton: every call answers unavailable
// until the implementation lands (issue 20).

#include <sqlite3.h>

#include <mutex>

#include "store/sqlite/sqlite_read_pool.h"
#include "store/case_store.h"
#include "store/personal_fields.h"

namespace pingan {

class SqliteCaseStore final : public CaseStore {
 public:
  SqliteCaseStore(std::mutex& mutex, sqlite3* db, sqlite::ReadPool& reads, const stored::PersonalFields& fields)
      : mutex_(mutex), db_(db), reads_(reads), fields_(fields) {}

  Result<CaseRecord> create_case(const CaseRecord& record, std::span<const CaseStep> history) override;
  Result<CaseRecord> get_case(CaseId id, const UnitScope& scope) override;
  Result<CaseRecord> get_case_by_number(const std::string& case_number, const UnitScope& scope) override;
  Result<CasePage> list_cases(const CaseFilter& filter) override;
  Result<CaseRecord> update_case(CaseId id, const UnitScope& scope, const std::function<Result<CaseStep>(CaseRecord&)>& apply) override;
  Result<std::vector<CaseStep>> case_history(CaseId id, const UnitScope& scope) override;
  Result<CaseBundle> case_bundle(CaseId id) override;
  Status scan_cases(const std::function<void(const CaseBundle&)>& visit) override;
  Result<std::int64_t> count_cases() override;
  Result<PersonSaved> save_person(const Person& person) override;
  Result<Person> get_person(PersonId id) override;
  Result<Person> find_person_by_id_number(const std::string& id_number) override;
  Status add_party(const CaseParty& party) override;
  Result<Measure> add_measure(const Measure& measure, const std::function<Status(const std::vector<Measure>& earlier)>& check) override;
  Result<FraudMoneyEntry> add_fraud_money( const FraudMoneyEntry& entry, const std::function<Status(const std::vector<FraudMoneyEntry>& recorded)>& check) override;
  Result<Fugitive> create_fugitive(const Fugitive& fugitive) override;
  Result<Fugitive> get_fugitive(FugitiveId id) override;
  Result<Fugitive> update_fugitive(FugitiveId id, const std::function<Result<FugitiveStep>(Fugitive&)>& apply) override;
  Result<std::vector<FugitiveStep>> fugitive_history(FugitiveId id) override;
  Result<std::vector<FugitiveHit>> fugitives_by_id_number(const std::string& id_number) override;
  Status scan_fugitives(const std::function<void(const ListingKey&)>& visit) override;
  Result<std::string> id_number_key(const std::string& id_number) override;
  Result<DissuasionTask> create_dissuasion(const DissuasionTask& task) override;
  Result<DissuasionTask> get_dissuasion(std::int64_t id, const UnitScope& scope) override;
  Result<DissuasionTask> update_dissuasion( std::int64_t id, const UnitScope& scope, const std::function<Result<DissuasionStep>(DissuasionTask&)>& apply) override;
  Result<std::vector<DissuasionStep>> dissuasion_history(std::int64_t id, const UnitScope& scope) override;
  Status scan_dissuasions(const std::function<void(const DissuasionTask&)>& visit) override;
  Status begin_bulk() override;
  Status end_bulk() override;

 private:
  std::mutex& mutex_;
  sqlite3* const db_;
  sqlite::ReadPool& reads_;
  const stored::PersonalFields& fields_;
};

}  // namespace pingan
