// Cases and their history, bundles and scans, and bulk mode. See
// store/postgres/pg_case_store.h.

#include "store/postgres/pg_case_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "store/postgres/pg_array.h"
#include "store/postgres/pg_bulk.h"
#include "store/postgres/pg_case_rows.h"

namespace pingan {
namespace {

// Cases per batch of scan_cases: memory stays at one batch of bundles.
constexpr int kScanBatch = 1000;

// "{1,2,3}" for ids, a parameter cast to bigint[].
std::string id_array(const std::vector<CaseRecord>& cases) {
  pg::ArrayLiteral ids;
  for (const CaseRecord& c : cases) ids.add(std::int64_t(c.id));
  return ids.str();
}

std::string id_array(const std::vector<IncidentId>& ids) {
  pg::ArrayLiteral out;
  for (IncidentId id : ids) out.add(std::int64_t(id));
  return out.str();
}

// kAlreadyExists when another case than `self` holds the record's
// (source, source_id) or its number (SQLite's order of the two checks).
Status check_case_keys(pg::Connection& c, const CaseRecord& record, CaseId self) {
  if (!record.source_id.empty()) {
    pg::Params p;
    p.add(record.source).add(record.source_id).add(std::int64_t(self));
    PINGAN_ASSIGN_OR_RETURN(pg::PgResult r, c.exec("SELECT id FROM cases WHERE source = $1 AND source_id = $2 AND id <> $3",
                                                   p, "looking up a case's source key"));
    if (r.rows() > 0)
      return Error{ErrorCode::kAlreadyExists, "source_id",
                   fmt::format("case {} has source '{}' and source_id '{}' already", r.int64(0, 0), record.source,
                               record.source_id)};
  }
  pg::Params p;
  p.add(record.case_number).add(std::int64_t(self));
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r, c.exec("SELECT id FROM cases WHERE case_number = $1 AND id <> $2", p,
                                                 "looking up a case number"));
  if (r.rows() > 0)
    return Error{ErrorCode::kAlreadyExists, "case_number",
                 fmt::format("case {} has the case number '{}' already", r.int64(0, 0), record.case_number)};
  return {};
}

}  // namespace

Status PgCaseStore::begin_write(pg::Transaction& tx, pg::Connection& c) const {
  PINGAN_RETURN_IF_ERROR(tx.begin());
  return pg::relax_commit_if_bulk(c, bulk_.load());
}

Status PgCaseStore::begin_bulk() {
  bulk_.store(true);
  return {};
}

// The bulk commits reached the WAL without waiting for its flush; waiting
// for the flush makes every one of them durable (pg_bulk.h).
Status PgCaseStore::end_bulk() {
  bulk_.store(false);
  return pg::wait_for_wal_flush(pool_);
}

Result<CaseRecord> PgCaseStore::case_on(pg::Connection& c, CaseId id, const UnitScope& scope, bool lock) const {
  pg::Where q;
  q.add("id = " + q.param(std::int64_t(id)));
  pg::add_unit_scope(scope, "unit_code", q);
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r, c.exec(fmt::format("SELECT {} FROM cases{}{}", pg::kCaseColumns, q.clause(),
                                                             lock ? " FOR UPDATE" : ""),
                                                 q.params(), fmt::format("reading case {}", id)));
  if (r.rows() == 0) return Error::not_found(fmt::format("no case {}", id));
  std::vector<CaseRecord> one;
  PINGAN_ASSIGN_OR_RETURN(CaseRecord record, pg::read_case(r, 0));
  one.push_back(std::move(record));
  PINGAN_RETURN_IF_ERROR(fill_incidents(c, one));
  return std::move(one.front());
}

Status PgCaseStore::fill_incidents(pg::Connection& c, std::vector<CaseRecord>& cases) const {
  if (cases.empty()) return {};
  pg::Params p;
  p.add(id_array(cases));
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r,
                          c.exec("SELECT case_id, incident_id FROM case_incidents WHERE case_id = ANY($1::bigint[]) "
                                 "ORDER BY case_id, incident_id",
                                 p, "reading the incidents of cases"));
  std::unordered_map<CaseId, CaseRecord*> by_id;
  for (CaseRecord& rec : cases) {
    rec.incident_ids.clear();
    by_id.emplace(rec.id, &rec);
  }
  for (int i = 0; i < r.rows(); ++i) by_id.at(r.int64(i, 0))->incident_ids.push_back(r.int64(i, 1));
  return {};
}

