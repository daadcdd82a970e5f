#pragma once
// Ledger types and work items (台账, issue 21; docs/api.md "Ledgers") to and
// from JSON. A field's JSON form follows its kind (core/ledger_values.h):
//   text, enum, date, registry_ref, person  a string ("2024-06-01" for a date)
//   integer, count, money_fen               a whole number
//   datetime                                an ISO 8601 time (naive: local)
//   point                                   {"lat": .., "lon": ..}
//   people                                  [{"name", "phone"?, "id_number"?}, ...]
//                                           (masked person by person without reveal)
// Requests are read strictly: a member that is not a field of the type, or
// a value of the wrong JSON type, is an error naming "fields.<code>"; what
// the value means (bounds, enum codes, required fields) is core's check.
// Answers mask the fields a definition marks personal (core/personal_masks.h)
// unless the caller may see them (personal.reveal), in the item's fields
// and in its history's changes alike.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/ledger_clock.h"
#include "core/ledger_definition.h"
#include "core/ledger_item.h"
#include "core/time.h"
#include "core/unit.h"

namespace pingan {

// ---- requests ----
// The members of `value` (an object of field code -> value) as the type's
// fields; `path` prefixes field names in errors ("fields").
Result<LedgerFields> ledger_fields_from_json(const nlohmann::json& value, const LedgerDefinition& type,
                                             const TimeZone& zone, const std::string& path = "fields");
// POST /api/ledgers/{type}: {"unit_code", "officer_id"?, "fields": {...},
// "note"?}. The actor, grants and times are the caller's to set.
Result<NewLedgerItem> new_ledger_item_from_json(const nlohmann::json& body, const LedgerDefinition& type,
                                                const TimeZone& zone);
// POST /api/ledger-items/{id}/steps: {"step", "fields"?, "note"?,
// "unit_code"?, "officer_id"?} on an item of `type`. The actor, grants and
// times are the caller's to set.
Result<StepRequest> ledger_step_from_json(const nlohmann::json& body, const LedgerDefinition& type,
                                          const TimeZone& zone);

// ---- answers ----
// A type as the web forms need it: fields, states, steps, deadlines.
nlohmann::json ledger_type_to_json(const LedgerDefinition& type);

struct LedgerJsonView {
  const TimeZone& zone;
  bool reveal = false;              // personal fields in plain text
  const UnitTree* units = nullptr;  // for unit_zh; null leaves it out
};
// The item with its fields and history; `type` is the item's definition.
nlohmann::json ledger_item_to_json(const LedgerItem& item, const LedgerDefinition& type,
                                   const LedgerJsonView& view);
// One field's value as it goes out (masked when the field is personal and
// the view may not reveal it).
nlohmann::json ledger_value_to_json(const LedgerField* field, const LedgerValue& value,
                                    const LedgerJsonView& view);
// The item's deadlines at some instant (core/ledger_clock.h).
nlohmann::json ledger_dues_to_json(const std::vector<LedgerDue>& dues, const TimeZone& zone);

}  // namespace pingan
