#pragma once
// Cases, persons, measures, fugitives, fraud money and dissuasion tasks in
// PostgreSQL (store/case_store.h, migration 13). One class, its methods in
// files by job: pg_case_store.cpp (cases, history, bundles, bulk mode),
// pg_case_people.cpp (persons, parties), pg_case_measures.cpp (measures,
// fraud money), pg_fugitive_rows.cpp, pg_dissuasion_rows.cpp; the row
// conversions they share are pg_case_rows.h.
//
// Concurrency is PostgreSQL's row locks, where SQLite relies on its one
// writer: a step reads its record FOR UPDATE; a measure or a money entry
// locks its case's row before reading the entries its check sees, so two
// servers adding to one case take turns and the second checks against the
// first's entry; a person is inserted ON CONFLICT (id_key) DO NOTHING and
// read back, so two servers saving one ID number at once make one row.
//
// Rows keep the key that sealed them (personal_key); PgPersonalStore
// re-seals persons and tasks under a new key (rotation).

#include <atomic>
#include <vector>

#include "store/case_store.h"
#include "store/personal_fields.h"
#include "store/postgres/pg_pool.h"

namespace pingan {

class PgCaseStore final : public CaseStore {
 public:
  PgCaseStore(pg::Pool& pool, const stored::PersonalFields& fields) : pool_(pool), fields_(fields) {}

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
  // BEGIN for a write; between begin_bulk() and end_bulk() the transaction
  // commits without waiting for the WAL flush (SET LOCAL: the pooled
  // connection carries no state past the transaction).
  Status begin_write(pg::Transaction& tx, pg::Connection& c) const;
  // The case as `scope` sees it (locked FOR UPDATE with `lock`), its
  // incident ids included; kNotFound outside the scope.
  Result<CaseRecord> case_on(pg::Connection& c, CaseId id, const UnitScope& scope, bool lock) const;
  // The incident ids of `cases`, filled in place (one statement).
  Status fill_incidents(pg::Connection& c, std::vector<CaseRecord>& cases) const;
  // The bundles of `cases` (records read already): parties, measures, money.
  Result<std::vector<CaseBundle>> bundles_on(pg::Connection& c, std::vector<CaseRecord> cases) const;
  // Locks case `id`'s row for an addition (kNotFound when there is none).
  Status lock_case(pg::Connection& c, CaseId id, std::string_view what) const;
  // Person `id`, opened; kNotFound when there is none.
  Result<Person> person_on(pg::Connection& c, PersonId id) const;
  // save_person()'s writes inside the caller's transaction on `c`.
  Result<PersonSaved> save_person_on(pg::Connection& c, const Person& person) const;
  // add_party()'s insert inside the caller's transaction, the case locked.
  Status insert_party(pg::Connection& c, const CaseParty& party) const;
  Result<Fugitive> fugitive_on(pg::Connection& c, FugitiveId id, bool lock) const;
  Result<DissuasionTask> dissuasion_on(pg::Connection& c, std::int64_t id, const UnitScope& scope, bool lock) const;

  pg::Pool& pool_;
  const stored::PersonalFields& fields_;
  std::atomic<bool> bulk_{false};  // between begin_bulk() and end_bulk()
};

}  // namespace pingan