Result<std::vector<CaseBundle>> PgCaseStore::bundles_on(pg::Connection& c, std::vector<CaseRecord> cases) const {
  std::vector<CaseBundle> out(cases.size());
  std::unordered_map<CaseId, CaseBundle*> by_id;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    out[i].record = std::move(cases[i]);
    by_id.emplace(out[i].record.id, &out[i]);
  }
  if (out.empty()) return out;
  pg::Params p;
  pg::ArrayLiteral ids;
  for (const CaseBundle& b : out) ids.add(std::int64_t(b.record.id));
  p.add(ids.str());
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult parties,
                          c.exec(fmt::format("SELECT {} FROM case_parties WHERE case_id = ANY($1::bigint[]) "
                                             "ORDER BY case_id, added_at, person_id, role",
                                             pg::kPartyColumns),
                                 p, "reading the parties of cases"));
  for (int i = 0; i < parties.rows(); ++i) {
    PINGAN_ASSIGN_OR_RETURN(CaseParty party, pg::read_party(parties, i));
    by_id.at(party.case_id)->parties.push_back(std::move(party));
  }
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult measures,
                          c.exec(fmt::format("SELECT {} FROM measures WHERE case_id = ANY($1::bigint[]) "
                                             "ORDER BY case_id, at, id",
                                             pg::kMeasureColumns),
                                 p, "reading the measures of cases"));
  for (int i = 0; i < measures.rows(); ++i) {
    PINGAN_ASSIGN_OR_RETURN(Measure m, pg::read_measure(measures, i));
    by_id.at(m.case_id)->measures.push_back(std::move(m));
  }
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult money,
                          c.exec(fmt::format("SELECT {} FROM fraud_money WHERE case_id = ANY($1::bigint[]) "
                                             "ORDER BY case_id, at, id",
                                             pg::kMoneyColumns),
                                 p, "reading the fraud money of cases"));
  for (int i = 0; i < money.rows(); ++i) {
    PINGAN_ASSIGN_OR_RETURN(FraudMoneyEntry e, pg::read_money(money, i));
    by_id.at(e.case_id)->money.push_back(std::move(e));
  }
  return out;
}

Status PgCaseStore::lock_case(pg::Connection& c, CaseId id, std::string_view what) const {
  pg::Params p;
  p.add(std::int64_t(id));
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r, c.exec("SELECT 1 FROM cases WHERE id = $1 FOR UPDATE", p,
                                                 fmt::format("locking case {} for {}", id, what)));
  if (r.rows() == 0) return Error::not_found(fmt::format("no case {}", id));
  return {};
}

Result<CaseRecord> PgCaseStore::create_case(const CaseRecord& record, std::span<const CaseStep> history) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(begin_write(tx, *c));
  PINGAN_RETURN_IF_ERROR(check_case_keys(*c, record, 0));
  pg::Params row;
  pg::add_case_params(record, row);
  // DO NOTHING on either key: a second server creating the same case at
  // once waits for the first's commit, and the check, run again, now sees
  // the first's row and names the key.
  PINGAN_ASSIGN_OR_RETURN(
      pg::PgResult inserted,
      c->exec(fmt::format("INSERT INTO cases ({}) VALUES ({}) ON CONFLICT DO NOTHING RETURNING id",
                          pg::kCaseColumns.substr(4),
                          "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19"),
              row, fmt::format("inserting case {}", record.case_number)));
  if (inserted.rows() == 0) {
    PINGAN_RETURN_IF_ERROR(check_case_keys(*c, record, 0));
    return Error{ErrorCode::kAlreadyExists, "case_number", fmt::format("case {} exists already", record.case_number)};
  }
  CaseRecord stored = record;
  stored.id = inserted.int64(0, 0);
  if (!stored.incident_ids.empty()) {
    pg::Params links;
    links.add(std::int64_t(stored.id)).add(id_array(stored.incident_ids));
    PINGAN_RETURN_IF_ERROR(c->run("INSERT INTO case_incidents (case_id, incident_id) "
                                  "SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING",
                                  links, fmt::format("linking case {} to its incidents", stored.case_number)));
  }
  for (const CaseStep& step : history)
    PINGAN_RETURN_IF_ERROR(pg::append_step(*c, "case_steps", "case_id", stored.id, step, case_status_name));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  std::sort(stored.incident_ids.begin(), stored.incident_ids.end());
  stored.incident_ids.erase(std::unique(stored.incident_ids.begin(), stored.incident_ids.end()),
                            stored.incident_ids.end());
  return stored;
}

