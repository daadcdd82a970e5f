// Early-warning dissuasion tasks and their steps (see
// store/sqlite/sqlite_case_store.h). A task is in a scope when its unit is;
// its target phone is personal data, sealed in its column.

#include <fmt/format.h>

#include "store/sqlite/sqlite_case_rows.h"
#include "store/sqlite/sqlite_case_store.h"
#include "store/sqlite/sqlite_statement.h"

namespace pingan {

using case_rows::BulkCommit;
using case_rows::SqlParam;
using sqlite::Statement;
using sqlite::Transaction;

namespace {

// Binds a task's columns but id, the phone as sealed, then personal_key
// (NULL without a phone); returns the next parameter.
int bind_task(Statement& st, const DissuasionTask& task, const std::string& sealed_phone,
              const stored::PersonalFields& fields) {
  int i = case_rows::bind_dissuasion(st, task, sealed_phone);
  if (sealed_phone.empty()) st.bind_null(i++);
  else st.bind(i++, case_rows::sealing_key(sealed_phone, fields), true);
  return i;
}

}  // namespace

Result<DissuasionTask> SqliteCaseStore::dissuasion_on(sqlite3* db, std::int64_t id, const UnitScope& scope) const {
  std::vector<std::string> where{"id = ?"};
  std::vector<SqlParam> params{id};
  case_rows::add_scope_condition("unit_code", scope, where, params);
  Statement st(db, fmt::format("SELECT {} FROM dissuasion_tasks{}", case_rows::kDissuasionColumns,
                               case_rows::join_where(where)));
  if (!st.valid()) return Error::internal(st.prepare_error());
  case_rows::bind_params(st, params);
  PINGAN_ASSIGN_OR_RETURN(bool found, st.next_row("reading a dissuasion task"));
  if (!found) return Error::not_found(fmt::format("no dissuasion task {}", id));
  return case_rows::read_dissuasion(st, fields_);
}

Result<DissuasionTask> SqliteCaseStore::create_dissuasion(const DissuasionTask& task,
                                                          std::span<const DissuasionStep> history) {
  PINGAN_ASSIGN_OR_RETURN(const std::string phone,
                          fields_.seal_text(task.target_phone, stored::kDissuasionPhoneContext));
  std::lock_guard lock(mutex_);
  BulkCommit bulk(db_, bulk_);
  PINGAN_RETURN_IF_ERROR(bulk.begin());
  Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  {
    Statement st(db_, "SELECT id FROM dissuasion_tasks WHERE warning_number = ?");
    if (!st.valid()) return Error::internal(st.prepare_error());
    st.bind(1, std::string_view(task.warning_number));
    PINGAN_ASSIGN_OR_RETURN(bool taken, st.next_row("looking up a warning number"));
    if (taken)
      return case_rows::already_exists(
          "warning_number",
          fmt::format("dissuasion task {} has the warning number '{}' already", st.column_int(0), task.warning_number));
  }
  if (task.person_id) PINGAN_RETURN_IF_ERROR(case_rows::require_row(db_, "persons", *task.person_id, "person"));
  if (task.case_id) PINGAN_RETURN_IF_ERROR(case_rows::require_row(db_, "cases", *task.case_id, "case"));
  Statement ins(db_, case_rows::insert_sql("dissuasion_tasks", case_rows::kDissuasionColumns.substr(4)));
  if (!ins.valid()) return Error::internal(ins.prepare_error());
  bind_task(ins, task, phone, fields_);
  if (ins.step() != SQLITE_DONE)
    return sqlite::last_error(db_, fmt::format("inserting dissuasion task '{}'", task.warning_number));
  DissuasionTask stored = task;
  stored.id = sqlite3_last_insert_rowid(db_);
  for (const DissuasionStep& step : history)
    PINGAN_RETURN_IF_ERROR(case_rows::append_step(db_, "dissuasion_steps", "task_id", stored.id,
                                                  case_rows::to_step_row(step, dissuasion_status_name)));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return stored;
}

Result<DissuasionTask> SqliteCaseStore::get_dissuasion(std::int64_t id, const UnitScope& scope) {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  return dissuasion_on(reader.db(), id, scope);
}

Result<DissuasionTask> SqliteCaseStore::update_dissuasion(
    std::int64_t id, const UnitScope& scope, const std::function<Result<DissuasionStep>(DissuasionTask&)>& apply) {
  std::lock_guard lock(mutex_);
  BulkCommit bulk(db_, bulk_);
  PINGAN_RETURN_IF_ERROR(bulk.begin());
  Transaction tx(db_);  // BEGIN IMMEDIATE: read and write under the write lock
  PINGAN_RETURN_IF_ERROR(tx.begin());
  PINGAN_ASSIGN_OR_RETURN(DissuasionTask t, dissuasion_on(db_, id, scope));
  PINGAN_ASSIGN_OR_RETURN(DissuasionStep step, apply(t));
  t.id = id;
  if (t.case_id) PINGAN_RETURN_IF_ERROR(case_rows::require_row(db_, "cases", *t.case_id, "case"));
  // Sealed again under the active key, as an incident's update does.
  PINGAN_ASSIGN_OR_RETURN(const std::string phone, fields_.seal_text(t.target_phone, stored::kDissuasionPhoneContext));
  Statement st(db_, fmt::format("UPDATE dissuasion_tasks SET {} WHERE id = ?",
                                case_rows::set_clause(case_rows::kDissuasionColumns.substr(4))));
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(bind_task(st, t, phone, fields_), id);
  if (st.step() != SQLITE_DONE) return sqlite::last_error(db_, fmt::format("updating dissuasion task {}", id));
  PINGAN_RETURN_IF_ERROR(case_rows::append_step(db_, "dissuasion_steps", "task_id", id,
                                                case_rows::to_step_row(step, dissuasion_status_name)));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return t;
}

Result<std::vector<DissuasionStep>> SqliteCaseStore::dissuasion_history(std::int64_t id, const UnitScope& scope) {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  PINGAN_RETURN_IF_ERROR(dissuasion_on(reader.db(), id, scope));
  PINGAN_ASSIGN_OR_RETURN(std::vector<case_rows::StepRow> rows,
                          case_rows::read_steps(reader.db(), "dissuasion_steps", "task_id", id));
  return case_rows::from_step_rows<DissuasionStatus>(rows, parse_dissuasion_status);
}

Status SqliteCaseStore::scan_dissuasions(const std::function<void(const DissuasionTask&)>& visit) {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(), fmt::format("SELECT {} FROM dissuasion_tasks ORDER BY id", case_rows::kDissuasionColumns));
  if (!st.valid()) return Error::internal(st.prepare_error());
  return st.each_row("scanning dissuasion tasks", [&](const Statement& row) -> Status {
    PINGAN_ASSIGN_OR_RETURN(DissuasionTask t, case_rows::read_dissuasion(row, fields_));
    visit(t);
    return {};
  });
}

}  // namespace pingan
