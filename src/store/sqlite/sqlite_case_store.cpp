// Cases and their histories, bundles, the start-up scan and bulk mode (see
// store/sqlite/sqlite_case_store.h). Persons, measures, money, fugitives
// and dissuasion tasks are in the sibling files it names.

#include "store/sqlite/sqlite_case_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "store/sqlite/sqlite_case_rows.h"
#include "store/sqlite/sqlite_statement.h"

namespace pingan {

using case_rows::BulkCommit;
using case_rows::SqlParam;
using sqlite::Statement;
using sqlite::Transaction;

namespace {

constexpr int kMaxCasesPerPage = 1000;

// The orders of a bundle's lists (case_bundle.h): parties as they were
// added, measures and money by time then id. scan_cases reads each table in
// its case index's order and sorts each case's few rows by these.
bool party_before(const CaseParty& a, const CaseParty& b) {
  return std::tie(a.added_at, a.person_id, a.role) < std::tie(b.added_at, b.person_id, b.role);
}
bool measure_before(const Measure& a, const Measure& b) { return std::tie(a.at, a.id) < std::tie(b.at, b.id); }
bool money_before(const FraudMoneyEntry& a, const FraudMoneyEntry& b) {
  return std::tie(a.at, a.id) < std::tie(b.at, b.id);
}

constexpr std::string_view kPartyColumns = "case_id, person_id, role, added_at, actor";

Result<CaseParty> read_party(const Statement& st) {
  CaseParty p;
  p.case_id = st.column_int(0);
  p.person_id = st.column_int(1);
  auto role = parse_person_role(st.column_text(2));
  if (!role.ok())
    return Error::internal(fmt::format("case {}: party {}: {}", p.case_id, p.person_id, role.error().describe()));
  p.role = *role;
  p.added_at = st.column_int(3);
  p.actor = st.column_text(4);
  return p;
}

// The id of the case holding this key, if any (writer, mutex held).
Result<std::optional<CaseId>> case_with(sqlite3* db, std::string_view where, std::string_view a,
                                        std::optional<std::string_view> b = std::nullopt) {
  Statement st(db, fmt::format("SELECT id FROM cases WHERE {}", where));
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, a);
  if (b) st.bind(2, *b);
  PINGAN_ASSIGN_OR_RETURN(bool found, st.next_row("looking up a case's key"));
  if (!found) return std::optional<CaseId>();
  return std::optional<CaseId>(st.column_int(0));
}

// kAlreadyExists when another case than `self` holds the case's number or
// its (source, source_id).
Status check_case_keys(sqlite3* db, const CaseRecord& c, CaseId self) {
  if (!c.source_id.empty()) {
    PINGAN_ASSIGN_OR_RETURN(std::optional<CaseId> holder,
                            case_with(db, "source = ? AND source_id = ?", c.source, c.source_id));
    if (holder && *holder != self)
      return case_rows::already_exists(
          "source_id", fmt::format("case {} has source '{}' and source_id '{}' already", *holder, c.source,
                                   c.source_id));
  }
  PINGAN_ASSIGN_OR_RETURN(std::optional<CaseId> holder, case_with(db, "case_number = ?", c.case_number));
  if (holder && *holder != self)
    return case_rows::already_exists("case_number",
                                     fmt::format("case {} has the case number '{}' already", *holder, c.case_number));
  return {};
}

// One table of a scan read in case order, one row ahead.
struct CaseCursor {
  Statement st;
  std::string what;
  bool has_row = false;

  Status advance() {
    PINGAN_ASSIGN_OR_RETURN(has_row, st.next_row(what));
    return {};
  }
  CaseId case_id() const { return st.column_int(0); }
  // Calls `take` for every row of case `id`, skipping rows of lower ids
  // (none while foreign keys hold).
  template <typename Take>
  Status rows_of(CaseId id, Take&& take) {
    while (has_row && case_id() <= id) {
      if (case_id() == id) PINGAN_RETURN_IF_ERROR(take(std::as_const(st)));
      PINGAN_RETURN_IF_ERROR(advance());
    }
    return {};
  }
};

Result<CaseCursor> open_cursor(sqlite3* db, std::string sql, std::string what) {
  CaseCursor c{Statement(db, sql), std::move(what)};
  if (!c.st.valid()) return Error::internal(c.st.prepare_error());
  PINGAN_RETURN_IF_ERROR(c.advance());
  return c;
}

}  // namespace

