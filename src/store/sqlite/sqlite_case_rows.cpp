#include "store/sqlite/sqlite_case_rows.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "crypto/field_cipher.h"

namespace pingan::case_rows {

void bind_params(Statement& st, const std::vector<SqlParam>& params) {
  for (size_t k = 0; k < params.size(); ++k) {
    const int i = static_cast<int>(k) + 1;
    if (const auto* n = std::get_if<std::int64_t>(&params[k])) st.bind(i, *n);
    else st.bind(i, std::string_view(std::get<std::string>(params[k])), true);
  }
}

std::string join_where(const std::vector<std::string>& where) {
  std::string out;
  for (size_t i = 0; i < where.size(); ++i) out += (i ? " AND " : " WHERE ") + where[i];
  return out;
}

void add_scope_condition(std::string_view column, const UnitScope& scope, std::vector<std::string>& where,
                         std::vector<SqlParam>& params) {
  if (scope.all) return;
  if (scope.root_codes.empty()) {
    where.push_back("0");
    return;
  }
  std::string roots;
  for (const auto& code : scope.root_codes) {
    roots += roots.empty() ? "?" : ", ?";
    params.push_back(code);
  }
  where.push_back(fmt::format(
      "{} IN (WITH RECURSIVE sub(code) AS (SELECT code FROM units WHERE code IN ({}) "
      "UNION SELECT u.code FROM units u JOIN sub ON u.parent_code = sub.code) SELECT code FROM sub)",
      column, roots));
}

namespace {

// Calls `each` with every name of a column list "a, b, c".
template <typename Each>
void for_each_column(std::string_view columns, Each&& each) {
  while (!columns.empty()) {
    const size_t comma = columns.find(',');
    std::string_view col = columns.substr(0, comma);
    while (!col.empty() && col.front() == ' ') col.remove_prefix(1);
    each(col);
    columns = comma == std::string_view::npos ? std::string_view{} : columns.substr(comma + 1);
  }
}

}  // namespace

std::string set_clause(std::string_view columns) {
  std::string out;
  for_each_column(columns, [&](std::string_view col) { out += fmt::format("{}{} = ?", out.empty() ? "" : ", ", col); });
  return out;
}

std::string insert_sql(std::string_view table, std::string_view columns) {
  std::string marks;
  for_each_column(columns, [&](std::string_view) { marks += marks.empty() ? "?" : ", ?"; });
  return fmt::format("INSERT INTO {} ({}) VALUES ({})", table, columns, marks);
}

std::string qualified(std::string_view columns, std::string_view alias) {
  std::string out;
  for_each_column(columns, [&](std::string_view col) { out += fmt::format("{}{}.{}", out.empty() ? "" : ", ", alias, col); });
  return out;
}

Error already_exists(std::string field, std::string message) {
  return Error{ErrorCode::kAlreadyExists, std::move(field), std::move(message)};
}

namespace {

// A stored enum name this build does not know: the row is damaged (or
// written by a newer build), and saying so beats reading a default.
template <typename T>
Result<T> parsed(Result<T> value, std::string_view what) {
  if (!value.ok())
    return Error::internal(fmt::format("{}: {} (a damaged row?)", what, value.error().describe()));
  return value;
}

}  // namespace

// ---- cases ----

int bind_case(Statement& st, const CaseRecord& c) {
  int i = 1;
  st.bind(i++, std::string_view(c.source));
  st.bind_text_or_null(i++, c.source_id);  // none: keyed by the case number alone
  st.bind(i++, std::string_view(c.case_number));
  st.bind(i++, std::string_view(c.type_code));
  st.bind(i++, std::string_view(case_class_name(c.case_class)));
  st.bind(i++, std::string_view(c.unit_code));
  st.bind(i++, std::string_view(c.summary));
  st.bind(i++, c.opened_at);
  st.bind(i++, std::string_view(case_status_name(c.status)));
  for (const auto* t : {&c.times.investigating_at, &c.times.solved_at, &c.times.closed_unsolved_at,
                        &c.times.withdrawn_at})
    st.bind(i++, *t);
  for (bool flag : {c.flags.major, c.flags.gang, c.flags.task_force, c.flags.homicide}) st.bind(i++, flag ? 1 : 0);
  st.bind(i++, c.money_involved_fen);
  st.bind(i++, std::string_view(c.fraud_method));
  return i;
}

Result<CaseRecord> read_case(const Statement& st) {
  CaseRecord c;
  int i = 0;
  c.id = st.column_int(i++);
  c.source = st.column_text(i++);
  c.source_id = st.column_text(i++);
  c.case_number = st.column_text(i++);
  c.type_code = st.column_text(i++);
  const std::string what = fmt::format("case {}", c.id);
  PINGAN_ASSIGN_OR_RETURN(c.case_class, parsed(parse_case_class(st.column_text(i++)), what));
  c.unit_code = st.column_text(i++);
  c.summary = st.column_text(i++);
  c.opened_at = st.column_int(i++);
  PINGAN_ASSIGN_OR_RETURN(c.status, parsed(parse_case_status(st.column_text(i++)), what));
  for (auto* t : {&c.times.investigating_at, &c.times.solved_at, &c.times.closed_unsolved_at, &c.times.withdrawn_at})
    *t = st.column_optional_int(i++);
  for (bool* flag : {&c.flags.major, &c.flags.gang, &c.flags.task_force, &c.flags.homicide})
    *flag = st.column_int(i++) != 0;
  c.money_involved_fen = st.column_int(i++);
  c.fraud_method = st.column_text(i++);
  return c;
}

Status read_case_incidents(sqlite3* db, CaseRecord& c) {
  Statement st(db, "SELECT incident_id FROM case_incidents WHERE case_id = ? ORDER BY incident_id");
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, c.id);
  c.incident_ids.clear();
  return st.each_row(fmt::format("reading the incidents of case {}", c.id),
                     [&](const Statement& row) { c.incident_ids.push_back(row.column_int(0)); });
}

