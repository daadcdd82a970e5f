// Dissuasion tasks (预警劝阻) and their steps; the target phone sealed. See
// store/postgres/pg_case_store.h.

#include <fmt/format.h>

#include "store/postgres/pg_case_rows.h"
#include "store/postgres/pg_case_store.h"

namespace pingan {
namespace {

constexpr int kScanBatch = 5000;

// "$1, …, $12": every column after id, then personal_key.
constexpr std::string_view kDissuasionValues = "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12";

Error warning_taken(const std::string& number) {
  return Error{ErrorCode::kAlreadyExists, "warning_number",
               fmt::format("a dissuasion task for warning '{}' exists already", number)};
}

// The columns add_dissuasion_params() fills, in its order.
std::string written_columns() { return fmt::format("{}, personal_key", pg::kDissuasionColumns.substr(4)); }

}  // namespace

Result<DissuasionTask> PgCaseStore::dissuasion_on(pg::Connection& c, std::int64_t id, const UnitScope& scope,
                                                  bool lock) const {
  pg::Where q;
  q.add("id = " + q.param(id));
  pg::add_unit_scope(scope, "unit_code", q);
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r,
                          c.exec(fmt::format("SELECT {} FROM dissuasion_tasks{}{}", pg::kDissuasionColumns,
                                             q.clause(), lock ? " FOR UPDATE" : ""),
                                 q.params(), fmt::format("reading dissuasion task {}", id)));
  if (r.rows() == 0) return Error::not_found(fmt::format("no dissuasion task {}", id));
  PINGAN_ASSIGN_OR_RETURN(DissuasionTask task, pg::read_dissuasion(r, 0));
  PINGAN_ASSIGN_OR_RETURN(task.target_phone,
                          fields_.open_text(task.target_phone, stored::kDissuasionPhoneContext,
                                            fmt::format("dissuasion task {}", id)));
  return task;
}

Result<DissuasionTask> PgCaseStore::create_dissuasion(const DissuasionTask& task,
                                                      std::span<const DissuasionStep> history) {
  PINGAN_ASSIGN_OR_RETURN(std::string phone, fields_.seal_text(task.target_phone, stored::kDissuasionPhoneContext));
  pg::Params row;
  pg::add_dissuasion_params(task, phone, fields_.active_key(), row);
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(begin_write(tx, *c));
  {
    pg::Params number;
    number.add(task.warning_number);
    PINGAN_ASSIGN_OR_RETURN(pg::PgResult taken, c->exec("SELECT 1 FROM dissuasion_tasks WHERE warning_number = $1",
                                                         number, "looking up a warning number"));
    if (taken.rows() > 0) return warning_taken(task.warning_number);
  }
  if (task.person_id) PINGAN_RETURN_IF_ERROR(pg::require_row(*c, "persons", *task.person_id, "person"));
  if (task.case_id) PINGAN_RETURN_IF_ERROR(pg::require_row(*c, "cases", *task.case_id, "case"));
  // DO NOTHING: a server inserting the same number at this moment wins.
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult inserted,
                          c->exec(fmt::format("INSERT INTO dissuasion_tasks ({}) VALUES ({}) "
                                              "ON CONFLICT DO NOTHING RETURNING id",
                                              written_columns(), kDissuasionValues),
                                  row, fmt::format("inserting dissuasion task {}", task.warning_number)));
  if (inserted.rows() == 0) return warning_taken(task.warning_number);
  DissuasionTask stored = task;
  stored.id = inserted.int64(0, 0);
  for (const DissuasionStep& step : history)
    PINGAN_RETURN_IF_ERROR(
        pg::append_step(*c, "dissuasion_steps", "task_id", stored.id, step, dissuasion_status_name));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return stored;
}

Result<DissuasionTask> PgCaseStore::get_dissuasion(std::int64_t id, const UnitScope& scope) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  return dissuasion_on(*c, id, scope, false);
}

Result<DissuasionTask> PgCaseStore::update_dissuasion(
    std::int64_t id, const UnitScope& scope, const std::function<Result<DissuasionStep>(DissuasionTask&)>& apply) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(begin_write(tx, *c));
  PINGAN_ASSIGN_OR_RETURN(DissuasionTask task, dissuasion_on(*c, id, scope, true));
  PINGAN_ASSIGN_OR_RETURN(DissuasionStep step, apply(task));
  task.id = id;
  if (task.case_id) PINGAN_RETURN_IF_ERROR(pg::require_row(*c, "cases", *task.case_id, "case"));
  // Sealed again under the active key: a step also moves the row along a
  // rotation (the change log ignores the phone's columns).
  PINGAN_ASSIGN_OR_RETURN(std::string phone, fields_.seal_text(task.target_phone, stored::kDissuasionPhoneContext));
  pg::Params row;
  pg::add_dissuasion_params(task, phone, fields_.active_key(), row);
  row.add(id);
  PINGAN_RETURN_IF_ERROR(c->run(fmt::format("UPDATE dissuasion_tasks SET ({}) = ({}) WHERE id = $13",
                                            written_columns(), kDissuasionValues),
                                row, fmt::format("updating dissuasion task {}", id)));
  PINGAN_RETURN_IF_ERROR(pg::append_step(*c, "dissuasion_steps", "task_id", id, step, dissuasion_status_name));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return task;
}

Result<std::vector<DissuasionStep>> PgCaseStore::dissuasion_history(std::int64_t id, const UnitScope& scope) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(pg::begin_snapshot_read(tx, *c));
  PINGAN_RETURN_IF_ERROR(dissuasion_on(*c, id, scope, false));
  PINGAN_ASSIGN_OR_RETURN(std::vector<DissuasionStep> steps,
                          pg::steps_of<DissuasionStatus>(*c, "dissuasion_steps", "task_id", id,
                                                         parse_dissuasion_status));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return steps;
}

Status PgCaseStore::scan_dissuasions(const std::function<void(const DissuasionTask&)>& visit) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(pg::begin_snapshot_read(tx, *c));
  const std::string sql =
      fmt::format("SELECT {} FROM dissuasion_tasks WHERE id > $1 ORDER BY id LIMIT {}", pg::kDissuasionColumns,
                  kScanBatch);
  std::int64_t after = 0;
  while (true) {
    pg::Params p;
    p.add(after);
    PINGAN_ASSIGN_OR_RETURN(pg::PgResult r, c->exec(sql, p, "scanning dissuasion tasks"));
    for (int i = 0; i < r.rows(); ++i) {
      PINGAN_ASSIGN_OR_RETURN(DissuasionTask task, pg::read_dissuasion(r, i));
      PINGAN_ASSIGN_OR_RETURN(task.target_phone,
                              fields_.open_text(task.target_phone, stored::kDissuasionPhoneContext,
                                                fmt::format("dissuasion task {}", task.id)));
      after = task.id;
      visit(task);
    }
    if (r.rows() < kScanBatch) break;
  }
  return tx.commit();
}

}  // namespace pingan
