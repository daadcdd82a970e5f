// PostgresStore's audit log: table audit_log (migration 8), one row per
// entry, the anchor of pruned entries in audit_anchor. Appends and prunes
// take the advisory lock kAuditLock to commit, so every server and process
// writing to the database extends one chain; the triggers keep the table
// append-only whoever writes to it.

#include "store/postgres/pg_audit_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "store/postgres/pg_migrations.h"

namespace pingan {
namespace {

using pg::Params;
using pg::PgResult;

constexpr const char* kColumns =
    "seq, at, user_name, unit_code, address, action, target, outcome, reason, prev_hash, hash, alg";

// Rows a search fetches at a time: a walk over millions of entries holds
// one page in memory, not the log.
constexpr std::int64_t kSearchPage = 1000;

AuditEntry read_entry(const PgResult& r, int row) {
  AuditEntry e;
  e.seq = r.int64(row, 0);
  e.at = r.int64(row, 1);
  e.user = r.text(row, 2);
  e.unit_code = r.text(row, 3);
  e.address = r.text(row, 4);
  e.action = r.text(row, 5);
  e.target = r.text(row, 6);
  e.outcome = r.text(row, 7);
  e.reason = r.text(row, 8);
  e.prev_hash = r.text(row, 9);
  e.hash = r.text(row, 10);
  e.alg = r.text(row, 11);
  return e;
}

// A query's WHERE clause (" WHERE …" or "") and its parameters, $1 … in order.
struct Filter {
  std::string where;
  Params params;

  void add_text(const char* column, const std::string& value) {
    if (value.empty()) return;
    params.add(value);
    append(fmt::format("{} = ${}", column, params.size()));
  }
  // `left`: a column and a comparison ("at >=").
  void add_number(const char* left, std::int64_t value) {
    params.add(value);
    append(fmt::format("{} ${}", left, params.size()));
  }
  void append(const std::string& condition) { where += (where.empty() ? " WHERE " : " AND ") + condition; }
};

Filter filter_of(const AuditQuery& q) {
  Filter f;
  f.add_text("user_name", q.user);
  f.add_text("unit_code", q.unit_code);
  f.add_text("target", q.target);
  f.add_text("action", q.action);
  if (q.from) f.add_number("at >=", *q.from);
  if (q.until) f.add_number("at <", *q.until);
  return f;
}

std::string lock_sql() { return fmt::format("SELECT pg_advisory_xact_lock({})", pg::kAuditLock); }

// The newest entry, or the anchor when every entry was pruned, or {0, ""}.
// Inside the caller's transaction, after it took kAuditLock: this statement's
// snapshot is taken after the lock, so it holds every append before ours.
Result<AuditAnchor> head_locked(pg::Connection& c) {
  PINGAN_ASSIGN_OR_RETURN(
      PgResult r, c.exec("SELECT seq, hash FROM ("
                         "(SELECT seq, hash, 0 AS rank FROM audit_log ORDER BY seq DESC LIMIT 1) UNION ALL "
                         "(SELECT last_seq, last_hash, 1 FROM audit_anchor ORDER BY last_seq DESC LIMIT 1)) head "
                         "ORDER BY rank LIMIT 1",
                         "reading the audit log's head"));
  if (r.rows() == 0) return AuditAnchor{};
  return AuditAnchor{r.int64(0, 0), r.text(0, 1)};
}

Status insert_entry(pg::Connection& c, const AuditEntry& e) {
  Params p;
  p.add(e.seq).add(e.at).add(e.user).add(e.unit_code).add(e.address).add(e.action).add(e.target).add(e.outcome);
  p.add(e.reason).add(e.prev_hash).add(e.hash).add(e.alg);
  return c.run(fmt::format("INSERT INTO audit_log ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                           kColumns),
               p, fmt::format("appending audit entry {}", e.seq));
}

}  // namespace

Result<AuditEntry> PgAuditStore::append(AuditEntry entry, const AuditSeal& seal) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  // Held to commit: the head read next is still the head at the insert,
  // whichever server or process appends beside us.
  PINGAN_RETURN_IF_ERROR(c->run(lock_sql(), Params{}, "waiting for the audit log's lock"));
  PINGAN_ASSIGN_OR_RETURN(AuditAnchor head, head_locked(*c));
  entry.seq = head.last_seq + 1;
  entry.prev_hash = head.last_hash;
  PINGAN_ASSIGN_OR_RETURN(entry.hash, seal(entry));
  PINGAN_RETURN_IF_ERROR(insert_entry(*c, entry));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return entry;
}

Result<std::vector<AuditEntry>> PgAuditStore::append_all(std::vector<AuditEntry> entries, const AuditSeal& seal) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  PINGAN_RETURN_IF_ERROR(c->run(lock_sql(), Params{}, "waiting for the audit log's lock"));
  PINGAN_ASSIGN_OR_RETURN(AuditAnchor head, head_locked(*c));
  for (AuditEntry& entry : entries) {
    entry.seq = ++head.last_seq;
    entry.prev_hash = head.last_hash;
    PINGAN_ASSIGN_OR_RETURN(entry.hash, seal(entry));
    PINGAN_RETURN_IF_ERROR(insert_entry(*c, entry));
    head.last_hash = entry.hash;
  }
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return entries;
}

