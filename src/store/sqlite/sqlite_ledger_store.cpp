#include "store/sqlite/sqlite_ledger_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "store/ledger_rows.h"
#include "store/sqlite/sqlite_case_rows.h"
#include "store/sqlite/sqlite_statement.h"

namespace pingan {

using case_rows::SqlParam;
using ledger_rows::ItemRow;
using ledger_rows::StepRow;
using sqlite::Statement;
using sqlite::Transaction;

namespace {

constexpr int kMaxItemsPerPage = 1000;
constexpr int kScanBatch = 1000;

ItemRow read_item_row(const Statement& st) {
  ItemRow r;
  r.id = st.column_int(0);
  r.type_code = st.column_text(1);
  r.type_version = st.column_int(2);
  r.unit_code = st.column_text(3);
  r.officer_id = st.column_text(4);
  r.state = st.column_text(5);
  r.fields = st.column_text(6);
  r.created_at = st.column_int(7);
  r.updated_at = st.column_int(8);
  r.source = st.column_text(9);
  r.source_id = st.column_text(10);
  if (!st.column_is_null(11)) r.personal_key = st.column_text(11);
  return r;
}

StepRow read_step_row(const Statement& st) {
  StepRow r;
  r.item_id = st.column_int(0);
  r.seq = st.column_int(1);
  r.step = st.column_text(2);
  r.from_state = st.column_text(3);
  r.to_state = st.column_text(4);
  r.actor = st.column_text(5);
  r.at = st.column_int(6);
  r.note = st.column_text(7);
  r.changes = st.column_text(8);
  r.unit_code = st.column_text(9);
  r.officer_id = st.column_text(10);
  return r;
}

// Fills the histories of `items` (read on `db`), one query for all of them.
Status fill_histories(sqlite3* db, std::vector<LedgerItem>& items,
                      const stored::PersonalFields& fields) {
  if (items.empty()) return {};
  std::map<std::int64_t, LedgerItem*> by_id;
  std::string marks;
  for (LedgerItem& item : items) {
    item.history.clear();
    by_id.emplace(item.id, &item);
    marks += marks.empty() ? "?" : ", ?";
  }
  Statement st(
      db, fmt::format("SELECT {} FROM ledger_steps WHERE item_id IN ({}) ORDER BY item_id, seq",
                      ledger_rows::kStepColumns, marks));
  if (!st.valid()) return Error::internal(st.prepare_error());
  int i = 1;
  for (const LedgerItem& item : items) st.bind(i++, std::int64_t{item.id});
  return st.each_row("reading ledger histories", [&](const Statement& row) -> Status {
    const StepRow r = read_step_row(row);
    PINGAN_ASSIGN_OR_RETURN(LedgerHistoryEntry e, ledger_rows::entry_of(r, fields));
    by_id.at(r.item_id)->history.push_back(std::move(e));
    return {};
  });
}

// The items a SELECT of ledger_items (kItemColumns) gives, with histories.
Result<std::vector<LedgerItem>> read_items(sqlite3* db, Statement& st,
                                           const stored::PersonalFields& fields,
                                           std::string_view what) {
  std::vector<LedgerItem> items;
  PINGAN_RETURN_IF_ERROR(st.each_row(what, [&](const Statement& row) -> Status {
    PINGAN_ASSIGN_OR_RETURN(LedgerItem item, ledger_rows::item_of(read_item_row(row), fields));
    items.push_back(std::move(item));
    return {};
  }));
  PINGAN_RETURN_IF_ERROR(fill_histories(db, items, fields));
  return items;
}

// Item `id` with its history, or kNotFound when missing or outside `scope`.
Result<LedgerItem> item_on(sqlite3* db, std::int64_t id, const UnitScope& scope,
                           const stored::PersonalFields& fields) {
  std::vector<std::string> where = {"id = ?"};
  std::vector<SqlParam> params = {std::int64_t{id}};
  case_rows::add_scope_condition("unit_code", scope, where, params);
  Statement st(db, fmt::format("SELECT {} FROM ledger_items{}", ledger_rows::kItemColumns,
                               case_rows::join_where(where)));
  if (!st.valid()) return Error::internal(st.prepare_error());
  case_rows::bind_params(st, params);
  PINGAN_ASSIGN_OR_RETURN(std::vector<LedgerItem> items,
                          read_items(db, st, fields, fmt::format("reading ledger item {}", id)));
  if (items.empty()) return Error::not_found(fmt::format("no ledger item {}", id));
  return std::move(items.front());
}

Status insert_step(sqlite3* db, const StepRow& r) {
  Statement st(db, case_rows::insert_sql("ledger_steps", ledger_rows::kStepColumns));
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, std::int64_t{r.item_id});
  st.bind(2, std::int64_t{r.seq});
  st.bind(3, std::string_view(r.step), true);
  st.bind(4, std::string_view(r.from_state), true);
  st.bind(5, std::string_view(r.to_state), true);
  st.bind(6, std::string_view(r.actor), true);
  st.bind(7, std::int64_t{r.at});
  st.bind(8, std::string_view(r.note), true);
  st.bind(9, std::string_view(r.changes), true);
  st.bind(10, std::string_view(r.unit_code), true);
  st.bind(11, std::string_view(r.officer_id), true);
  if (st.step() != SQLITE_DONE)
    return sqlite::last_error(db,
                              fmt::format("writing entry {} of ledger item {}", r.seq, r.item_id));
  return {};
}

// Entries [from, end) of `item`'s history, numbered from from + 1.
Status insert_entries(sqlite3* db, const LedgerDefinition& definition, const LedgerItem& item,
                      std::size_t from, const stored::PersonalFields& fields) {
  for (std::size_t i = from; i < item.history.size(); ++i) {
    PINGAN_ASSIGN_OR_RETURN(
        StepRow r, ledger_rows::step_row(definition, item.id, static_cast<std::int64_t>(i + 1),
                                         item.history[i], fields));
    PINGAN_RETURN_IF_ERROR(insert_step(db, r));
  }
  return {};
}

void bind_optional_text(Statement& st, int i, const std::optional<std::string>& v) {
  if (v)
    st.bind(i, std::string_view(*v), true);
  else
    st.bind_null(i);
}

}  // namespace