Result<CaseRecord> SqliteCaseStore::create_case(const CaseRecord& record, std::span<const CaseStep> history) {
  std::lock_guard lock(mutex_);
  BulkCommit bulk(db_, bulk_);
  PINGAN_RETURN_IF_ERROR(bulk.begin());
  Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  PINGAN_RETURN_IF_ERROR(check_case_keys(db_, record, 0));
  Statement st(db_, case_rows::insert_sql("cases", case_rows::kCaseColumns.substr(4)));
  if (!st.valid()) return Error::internal(st.prepare_error());
  case_rows::bind_case(st, record);
  if (st.step() != SQLITE_DONE)
    return sqlite::last_error(db_, fmt::format("inserting case '{}'", record.case_number));
  CaseRecord stored = record;
  stored.id = sqlite3_last_insert_rowid(db_);
  PINGAN_RETURN_IF_ERROR(case_rows::write_case_incidents(db_, stored));
  for (const CaseStep& step : history)
    PINGAN_RETURN_IF_ERROR(
        case_rows::append_step(db_, "case_steps", "case_id", stored.id, case_rows::to_step_row(step, case_status_name)));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  std::sort(stored.incident_ids.begin(), stored.incident_ids.end());  // as a read gives them
  return stored;
}

Result<CaseRecord> SqliteCaseStore::get_case(CaseId id, const UnitScope& scope) {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  return case_rows::get_case_on(reader.db(), id, scope);
}

Result<CaseRecord> SqliteCaseStore::get_case_by_number(const std::string& case_number, const UnitScope& scope) {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  CaseId id = 0;
  {
    Statement st(reader.db(), "SELECT id FROM cases WHERE case_number = ?");
    if (!st.valid()) return Error::internal(st.prepare_error());
    st.bind(1, std::string_view(case_number));
    PINGAN_ASSIGN_OR_RETURN(bool found, st.next_row("finding a case by number"));
    if (!found) return Error::not_found(fmt::format("no case numbered '{}'", case_number));
    id = st.column_int(0);
  }
  auto c = case_rows::get_case_on(reader.db(), id, scope);
  if (!c.ok() && c.error().code == ErrorCode::kNotFound)
    return Error::not_found(fmt::format("no case numbered '{}'", case_number));  // outside the scope
  return c;
}

Result<CasePage> SqliteCaseStore::list_cases(const CaseFilter& f) {
  if (f.limit < 1 || f.limit > kMaxCasesPerPage)
    return Error::invalid("limit", fmt::format("a page holds 1 to {} cases, not {}", kMaxCasesPerPage, f.limit));
  std::vector<std::string> where;
  std::vector<SqlParam> params;
  case_rows::add_scope_condition("unit_code", f.scope, where, params);
  if (f.case_class) {
    where.push_back("case_class = ?");
    params.emplace_back(std::string(case_class_name(*f.case_class)));
  }
  if (!f.type_codes.empty()) {
    std::string marks;
    for (const std::string& code : f.type_codes) {
      marks += marks.empty() ? "?" : ", ?";
      params.emplace_back(code);
    }
    where.push_back(fmt::format("type_code IN ({})", marks));
  }
  if (f.status) {
    where.push_back("status = ?");
    params.emplace_back(std::string(case_status_name(*f.status)));
  }
  if (f.opened_from) {
    where.push_back("opened_at >= ?");
    params.emplace_back(*f.opened_from);
  }
  if (f.opened_to) {
    where.push_back("opened_at < ?");
    params.emplace_back(*f.opened_to);
  }
  if (f.person_id) {
    where.push_back("id IN (SELECT case_id FROM case_parties WHERE person_id = ?)");
    params.emplace_back(std::int64_t{*f.person_id});
  }
  if (f.before) {
    // The `<=` bounds the index range: a deep page does not walk the rows
    // of the pages before it.
    where.push_back("opened_at <= ? AND (opened_at < ? OR id < ?)");
    params.emplace_back(f.before->first);
    params.emplace_back(f.before->first);
    params.emplace_back(std::int64_t{f.before->second});
  }
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  // One more than the page: whether another page follows, without a count.
  Statement st(reader.db(), fmt::format("SELECT {} FROM cases{} ORDER BY opened_at DESC, id DESC LIMIT {}",
                                        case_rows::kCaseColumns, case_rows::join_where(where), f.limit + 1));
  if (!st.valid()) return Error::internal(st.prepare_error());
  case_rows::bind_params(st, params);
  CasePage page;
  PINGAN_RETURN_IF_ERROR(st.each_row("listing cases", [&](const Statement& row) -> Status {
    if (static_cast<int>(page.cases.size()) == f.limit) {
      page.more = true;
      return {};
    }
    PINGAN_ASSIGN_OR_RETURN(CaseRecord c, case_rows::read_case(row));
    page.cases.push_back(std::move(c));
    return {};
  }));
  for (CaseRecord& c : page.cases) PINGAN_RETURN_IF_ERROR(case_rows::read_case_incidents(reader.db(), c));
  return page;
}