Result<CaseRecord> get_case_on(sqlite3* db, CaseId id, const UnitScope& scope) {
  std::vector<std::string> where{"id = ?"};
  std::vector<SqlParam> params{std::int64_t{id}};
  add_scope_condition("unit_code", scope, where, params);
  Statement st(db, fmt::format("SELECT {} FROM cases{}", kCaseColumns, join_where(where)));
  if (!st.valid()) return Error::internal(st.prepare_error());
  bind_params(st, params);
  PINGAN_ASSIGN_OR_RETURN(bool found, st.next_row("reading a case"));
  if (!found) return Error::not_found(fmt::format("no case {}", id));
  PINGAN_ASSIGN_OR_RETURN(CaseRecord c, read_case(st));
  PINGAN_RETURN_IF_ERROR(read_case_incidents(db, c));
  return c;
}

Status write_case_incidents(sqlite3* db, const CaseRecord& c) {
  // Only what differs is written: the log's triggers fire per row changed.
  std::vector<IncidentId> stored;
  {
    Statement st(db, "SELECT incident_id FROM case_incidents WHERE case_id = ?");
    if (!st.valid()) return Error::internal(st.prepare_error());
    st.bind(1, c.id);
    PINGAN_RETURN_IF_ERROR(st.each_row("reading a case's incidents",
                                       [&](const Statement& row) { stored.push_back(row.column_int(0)); }));
  }
  const auto holds = [](const std::vector<IncidentId>& ids, IncidentId id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  };
  Statement del(db, "DELETE FROM case_incidents WHERE case_id = ? AND incident_id = ?");
  Statement add(db, "INSERT INTO case_incidents (case_id, incident_id) VALUES (?, ?) ON CONFLICT DO NOTHING");
  if (!del.valid() || !add.valid()) return Error::internal(del.valid() ? add.prepare_error() : del.prepare_error());
  for (IncidentId id : stored) {
    if (holds(c.incident_ids, id)) continue;
    del.bind(1, c.id);
    del.bind(2, id);
    if (del.step() != SQLITE_DONE) return sqlite::last_error(db, fmt::format("unlinking case {}", c.id));
    del.reset();
  }
  for (IncidentId id : c.incident_ids) {
    if (holds(stored, id)) continue;
    add.bind(1, c.id);
    add.bind(2, id);
    if (add.step() != SQLITE_DONE) return sqlite::last_error(db, fmt::format("linking case {}", c.id));
    add.reset();
  }
  return {};
}

