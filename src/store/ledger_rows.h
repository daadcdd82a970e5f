#pragma once
// What the two dialects' ledger stores share (store/ledger_store.h): an
// item and a history entry as rows of plain values and back, with the
// fields and changes as JSON text whose personal values are sealed. The
// dialects only move rows (sqlite/sqlite_ledger_store.cpp,
// postgres/pg_ledger_store.cpp), so a column is added here once. Internal
// to store/.
//
// A value is kept as its JSON alternative: text a string, a number an
// integer, a point {"lat": .., "lon": ..}, a sealed value {"sealed": token}.
// Tables of migration 16 (docs/schema.md).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ledger_definition.h"
#include "core/ledger_item.h"
#include "core/status.h"
#include "store/ledger_store.h"
#include "store/personal_fields.h"

namespace pingan::ledger_rows {

// Every SELECT of ledger_items lists these, in this order.
inline constexpr std::string_view kItemColumns =
    "id, type_code, type_version, unit_code, officer_id, state, fields, created_at, updated_at, "
    "source, source_id, "
    "personal_key";
// Every SELECT and INSERT of ledger_steps lists these, in this order.
inline constexpr std::string_view kStepColumns =
    "item_id, seq, step, from_state, to_state, actor, at, note, changes, unit_code, officer_id";

struct ItemRow {
  std::int64_t id = 0;
  std::string type_code;
  std::int64_t type_version = 0;
  std::string unit_code, officer_id, state, fields;
  Timestamp created_at = 0, updated_at = 0;
  std::string source, source_id;
  std::optional<std::string> personal_key;  // NULL: no personal value
};

struct StepRow {
  std::int64_t item_id = 0;
  std::int64_t seq = 0;  // 1 for the creating entry
  std::string step, from_state, to_state, actor;
  Timestamp at = 0;
  std::string note, changes, unit_code, officer_id;
};

// The row of `item` (its fields sealed where `definition` marks them
// personal); the item's history is not part of it.
Result<ItemRow> item_row(const LedgerDefinition& definition, const LedgerItem& item,
                         const LedgerOrigin& origin, const stored::PersonalFields& fields);
// The item of a row, its fields opened, without history. A damaged row is
// Error::internal naming the item.
Result<LedgerItem> item_of(const ItemRow& row, const stored::PersonalFields& fields);

// The row of history entry `seq` of item `item_id`.
Result<StepRow> step_row(const LedgerDefinition& definition, std::int64_t item_id, std::int64_t seq,
                         const LedgerHistoryEntry& entry, const stored::PersonalFields& fields);
Result<LedgerHistoryEntry> entry_of(const StepRow& row, const stored::PersonalFields& fields);

}  // namespace pingan::ledger_rows