Result<CaseRecord> SqliteCaseStore::update_case(CaseId id, const UnitScope& scope,
                                                const std::function<Result<CaseStep>(CaseRecord&)>& apply) {
  std::lock_guard lock(mutex_);
  BulkCommit bulk(db_, bulk_);
  PINGAN_RETURN_IF_ERROR(bulk.begin());
  // BEGIN IMMEDIATE: the case is read under the write lock, so no other
  // writer's step comes between this read and this write.
  Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  PINGAN_ASSIGN_OR_RETURN(CaseRecord c, case_rows::get_case_on(db_, id, scope));
  PINGAN_ASSIGN_OR_RETURN(CaseStep step, apply(c));
  c.id = id;
  PINGAN_RETURN_IF_ERROR(check_case_keys(db_, c, id));  // a corrected number must stay unique
  Statement st(db_, fmt::format("UPDATE cases SET {} WHERE id = ?", case_rows::set_clause(case_rows::kCaseColumns.substr(4))));
  if (!st.valid()) return Error::internal(st.prepare_error());
  const int next = case_rows::bind_case(st, c);
  st.bind(next, id);
  if (st.step() != SQLITE_DONE) return sqlite::last_error(db_, fmt::format("updating case {}", id));
  PINGAN_RETURN_IF_ERROR(case_rows::write_case_incidents(db_, c));
  PINGAN_RETURN_IF_ERROR(
      case_rows::append_step(db_, "case_steps", "case_id", id, case_rows::to_step_row(step, case_status_name)));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  std::sort(c.incident_ids.begin(), c.incident_ids.end());
  return c;
}

Result<std::vector<CaseStep>> SqliteCaseStore::case_history(CaseId id, const UnitScope& scope) {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  PINGAN_RETURN_IF_ERROR(case_rows::get_case_on(reader.db(), id, scope));
  PINGAN_ASSIGN_OR_RETURN(std::vector<case_rows::StepRow> rows,
                          case_rows::read_steps(reader.db(), "case_steps", "case_id", id));
  return case_rows::from_step_rows<CaseStatus>(rows, parse_case_status);
}

Result<CaseBundle> SqliteCaseStore::bundle_on(sqlite3* db, CaseRecord record) const {
  CaseBundle b;
  const CaseId id = record.id;
  b.record = std::move(record);
  Statement parties(db, fmt::format("SELECT {} FROM case_parties WHERE case_id = ? "
                                    "ORDER BY added_at, person_id, role",
                                    kPartyColumns));
  Statement measures(db, fmt::format("SELECT {} FROM measures WHERE case_id = ? ORDER BY at, id",
                                     case_rows::kMeasureColumns));
  Statement money(db, fmt::format("SELECT {} FROM fraud_money WHERE case_id = ? ORDER BY at, id",
                                  case_rows::kMoneyColumns));
  for (Statement* st : {&parties, &measures, &money}) {
    if (!st->valid()) return Error::internal(st->prepare_error());
    st->bind(1, id);
  }
  PINGAN_RETURN_IF_ERROR(parties.each_row("reading a case's parties", [&](const Statement& row) -> Status {
    PINGAN_ASSIGN_OR_RETURN(CaseParty p, read_party(row));
    b.parties.push_back(std::move(p));
    return {};
  }));
  PINGAN_RETURN_IF_ERROR(measures.each_row("reading a case's measures", [&](const Statement& row) -> Status {
    PINGAN_ASSIGN_OR_RETURN(Measure m, case_rows::read_measure(row));
    b.measures.push_back(std::move(m));
    return {};
  }));
  PINGAN_RETURN_IF_ERROR(money.each_row("reading a case's money", [&](const Statement& row) -> Status {
    PINGAN_ASSIGN_OR_RETURN(FraudMoneyEntry e, case_rows::read_money(row));
    b.money.push_back(std::move(e));
    return {};
  }));
  return b;
}

