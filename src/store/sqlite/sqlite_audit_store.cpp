// SqliteStore's audit log: table audit_log (migration 8), one row per entry,
// the anchor of pruned entries in audit_anchor.

#include "store/sqlite/sqlite_audit_store.h"

#include <fmt/format.h>

#include <string>
#include <vector>

#include "store/sqlite/sqlite_statement.h"

namespace pingan {
namespace {

using sqlite::Statement;
using sqlite::Transaction;

constexpr const char* kColumns =
    "seq, at, user_name, unit_code, address, action, target, outcome, reason, prev_hash, hash, alg";

AuditEntry read_entry(const Statement& row) {
  AuditEntry e;
  e.seq = row.column_int(0);
  e.at = row.column_int(1);
  e.user = row.column_text(2);
  e.unit_code = row.column_text(3);
  e.address = row.column_text(4);
  e.action = row.column_text(5);
  e.target = row.column_text(6);
  e.outcome = row.column_text(7);
  e.reason = row.column_text(8);
  e.prev_hash = row.column_text(9);
  e.hash = row.column_text(10);
  e.alg = row.column_text(11);
  return e;
}

// The WHERE clause of a query and a function binding its values in order.
struct Filter {
  std::string where;
  std::vector<std::string> texts;
  std::vector<std::int64_t> numbers;
  std::vector<bool> is_text;  // per parameter, in order

  void add_text(const char* column, const std::string& value) {
    if (value.empty()) return;
    append(fmt::format("{} = ?", column));
    texts.push_back(value);
    is_text.push_back(true);
  }
  void add_number(const char* condition, std::int64_t value) {
    append(condition);
    numbers.push_back(value);
    is_text.push_back(false);
  }
  void append(const std::string& condition) { where += (where.empty() ? " WHERE " : " AND ") + condition; }

  void bind(Statement& st) const {
    size_t t = 0, n = 0;
    for (size_t i = 0; i < is_text.size(); ++i) {
      if (is_text[i])
        st.bind(int(i + 1), std::string_view(texts[t++]));
      else
        st.bind(int(i + 1), numbers[n++]);
    }
  }
};

Filter filter_of(const AuditQuery& q, bool paged) {
  Filter f;
  f.add_text("user_name", q.user);
  f.add_text("unit_code", q.unit_code);
  f.add_text("target", q.target);
  f.add_text("action", q.action);
  if (q.from) f.add_number("at >= ?", *q.from);
  if (q.until) f.add_number("at < ?", *q.until);
  if (paged && q.after_seq > 0) f.add_number("seq > ?", q.after_seq);
  return f;
}

// The newest entry, or the anchor when every entry was pruned, or {0, ""}.
// On the writer, inside the caller's transaction.
Result<AuditAnchor> head_locked(sqlite3* db) {
  for (const char* sql : {"SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                          "SELECT last_seq, last_hash FROM audit_anchor ORDER BY last_seq DESC LIMIT 1"}) {
    Statement st(db, sql);
    if (!st.valid()) return Error::internal(st.prepare_error());
    PINGAN_ASSIGN_OR_RETURN(bool row, st.next_row("reading the audit log's head"));
    if (row) return AuditAnchor{st.column_int(0), st.column_text(1)};
  }
  return AuditAnchor{};
}

Status insert_entry(sqlite3* db, const AuditEntry& e) {
  Statement st(db, fmt::format("INSERT INTO audit_log ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", kColumns));
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, e.seq);
  st.bind(2, e.at);
  st.bind(3, std::string_view(e.user));
  st.bind(4, std::string_view(e.unit_code));
  st.bind(5, std::string_view(e.address));
  st.bind(6, std::string_view(e.action));
  st.bind(7, std::string_view(e.target));
  st.bind(8, std::string_view(e.outcome));
  st.bind(9, std::string_view(e.reason));
  st.bind(10, std::string_view(e.prev_hash));
  st.bind(11, std::string_view(e.hash));
  st.bind(12, std::string_view(e.alg));
  if (st.step() != SQLITE_DONE) return sqlite::last_error(db, fmt::format("appending audit entry {}", e.seq));
  return {};
}

}  // namespace

Result<AuditEntry> SqliteAuditStore::append(AuditEntry entry, const AuditSeal& seal) {
  std::lock_guard lock(mutex_);
  // BEGIN IMMEDIATE: the head read here is still the head at the insert,
  // also when another process appends to the same file.
  Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  PINGAN_ASSIGN_OR_RETURN(AuditAnchor head, head_locked(db_));
  entry.seq = head.last_seq + 1;
  entry.prev_hash = head.last_hash;
  PINGAN_ASSIGN_OR_RETURN(entry.hash, seal(entry));
  PINGAN_RETURN_IF_ERROR(insert_entry(db_, entry));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return entry;
}

Result<std::vector<AuditEntry>> SqliteAuditStore::append_all(std::vector<AuditEntry> entries, const AuditSeal& seal) {
  std::lock_guard lock(mutex_);
  Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  PINGAN_ASSIGN_OR_RETURN(AuditAnchor head, head_locked(db_));
  for (AuditEntry& entry : entries) {
    entry.seq = ++head.last_seq;
    entry.prev_hash = head.last_hash;
    PINGAN_ASSIGN_OR_RETURN(entry.hash, seal(entry));
    PINGAN_RETURN_IF_ERROR(insert_entry(db_, entry));
    head.last_hash = entry.hash;
  }
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return entries;
}

Status SqliteAuditStore::search(const AuditQuery& query, const std::function<Status(const AuditEntry&)>& visit) {
  Filter f = filter_of(query, true);
  std::string sql = fmt::format("SELECT {} FROM audit_log{} ORDER BY seq", kColumns, f.where);
  if (query.limit > 0) sql += fmt::format(" LIMIT {}", query.limit);
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(), sql);
  if (!st.valid()) return Error::internal(st.prepare_error());
  f.bind(st);
  return st.each_row("reading the audit log", [&](const Statement& row) { return visit(read_entry(row)); });
}