Status require_row(sqlite3* db, std::string_view table, std::int64_t id, std::string_view what) {
  Statement st(db, fmt::format("SELECT 1 FROM {} WHERE id = ?", table));
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, id);
  PINGAN_ASSIGN_OR_RETURN(bool found, st.next_row(fmt::format("looking for {} {}", what, id)));
  if (!found) return Error::not_found(fmt::format("no {} {}", what, id));
  return {};
}

// ---- histories ----

Status append_step(sqlite3* db, std::string_view table, std::string_view key_column, std::int64_t id,
                   const StepRow& row) {
  Statement st(db, fmt::format("INSERT INTO {0} ({1}, seq, from_status, to_status, at, actor, note) "
                               "VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM {0} WHERE {1} = ?1), ?, ?, ?, ?, ?)",
                               table, key_column));
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, id);
  if (row.from) st.bind(2, std::string_view(*row.from));
  else st.bind_null(2);
  st.bind(3, std::string_view(row.to));
  st.bind(4, row.at);
  st.bind(5, std::string_view(row.actor));
  st.bind(6, std::string_view(row.note));
  if (st.step() != SQLITE_DONE) return sqlite::last_error(db, fmt::format("appending to {} of {}", table, id));
  return {};
}

Result<std::vector<StepRow>> read_steps(sqlite3* db, std::string_view table, std::string_view key_column,
                                        std::int64_t id) {
  Statement st(db, fmt::format("SELECT from_status, to_status, at, actor, note FROM {} WHERE {} = ? ORDER BY seq",
                               table, key_column));
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, id);
  std::vector<StepRow> out;
  PINGAN_RETURN_IF_ERROR(st.each_row(fmt::format("reading {} of {}", table, id), [&](const Statement& row) {
    StepRow r;
    if (!row.column_is_null(0)) r.from = row.column_text(0);
    r.to = row.column_text(1);
    r.at = row.column_int(2);
    r.actor = row.column_text(3);
    r.note = row.column_text(4);
    out.push_back(std::move(r));
  }));
  return out;
}

// ---- persons ----

namespace {

std::optional<CivilDate> parse_civil_date(const std::string& text) {
  CivilDate d;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &d.year, &d.month, &d.day, &tail) != 3) return std::nullopt;
  return d;
}

}  // namespace

Result<Person> read_person(const Statement& st, const stored::PersonalFields& fields) {
  Person p;
  p.id = st.column_int(0);
  const std::string what = fmt::format("person {}", p.id);
  PINGAN_ASSIGN_OR_RETURN(p.name, fields.open_text(st.column_text(1), stored::kPersonNameContext, what));
  PINGAN_ASSIGN_OR_RETURN(p.id_number, fields.open_text(st.column_text(2), stored::kPersonIdNumberContext, what));
  PINGAN_ASSIGN_OR_RETURN(p.phone, fields.open_text(st.column_text(3), stored::kPersonPhoneContext, what));
  PINGAN_ASSIGN_OR_RETURN(p.address, fields.open_text(st.column_text(4), stored::kPersonAddressContext, what));
  if (!st.column_is_null(5)) {
    p.birth_date = parse_civil_date(st.column_text(5));
    if (!p.birth_date)
      return Error::internal(fmt::format("{}: birth_date '{}' is not a date", what, st.column_text(5)));
  }
  if (!st.column_is_null(6)) {
    const std::string sex = st.column_text(6);
    if (sex == sex_name(Sex::kMale)) p.sex = Sex::kMale;
    else if (sex == sex_name(Sex::kFemale)) p.sex = Sex::kFemale;
    else return Error::internal(fmt::format("{}: sex '{}' is neither male nor female", what, sex));
  }
  return p;
}

std::string sealing_key(std::string_view token, const stored::PersonalFields& fields) {
  if (!crypto::is_sealed(token)) return "";
  // The key of the token itself: a reloadable cipher may have moved on since.
  auto parts = crypto::parse_token(token);
  return parts ? parts->key_id : fields.active_key();
}

// ---- measures and money ----

Result<Measure> read_measure(const Statement& st, int first) {
  Measure m;
  int i = first;
  m.id = st.column_int(i++);
  m.case_id = st.column_int(i++);
  m.person_id = st.column_int(i++);
  PINGAN_ASSIGN_OR_RETURN(m.kind, parsed(parse_measure_kind(st.column_text(i++)), fmt::format("measure {}", m.id)));
  m.at = st.column_int(i++);
  m.unit_code = st.column_text(i++);
  m.actor = st.column_text(i++);
  m.note = st.column_text(i++);
  return m;
}