Result<CaseBundle> SqliteCaseStore::case_bundle(CaseId id) {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  PINGAN_ASSIGN_OR_RETURN(CaseRecord c, case_rows::get_case_on(reader.db(), id, UnitScope::everything()));
  return bundle_on(reader.db(), std::move(c));
}

Status SqliteCaseStore::scan_cases(const std::function<void(const CaseBundle&)>& visit) {
  // One snapshot, five cursors walked side by side in case order (a merge,
  // not a query per case): each table is read once, along its case index.
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  sqlite3* db = reader.db();
  PINGAN_ASSIGN_OR_RETURN(CaseCursor links,
                          open_cursor(db, "SELECT case_id, incident_id FROM case_incidents ORDER BY case_id, incident_id",
                                      "scanning case incidents"));
  PINGAN_ASSIGN_OR_RETURN(CaseCursor parties,
                          open_cursor(db, fmt::format("SELECT {} FROM case_parties ORDER BY case_id", kPartyColumns),
                                      "scanning case parties"));
  PINGAN_ASSIGN_OR_RETURN(
      CaseCursor measures,
      open_cursor(db, fmt::format("SELECT case_id, {} FROM measures ORDER BY case_id", case_rows::kMeasureColumns),
                  "scanning measures"));
  PINGAN_ASSIGN_OR_RETURN(
      CaseCursor money,
      open_cursor(db, fmt::format("SELECT case_id, {} FROM fraud_money ORDER BY case_id", case_rows::kMoneyColumns),
                  "scanning fraud money"));
  Statement cases(db, fmt::format("SELECT {} FROM cases ORDER BY id", case_rows::kCaseColumns));
  if (!cases.valid()) return Error::internal(cases.prepare_error());
  return cases.each_row("scanning cases", [&](const Statement& row) -> Status {
    CaseBundle b;
    PINGAN_ASSIGN_OR_RETURN(b.record, case_rows::read_case(row));
    const CaseId id = b.record.id;
    PINGAN_RETURN_IF_ERROR(links.rows_of(id, [&](const Statement& r) -> Status {
      b.record.incident_ids.push_back(r.column_int(1));
      return {};
    }));
    PINGAN_RETURN_IF_ERROR(parties.rows_of(id, [&](const Statement& r) -> Status {
      PINGAN_ASSIGN_OR_RETURN(CaseParty p, read_party(r));
      b.parties.push_back(std::move(p));
      return {};
    }));
    PINGAN_RETURN_IF_ERROR(measures.rows_of(id, [&](const Statement& r) -> Status {
      PINGAN_ASSIGN_OR_RETURN(Measure m, case_rows::read_measure(r, 1));
      b.measures.push_back(std::move(m));
      return {};
    }));
    PINGAN_RETURN_IF_ERROR(money.rows_of(id, [&](const Statement& r) -> Status {
      PINGAN_ASSIGN_OR_RETURN(FraudMoneyEntry e, case_rows::read_money(r, 1));
      b.money.push_back(std::move(e));
      return {};
    }));
    std::sort(b.parties.begin(), b.parties.end(), party_before);
    std::sort(b.measures.begin(), b.measures.end(), measure_before);
    std::sort(b.money.begin(), b.money.end(), money_before);
    visit(b);
    return {};
  });
}

Result<std::int64_t> SqliteCaseStore::count_cases() {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(), "SELECT COUNT(*) FROM cases");
  if (!st.valid()) return Error::internal(st.prepare_error());
  PINGAN_ASSIGN_OR_RETURN(bool counted, st.next_row("counting cases"));
  if (!counted) return Error::internal("sqlite counting cases: COUNT(*) gave no row");
  return st.column_int(0);
}

Status SqliteCaseStore::begin_bulk() {
  std::lock_guard lock(mutex_);
  bulk_ = true;
  return {};
}

Status SqliteCaseStore::end_bulk() {
  std::lock_guard lock(mutex_);
  bulk_ = false;
  // With synchronous=FULL the checkpoint syncs the WAL before copying it
  // into the file: every write made in bulk mode is durable from here on.
  PINGAN_RETURN_IF_ERROR(sqlite::exec(db_, "PRAGMA synchronous=FULL"));
  Statement st(db_, "PRAGMA wal_checkpoint(TRUNCATE)");
  if (!st.valid()) return Error::internal(st.prepare_error());
  if (st.step() != SQLITE_ROW) return sqlite::last_error(db_, "checkpointing after bulk case writes");
  return {};
}

}  // namespace pingan
