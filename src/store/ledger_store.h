#pragma once
// Ledger work items (台账条目, issue 21) and their histories, durably. The
// rules are core's (core/ledger_item.h: create_ledger_item, apply_step); the
// store keeps what the engine validated, and runs a step inside the same
// transaction that reads the item under its row lock, so two servers on one
// database cannot both take a step that only one of them may.
//
// Implemented for SQLite (store/sqlite/sqlite_ledger_store.h) and PostgreSQL
// (store/postgres/pg_ledger_store.h), tables ledger_items and ledger_steps
// of migration 16 (docs/schema.md); only the engine calls it. Reads take a
// UnitScope: an item outside it is reported as not found. Writes are
// durable when the call returns OK.
//
// Fields are kept as JSON text. A field the definition marks `personal` is
// sealed with the store's cipher (store/personal_fields.h; associated data
// "ledger_items.fields.<code>"), in the item's fields and in its history's
// changes alike, and stored as {"sealed": token}, so a row tells which of
// its values are sealed without its definition. Reads return them opened:
// masking is the HTTP layer's job, as for persons. personal_key records the
// key of the row's tokens ('' plain text without a cipher, NULL for an item
// without personal values). A key rotation re-seals the tokens inside the
// JSON (store/ledger_reseal.h). Every write of ledger_items is logged as
// ChangeKind::kLedger in the same transaction (triggers of migration 16), so
// another server's ledger index follows (store/change_log.h).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/ledger_definition.h"
#include "core/ledger_item.h"
#include "core/status.h"
#include "core/time.h"
#include "core/unit.h"

namespace pingan {

// Where an item came from: ("api", "") for one entered by hand; an import's
// (source, source_id) is unique, so importing a file twice makes one item.
struct LedgerOrigin {
  std::string source = "api";
  std::string source_id;  // empty: no key
};

// A page of one type's items, newest created first (ties by id descending).
struct LedgerFilter {
  std::string type_code;  // required
  UnitScope scope = UnitScope::everything();
  std::optional<std::string> state;
  std::optional<Timestamp> created_from;  // inclusive
  std::optional<Timestamp> created_to;    // exclusive
  int limit = 50;                         // 1..1000
  // Keyset paging: (created_at, id) of the last item of the previous page.
  std::optional<std::pair<Timestamp, std::int64_t>> before;
};

struct LedgerPage {
  std::vector<LedgerItem> items;  // each with its history
  bool more = false;              // another page follows
};

// An item to create, with the definition that says which fields are personal.
struct LedgerNewRow {
  const LedgerDefinition* definition = nullptr;  // the item's type; required
  LedgerItem item;                               // with its creating history entry
  LedgerOrigin origin;
};

// What a step's callback gives back: the item after the step (its history
// one entry longer) and, for a step that opens another type, the item to
// open, written in the same transaction.
struct LedgerUpdate {
  LedgerItem item;
  std::optional<LedgerNewRow> opened;
};

struct LedgerStepped {
  LedgerItem item;
  std::optional<LedgerItem> opened;  // as stored, with its id
};

class LedgerStore {
 public:
  virtual ~LedgerStore() = default;

  // Stores the item and every entry of its history in one transaction;
  // returns it with its id. kAlreadyExists (field "source_id") when another
  // item has the same (source, source_id).
  virtual Result<LedgerItem> create_item(const LedgerNewRow& row) = 0;

  // Reads item `id` under its row lock (kNotFound when missing or outside
  // `scope`), hands it with its history to `apply` and writes what it
  // returns: the item's new state, fields and assignment and the entries
  // its history gained, and the opened item if any, all in one transaction.
  // An error from `apply` writes nothing and is returned as it is.
  // `definition` is the item's type (a type never changes).
  virtual Result<LedgerStepped> update_item(
      std::int64_t id, const UnitScope& scope, const LedgerDefinition& definition,
      const std::function<Result<LedgerUpdate>(const LedgerItem&)>& apply) = 0;

  // The item with its history, oldest entry first; kNotFound when missing
  // or outside `scope`.
  virtual Result<LedgerItem> get_item(std::int64_t id, const UnitScope& scope) = 0;

  virtual Result<LedgerPage> list_items(const LedgerFilter& filter) = 0;

  // Every item of `type_code` in id order with its history (building the
  // analytics' index), read in batches.
  virtual Status scan_items(const std::string& type_code,
                            const std::function<void(const LedgerItem&)>& visit) = 0;

  // The item created with `origin` (its UNIQUE (source, source_id) key, an
  // index look-up), with its history; none when no item has it. The
  // follow-up loop finds an incident's item so, by ("incident", id)
  // (engine/followup_ledger.h): once per incident move, so it must not scan.
  virtual Result<std::optional<LedgerItem>> find_by_origin(const LedgerOrigin& origin) = 0;

  // Bulk mode for one importer or the demo at a time, as CaseStore's:
  // between begin_bulk() and end_bulk() writes may commit without waiting
  // for the disk (a crash loses some, never corrupts; a re-run skips what
  // was kept by its origin keys); end_bulk() makes all of it durable.
  virtual Status begin_bulk() = 0;
  virtual Status end_bulk() = 0;
};

}  // namespace pingan
