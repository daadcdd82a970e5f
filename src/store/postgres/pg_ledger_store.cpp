#include "store/postgres/pg_ledger_store.h"

#include <fmt/format.h>

#include <map>

#include "store/ledger_rows.h"
#include "store/postgres/pg_array.h"
#include "store/postgres/pg_bulk.h"
#include "store/postgres/pg_case_rows.h"

namespace pingan {

using ledger_rows::ItemRow;
using ledger_rows::StepRow;

namespace {

constexpr int kMaxItemsPerPage = 1000;
constexpr int kScanBatch = 1000;

ItemRow read_item_row(const pg::PgResult& r, int i) {
  ItemRow row;
  row.id = r.int64(i, 0);
  row.type_code = r.text(i, 1);
  row.type_version = r.int64(i, 2);
  row.unit_code = r.text(i, 3);
  row.officer_id = r.text(i, 4);
  row.state = r.text(i, 5);
  row.fields = r.text(i, 6);
  row.created_at = r.int64(i, 7);
  row.updated_at = r.int64(i, 8);
  row.source = r.text(i, 9);
  if (!r.is_null(i, 10)) row.source_id = r.text(i, 10);
  if (!r.is_null(i, 11)) row.personal_key = r.text(i, 11);
  return row;
}

StepRow read_step_row(const pg::PgResult& r, int i) {
  StepRow row;
  row.item_id = r.int64(i, 0);
  row.seq = r.int64(i, 1);
  row.step = r.text(i, 2);
  row.from_state = r.text(i, 3);
  row.to_state = r.text(i, 4);
  row.actor = r.text(i, 5);
  row.at = r.int64(i, 6);
  row.note = r.text(i, 7);
  row.changes = r.text(i, 8);
  row.unit_code = r.text(i, 9);
  row.officer_id = r.text(i, 10);
  return row;
}

Status fill_histories(pg::Connection& c, std::vector<LedgerItem>& items,
                      const stored::PersonalFields& fields) {
  if (items.empty()) return {};
  std::map<std::int64_t, LedgerItem*> by_id;
  pg::ArrayLiteral ids;
  for (LedgerItem& item : items) {
    item.history.clear();
    by_id.emplace(item.id, &item);
    ids.add(std::int64_t{item.id});
  }
  pg::Params p;
  p.add(ids.str());
  PINGAN_ASSIGN_OR_RETURN(
      pg::PgResult r,
      c.exec(fmt::format("SELECT {} FROM ledger_steps WHERE item_id = ANY($1::bigint[]) "
                         "ORDER BY item_id, seq",
                         ledger_rows::kStepColumns),
             p, "reading ledger histories"));
  for (int i = 0; i < r.rows(); ++i) {
    const StepRow row = read_step_row(r, i);
    PINGAN_ASSIGN_OR_RETURN(LedgerHistoryEntry e, ledger_rows::entry_of(row, fields));
    by_id.at(row.item_id)->history.push_back(std::move(e));
  }
  return {};
}

Result<std::vector<LedgerItem>> read_items(pg::Connection& c, const pg::PgResult& r, int n,
                                           const stored::PersonalFields& fields) {
  std::vector<LedgerItem> items;
  items.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    PINGAN_ASSIGN_OR_RETURN(LedgerItem item, ledger_rows::item_of(read_item_row(r, i), fields));
    items.push_back(std::move(item));
  }
  PINGAN_RETURN_IF_ERROR(fill_histories(c, items, fields));
  return items;
}

Result<LedgerItem> item_on(pg::Connection& c, std::int64_t id, const UnitScope& scope, bool lock,
                           const stored::PersonalFields& fields) {
  pg::Where q;
  q.add("id = " + q.param(std::int64_t{id}));
  pg::add_unit_scope(scope, "unit_code", q);
  PINGAN_ASSIGN_OR_RETURN(
      pg::PgResult r,
      c.exec(fmt::format("SELECT {} FROM ledger_items{}{}", ledger_rows::kItemColumns, q.clause(),
                         lock ? " FOR UPDATE" : ""),
             q.params(), fmt::format("reading ledger item {}", id)));
  if (r.rows() == 0) return Error::not_found(fmt::format("no ledger item {}", id));
  PINGAN_ASSIGN_OR_RETURN(std::vector<LedgerItem> items, read_items(c, r, 1, fields));
  return std::move(items.front());
}

Status insert_entries(pg::Connection& c, const LedgerDefinition& definition, const LedgerItem& item,
                      std::size_t from, const stored::PersonalFields& fields) {
  for (std::size_t i = from; i < item.history.size(); ++i) {
    PINGAN_ASSIGN_OR_RETURN(
        StepRow r, ledger_rows::step_row(definition, item.id, static_cast<std::int64_t>(i + 1),
                                         item.history[i], fields));
    pg::Params p;
    p.add(std::int64_t{r.item_id})
        .add(std::int64_t{r.seq})
        .add(r.step)
        .add(r.from_state)
        .add(r.to_state);
    p.add(r.actor)
        .add(std::int64_t{r.at})
        .add(r.note)
        .add(r.changes)
        .add(r.unit_code)
        .add(r.officer_id);
    PINGAN_RETURN_IF_ERROR(
        c.run(fmt::format("INSERT INTO ledger_steps ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                          "$8, $9, $10, $11)",
                          ledger_rows::kStepColumns),
              p, fmt::format("writing entry {} of ledger item {}", r.seq, r.item_id)));
  }
  return {};
}

