#pragma once
// Cases, the persons they name, measures on suspects, fugitive listings,
// fraud money and dissuasion tasks, durably (issue 20). The rules are
// core's (case_record.h, person.h, measure_rules.h, fugitive.h,
// fraud_money.h, dissuasion.h); the store keeps what the engine validated
// and runs the checks that depend on what is stored inside the same
// transaction as the write (a measure's order against the suspect's earlier
// measures, a return against the case's stopped and frozen money, a step
// against the record's current state), so two servers on one database
// cannot both pass a check that only one of them may.
//
// Implemented for SQLite (store/sqlite/sqlite_case_store.h) and PostgreSQL
// (store/postgres/pg_case_store.h); only the engine calls it. Reads take a
// UnitScope: a case, listing or task outside it is reported as not found.
// Writes are durable when the call returns OK.
//
// Personal data: a person's name, ID number, phone and address and a
// dissuasion task's target phone are sealed with the store's cipher
// (store/personal_fields.h), as incident reporters' are; the ID number is
// also kept as a keyed hash (PersonalFields' id_number kind, plain normal
// form without a cipher), unique, the key one person is matched on across
// cases and the key of the fugitive check. A key rotation re-seals persons
// and tasks with the incidents (store/personal_data_store.h); the keyed
// hash is under the ring's hash key, which never rotates, so it stays.
//
// Change log (store/change_log.h): every write that changes a case, its
// parties, measures or money logs kind `case` with the case id; a listing
// kind `fugitive` with its id; a dissuasion task kind `dissuasion` with its
// id. Persons alone are not logged (only personal data).

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/case_bundle.h"
#include "core/case_lifecycle.h"
#include "core/case_record.h"
#include "core/dissuasion.h"
#include "core/fraud_money.h"
#include "core/fugitive.h"
#include "core/measure.h"
#include "core/person.h"
#include "core/status.h"
#include "core/unit.h"

namespace pingan {

// A page of cases, newest opened first (ties by id descending).
struct CaseFilter {
  UnitScope scope = UnitScope::everything();
  std::optional<CaseClass> case_class;
  std::vector<std::string> type_codes;  // any of them; empty: every type
  std::optional<CaseStatus> status;
  std::optional<Timestamp> opened_from;  // inclusive
  std::optional<Timestamp> opened_to;    // exclusive
  std::optional<PersonId> person_id;     // cases naming this person in any role
  int limit = 50;                        // 1..1000
  // Keyset paging: the last case of the previous page.
  std::optional<std::pair<Timestamp, CaseId>> before;
};

struct CasePage {
  std::vector<CaseRecord> cases;
  bool more = false;  // another page follows
};

// What a fugitive check by ID number finds (issue 20: handheld terminals).
struct FugitiveHit {
  Fugitive listing;
  PersonId person_id = 0;
};

class CaseStore {
 public:
  virtual ~CaseStore() = default;

  // ---- cases ----
  // Creates a validated case (validate_new_case) with the history entries of
  // the steps it carries (an opened entry first; an imported solved case
  // carries its later steps too), in one transaction. Returns it with its
  // id. kAlreadyExists (field "case_number" or "source_id") when either key
  // is present.
  virtual Result<CaseRecord> create_case(const CaseRecord& record, std::span<const CaseStep> history) = 0;
  virtual Result<CaseRecord> get_case(CaseId id, const UnitScope& scope) = 0;
  virtual Result<CaseRecord> get_case_by_number(const std::string& case_number, const UnitScope& scope) = 0;
  virtual Result<CasePage> list_cases(const CaseFilter& filter) = 0;
  // Reads the case, lets `apply` change it (core's apply_case_step, or a
  // change of flags, links or money involved; returning the history entry
  // to append, or an error to abort), then writes it and the entry in one
  // transaction. A case is read under a lock (PostgreSQL FOR UPDATE) so two
  // servers' steps serialise.
  virtual Result<CaseRecord> update_case(CaseId id, const UnitScope& scope,
                                         const std::function<Result<CaseStep>(CaseRecord&)>& apply) = 0;
  virtual Result<std::vector<CaseStep>> case_history(CaseId id, const UnitScope& scope) = 0;
  // The case with its parties, measures and money (no scope: the engine's
  // followers and index).
  virtual Result<CaseBundle> case_bundle(CaseId id) = 0;
  // Streams every case bundle in id order, for building indexes at start.
  // `visit` must not call the store.
  virtual Status scan_cases(const std::function<void(const CaseBundle&)>& visit) = 0;
  virtual Result<std::int64_t> count_cases() = 0;