Result<LedgerItem> SqliteLedgerStore::insert_on(const LedgerNewRow& row) {
  if (!row.definition) return Error::internal("a ledger item to create without its definition");
  if (!row.origin.source_id.empty()) {
    Statement st(db_, "SELECT id FROM ledger_items WHERE source = ? AND source_id = ?");
    if (!st.valid()) return Error::internal(st.prepare_error());
    st.bind(1, std::string_view(row.origin.source), true);
    st.bind(2, std::string_view(row.origin.source_id), true);
    PINGAN_ASSIGN_OR_RETURN(bool found, st.next_row("looking up a ledger item's source key"));
    if (found)
      return case_rows::already_exists(
          "source_id", fmt::format("ledger item {} has source '{}' and source_id '{}' already",
                                   st.column_int(0), row.origin.source, row.origin.source_id));
  }
  PINGAN_ASSIGN_OR_RETURN(ItemRow r,
                          ledger_rows::item_row(*row.definition, row.item, row.origin, fields_));
  Statement st(db_, case_rows::insert_sql("ledger_items", ledger_rows::kItemColumns.substr(4)));
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, std::string_view(r.type_code), true);
  st.bind(2, std::int64_t{r.type_version});
  st.bind(3, std::string_view(r.unit_code), true);
  st.bind(4, std::string_view(r.officer_id), true);
  st.bind(5, std::string_view(r.state), true);
  st.bind(6, std::string_view(r.fields), true);
  st.bind(7, std::int64_t{r.created_at});
  st.bind(8, std::int64_t{r.updated_at});
  st.bind(9, std::string_view(r.source), true);
  st.bind_text_or_null(10, r.source_id);
  bind_optional_text(st, 11, r.personal_key);
  if (st.step() != SQLITE_DONE)
    return sqlite::last_error(db_, fmt::format("inserting a {} ledger item", r.type_code));
  LedgerItem stored = row.item;
  stored.id = sqlite3_last_insert_rowid(db_);
  PINGAN_RETURN_IF_ERROR(insert_entries(db_, *row.definition, stored, 0, fields_));
  return stored;
}

