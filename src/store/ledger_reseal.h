#pragma once
// Re-sealing a ledger item's personal values under the active key (key
// rotation, issue 21): the {"sealed": token} values inside ledger_items.fields
// and ledger_steps.changes (store/ledger_rows.h), which a per-column pass
// (stored::SealedTable) cannot reach. Each token is opened with the key ring
// (any key it holds) and sealed again under the active key; plain text kept
// as {"sealed": "..."} by a store without a cipher is sealed the same way.
// The rest of the JSON is kept. Internal to store/: the dialects' personal
// stores (sqlite/sqlite_personal_store.cpp, postgres/pg_personal_store.cpp)
// read and write the rows, this file only rewrites their text.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/personal_fields.h"

namespace pingan::stored {

struct ResealedLedgerFields {
  std::string fields;               // the JSON object, re-sealed
  std::optional<std::string> key;   // personal_key: the tokens' key; nullopt when none is sealed
};

// Item `item_id`'s stored `fields` re-sealed. A value that does not open, or
// text that is not a JSON object, is an error naming the item.
Result<ResealedLedgerFields> reseal_ledger_fields(const PersonalFields& fields, std::int64_t item_id,
                                                  std::string_view stored);

// Entry `seq` of item `item_id`'s stored `changes` (a JSON array of
// {field, before?, after}) re-sealed.
Result<std::string> reseal_ledger_changes(const PersonalFields& fields, std::int64_t item_id, std::int64_t seq,
                                          std::string_view stored);

// Whether stored JSON text may hold a sealed value (a cheap test before
// parsing a history entry).
inline bool may_hold_sealed(std::string_view stored) { return stored.find("\"sealed\"") != std::string_view::npos; }

}  // namespace pingan::stored
