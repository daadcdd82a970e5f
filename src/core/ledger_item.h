#pragma once
// A work item of a ledger (台账条目) and the rules of its life, read from its
// type's definition (core/ledger_definition.h): create_ledger_item() opens
// one in the initial state, apply_step() moves it on. Both check everything
// that needs no store: the step allowed from the current state, the actor
// holding a role or permission the step names, the fields (required ones
// present, every value valid for its field), the assignment, the verifier
// differing from the worker, and time not running backwards. The store
// keeps the item and its history; the engine adds ids and the clock.
//
// Values; no I/O, no threads.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ledger_definition.h"
#include "core/ledger_values.h"
#include "core/status.h"
#include "core/time.h"

namespace pingan {

// One field a step set or changed; `before` is empty when it had no value.
struct LedgerFieldChange {
  std::string field;
  std::optional<LedgerValue> before;
  LedgerValue after;
};

// One append-only entry of an item's history. The creating entry has step
// kLedgerCreateStep and an empty from_state.
struct LedgerHistoryEntry {
  std::string step;
  std::string from_state;
  std::string to_state;
  std::string actor;
  Timestamp at = 0;
  std::string note;
  std::vector<LedgerFieldChange> changes;
  // Set when the step assigned the item (the step has assigns: true, or at creation).
  std::string unit_code;
  std::string officer_id;
};

inline constexpr const char* kLedgerCreateStep = "create";

struct LedgerItem {
  std::int64_t id = 0;       // the store's; 0 until saved
  std::string type_code;     // the definition's code
  int type_version = 0;      // the definition's version when created
  std::string unit_code;     // responsible unit (责任单位)
  std::string officer_id;    // responsible officer (责任民警); empty until assigned
  LedgerFields fields;
  std::string state;
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
  std::vector<LedgerHistoryEntry> history;  // oldest first; never empty once created
};

// What an actor holds: their role and the permissions it grants (and/or an
// API token's). A step allows an actor holding any name of its `who`.
using LedgerGrants = std::vector<std::string>;

struct NewLedgerItem {
  std::string unit_code;   // required
  std::string officer_id;  // optional at creation
  LedgerFields fields;
  std::string actor;
  LedgerGrants actor_grants;
  Timestamp at = 0;
  std::string note;
  // When set, `at` may not lie more than kDefaultFutureToleranceS after it.
  std::optional<Timestamp> now;
};

struct StepRequest {
  std::string step;  // the step's code
  std::string actor;
  LedgerGrants actor_grants;
  Timestamp at = 0;
  LedgerFields fields;  // set or changed by the step; the step's `fields` must be among them
  std::string note;
  // Required by a step with assigns: true, refused by any other.
  std::string unit_code;
  std::string officer_id;
  std::optional<Timestamp> now;  // as NewLedgerItem::now
};

// The fields alone: every key a field of the type, every value valid, every
// required field present. Error::invalid("fields.<code>", ...).
Status validate_new_item(const LedgerDefinition& definition, const LedgerFields& fields);

// A new item in the initial state with its creating history entry.
// Error::permission_denied when the actor holds none of who_may_create;
// Error::invalid for a bad field, unit, officer, actor, note or time.
Result<LedgerItem> create_ledger_item(const LedgerDefinition& definition, const NewLedgerItem& request);

// The item after the step, its history one entry longer. Refusals:
//  - Error::conflict("step", ...) when the type has no such step or it is
//    not allowed from the current state; the message names the current
//    state and the allowed steps by code and Chinese label
//    ("... allowed steps: verify (验收), reject (退回整改)").
//  - Error::permission_denied naming the roles the step allows.
//  - Error::conflict("actor", ...) when the step verifies another and the
//    actor took that one: it names the step, the worker and the verifier.
//  - Error::invalid for a missing or invalid field, a missing (or unwanted)
//    unit and officer, a blank actor, a long note, a time before the last
//    step ("at") or too far ahead of `now`.
// An item whose type_code is not the definition's is Error::invalid("type").
Result<LedgerItem> apply_step(const LedgerDefinition& definition, const LedgerItem& item,
                              const StepRequest& request);

// The steps allowed in the item's current state, "verify (验收), reject (退回整改)"
// or "none (<state label> is final)".
std::string allowed_steps_text(const LedgerDefinition& definition, const std::string& state);

// The latest history entry of `step`, or null.
const LedgerHistoryEntry* last_entry_of(const LedgerItem& item, const std::string& step);

}  // namespace pingan