Result<LedgerItem> SqliteLedgerStore::create_item(const LedgerNewRow& row) {
  std::lock_guard lock(mutex_);
  case_rows::BulkCommit bulk(db_, bulk_);
  PINGAN_RETURN_IF_ERROR(bulk.begin());
  Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  PINGAN_ASSIGN_OR_RETURN(LedgerItem stored, insert_on(row));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return stored;
}

Result<LedgerStepped> SqliteLedgerStore::update_item(
    std::int64_t id, const UnitScope& scope, const LedgerDefinition& definition,
    const std::function<Result<LedgerUpdate>(const LedgerItem&)>& apply) {
  std::lock_guard lock(mutex_);
  // BEGIN IMMEDIATE: the item is read under the write lock, so no other
  // writer's step comes between this read and this write.
  case_rows::BulkCommit bulk(db_, bulk_);
  PINGAN_RETURN_IF_ERROR(bulk.begin());
  Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  PINGAN_ASSIGN_OR_RETURN(LedgerItem before, item_on(db_, id, scope, fields_));
  if (before.type_code != definition.code())
    return Error::internal(
        fmt::format("ledger item {} is a {}, not a {}", id, before.type_code, definition.code()));
  PINGAN_ASSIGN_OR_RETURN(LedgerUpdate update, apply(before));
  LedgerItem& item = update.item;
  item.id = id;
  if (item.history.size() < before.history.size())
    return Error::internal(fmt::format("a step of ledger item {} shortened its history", id));
  PINGAN_ASSIGN_OR_RETURN(ItemRow r,
                          ledger_rows::item_row(definition, item, LedgerOrigin{}, fields_));
  Statement st(db_,
               "UPDATE ledger_items SET unit_code = ?, officer_id = ?, state = ?, fields = ?, "
               "updated_at = ?, "
               "personal_key = ? WHERE id = ?");
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, std::string_view(r.unit_code), true);
  st.bind(2, std::string_view(r.officer_id), true);
  st.bind(3, std::string_view(r.state), true);
  st.bind(4, std::string_view(r.fields), true);
  st.bind(5, std::int64_t{r.updated_at});
  bind_optional_text(st, 6, r.personal_key);
  st.bind(7, std::int64_t{id});
  if (st.step() != SQLITE_DONE)
    return sqlite::last_error(db_, fmt::format("updating ledger item {}", id));
  PINGAN_RETURN_IF_ERROR(insert_entries(db_, definition, item, before.history.size(), fields_));
  LedgerStepped out;
  if (update.opened) {
    PINGAN_ASSIGN_OR_RETURN(out.opened, insert_on(*update.opened));
  }
  PINGAN_RETURN_IF_ERROR(tx.commit());
  out.item = std::move(item);
  return out;
}

Result<LedgerItem> SqliteLedgerStore::get_item(std::int64_t id, const UnitScope& scope) {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  return item_on(reader.db(), id, scope, fields_);
}

