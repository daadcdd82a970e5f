#include "store/postgres/pg_ledger_notice_store.h"

#include <fmt/format.h>

#include "store/postgres/pg_case_rows.h"

namespace pingan {

namespace {

constexpr int kMaxNoticesPerList = 1000;
constexpr std::string_view kColumns =
    "id, item_id, type_code, unit_code, deadline, started_at, kind, level, due_at, noticed_at";

LedgerNotice read_notice(const pg::PgResult& r, int i) {
  LedgerNotice n;
  n.id = r.int64(i, 0);
  n.item_id = r.int64(i, 1);
  n.type_code = r.text(i, 2);
  n.unit_code = r.text(i, 3);
  n.deadline = r.text(i, 4);
  n.started_at = r.int64(i, 5);
  // The table's CHECK admits only the two names.
  n.kind = ledger_notice_kind_of(r.text(i, 6)).value_or(LedgerNoticeKind::kRemind);
  n.level = static_cast<int>(r.int64(i, 7));
  n.due_at = r.int64(i, 8);
  n.noticed_at = r.int64(i, 9);
  return n;
}

}  // namespace

Result<std::vector<LedgerNotice>> PgLedgerNoticeStore::record(const std::vector<LedgerNotice>& notices) {
  std::vector<LedgerNotice> inserted;
  if (notices.empty()) return inserted;
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  const std::string sql = fmt::format(
      "INSERT INTO ledger_notices ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
      "ON CONFLICT DO NOTHING RETURNING id",
      kColumns.substr(4));
  for (const LedgerNotice& n : notices) {
    pg::Params p;
    p.add(std::int64_t{n.item_id}).add(n.type_code).add(n.unit_code).add(n.deadline);
    p.add(std::int64_t{n.started_at})
        .add(ledger_notice_kind_name(n.kind))
        .add(n.level)
        .add(std::int64_t{n.due_at})
        .add(std::int64_t{n.noticed_at});
    PINGAN_ASSIGN_OR_RETURN(
        pg::PgResult r, c->exec(sql, p, fmt::format("recording a notice of ledger item {}", n.item_id)));
    if (r.rows() == 0) continue;  // recorded before
    LedgerNotice stored = n;
    stored.id = r.int64(0, 0);
    inserted.push_back(std::move(stored));
  }
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return inserted;
}

Result<std::vector<LedgerNotice>> PgLedgerNoticeStore::list(const LedgerNoticeFilter& f) {
  if (f.limit < 1 || f.limit > kMaxNoticesPerList)
    return Error::invalid("limit",
                          fmt::format("a list holds 1 to {} notices, not {}", kMaxNoticesPerList, f.limit));
  pg::Where q;
  pg::add_unit_scope(f.scope, "unit_code", q);
  if (f.kind) q.add("kind = " + q.param(std::string(ledger_notice_kind_name(*f.kind))));
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  PINGAN_ASSIGN_OR_RETURN(
      pg::PgResult r,
      c->exec(fmt::format("SELECT {} FROM ledger_notices{} ORDER BY due_at DESC, id DESC LIMIT {}", kColumns,
                          q.clause(), f.limit),
              q.params(), "listing ledger notices"));
  std::vector<LedgerNotice> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(read_notice(r, i));
  return out;
}

}  // namespace pingan
