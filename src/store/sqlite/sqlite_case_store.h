#pragma once
// Cases, persons, measures, fugitives, fraud money and dissuasion tasks in
// SQLite (store/case_store.h; tables of migration 13, docs/schema.md).
// Writes on the writer connection under the SqliteStore's mutex, each one
// BEGIN IMMEDIATE transaction, so a check that reads stored rows (a
// measure's order, a return against stopped and frozen money, a step
// against the record's state) runs under SQLite's write lock and no other
// writer, in this process or another, can slip a row in between; reads on
// the read pool. The methods are spread over files by job:
// sqlite_case_store.cpp (cases, histories, bundles, bulk),
// sqlite_case_people.cpp (persons, parties), sqlite_case_measures.cpp
// (measures, money), sqlite_fugitive_rows.cpp, sqlite_dissuasion_rows.cpp;
// rows and records meet in sqlite_case_rows.h.
//
// Personal data: a person's name, ID number, phone and address and a task's
// target phone are sealed with the store's cipher on write and opened on
// read; persons.id_key is PersonalFields::id_number_key(). personal_key
// records each row's key; SqlitePersonalStore re-seals the rows after a key
// rotation.

#include <sqlite3.h>

#include <mutex>

#include "store/case_store.h"
#include "store/personal_fields.h"
#include "store/sqlite/sqlite_read_pool.h"

namespace pingan {

class SqliteCaseStore final : public CaseStore {
 public:
  SqliteCaseStore(std::mutex& mutex, sqlite3* db, sqlite::ReadPool& reads, const stored::PersonalFields& fields)
      : mutex_(mutex), db_(db), reads_(reads), fields_(fields) {}

  Result<CaseRecord> create_case(const CaseRecord& record, std::span<const CaseStep> history) override;
  Result<CaseRecord> get_case(CaseId id, const UnitScope& scope) override;
  Result<CaseRecord> get_case_by_number(const std::string& case_number, const UnitScope& scope) override;
  Result<CasePage> list_cases(const CaseFilter& filter) override;
  Result<CaseRecord> update_case(CaseId id, const UnitScope& scope,
                                 const std::function<Result<CaseStep>(CaseRecord&)>& apply) override;
  Result<std::vector<CaseStep>> case_history(CaseId id, const UnitScope& scope) override;
  Result<CaseBundle> case_bundle(CaseId id) override;
  Status scan_cases(const std::function<void(const CaseBundle&)>& visit) override;
  Result<std::int64_t> count_cases() override;
  Result<PersonSaved> save_person(const Person& person) override;
  Result<Person> get_person(PersonId id) override;
  Result<Person> find_person_by_id_number(const std::string& id_number) override;
  Status add_party(const CaseParty& party) override;
  Result<PersonSaved> save_party(const Person& person, const CaseParty& party) override;
  Result<Measure> add_measure(const Measure& measure,
                              const std::function<Status(const std::vector<Measure>& earlier)>& check) override;
  Result<FraudMoneyEntry> add_fraud_money(
      const FraudMoneyEntry& entry,
      const std::function<Status(const std::vector<FraudMoneyEntry>& recorded)>& check) override;
  Result<Fugitive> create_fugitive(const Fugitive& fugitive, std::span<const FugitiveStep> history) override;
  Result<Fugitive> get_fugitive(FugitiveId id) override;
  Result<Fugitive> update_fugitive(FugitiveId id,
                                   const std::function<Result<FugitiveStep>(Fugitive&)>& apply) override;
  Result<std::vector<FugitiveStep>> fugitive_history(FugitiveId id) override;
  Result<std::vector<FugitiveHit>> fugitives_by_id_number(const std::string& id_number) override;
  Status scan_fugitives(const std::function<void(const ListingKey&)>& visit) override;
  Result<std::string> id_number_key(const std::string& id_number) override;
  Result<DissuasionTask> create_dissuasion(const DissuasionTask& task,
                                           std::span<const DissuasionStep> history) override;
  Result<DissuasionTask> get_dissuasion(std::int64_t id, const UnitScope& scope) override;
  Result<DissuasionTask> update_dissuasion(
      std::int64_t id, const UnitScope& scope,
      const std::function<Result<DissuasionStep>(DissuasionTask&)>& apply) override;
  Result<std::vector<DissuasionStep>> dissuasion_history(std::int64_t id, const UnitScope& scope) override;
  Status scan_dissuasions(const std::function<void(const DissuasionTask&)>& visit) override;
  Status begin_bulk() override;
  Status end_bulk() override;

 private:
  // The bundle of a case read on `db` (parties, measures and money added to `record`).
  Result<CaseBundle> bundle_on(sqlite3* db, CaseRecord record) const;
  // On `db` (a lease's connection, or the writer with mutex_ held).
  Result<Fugitive> fugitive_on(sqlite3* db, FugitiveId id) const;
  Result<DissuasionTask> dissuasion_on(sqlite3* db, std::int64_t id, const UnitScope& scope) const;

  std::mutex& mutex_;
  sqlite3* const db_;  // GUARDED_BY(mutex_): the writer
  sqlite::ReadPool& reads_;
  const stored::PersonalFields& fields_;
  bool bulk_ = false;  // GUARDED_BY(mutex_): begin_bulk() .. end_bulk()
};

}  // namespace pingan
