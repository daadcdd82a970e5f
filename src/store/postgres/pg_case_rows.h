#pragma once
// The rows of migration 13's tables and their records, shared by the files
// of PgCaseStore (pg_case_store.h): one column list per table, read and
// written in that order, a WHERE builder whose parameters are numbered as
// added, a unit scope as a condition, and the append-only step tables.
// A status text the core does not know is an error naming the row, not a
// silent default: it means a schema written by a newer pingan.

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/case_record.h"
#include "core/dissuasion.h"
#include "core/fraud_money.h"
#include "core/fugitive.h"
#include "core/measure.h"
#include "core/person.h"
#include "core/step_checks.h"
#include "core/unit.h"
#include "store/postgres/pg_connection.h"

namespace pingan::pg {

// WHERE conditions and their parameters, numbered as they are added.
class Where {
 public:
  // Adds a parameter; returns its placeholder ("$3").
  template <typename T>
  std::string param(const T& v) {
    params_.add(v);
    return fmt::format("${}", params_.size());
  }
  void add(std::string condition) { where_.push_back(std::move(condition)); }
  // " WHERE a AND b", or "" without conditions.
  std::string clause() const;
  const Params& params() const { return params_; }

 private:
  Params params_;
  std::vector<std::string> where_;
};

// `column` within the units under any root of `scope` (materialised paths,
// as the incident store reads them); nothing for an unlimited scope, FALSE
// for an empty one.
void add_unit_scope(const UnitScope& scope, std::string_view column, Where& q);

// A read of several statements sees one snapshot.
Status begin_snapshot_read(Transaction& tx, Connection& c);

// kNotFound ("no <what> <id>") when `table` has no row of this id: checked
// before an insert that refers to it, whose foreign-key failure would
// otherwise be an internal error.
Status require_row(Connection& c, std::string_view table, std::int64_t id, std::string_view what);

// ---- cases ----
inline constexpr std::string_view kCaseColumns =
    "id, source, source_id, case_number, type_code, case_class, unit_code, summary, opened_at, status, "
    "investigating_at, solved_at, closed_unsolved_at, withdrawn_at, flag_major, flag_gang, flag_task_force, "
    "flag_homicide, money_involved_fen, fraud_method";
inline constexpr int kCaseColumnCount = 20;
// The columns after id, as parameters $1..$19.
void add_case_params(const CaseRecord& c, Params& p);
// Row `row` of a SELECT of kCaseColumns (incident ids not filled).
Result<CaseRecord> read_case(const PgResult& r, int row);

// ---- persons, parties ----
// birth_date and sex are written as SQLite writes them; a read takes them
// from the opened ID number, their source (validate_person).
inline constexpr std::string_view kPersonColumns = "id, name, id_number, phone, address";
inline constexpr std::string_view kPartyColumns = "case_id, person_id, role, added_at, actor";
Result<CaseParty> read_party(const PgResult& r, int row);

// ---- measures, money ----
inline constexpr std::string_view kMeasureColumns = "id, case_id, person_id, kind, at, unit_code, actor, note";
Result<Measure> read_measure(const PgResult& r, int row);
inline constexpr std::string_view kMoneyColumns =
    "id, case_id, kind, amount_fen, at, unit_code, actor, note, override_limit, override_reason";
Result<FraudMoneyEntry> read_money(const PgResult& r, int row);

// ---- fugitives ----
inline constexpr std::string_view kFugitiveColumns =
    "id, listing_number, person_id, case_id, listed_at, listing_unit, status, caught_at, caught_by_unit, "
    "revoked_at, revoke_reason";
// The columns after id, as parameters $1..$10.
void add_fugitive_params(const Fugitive& f, Params& p);
Result<Fugitive> read_fugitive(const PgResult& r, int row, int first_col = 0);

// ---- dissuasion tasks ----
// target_phone stays sealed here; the caller opens it.
inline constexpr std::string_view kDissuasionColumns =
    "id, warning_number, unit_code, issued_at, person_id, target_phone, status, contacted_at, dissuaded_at, "
    "not_reached_at, defrauded_at, case_id";
// The columns after id, target_phone given sealed, then personal_key: $1..$12.
void add_dissuasion_params(const DissuasionTask& t, std::string_view sealed_phone, std::string_view personal_key,
                           Params& p);
Result<DissuasionTask> read_dissuasion(const PgResult& r, int row);

// ---- step tables (case_steps, fugitive_steps, dissuasion_steps) ----
inline constexpr std::string_view kStepColumns = "from_status, to_status, at, actor, note";

// Appends `step` to `table` as the record's next seq. The caller holds the
// record's row lock (or created it in this transaction), so the number is
// its own.
template <typename State>
Status append_step(Connection& c, std::string_view table, std::string_view key_column, std::int64_t record_id,
                   const StepEvent<State>& step, const char* (*name)(State)) {
  Params p;
  p.add(record_id);
  if (step.from) p.add(name(*step.from));
  else p.add_null();
  p.add(name(step.to)).add(std::int64_t(step.at)).add(step.actor).add(step.note);
  return c.run(fmt::format("INSERT INTO {0} ({1}, seq, {2}) VALUES ($1, (SELECT COALESCE(MAX(seq), 0) + 1 "
                           "FROM {0} WHERE {1} = $1), $2, $3, $4, $5, $6)",
                           table, key_column, kStepColumns),
               p, fmt::format("appending a step of {} {}", key_column, record_id));
}

// The steps of one record, oldest first (rows of SELECT kStepColumns).
template <typename State>
Result<std::vector<StepEvent<State>>> read_steps(const PgResult& r,
                                                 Result<State> (*parse)(std::string_view, std::string_view)) {
  std::vector<StepEvent<State>> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    StepEvent<State> e;
    if (!r.is_null(i, 0)) {
      PINGAN_ASSIGN_OR_RETURN(e.from, parse(r.view(i, 0), "from_status"));
    }
    PINGAN_ASSIGN_OR_RETURN(e.to, parse(r.view(i, 1), "to_status"));
    e.at = r.int64(i, 2);
    e.actor = r.text(i, 3);
    e.note = r.text(i, 4);
    out.push_back(std::move(e));
  }
  return out;
}

// Reads the steps of record `id` from `table`.
template <typename State>
Result<std::vector<StepEvent<State>>> steps_of(Connection& c, std::string_view table, std::string_view key_column,
                                               std::int64_t id,
                                               Result<State> (*parse)(std::string_view, std::string_view)) {
  Params p;
  p.add(id);
  PINGAN_ASSIGN_OR_RETURN(PgResult r, c.exec(fmt::format("SELECT {} FROM {} WHERE {} = $1 ORDER BY seq",
                                                         kStepColumns, table, key_column),
                                             p, fmt::format("reading the steps of {} {}", key_column, id)));
  return read_steps<State>(r, parse);
}

}  // namespace pingan::pg