Result<std::int64_t> SqliteAuditStore::count(const AuditQuery& query) {
  Filter f = filter_of(query, false);
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(), "SELECT count(*) FROM audit_log" + f.where);
  if (!st.valid()) return Error::internal(st.prepare_error());
  f.bind(st);
  PINGAN_ASSIGN_OR_RETURN(bool row, st.next_row("counting audit entries"));
  return row ? st.column_int(0) : 0;
}

Result<AuditAnchor> SqliteAuditStore::anchor() {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(), "SELECT last_seq, last_hash FROM audit_anchor ORDER BY last_seq DESC LIMIT 1");
  if (!st.valid()) return Error::internal(st.prepare_error());
  PINGAN_ASSIGN_OR_RETURN(bool row, st.next_row("reading the audit anchor"));
  if (!row) return AuditAnchor{};
  return AuditAnchor{st.column_int(0), st.column_text(1)};
}

Result<std::int64_t> SqliteAuditStore::prune(Timestamp before, Timestamp now) {
  std::lock_guard lock(mutex_);
  Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  // A prefix: everything before the first entry young enough to keep. An
  // old entry after a younger one (clocks of two callers) is kept with it.
  Statement last(db_,
                 "SELECT seq, hash FROM audit_log WHERE seq < COALESCE("
                 "(SELECT MIN(seq) FROM audit_log WHERE at >= ?1), (SELECT MAX(seq) + 1 FROM audit_log)) "
                 "ORDER BY seq DESC LIMIT 1");
  if (!last.valid()) return Error::internal(last.prepare_error());
  last.bind(1, before);
  PINGAN_ASSIGN_OR_RETURN(bool found, last.next_row("finding the audit entries to prune"));
  if (!found) return std::int64_t{0};
  const std::int64_t last_seq = last.column_int(0);
  const std::string last_hash = last.column_text(1);

  PINGAN_RETURN_IF_ERROR(sqlite::exec(db_, "INSERT INTO audit_prune_gate (open) VALUES (1)"));
  Statement remove(db_, "DELETE FROM audit_log WHERE seq <= ?");
  if (!remove.valid()) return Error::internal(remove.prepare_error());
  remove.bind(1, last_seq);
  if (remove.step() != SQLITE_DONE) return sqlite::last_error(db_, "pruning the audit log");
  const std::int64_t removed = sqlite3_changes64(db_);
  Statement anchor(db_, "INSERT INTO audit_anchor (last_seq, last_hash, before, pruned_at) VALUES (?, ?, ?, ?)");
  if (!anchor.valid()) return Error::internal(anchor.prepare_error());
  anchor.bind(1, last_seq);
  anchor.bind(2, std::string_view(last_hash));
  anchor.bind(3, before);
  anchor.bind(4, now);
  if (anchor.step() != SQLITE_DONE) return sqlite::last_error(db_, "recording the audit anchor");
  PINGAN_RETURN_IF_ERROR(sqlite::exec(db_, "DELETE FROM audit_prune_gate"));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return removed;
}

}  // namespace pingan
