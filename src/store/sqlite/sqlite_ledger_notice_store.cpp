#include "store/sqlite/sqlite_ledger_notice_store.h"

#include <fmt/format.h>

#include "store/sqlite/sqlite_case_rows.h"
#include "store/sqlite/sqlite_statement.h"

namespace pingan {

using case_rows::SqlParam;
using sqlite::Statement;
using sqlite::Transaction;

namespace {

constexpr int kMaxNoticesPerList = 1000;
constexpr std::string_view kColumns =
    "id, item_id, type_code, unit_code, deadline, started_at, kind, level, due_at, noticed_at";

LedgerNotice read_notice(const Statement& st) {
  LedgerNotice n;
  n.id = st.column_int(0);
  n.item_id = st.column_int(1);
  n.type_code = st.column_text(2);
  n.unit_code = st.column_text(3);
  n.deadline = st.column_text(4);
  n.started_at = st.column_int(5);
  // The table's CHECK admits only the two names.
  n.kind = ledger_notice_kind_of(st.column_text(6)).value_or(LedgerNoticeKind::kRemind);
  n.level = static_cast<int>(st.column_int(7));
  n.due_at = st.column_int(8);
  n.noticed_at = st.column_int(9);
  return n;
}

}  // namespace

Result<std::vector<LedgerNotice>> SqliteLedgerNoticeStore::record(const std::vector<LedgerNotice>& notices) {
  std::vector<LedgerNotice> inserted;
  if (notices.empty()) return inserted;
  std::lock_guard lock(mutex_);
  Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  Statement st(db_, fmt::format("INSERT OR IGNORE INTO ledger_notices ({}) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                kColumns.substr(4)));
  if (!st.valid()) return Error::internal(st.prepare_error());
  for (const LedgerNotice& n : notices) {
    st.reset();
    st.bind(1, std::int64_t{n.item_id});
    st.bind(2, std::string_view(n.type_code), true);
    st.bind(3, std::string_view(n.unit_code), true);
    st.bind(4, std::string_view(n.deadline), true);
    st.bind(5, std::int64_t{n.started_at});
    st.bind(6, std::string_view(ledger_notice_kind_name(n.kind)));
    st.bind(7, n.level);
    st.bind(8, std::int64_t{n.due_at});
    st.bind(9, std::int64_t{n.noticed_at});
    if (st.step() != SQLITE_DONE)
      return sqlite::last_error(db_, fmt::format("recording a notice of ledger item {}", n.item_id));
    // An ignored row (recorded before) changes nothing.
    if (sqlite3_changes(db_) == 0) continue;
    LedgerNotice stored = n;
    stored.id = sqlite3_last_insert_rowid(db_);
    inserted.push_back(std::move(stored));
  }
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return inserted;
}

Result<std::vector<LedgerNotice>> SqliteLedgerNoticeStore::list(const LedgerNoticeFilter& f) {
  if (f.limit < 1 || f.limit > kMaxNoticesPerList)
    return Error::invalid("limit",
                          fmt::format("a list holds 1 to {} notices, not {}", kMaxNoticesPerList, f.limit));
  std::vector<std::string> where;
  std::vector<SqlParam> params;
  case_rows::add_scope_condition("unit_code", f.scope, where, params);
  if (f.kind) {
    where.push_back("kind = ?");
    params.emplace_back(std::string(ledger_notice_kind_name(*f.kind)));
  }
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(), fmt::format("SELECT {} FROM ledger_notices{} ORDER BY due_at DESC, id DESC LIMIT {}",
                                        kColumns, case_rows::join_where(where), f.limit));
  if (!st.valid()) return Error::internal(st.prepare_error());
  case_rows::bind_params(st, params);
  std::vector<LedgerNotice> out;
  PINGAN_RETURN_IF_ERROR(
      st.each_row("listing ledger notices", [&](const Statement& row) { out.push_back(read_notice(row)); }));
  return out;
}

}  // namespace pingan