Result<CaseRecord> PgCaseStore::get_case(CaseId id, const UnitScope& scope) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(pg::begin_snapshot_read(tx, *c));
  PINGAN_ASSIGN_OR_RETURN(CaseRecord record, case_on(*c, id, scope, false));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return record;
}

Result<CaseRecord> PgCaseStore::get_case_by_number(const std::string& case_number, const UnitScope& scope) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(pg::begin_snapshot_read(tx, *c));
  pg::Where q;
  q.add("case_number = " + q.param(case_number));
  pg::add_unit_scope(scope, "unit_code", q);
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r,
                          c->exec(fmt::format("SELECT {} FROM cases{}", pg::kCaseColumns, q.clause()), q.params(),
                                  fmt::format("reading case {}", case_number)));
  if (r.rows() == 0) return Error::not_found(fmt::format("no case numbered {}", case_number));
  std::vector<CaseRecord> one;
  PINGAN_ASSIGN_OR_RETURN(CaseRecord record, pg::read_case(r, 0));
  one.push_back(std::move(record));
  PINGAN_RETURN_IF_ERROR(fill_incidents(*c, one));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return std::move(one.front());
}

Result<CasePage> PgCaseStore::list_cases(const CaseFilter& f) {
  if (f.limit < 1 || f.limit > 1000) return Error::invalid("limit", "between 1 and 1000 cases a page");
  pg::Where q;
  pg::add_unit_scope(f.scope, "unit_code", q);
  if (f.case_class) q.add("case_class = " + q.param(case_class_name(*f.case_class)));
  if (!f.type_codes.empty()) {
    pg::ArrayLiteral types;
    for (const std::string& t : f.type_codes) types.add(t);
    q.add("type_code = ANY(" + q.param(types.str()) + "::text[])");
  }
  if (f.status) q.add("status = " + q.param(case_status_name(*f.status)));
  if (f.opened_from) q.add("opened_at >= " + q.param(std::int64_t(*f.opened_from)));
  if (f.opened_to) q.add("opened_at < " + q.param(std::int64_t(*f.opened_to)));
  if (f.person_id)
    q.add("id IN (SELECT case_id FROM case_parties WHERE person_id = " + q.param(std::int64_t(*f.person_id)) + ")");
  if (f.before) {
    const std::string at = q.param(std::int64_t(f.before->first));
    q.add(fmt::format("(opened_at, id) < ({}, {})", at, q.param(std::int64_t(f.before->second))));
  }
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(pg::begin_snapshot_read(tx, *c));
  // One row past the page tells whether another follows.
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r,
                          c->exec(fmt::format("SELECT {} FROM cases{} ORDER BY opened_at DESC, id DESC LIMIT {}",
                                              pg::kCaseColumns, q.clause(), f.limit + 1),
                                  q.params(), "listing cases"));
  CasePage page;
  page.more = r.rows() > f.limit;
  const int n = std::min(r.rows(), f.limit);
  page.cases.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    PINGAN_ASSIGN_OR_RETURN(CaseRecord record, pg::read_case(r, i));
    page.cases.push_back(std::move(record));
  }
  PINGAN_RETURN_IF_ERROR(fill_incidents(*c, page.cases));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return page;
}