  // ---- persons ----
  // Stores a validated person (validate_person), or, when one with the same
  // ID number exists, returns that one (matched: its id; fields it lacks —
  // phone, address — are filled from `person`, nothing it has is
  // overwritten). A person without an ID number is always new.
  struct PersonSaved {
    Person person;  // as stored, plain
    bool created = false;
  };
  virtual Result<PersonSaved> save_person(const Person& person) = 0;
  virtual Result<Person> get_person(PersonId id) = 0;
  // The person whose ID number is this (normal form), or kNotFound.
  virtual Result<Person> find_person_by_id_number(const std::string& id_number) = 0;
  // Adds a person's role in a case (one row per case, person and role;
  // present already: OK, nothing added). Logs the case.
  virtual Status add_party(const CaseParty& party) = 0;
  // save_person() and add_party() in one transaction, under the case's
  // lock (PostgreSQL FOR UPDATE): the person saved or matched, then their
  // role in `party.case_id` (party.person_id is the saved person's, whatever
  // it held). kNotFound when the case does not exist; any failure leaves no
  // person written. Logs the case.
  virtual Result<PersonSaved> save_party(const Person& person, const CaseParty& party) = 0;

  // ---- measures ----
  // Reads the suspect's earlier measures in the case, lets `check` refuse
  // the new one (core's check_measure), then stores it, all in one
  // transaction under the case's lock. Returns it with its id. Logs the case.
  virtual Result<Measure> add_measure(const Measure& measure,
                                      const std::function<Status(const std::vector<Measure>& earlier)>& check) = 0;

  // ---- fraud money ----
  // The same for a money entry, `check` seeing the case's entries so far
  // (core's check_fraud_money_entry). Logs the case.
  virtual Result<FraudMoneyEntry> add_fraud_money(
      const FraudMoneyEntry& entry, const std::function<Status(const std::vector<FraudMoneyEntry>& recorded)>& check) = 0;

  // ---- fugitives ----
  // Creates a validated listing (validate_new_fugitive) with the history
  // entries of the steps it carries (a "listed" entry first, naming who
  // listed it; an imported listing caught or revoked carries that step
  // too), in one transaction. kAlreadyExists (field "listing_number") when
  // the number is present.
  virtual Result<Fugitive> create_fugitive(const Fugitive& fugitive, std::span<const FugitiveStep> history) = 0;
  virtual Result<Fugitive> get_fugitive(FugitiveId id) = 0;
  // Read under a lock, `apply` (core's apply_fugitive_step) changes it,
  // written with the history entry in one transaction.
  virtual Result<Fugitive> update_fugitive(FugitiveId id,
                                           const std::function<Result<FugitiveStep>(Fugitive&)>& apply) = 0;
  virtual Result<std::vector<FugitiveStep>> fugitive_history(FugitiveId id) = 0;
  // The listings of the person whose ID number is this, every status,
  // newest listing first: one indexed read through the keyed hash (the
  // database's side of the fugitive-check benchmark).
  virtual Result<std::vector<FugitiveHit>> fugitives_by_id_number(const std::string& id_number) = 0;
  // Every listing with its person's ID-number hash (the in-memory check's
  // start), in id order.
  struct ListingKey {
    Fugitive listing;
    std::string id_hash;  // the person's keyed hash; empty without an ID number
  };
  virtual Status scan_fugitives(const std::function<void(const ListingKey&)>& visit) = 0;
  // The keyed hash save_person() stores for an ID number (normal form): what
  // the in-memory check compares with ListingKey::id_hash.
  virtual Result<std::string> id_number_key(const std::string& id_number) = 0;

  // ---- dissuasion ----
  // Creates a validated task (validate_new_dissuasion) with its history's
  // first entries (an "issued" entry naming who issued it), in one
  // transaction. kAlreadyExists (field "warning_number") when the number is
  // present.
  virtual Result<DissuasionTask> create_dissuasion(const DissuasionTask& task,
                                                   std::span<const DissuasionStep> history) = 0;
  virtual Result<DissuasionTask> get_dissuasion(std::int64_t id, const UnitScope& scope) = 0;
  virtual Result<DissuasionTask> update_dissuasion(
      std::int64_t id, const UnitScope& scope,
      const std::function<Result<DissuasionStep>(DissuasionTask&)>& apply) = 0;
  virtual Result<std::vector<DissuasionStep>> dissuasion_history(std::int64_t id, const UnitScope& scope) = 0;
  virtual Status scan_dissuasions(const std::function<void(const DissuasionTask&)>& visit) = 0;

  // Bulk mode for one importer or the demo at a time: between begin_bulk()
  // and end_bulk() the writes above may commit without waiting for the disk
  // (SQLite synchronous=NORMAL on the writer, PostgreSQL synchronous_commit
  // off); a crash loses some of them, never corrupts, and a re-run import
  // skips what was kept. end_bulk() makes all of it durable.
  virtual Status begin_bulk() = 0;
  virtual Status end_bulk() = 0;
};

}  // namespace pingan
