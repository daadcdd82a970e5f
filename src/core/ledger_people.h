#pragma once
// The value of a ledger field of kind `people` (core/ledger_definition.h):
// the people an officer saw on a visit (a rental-house check's tenants, a
// 云入户 visit's household), reconciled against the registry by
// engine/visit_reconciler.h. Kept as one LedgerValue string holding a
// canonical JSON array [{"name", "phone", "id_number"}, ...] so that every
// layer that carries ledger values (the store's sealing, histories, key
// rotation) carries it unchanged; the whole value is personal and sealed.
//
// Values, no I/O.

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace pingan {

struct LedgerPerson {
  std::string name;       // required, non-blank
  std::string phone;      // may be empty
  std::string id_number;  // may be empty; else a GB 11643 number, upper-case X
  bool operator==(const LedgerPerson&) const = default;
};

// At most this many people on one visit (a 群租 house of 100 is extreme).
inline constexpr std::size_t kMaxLedgerPeople = 200;

// Checks the people and puts them in their stored form: names and phones
// trimmed, the ID number normalised (normalise_id_number). Errors are
// Error::invalid("<path>[i].<member>", why): a blank or long name, a long
// phone, an ID number that fails GB 11643, more than kMaxLedgerPeople.
Result<std::vector<LedgerPerson>> check_ledger_people(std::vector<LedgerPerson> people, const std::string& path);

// The canonical JSON text of checked people (keys in the order name, phone,
// id_number; empty members left out).
std::string ledger_people_text(const std::vector<LedgerPerson>& people);

// The people a stored value holds; the JSON must be an array of objects with
// only string members name (required), phone and id_number, and the people
// must pass check_ledger_people. Error::invalid(path, why) otherwise.
Result<std::vector<LedgerPerson>> parse_ledger_people(std::string_view text, const std::string& path);

// Each person's name, phone and ID number masked (core/personal_masks.h).
LedgerPerson masked_ledger_person(const LedgerPerson& person);

// For a table cell or a message: "张三 13800001234 110101199001011234；李四",
// masked when `mask`. A value that does not parse is shown as "***" when
// masked (never the plain text), as is otherwise.
std::string ledger_people_display(std::string_view text, bool mask);

}  // namespace pingan
