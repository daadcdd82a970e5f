// Fugitive listings and their steps (see store/sqlite/sqlite_case_store.h).
// A handheld check by ID number is one read: the number's keyed hash finds
// the person through persons.id_key (unique), their listings through
// fugitives(person_id).

#include <fmt/format.h>

#include "store/sqlite/sqlite_case_rows.h"
#include "store/sqlite/sqlite_case_store.h"
#include "store/sqlite/sqlite_statement.h"

namespace pingan {

using case_rows::BulkCommit;
using sqlite::Statement;
using sqlite::Transaction;

Result<Fugitive> SqliteCaseStore::fugitive_on(sqlite3* db, FugitiveId id) const {
  Statement st(db, fmt::format("SELECT {} FROM fugitives WHERE id = ?", case_rows::kFugitiveColumns));
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, id);
  PINGAN_ASSIGN_OR_RETURN(bool found, st.next_row("reading a fugitive listing"));
  if (!found) return Error::not_found(fmt::format("no fugitive listing {}", id));
  return case_rows::read_fugitive(st);
}

Result<Fugitive> SqliteCaseStore::create_fugitive(const Fugitive& fugitive, std::span<const FugitiveStep> history) {
  std::lock_guard lock(mutex_);
  BulkCommit bulk(db_, bulk_);
  PINGAN_RETURN_IF_ERROR(bulk.begin());
  Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  {
    Statement st(db_, "SELECT id FROM fugitives WHERE listing_number = ?");
    if (!st.valid()) return Error::internal(st.prepare_error());
    st.bind(1, std::string_view(fugitive.listing_number));
    PINGAN_ASSIGN_OR_RETURN(bool taken, st.next_row("looking up a listing number"));
    if (taken)
      return case_rows::already_exists(
          "listing_number",
          fmt::format("fugitive listing {} has the number '{}' already", st.column_int(0), fugitive.listing_number));
  }
  PINGAN_RETURN_IF_ERROR(case_rows::require_row(db_, "persons", fugitive.person_id, "person"));
  if (fugitive.case_id) PINGAN_RETURN_IF_ERROR(case_rows::require_row(db_, "cases", *fugitive.case_id, "case"));
  Statement ins(db_, case_rows::insert_sql("fugitives", case_rows::kFugitiveColumns.substr(4)));
  if (!ins.valid()) return Error::internal(ins.prepare_error());
  case_rows::bind_fugitive(ins, fugitive);
  if (ins.step() != SQLITE_DONE)
    return sqlite::last_error(db_, fmt::format("inserting fugitive listing '{}'", fugitive.listing_number));
  Fugitive stored = fugitive;
  stored.id = sqlite3_last_insert_rowid(db_);
  for (const FugitiveStep& step : history)
    PINGAN_RETURN_IF_ERROR(case_rows::append_step(db_, "fugitive_steps", "fugitive_id", stored.id,
                                                  case_rows::to_step_row(step, fugitive_status_name)));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return stored;
}

Result<Fugitive> SqliteCaseStore::get_fugitive(FugitiveId id) {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  return fugitive_on(reader.db(), id);
}

Result<Fugitive> SqliteCaseStore::update_fugitive(FugitiveId id,
                                                  const std::function<Result<FugitiveStep>(Fugitive&)>& apply) {
  std::lock_guard lock(mutex_);
  BulkCommit bulk(db_, bulk_);
  PINGAN_RETURN_IF_ERROR(bulk.begin());
  Transaction tx(db_);  // BEGIN IMMEDIATE: read and write under the write lock
  PINGAN_RETURN_IF_ERROR(tx.begin());
  PINGAN_ASSIGN_OR_RETURN(Fugitive f, fugitive_on(db_, id));
  PINGAN_ASSIGN_OR_RETURN(FugitiveStep step, apply(f));
  f.id = id;
  Statement st(db_, fmt::format("UPDATE fugitives SET {} WHERE id = ?",
                                case_rows::set_clause(case_rows::kFugitiveColumns.substr(4))));
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(case_rows::bind_fugitive(st, f), id);
  if (st.step() != SQLITE_DONE) return sqlite::last_error(db_, fmt::format("updating fugitive listing {}", id));
  PINGAN_RETURN_IF_ERROR(case_rows::append_step(db_, "fugitive_steps", "fugitive_id", id,
                                                case_rows::to_step_row(step, fugitive_status_name)));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return f;
}

Result<std::vector<FugitiveStep>> SqliteCaseStore::fugitive_history(FugitiveId id) {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  PINGAN_RETURN_IF_ERROR(fugitive_on(reader.db(), id));
  PINGAN_ASSIGN_OR_RETURN(std::vector<case_rows::StepRow> rows,
                          case_rows::read_steps(reader.db(), "fugitive_steps", "fugitive_id", id));
  return case_rows::from_step_rows<FugitiveStatus>(rows, parse_fugitive_status);
}

Result<std::vector<FugitiveHit>> SqliteCaseStore::fugitives_by_id_number(const std::string& id_number) {
  std::vector<FugitiveHit> hits;
  if (id_number.empty()) return hits;  // nobody is matched on no number
  PINGAN_ASSIGN_OR_RETURN(const std::string key, fields_.id_number_key(id_number));
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(), fmt::format("SELECT {}, p.id FROM persons p JOIN fugitives f ON f.person_id = p.id "
                                        "WHERE p.id_key = ? ORDER BY f.listed_at DESC, f.id DESC",
                                        case_rows::qualified(case_rows::kFugitiveColumns, "f")));
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, std::string_view(key));
  PINGAN_RETURN_IF_ERROR(st.each_row("checking an ID number against the fugitives", [&](const Statement& row) -> Status {
    FugitiveHit hit;
    PINGAN_ASSIGN_OR_RETURN(hit.listing, case_rows::read_fugitive(row));
    hit.person_id = row.column_int(case_rows::kFugitiveColumnCount);
    hits.push_back(std::move(hit));
    return {};
  }));
  return hits;
}

Status SqliteCaseStore::scan_fugitives(const std::function<void(const ListingKey&)>& visit) {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(), fmt::format("SELECT {}, p.id_key FROM fugitives f LEFT JOIN persons p ON p.id = f.person_id "
                                        "ORDER BY f.id",
                                        case_rows::qualified(case_rows::kFugitiveColumns, "f")));
  if (!st.valid()) return Error::internal(st.prepare_error());
  return st.each_row("scanning fugitive listings", [&](const Statement& row) -> Status {
    ListingKey key;
    PINGAN_ASSIGN_OR_RETURN(key.listing, case_rows::read_fugitive(row));
    key.id_hash = row.column_text(case_rows::kFugitiveColumnCount);  // NULL: no ID number, ""
    visit(key);
    return {};
  });
}

Result<std::string> SqliteCaseStore::id_number_key(const std::string& id_number) {
  if (id_number.empty()) return Error::invalid("id_number", "no ID number to key");
  return fields_.id_number_key(id_number);
}

}  // namespace pingan