Result<LedgerPage> SqliteLedgerStore::list_items(const LedgerFilter& f) {
  if (f.limit < 1 || f.limit > kMaxItemsPerPage)
    return Error::invalid(
        "limit", fmt::format("a page holds 1 to {} items, not {}", kMaxItemsPerPage, f.limit));
  std::vector<std::string> where = {"type_code = ?"};
  std::vector<SqlParam> params = {f.type_code};
  case_rows::add_scope_condition("unit_code", f.scope, where, params);
  if (f.state) {
    where.push_back("state = ?");
    params.emplace_back(*f.state);
  }
  if (f.created_from) {
    where.push_back("created_at >= ?");
    params.emplace_back(*f.created_from);
  }
  if (f.created_to) {
    where.push_back("created_at < ?");
    params.emplace_back(*f.created_to);
  }
  if (f.before) {
    where.push_back("created_at <= ? AND (created_at < ? OR id < ?)");
    params.emplace_back(f.before->first);
    params.emplace_back(f.before->first);
    params.emplace_back(f.before->second);
  }
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  // One more than the page: whether another page follows, without a count.
  Statement st(
      reader.db(),
      fmt::format("SELECT {} FROM ledger_items{} ORDER BY created_at DESC, id DESC LIMIT {}",
                  ledger_rows::kItemColumns, case_rows::join_where(where), f.limit + 1));
  if (!st.valid()) return Error::internal(st.prepare_error());
  case_rows::bind_params(st, params);
  LedgerPage page;
  PINGAN_ASSIGN_OR_RETURN(page.items, read_items(reader.db(), st, fields_, "listing ledger items"));
  if (static_cast<int>(page.items.size()) > f.limit) {
    page.more = true;
    page.items.resize(static_cast<std::size_t>(f.limit));
  }
  return page;
}

Status SqliteLedgerStore::scan_items(const std::string& type_code,
                                     const std::function<void(const LedgerItem&)>& visit) {
  // The lease's read transaction: one snapshot for every batch; batches
  // keep memory at one batch of items.
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  std::int64_t after = 0;
  while (true) {
    Statement st(reader.db(),
                 fmt::format("SELECT {} FROM ledger_items WHERE type_code = ? AND id > ? "
                             "ORDER BY id LIMIT {}",
                             ledger_rows::kItemColumns, kScanBatch));
    if (!st.valid()) return Error::internal(st.prepare_error());
    st.bind(1, std::string_view(type_code), true);
    st.bind(2, std::int64_t{after});
    PINGAN_ASSIGN_OR_RETURN(std::vector<LedgerItem> batch,
                            read_items(reader.db(), st, fields_, "scanning ledger items"));
    for (const LedgerItem& item : batch) visit(item);
    if (static_cast<int>(batch.size()) < kScanBatch) return {};
    after = batch.back().id;
  }
}

Result<std::optional<LedgerItem>> SqliteLedgerStore::find_by_origin(const LedgerOrigin& origin) {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(), fmt::format("SELECT {} FROM ledger_items WHERE source = ? AND source_id = ?",
                                        ledger_rows::kItemColumns));
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, std::string_view(origin.source), true);
  st.bind(2, std::string_view(origin.source_id), true);
  PINGAN_ASSIGN_OR_RETURN(std::vector<LedgerItem> items,
                          read_items(reader.db(), st, fields_,
                                     fmt::format("finding the ledger item of {} {}", origin.source, origin.source_id)));
  if (items.empty()) return std::optional<LedgerItem>{};
  return std::optional<LedgerItem>(std::move(items.front()));
}

Status SqliteLedgerStore::begin_bulk() {
  std::lock_guard lock(mutex_);
  bulk_ = true;
  return {};
}

// As SqliteCaseStore::end_bulk: with synchronous=FULL the checkpoint syncs
// the WAL before copying it into the file, so every bulk write is durable.
Status SqliteLedgerStore::end_bulk() {
  std::lock_guard lock(mutex_);
  bulk_ = false;
  PINGAN_RETURN_IF_ERROR(sqlite::exec(db_, "PRAGMA synchronous=FULL"));
  Statement st(db_, "PRAGMA wal_checkpoint(TRUNCATE)");
  if (!st.valid()) return Error::internal(st.prepare_error());
  if (st.step() != SQLITE_ROW) return sqlite::last_error(db_, "checkpointing after bulk ledger writes");
  return {};
}

}  // namespace pingan
