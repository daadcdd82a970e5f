#pragma once
// What the SqliteCaseStore's files share (sqlite_case_store.cpp and its
// siblings): the column lists of the issue-20 tables (migration 13), a
// record to its row and back, histories, the unit scope as SQL, and bulk
// commits. Internal to store/sqlite.
//
// Rows keep enums by their names (case_status_name() ...): a name this
// build does not know is a damaged row, reported naming the record, never
// read as some default.

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/case_record.h"
#include "core/dissuasion.h"
#include "core/fraud_money.h"
#include "core/fugitive.h"
#include "core/measure.h"
#include "core/person.h"
#include "core/status.h"
#include "core/unit.h"
#include "store/personal_fields.h"
#include "store/sqlite/sqlite_statement.h"

namespace pingan::case_rows {

using sqlite::Statement;

// ---- building a WHERE ----
using SqlParam = std::variant<std::int64_t, std::string>;
void bind_params(Statement& st, const std::vector<SqlParam>& params);
std::string join_where(const std::vector<std::string>& where);  // " WHERE a AND b", or ""
// "`column` IN (the codes of the scope's subtrees)"; nothing for an
// unlimited scope, "0" for an empty one (it sees nothing). As the incident
// store does it: the unit tree is in `units`.
void add_scope_condition(std::string_view column, const UnitScope& scope, std::vector<std::string>& where,
                         std::vector<SqlParam>& params);
// "a = ?, b = ?" for "a, b": the SET of an UPDATE in a column list's order.
std::string set_clause(std::string_view columns);
// "INSERT INTO table (a, b) VALUES (?, ?)".
std::string insert_sql(std::string_view table, std::string_view columns);
// "f.a, f.b" for "a, b" and alias "f".
std::string qualified(std::string_view columns, std::string_view alias);

// The error a taken unique key is (field: the key's name).
Error already_exists(std::string field, std::string message);

// ---- cases ----
// Every SELECT and INSERT of cases lists these, in this order; INSERT and
// UPDATE bind all but id (bind_case).
inline constexpr std::string_view kCaseColumns =
    "id, source, source_id, case_number, type_code, case_class, unit_code, summary, opened_at, status, "
    "investigating_at, solved_at, closed_unsolved_at, withdrawn_at, flag_major, flag_gang, flag_task_force, "
    "flag_homicide, money_involved_fen, fraud_method";
inline constexpr int kCaseColumnCount = 20;
// Binds every column but id from parameter 1; returns the next parameter.
int bind_case(Statement& st, const CaseRecord& c);
// The case of the current row, without its incident ids.
Result<CaseRecord> read_case(const Statement& st);
// The case with its incident ids (ascending), or kNotFound when it is
// missing or outside `scope`. On `db`: a lease's connection, or the writer
// with its mutex held.
Result<CaseRecord> get_case_on(sqlite3* db, CaseId id, const UnitScope& scope);
Status read_case_incidents(sqlite3* db, CaseRecord& c);
// Replaces the case's incident links by c.incident_ids; writer only.
Status write_case_incidents(sqlite3* db, const CaseRecord& c);
// kNotFound naming `what` when no row of `table` has this id.
Status require_row(sqlite3* db, std::string_view table, std::int64_t id, std::string_view what);

// ---- histories (case_steps, fugitive_steps, dissuasion_steps) ----
struct StepRow {
  std::optional<std::string> from;
  std::string to;
  Timestamp at = 0;
  std::string actor, note;
};
// Appends the record's next entry (seq: the highest so far + 1); writer only.
Status append_step(sqlite3* db, std::string_view table, std::string_view key_column, std::int64_t id,
                   const StepRow& row);
// The record's entries by seq.
Result<std::vector<StepRow>> read_steps(sqlite3* db, std::string_view table, std::string_view key_column,
                                        std::int64_t id);

template <typename State>
StepRow to_step_row(const StepEvent<State>& e, const char* (*name)(State)) {
  StepRow r;
  if (e.from) r.from = name(*e.from);
  r.to = name(e.to);
  r.at = e.at;
  r.actor = e.actor;
  r.note = e.note;
  return r;
}

template <typename State>
Result<std::vector<StepEvent<State>>> from_step_rows(const std::vector<StepRow>& rows,
                                                     Result<State> (*parse)(std::string_view, std::string_view)) {
  std::vector<StepEvent<State>> out;
  out.reserve(rows.size());
  for (const StepRow& r : rows) {
    StepEvent<State> e;
    if (r.from) {
      PINGAN_ASSIGN_OR_RETURN(e.from, parse(*r.from, "from_status"));
    }
    PINGAN_ASSIGN_OR_RETURN(e.to, parse(r.to, "to_status"));
    e.at = r.at;
    e.actor = r.actor;
    e.note = r.note;
    out.push_back(std::move(e));
  }
  return out;
}

// ---- persons ----
inline constexpr std::string_view kPersonColumns = "id, name, id_number, phone, address, birth_date, sex";
// The person of the current row, its fields opened.
Result<Person> read_person(const Statement& st, const stored::PersonalFields& fields);
// What the key of a sealed row is: the key id of `token`, '' for plain text.
std::string sealing_key(std::string_view token, const stored::PersonalFields& fields);

// ---- measures and money ----
inline constexpr std::string_view kMeasureColumns = "id, case_id, person_id, kind, at, unit_code, actor, note";
// The row's columns from `first` on.
Result<Measure> read_measure(const Statement& st, int first = 0);
inline constexpr std::string_view kMoneyColumns =
    "id, case_id, kind, amount_fen, at, unit_code, actor, note, override_limit, override_reason";
Result<FraudMoneyEntry> read_money(const Statement& st, int first = 0);

// ---- fugitives ----
inline constexpr std::string_view kFugitiveColumns =
    "id, listing_number, person_id, case_id, listed_at, listing_unit, status, caught_at, caught_by_unit, "
    "revoked_at, revoke_reason";
inline constexpr int kFugitiveColumnCount = 11;
int bind_fugitive(Statement& st, const Fugitive& f);  // all but id, from parameter 1
// The listing of the current row, its columns from `first` on.
Result<Fugitive> read_fugitive(const Statement& st, int first = 0);

// ---- dissuasion tasks ----
inline constexpr std::string_view kDissuasionColumns =
    "id, warning_number, unit_code, issued_at, person_id, target_phone, status, contacted_at, dissuaded_at, "
    "not_reached_at, defrauded_at, case_id, personal_key";
inline constexpr int kDissuasionColumnCount = 13;
// All but id from parameter 1, the phone as `sealed_phone` (a token, or
// plain without a cipher) and its key.
int bind_dissuasion(Statement& st, const DissuasionTask& t, const std::string& sealed_phone);
Result<DissuasionTask> read_dissuasion(const Statement& st, const stored::PersonalFields& fields);

// In bulk mode (CaseStore::begin_bulk .. end_bulk) a write commits with
// synchronous=NORMAL: in the WAL without waiting for fsync, so a crash may
// lose it, never corrupt the file; end_bulk's checkpoint makes it durable.
// Restores FULL when it goes. Declared before the write's Transaction.
class BulkCommit {
 public:
  BulkCommit(sqlite3* db, bool bulk) : db_(db), bulk_(bulk) {}
  BulkCommit(const BulkCommit&) = delete;
  BulkCommit& operator=(const BulkCommit&) = delete;
  Status begin() { return bulk_ ? sqlite::exec(db_, "PRAGMA synchronous=NORMAL") : Status(); }
  ~BulkCommit() {
    if (bulk_) sqlite3_exec(db_, "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr);
  }

 private:
  sqlite3* db_;
  bool bulk_;
};

}  // namespace pingan::case_rows