Result<std::optional<std::int64_t>> holder_of(pg::Connection& c, const LedgerOrigin& origin) {
  pg::Params p;
  p.add(origin.source).add(origin.source_id);
  PINGAN_ASSIGN_OR_RETURN(
      pg::PgResult r, c.exec("SELECT id FROM ledger_items WHERE source = $1 AND source_id = $2", p,
                             "looking up a ledger item's source key"));
  if (r.rows() == 0) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(r.int64(0, 0));
}

Error taken(std::int64_t holder, const LedgerOrigin& origin) {
  return Error{ErrorCode::kAlreadyExists, "source_id",
               fmt::format("ledger item {} has source '{}' and source_id '{}' already", holder,
                           origin.source, origin.source_id)};
}

// Inside the caller's transaction.
Result<LedgerItem> insert_on(pg::Connection& c, const LedgerNewRow& row,
                             const stored::PersonalFields& fields) {
  if (!row.definition) return Error::internal("a ledger item to create without its definition");
  if (!row.origin.source_id.empty()) {
    PINGAN_ASSIGN_OR_RETURN(std::optional<std::int64_t> holder, holder_of(c, row.origin));
    if (holder) return taken(*holder, row.origin);
  }
  PINGAN_ASSIGN_OR_RETURN(ItemRow r,
                          ledger_rows::item_row(*row.definition, row.item, row.origin, fields));
  pg::Params p;
  p.add(r.type_code)
      .add(std::int64_t{r.type_version})
      .add(r.unit_code)
      .add(r.officer_id)
      .add(r.state)
      .add(r.fields);
  p.add(std::int64_t{r.created_at})
      .add(std::int64_t{r.updated_at})
      .add(r.source)
      .add_text_or_null(r.source_id);
  if (r.personal_key)
    p.add(*r.personal_key);
  else
    p.add_null();
  // DO NOTHING on the source key: a second server importing the same row
  // at once waits for the first's commit and then finds its row.
  PINGAN_ASSIGN_OR_RETURN(
      pg::PgResult inserted,
      c.exec(
          fmt::format(
              "INSERT INTO ledger_items ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
              "ON CONFLICT DO NOTHING RETURNING id",
              ledger_rows::kItemColumns.substr(4)),
          p, fmt::format("inserting a {} ledger item", r.type_code)));
  if (inserted.rows() == 0) {
    PINGAN_ASSIGN_OR_RETURN(std::optional<std::int64_t> holder, holder_of(c, row.origin));
    return taken(holder.value_or(0), row.origin);
  }
  LedgerItem stored = row.item;
  stored.id = inserted.int64(0, 0);
  PINGAN_RETURN_IF_ERROR(insert_entries(c, *row.definition, stored, 0, fields));
  return stored;
}

}  // namespace

Result<LedgerItem> PgLedgerStore::create_item(const LedgerNewRow& row) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  PINGAN_RETURN_IF_ERROR(pg::relax_commit_if_bulk(*c, bulk_.load()));
  PINGAN_ASSIGN_OR_RETURN(LedgerItem stored, insert_on(*c, row, fields_));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return stored;
}

Result<LedgerStepped> PgLedgerStore::update_item(
    std::int64_t id, const UnitScope& scope, const LedgerDefinition& definition,
    const std::function<Result<LedgerUpdate>(const LedgerItem&)>& apply) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  PINGAN_RETURN_IF_ERROR(pg::relax_commit_if_bulk(*c, bulk_.load()));
  PINGAN_ASSIGN_OR_RETURN(LedgerItem before, item_on(*c, id, scope, true, fields_));
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
  pg::Params p;
  p.add(r.unit_code).add(r.officer_id).add(r.state).add(r.fields).add(std::int64_t{r.updated_at});
  if (r.personal_key)
    p.add(*r.personal_key);
  else
    p.add_null();
  p.add(std::int64_t{id});
  PINGAN_RETURN_IF_ERROR(
      c->run("UPDATE ledger_items SET unit_code = $1, officer_id = $2, state = $3, fields = $4, "
             "updated_at = $5, personal_key = $6 WHERE id = $7",
             p, fmt::format("updating ledger item {}", id)));
  PINGAN_RETURN_IF_ERROR(insert_entries(*c, definition, item, before.history.size(), fields_));
  LedgerStepped out;
  if (update.opened) {
    PINGAN_ASSIGN_OR_RETURN(out.opened, insert_on(*c, *update.opened, fields_));
  }
  PINGAN_RETURN_IF_ERROR(tx.commit());
  out.item = std::move(item);
  return out;
}

