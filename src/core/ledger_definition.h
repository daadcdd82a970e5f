#pragma once
// A ledger type (台账类型, issue 21) as data: one JSON file each under
// data/ledgers/ (docs/ledgers.md documents every key). A definition names
// the fields of a work item, its states, the steps between them and who may
// take each, the deadlines and their escalation, and the tallies summed by
// the analytics. One engine runs every type; adding a type is a new file.
//
// The parser is strict, because a bureau edits these files by hand and a
// mistake found at load is better than one found by an officer who cannot
// close a hazard: an unknown key, a repeated key or code, a step from or to
// an unknown state, a state no step reaches, a non-final state with no way
// out, a final state with one, a role that is not a name, a duration that is
// negative or malformed are refused. Every message starts with the file's
// name and the error's field is the JSON path at fault ("steps[2].to").
//
// Values, no I/O; safe to share between threads once built.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace pingan {

enum class LedgerFieldKind {
  kText,         // free text, at most max_chars characters
  kInteger,      // a whole number within min..max
  kCount,        // a whole number >= 0 (people, places, leaflets)
  kMoneyFen,     // an amount in fen (core/money.h)
  kDate,         // a calendar day, "2024-06-01"
  kDateTime,     // an instant, UTC seconds
  kEnum,         // one code of `values`
  kPoint,        // a WGS84 point
  kRegistryRef,  // the key of a record in a registry (a place, a house); `registry` names which
  kPerson,       // a person's name or badge
  kPeople,       // the people seen on a visit, name/phone/ID number each (core/ledger_people.h); always personal
};

const char* ledger_field_kind_name(LedgerFieldKind kind);  // "money_fen"

// How a personal field is masked when shown without personal.reveal
// (core/personal_masks.h); the store seals these fields.
// kPeople masks each person of a people field, and only such a field has it.
enum class LedgerMask { kName, kPhone, kIdNumber, kAddress, kPeople };
const char* ledger_mask_name(LedgerMask mask);  // "id_number"

struct LedgerChoice {
  std::string code;   // "neighbour"
  std::string label;  // "邻里纠纷"
};

struct LedgerField {
  std::string code;
  std::string label;
  LedgerFieldKind kind = LedgerFieldKind::kText;
  bool required = false;             // at creation
  std::vector<LedgerChoice> values;  // kEnum only, at least one
  std::optional<std::int64_t> min;   // kInteger, kCount, kMoneyFen
  std::optional<std::int64_t> max;
  std::size_t max_chars = 0;         // kText, kPerson, kRegistryRef: the limit (a default when not given)
  std::string registry;              // kRegistryRef: "place", "rental_house" ...
  std::optional<LedgerMask> personal;  // kPeople fields: always kPeople

  const LedgerChoice* choice(std::string_view code) const;
};

struct LedgerState {
  std::string code;
  std::string label;
  bool initial = false;  // exactly one state is
  bool final = false;    // at least one; no step leaves it
  // Tags an item in this state counts under ("found", "resolved", "closed");
  // core/ledger_rates.h counts them.
  std::vector<std::string> counts_as;
};

struct LedgerStep {
  std::string code;
  std::string label;
  std::vector<std::string> from;  // states it may be taken in
  std::string to;
  // Role or permission names, at least one; an actor holding any may take it.
  std::vector<std::string> who;
  std::vector<std::string> fields;  // fields the request must carry
  // The code of an earlier step: the actor must differ from that step's
  // latest actor (验收 by someone other than who 整改).
  std::string verifies;
  bool assigns = false;  // the request names a unit and an officer
  // The code of another ledger type: taking the step opens an item of that
  // type (an inspection's finding becomes a hazard). The engine does it;
  // the catalogue checks the type exists.
  std::string opens;
};

struct LedgerEscalation {
  std::string code;          // "supervise"
  std::string label;         // "督办"
  std::int64_t after_s = 0;  // how long past the due time
};

// A deadline runs from entering `start_state` (or taking `start_step`) until
// the item reaches one of `until` states.
struct LedgerDeadline {
  std::string code;
  std::string label;
  std::string start_state;  // exactly one of start_state and start_step
  std::string start_step;
  std::vector<std::string> until;
  std::int64_t due_s = 0;            // > 0
  std::int64_t remind_before_s = 0;  // 0: no reminder; less than due_s
  std::vector<LedgerEscalation> escalations;  // ascending after_s
};

class LedgerDefinition {
 public:
  // Parses one definition file's text; `source_name` (its file name) starts
  // every message. Errors are Error::invalid(json path, "<source>: why").
  static Result<LedgerDefinition> parse_json(std::string_view text, const std::string& source_name);

  const std::string& code() const { return code_; }
  const std::string& label() const { return label_; }
  int version() const { return version_; }
  const std::string& source_name() const { return source_name_; }
  const std::vector<std::string>& who_may_create() const { return who_may_create_; }
  const std::vector<LedgerField>& fields() const { return fields_; }
  const std::vector<LedgerState>& states() const { return states_; }
  const std::vector<LedgerStep>& steps() const { return steps_; }
  const std::vector<LedgerDeadline>& deadlines() const { return deadlines_; }
  const std::vector<std::string>& tallies() const { return tallies_; }

  const LedgerField* field(std::string_view code) const;
  const LedgerState* state(std::string_view code) const;
  const LedgerStep* step(std::string_view code) const;
  // Of a parsed definition (which always has one); not of a default-constructed one.
  const LedgerState& initial_state() const;
  // The steps that may be taken in `state`, in file order.
  std::vector<const LedgerStep*> steps_from(std::string_view state) const;

 private:
  friend class LedgerDefinitionReader;
  std::string code_, label_, source_name_;
  int version_ = 1;
  std::vector<std::string> who_may_create_;
  std::vector<LedgerField> fields_;
  std::vector<LedgerState> states_;
  std::vector<LedgerStep> steps_;
  std::vector<LedgerDeadline> deadlines_;
  std::vector<std::string> tallies_;
};

// "72h", "15d", "30m", "0": seconds, or an error naming `field`. Negative,
// fractional, unit-less (but 0) and overflowing durations are refused.
Result<std::int64_t> parse_ledger_duration(std::string_view text, const std::string& field);
// A role or permission name: lower-case letters, digits and '_', in parts
// joined by '.' ("community", "ledgers.write").
bool is_ledger_grant_name(std::string_view name);
// A code of a type, field, state, step, choice or tag: [a-z][a-z0-9_]*, at
// most 64 characters.
bool is_ledger_code(std::string_view code);

// The folder of ledger definitions inside a data folder.
inline constexpr const char* kLedgersDir = "ledgers";

}  // namespace pingan
