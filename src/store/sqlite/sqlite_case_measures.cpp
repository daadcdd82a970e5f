// Measures on suspects and fraud money (see store/sqlite/sqlite_case_store.h):
// the check against the rows already stored runs inside the write's
// transaction, under SQLite's write lock, so two writers cannot both pass a
// check only one of them may (two 打击处理 for one suspect, two returns that
// together exceed what was stopped).

#include <fmt/format.h>

#include "store/sqlite/sqlite_case_rows.h"
#include "store/sqlite/sqlite_case_store.h"
#include "store/sqlite/sqlite_statement.h"

namespace pingan {

using case_rows::BulkCommit;
using sqlite::Statement;
using sqlite::Transaction;

Result<Measure> SqliteCaseStore::add_measure(const Measure& measure,
                                             const std::function<Status(const std::vector<Measure>& earlier)>& check) {
  std::lock_guard lock(mutex_);
  BulkCommit bulk(db_, bulk_);
  PINGAN_RETURN_IF_ERROR(bulk.begin());
  Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  PINGAN_RETURN_IF_ERROR(case_rows::require_row(db_, "cases", measure.case_id, "case"));
  PINGAN_RETURN_IF_ERROR(case_rows::require_row(db_, "persons", measure.person_id, "person"));
  std::vector<Measure> earlier;
  {
    Statement st(db_, fmt::format("SELECT {} FROM measures WHERE case_id = ? AND person_id = ? ORDER BY at, id",
                                  case_rows::kMeasureColumns));
    if (!st.valid()) return Error::internal(st.prepare_error());
    st.bind(1, measure.case_id);
    st.bind(2, measure.person_id);
    PINGAN_RETURN_IF_ERROR(st.each_row("reading a suspect's measures", [&](const Statement& row) -> Status {
      PINGAN_ASSIGN_OR_RETURN(Measure m, case_rows::read_measure(row));
      earlier.push_back(std::move(m));
      return {};
    }));
  }
  PINGAN_RETURN_IF_ERROR(check(earlier));
  Statement ins(db_, case_rows::insert_sql("measures", case_rows::kMeasureColumns.substr(4)));
  if (!ins.valid()) return Error::internal(ins.prepare_error());
  ins.bind(1, measure.case_id);
  ins.bind(2, measure.person_id);
  ins.bind(3, std::string_view(measure_kind_name(measure.kind)));
  ins.bind(4, measure.at);
  ins.bind(5, std::string_view(measure.unit_code));
  ins.bind(6, std::string_view(measure.actor));
  ins.bind(7, std::string_view(measure.note));
  if (ins.step() != SQLITE_DONE)
    return sqlite::last_error(db_, fmt::format("recording a measure in case {}", measure.case_id));
  Measure stored = measure;
  stored.id = sqlite3_last_insert_rowid(db_);
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return stored;
}

Result<FraudMoneyEntry> SqliteCaseStore::add_fraud_money(
    const FraudMoneyEntry& entry, const std::function<Status(const std::vector<FraudMoneyEntry>& recorded)>& check) {
  std::lock_guard lock(mutex_);
  BulkCommit bulk(db_, bulk_);
  PINGAN_RETURN_IF_ERROR(bulk.begin());
  Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  PINGAN_RETURN_IF_ERROR(case_rows::require_row(db_, "cases", entry.case_id, "case"));
  std::vector<FraudMoneyEntry> recorded;
  {
    Statement st(db_, fmt::format("SELECT {} FROM fraud_money WHERE case_id = ? ORDER BY at, id",
                                  case_rows::kMoneyColumns));
    if (!st.valid()) return Error::internal(st.prepare_error());
    st.bind(1, entry.case_id);
    PINGAN_RETURN_IF_ERROR(st.each_row("reading a case's money", [&](const Statement& row) -> Status {
      PINGAN_ASSIGN_OR_RETURN(FraudMoneyEntry e, case_rows::read_money(row));
      recorded.push_back(std::move(e));
      return {};
    }));
  }
  PINGAN_RETURN_IF_ERROR(check(recorded));
  Statement ins(db_, case_rows::insert_sql("fraud_money", case_rows::kMoneyColumns.substr(4)));
  if (!ins.valid()) return Error::internal(ins.prepare_error());
  ins.bind(1, entry.case_id);
  ins.bind(2, std::string_view(fraud_money_kind_name(entry.kind)));
  ins.bind(3, entry.amount_fen);
  ins.bind(4, entry.at);
  ins.bind(5, std::string_view(entry.unit_code));
  ins.bind(6, std::string_view(entry.actor));
  ins.bind(7, std::string_view(entry.note));
  ins.bind(8, entry.override_limit ? 1 : 0);
  ins.bind(9, std::string_view(entry.override_reason));
  if (ins.step() != SQLITE_DONE)
    return sqlite::last_error(db_, fmt::format("recording money in case {}", entry.case_id));
  FraudMoneyEntry stored = entry;
  stored.id = sqlite3_last_insert_rowid(db_);
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return stored;
}

}  // namespace pingan