Result<LedgerItem> PgLedgerStore::get_item(std::int64_t id, const UnitScope& scope) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(pg::begin_snapshot_read(tx, *c));
  PINGAN_ASSIGN_OR_RETURN(LedgerItem item, item_on(*c, id, scope, false, fields_));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return item;
}

Result<LedgerPage> PgLedgerStore::list_items(const LedgerFilter& f) {
  if (f.limit < 1 || f.limit > kMaxItemsPerPage)
    return Error::invalid(
        "limit", fmt::format("a page holds 1 to {} items, not {}", kMaxItemsPerPage, f.limit));
  pg::Where q;
  q.add("type_code = " + q.param(f.type_code));
  pg::add_unit_scope(f.scope, "unit_code", q);
  if (f.state) q.add("state = " + q.param(*f.state));
  if (f.created_from) q.add("created_at >= " + q.param(std::int64_t{*f.created_from}));
  if (f.created_to) q.add("created_at < " + q.param(std::int64_t{*f.created_to}));
  if (f.before) {
    const std::string at = q.param(std::int64_t{f.before->first});
    q.add(fmt::format("(created_at, id) < ({}, {})", at, q.param(std::int64_t{f.before->second})));
  }
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(pg::begin_snapshot_read(tx, *c));
  // One row past the page tells whether another follows.
  PINGAN_ASSIGN_OR_RETURN(
      pg::PgResult r,
      c->exec(
          fmt::format("SELECT {} FROM ledger_items{} ORDER BY created_at DESC, id DESC LIMIT {}",
                      ledger_rows::kItemColumns, q.clause(), f.limit + 1),
          q.params(), "listing ledger items"));
  LedgerPage page;
  page.more = r.rows() > f.limit;
  PINGAN_ASSIGN_OR_RETURN(page.items, read_items(*c, r, std::min(r.rows(), f.limit), fields_));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return page;
}

Status PgLedgerStore::scan_items(const std::string& type_code,
                                 const std::function<void(const LedgerItem&)>& visit) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(pg::begin_snapshot_read(tx, *c));  // one snapshot for every batch
  std::int64_t after = 0;
  while (true) {
    pg::Params p;
    p.add(type_code).add(std::int64_t{after});
    PINGAN_ASSIGN_OR_RETURN(
        pg::PgResult r,
        c->exec(fmt::format("SELECT {} FROM ledger_items WHERE type_code = $1 AND id > $2 "
                            "ORDER BY id LIMIT {}",
                            ledger_rows::kItemColumns, kScanBatch),
                p, "scanning ledger items"));
    PINGAN_ASSIGN_OR_RETURN(std::vector<LedgerItem> batch, read_items(*c, r, r.rows(), fields_));
    for (const LedgerItem& item : batch) visit(item);
    if (static_cast<int>(batch.size()) < kScanBatch) break;
    after = batch.back().id;
  }
  return tx.commit();
}

Result<std::optional<LedgerItem>> PgLedgerStore::find_by_origin(const LedgerOrigin& origin) {
  pg::Params p;
  p.add(origin.source).add(origin.source_id);
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(pg::begin_snapshot_read(tx, *c));
  PINGAN_ASSIGN_OR_RETURN(
      pg::PgResult r,
      c->exec(fmt::format("SELECT {} FROM ledger_items WHERE source = $1 AND source_id = $2", ledger_rows::kItemColumns),
              p, fmt::format("finding the ledger item of {} {}", origin.source, origin.source_id)));
  PINGAN_ASSIGN_OR_RETURN(std::vector<LedgerItem> items, read_items(*c, r, r.rows(), fields_));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  if (items.empty()) return std::optional<LedgerItem>{};
  return std::optional<LedgerItem>(std::move(items.front()));
}

Status PgLedgerStore::begin_bulk() {
  bulk_.store(true);
  return {};
}

Status PgLedgerStore::end_bulk() {
  bulk_.store(false);
  return pg::wait_for_wal_flush(pool_);
}

}  // namespace pingan