Result<CaseRecord> PgCaseStore::update_case(CaseId id, const UnitScope& scope,
                                            const std::function<Result<CaseStep>(CaseRecord&)>& apply) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(begin_write(tx, *c));
  PINGAN_ASSIGN_OR_RETURN(CaseRecord record, case_on(*c, id, scope, true));
  const std::vector<IncidentId> incidents_before = record.incident_ids;
  PINGAN_ASSIGN_OR_RETURN(CaseStep step, apply(record));
  record.id = id;
  PINGAN_RETURN_IF_ERROR(check_case_keys(*c, record, id));  // a corrected number must stay unique
  pg::Params row;
  pg::add_case_params(record, row);
  row.add(std::int64_t(id));
  PINGAN_RETURN_IF_ERROR(c->run(
      "UPDATE cases SET (source, source_id, case_number, type_code, case_class, unit_code, summary, opened_at, "
      "status, investigating_at, solved_at, closed_unsolved_at, withdrawn_at, flag_major, flag_gang, "
      "flag_task_force, flag_homicide, money_involved_fen, fraud_method) = ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
      "$10, $11, $12, $13, $14, $15, $16, $17, $18, $19) WHERE id = $20",
      row, fmt::format("updating case {}", id)));
  std::sort(record.incident_ids.begin(), record.incident_ids.end());
  record.incident_ids.erase(std::unique(record.incident_ids.begin(), record.incident_ids.end()),
                            record.incident_ids.end());
  if (record.incident_ids != incidents_before) {
    pg::Params links;
    links.add(std::int64_t(id)).add(id_array(record.incident_ids));
    PINGAN_RETURN_IF_ERROR(c->run("DELETE FROM case_incidents WHERE case_id = $1 AND incident_id <> ALL($2::bigint[])",
                                  links, fmt::format("unlinking incidents from case {}", id)));
    PINGAN_RETURN_IF_ERROR(c->run("INSERT INTO case_incidents (case_id, incident_id) "
                                  "SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING",
                                  links, fmt::format("linking incidents to case {}", id)));
  }
  PINGAN_RETURN_IF_ERROR(pg::append_step(*c, "case_steps", "case_id", id, step, case_status_name));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return record;
}

Result<std::vector<CaseStep>> PgCaseStore::case_history(CaseId id, const UnitScope& scope) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(pg::begin_snapshot_read(tx, *c));
  PINGAN_RETURN_IF_ERROR(case_on(*c, id, scope, false));
  PINGAN_ASSIGN_OR_RETURN(std::vector<CaseStep> steps,
                          pg::steps_of<CaseStatus>(*c, "case_steps", "case_id", id, parse_case_status));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return steps;
}

Result<CaseBundle> PgCaseStore::case_bundle(CaseId id) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(pg::begin_snapshot_read(tx, *c));
  PINGAN_ASSIGN_OR_RETURN(CaseRecord record, case_on(*c, id, UnitScope::everything(), false));
  std::vector<CaseRecord> one;
  one.push_back(std::move(record));
  PINGAN_ASSIGN_OR_RETURN(std::vector<CaseBundle> bundles, bundles_on(*c, std::move(one)));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return std::move(bundles.front());
}

Status PgCaseStore::scan_cases(const std::function<void(const CaseBundle&)>& visit) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  // One snapshot for the whole scan: a case and its measures agree, and a
  // case written meanwhile is either wholly in or wholly out (the change log
  // brings it).
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(pg::begin_snapshot_read(tx, *c));
  CaseId after = 0;
  while (true) {
    pg::Params p;
    p.add(std::int64_t(after));
    PINGAN_ASSIGN_OR_RETURN(pg::PgResult r,
                            c->exec(fmt::format("SELECT {} FROM cases WHERE id > $1 ORDER BY id LIMIT {}",
                                                pg::kCaseColumns, kScanBatch),
                                    p, "scanning cases"));
    if (r.rows() == 0) break;
    std::vector<CaseRecord> batch;
    batch.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) {
      PINGAN_ASSIGN_OR_RETURN(CaseRecord record, pg::read_case(r, i));
      batch.push_back(std::move(record));
    }
    after = batch.back().id;
    PINGAN_RETURN_IF_ERROR(fill_incidents(*c, batch));
    PINGAN_ASSIGN_OR_RETURN(std::vector<CaseBundle> bundles, bundles_on(*c, std::move(batch)));
    for (const CaseBundle& b : bundles) visit(b);
    if (r.rows() < kScanBatch) break;
  }
  return tx.commit();
}

Result<std::int64_t> PgCaseStore::count_cases() {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r, c->exec("SELECT COUNT(*) FROM cases", "counting cases"));
  return r.int64(0, 0);
}

}  // namespace pingan