Status PgAuditStore::search(const AuditQuery& query, const std::function<Status(const AuditEntry&)>& visit) {
  const Filter f = filter_of(query);
  // Pages of seq > the last one seen: one index range each, the same
  // snapshot throughout (REPEATABLE READ), so appends during the walk
  // neither show up in a later page nor shift it.
  const std::string sql =
      fmt::format("SELECT {} FROM audit_log{}{}seq > ${} ORDER BY seq LIMIT ${}", kColumns, f.where,
                  f.where.empty() ? " WHERE " : " AND ", f.params.size() + 1, f.params.size() + 2);
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  PINGAN_RETURN_IF_ERROR(c->run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", Params{},
                                "starting the audit log's read snapshot"));
  std::int64_t after = std::max<std::int64_t>(query.after_seq, 0);
  std::int64_t left = query.limit > 0 ? query.limit : -1;  // -1: every match
  while (left != 0) {
    const std::int64_t page = left < 0 ? kSearchPage : std::min(left, kSearchPage);
    Params p = f.params;
    p.add(after).add(page);
    PINGAN_ASSIGN_OR_RETURN(PgResult r, c->exec(sql, p, "reading the audit log"));
    for (int i = 0; i < r.rows(); ++i) {
      AuditEntry e = read_entry(r, i);
      after = e.seq;
      PINGAN_RETURN_IF_ERROR(visit(e));
    }
    if (left > 0) left -= r.rows();
    if (r.rows() < page) break;
  }
  return tx.commit();
}

Result<std::int64_t> PgAuditStore::count(const AuditQuery& query) {
  const Filter f = filter_of(query);
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  PINGAN_ASSIGN_OR_RETURN(PgResult r,
                          c->exec("SELECT count(*) FROM audit_log" + f.where, f.params, "counting audit entries"));
  return r.int64(0, 0);
}

Result<AuditAnchor> PgAuditStore::anchor() {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  PINGAN_ASSIGN_OR_RETURN(PgResult r, c->exec("SELECT last_seq, last_hash FROM audit_anchor "
                                              "ORDER BY last_seq DESC LIMIT 1",
                                              "reading the audit anchor"));
  if (r.rows() == 0) return AuditAnchor{};
  return AuditAnchor{r.int64(0, 0), r.text(0, 1)};
}

Result<std::int64_t> PgAuditStore::prune(Timestamp before, Timestamp now) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  // The append lock: no entry is linked to a head that this prune removes
  // or anchors while it runs.
  PINGAN_RETURN_IF_ERROR(c->run(lock_sql(), Params{}, "waiting for the audit log's lock"));
  // A prefix: everything before the first entry young enough to keep. An
  // old entry after a younger one (clocks of two callers) is kept with it.
  Params cut;
  cut.add(before);
  PINGAN_ASSIGN_OR_RETURN(
      PgResult last, c->exec("SELECT seq, hash FROM audit_log WHERE seq < COALESCE("
                             "(SELECT MIN(seq) FROM audit_log WHERE at >= $1), (SELECT MAX(seq) + 1 FROM audit_log)) "
                             "ORDER BY seq DESC LIMIT 1",
                             cut, "finding the audit entries to prune"));
  if (last.rows() == 0) return std::int64_t{0};
  const std::int64_t last_seq = last.int64(0, 0);
  const std::string last_hash = last.text(0, 1);

  // The gate row is seen by this transaction alone: a DELETE elsewhere,
  // meanwhile, is still refused.
  PINGAN_RETURN_IF_ERROR(c->run("INSERT INTO audit_prune_gate (open) VALUES (1)", Params{}, "opening the prune gate"));
  Params upto;
  upto.add(last_seq);
  PINGAN_ASSIGN_OR_RETURN(PgResult removed,
                          c->exec("DELETE FROM audit_log WHERE seq <= $1", upto, "pruning the audit log"));
  Params anchor;
  anchor.add(last_seq).add(last_hash).add(before).add(now);
  PINGAN_RETURN_IF_ERROR(c->run("INSERT INTO audit_anchor (last_seq, last_hash, before, pruned_at) "
                                "VALUES ($1, $2, $3, $4)",
                                anchor, "recording the audit anchor"));
  PINGAN_RETURN_IF_ERROR(c->run("DELETE FROM audit_prune_gate", Params{}, "closing the prune gate"));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return removed.affected();
}

}  // namespace pingan