Result<FraudMoneyEntry> read_money(const Statement& st, int first) {
  FraudMoneyEntry e;
  int i = first;
  e.id = st.column_int(i++);
  e.case_id = st.column_int(i++);
  PINGAN_ASSIGN_OR_RETURN(e.kind,
                          parsed(parse_fraud_money_kind(st.column_text(i++)), fmt::format("money entry {}", e.id)));
  e.amount_fen = st.column_int(i++);
  e.at = st.column_int(i++);
  e.unit_code = st.column_text(i++);
  e.actor = st.column_text(i++);
  e.note = st.column_text(i++);
  e.override_limit = st.column_int(i++) != 0;
  e.override_reason = st.column_text(i++);
  return e;
}

// ---- fugitives ----

int bind_fugitive(Statement& st, const Fugitive& f) {
  int i = 1;
  st.bind(i++, std::string_view(f.listing_number));
  st.bind(i++, f.person_id);
  st.bind(i++, f.case_id);
  st.bind(i++, f.listed_at);
  st.bind(i++, std::string_view(f.listing_unit));
  st.bind(i++, std::string_view(fugitive_status_name(f.status)));
  st.bind(i++, f.caught_at);
  st.bind(i++, std::string_view(f.caught_by_unit));
  st.bind(i++, f.revoked_at);
  st.bind(i++, std::string_view(f.revoke_reason));
  return i;
}

Result<Fugitive> read_fugitive(const Statement& st, int first) {
  Fugitive f;
  int i = first;
  f.id = st.column_int(i++);
  f.listing_number = st.column_text(i++);
  f.person_id = st.column_int(i++);
  f.case_id = st.column_optional_int(i++);
  f.listed_at = st.column_int(i++);
  f.listing_unit = st.column_text(i++);
  PINGAN_ASSIGN_OR_RETURN(f.status,
                          parsed(parse_fugitive_status(st.column_text(i++)), fmt::format("fugitive {}", f.id)));
  f.caught_at = st.column_optional_int(i++);
  f.caught_by_unit = st.column_text(i++);
  f.revoked_at = st.column_optional_int(i++);
  f.revoke_reason = st.column_text(i++);
  return f;
}

// ---- dissuasion tasks ----

int bind_dissuasion(Statement& st, const DissuasionTask& t, const std::string& sealed_phone) {
  int i = 1;
  st.bind(i++, std::string_view(t.warning_number));
  st.bind(i++, std::string_view(t.unit_code));
  st.bind(i++, t.issued_at);
  st.bind(i++, t.person_id);
  st.bind_text_or_null(i++, sealed_phone);
  st.bind(i++, std::string_view(dissuasion_status_name(t.status)));
  for (const auto* at : {&t.times.contacted_at, &t.times.dissuaded_at, &t.times.not_reached_at,
                         &t.times.defrauded_at})
    st.bind(i++, *at);
  st.bind(i++, t.case_id);
  return i;  // personal_key is the caller's: it knows the cipher
}

Result<DissuasionTask> read_dissuasion(const Statement& st, const stored::PersonalFields& fields) {
  DissuasionTask t;
  int i = 0;
  t.id = st.column_int(i++);
  const std::string what = fmt::format("dissuasion task {}", t.id);
  t.warning_number = st.column_text(i++);
  t.unit_code = st.column_text(i++);
  t.issued_at = st.column_int(i++);
  t.person_id = st.column_optional_int(i++);
  PINGAN_ASSIGN_OR_RETURN(t.target_phone, fields.open_text(st.column_text(i++), stored::kDissuasionPhoneContext, what));
  PINGAN_ASSIGN_OR_RETURN(t.status, parsed(parse_dissuasion_status(st.column_text(i++)), what));
  for (auto* at : {&t.times.contacted_at, &t.times.dissuaded_at, &t.times.not_reached_at, &t.times.defrauded_at})
    *at = st.column_optional_int(i++);
  t.case_id = st.column_optional_int(i++);
  return t;
}

}  // namespace pingan::case_rows
