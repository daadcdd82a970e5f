#include "store/postgres/pg_case_rows.h"

namespace pingan::pg {
namespace {

// An unknown status or kind: which row, which column, what text.
Error bad_value(std::string_view table, std::int64_t id, const Error& parsed) {
  return Error::internal(fmt::format("{} {}: {} (a row written by a newer pingan?)", table, id, parsed.describe()));
}

}  // namespace

std::string Where::clause() const {
  std::string out;
  for (std::size_t i = 0; i < where_.size(); ++i) out += (i ? " AND " : " WHERE ") + where_[i];
  return out;
}

void add_unit_scope(const UnitScope& scope, std::string_view column, Where& q) {
  if (scope.all) return;
  if (scope.root_codes.empty()) {
    q.add("FALSE");
    return;
  }
  std::string roots;
  for (const auto& code : scope.root_codes) roots += (roots.empty() ? "" : ", ") + q.param(code);
  // Each path ends in '/', so /PA/S1/ is no prefix of /PA/S10/; a root whose
  // path is not kept yet ('') widens nothing.
  q.add(fmt::format("{} IN (SELECT u.code FROM units r JOIN units u ON starts_with(u.path, r.path) "
                    "WHERE r.code IN ({}) AND r.path <> '')",
                    column, roots));
}

Status begin_snapshot_read(Transaction& tx, Connection& c) {
  PINGAN_RETURN_IF_ERROR(tx.begin());
  return c.exec_script("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", "beginning a read");
}

Status require_row(Connection& c, std::string_view table, std::int64_t id, std::string_view what) {
  Params p;
  p.add(id);
  PINGAN_ASSIGN_OR_RETURN(PgResult r, c.exec(fmt::format("SELECT 1 FROM {} WHERE id = $1", table), p,
                                             fmt::format("finding {} {}", what, id)));
  if (r.rows() == 0) return Error::not_found(fmt::format("no {} {}", what, id));
  return {};
}

void add_case_params(const CaseRecord& c, Params& p) {
  p.add(c.source).add_text_or_null(c.source_id).add(c.case_number).add(c.type_code).add(case_class_name(c.case_class));
  p.add(c.unit_code).add(c.summary).add(std::int64_t(c.opened_at)).add(case_status_name(c.status));
  p.add(c.times.investigating_at).add(c.times.solved_at).add(c.times.closed_unsolved_at).add(c.times.withdrawn_at);
  p.add(int(c.flags.major)).add(int(c.flags.gang)).add(int(c.flags.task_force)).add(int(c.flags.homicide));
  p.add(std::int64_t(c.money_involved_fen)).add(c.fraud_method);
}

Result<CaseRecord> read_case(const PgResult& r, int row) {
  CaseRecord c;
  int i = 0;
  c.id = r.int64(row, i++);
  c.source = r.text(row, i++);
  c.source_id = r.text(row, i++);
  c.case_number = r.text(row, i++);
  c.type_code = r.text(row, i++);
  auto cls = parse_case_class(r.view(row, i++), "case_class");
  if (!cls.ok()) return bad_value("case", c.id, cls.error());
  c.case_class = *cls;
  c.unit_code = r.text(row, i++);
  c.summary = r.text(row, i++);
  c.opened_at = r.int64(row, i++);
  auto status = parse_case_status(r.view(row, i++), "status");
  if (!status.ok()) return bad_value("case", c.id, status.error());
  c.status = *status;
  for (auto* t : {&c.times.investigating_at, &c.times.solved_at, &c.times.closed_unsolved_at, &c.times.withdrawn_at})
    *t = r.opt_int64(row, i++);
  for (bool* f : {&c.flags.major, &c.flags.gang, &c.flags.task_force, &c.flags.homicide}) *f = r.int64(row, i++) != 0;
  c.money_involved_fen = r.int64(row, i++);
  c.fraud_method = r.text(row, i++);
  return c;
}

Result<CaseParty> read_party(const PgResult& r, int row) {
  CaseParty p;
  p.case_id = r.int64(row, 0);
  p.person_id = r.int64(row, 1);
  auto role = parse_person_role(r.view(row, 2), "role");
  if (!role.ok()) return bad_value("case party of case", p.case_id, role.error());
  p.role = *role;
  p.added_at = r.int64(row, 3);
  p.actor = r.text(row, 4);
  return p;
}

Result<Measure> read_measure(const PgResult& r, int row) {
  Measure m;
  m.id = r.int64(row, 0);
  m.case_id = r.int64(row, 1);
  m.person_id = r.int64(row, 2);
  auto kind = parse_measure_kind(r.view(row, 3), "kind");
  if (!kind.ok()) return bad_value("measure", m.id, kind.error());
  m.kind = *kind;
  m.at = r.int64(row, 4);
  m.unit_code = r.text(row, 5);
  m.actor = r.text(row, 6);
  m.note = r.text(row, 7);
  return m;
}

Result<FraudMoneyEntry> read_money(const PgResult& r, int row) {
  FraudMoneyEntry e;
  e.id = r.int64(row, 0);
  e.case_id = r.int64(row, 1);
  auto kind = parse_fraud_money_kind(r.view(row, 2), "kind");
  if (!kind.ok()) return bad_value("fraud money entry", e.id, kind.error());
  e.kind = *kind;
  e.amount_fen = r.int64(row, 3);
  e.at = r.int64(row, 4);
  e.unit_code = r.text(row, 5);
  e.actor = r.text(row, 6);
  e.note = r.text(row, 7);
  e.override_limit = r.int64(row, 8) != 0;
  e.override_reason = r.text(row, 9);
  return e;
}

void add_fugitive_params(const Fugitive& f, Params& p) {
  p.add(f.listing_number).add(std::int64_t(f.person_id)).add(f.case_id).add(std::int64_t(f.listed_at));
  p.add(f.listing_unit).add(fugitive_status_name(f.status)).add(f.caught_at).add(f.caught_by_unit);
  p.add(f.revoked_at).add(f.revoke_reason);
}

Result<Fugitive> read_fugitive(const PgResult& r, int row, int first_col) {
  Fugitive f;
  int i = first_col;
  f.id = r.int64(row, i++);
  f.listing_number = r.text(row, i++);
  f.person_id = r.int64(row, i++);
  f.case_id = r.opt_int64(row, i++);
  f.listed_at = r.int64(row, i++);
  f.listing_unit = r.text(row, i++);
  auto status = parse_fugitive_status(r.view(row, i++), "status");
  if (!status.ok()) return bad_value("fugitive listing", f.id, status.error());
  f.status = *status;
  f.caught_at = r.opt_int64(row, i++);
  f.caught_by_unit = r.text(row, i++);
  f.revoked_at = r.opt_int64(row, i++);
  f.revoke_reason = r.text(row, i++);
  return f;
}

void add_dissuasion_params(const DissuasionTask& t, std::string_view sealed_phone, std::string_view personal_key,
                           Params& p) {
  p.add(t.warning_number).add(t.unit_code).add(std::int64_t(t.issued_at)).add(t.person_id);
  p.add_text_or_null(sealed_phone).add(dissuasion_status_name(t.status));
  p.add(t.times.contacted_at).add(t.times.dissuaded_at).add(t.times.not_reached_at).add(t.times.defrauded_at);
  p.add(t.case_id);
  // NULL for a task without a phone: nothing of it to re-seal.
  if (sealed_phone.empty()) p.add_null();
  else p.add(personal_key);
}

Result<DissuasionTask> read_dissuasion(const PgResult& r, int row) {
  DissuasionTask t;
  int i = 0;
  t.id = r.int64(row, i++);
  t.warning_number = r.text(row, i++);
  t.unit_code = r.text(row, i++);
  t.issued_at = r.int64(row, i++);
  t.person_id = r.opt_int64(row, i++);
  t.target_phone = r.text(row, i++);
  auto status = parse_dissuasion_status(r.view(row, i++), "status");
  if (!status.ok()) return bad_value("dissuasion task", t.id, status.error());
  t.status = *status;
  for (auto* at : {&t.times.contacted_at, &t.times.dissuaded_at, &t.times.not_reached_at, &t.times.defrauded_at})
    *at = r.opt_int64(row, i++);
  t.case_id = r.opt_int64(row, i++);
  return t;
}

}  // namespace pingan::pg
