#pragma once
// The values of a ledger item's fields and their check against the field's
// definition (core/ledger_definition.h). Which alternative a kind takes:
//   text, enum, date ("2024-06-01"), registry_ref, person  -> std::string
//   integer, count, money_fen, datetime (UTC seconds)      -> std::int64_t
//   point                                                  -> GeoPoint
//   people (a JSON list, core/ledger_people.h)             -> std::string

#include <cstdint>
#include <map>
#include <string>
#include <variant>

#include "core/geo.h"
#include "core/ledger_definition.h"
#include "core/status.h"

namespace pingan {

using LedgerValue = std::variant<std::string, std::int64_t, GeoPoint>;
// Field code -> value; ordered so that histories and digests are stable.
using LedgerFields = std::map<std::string, LedgerValue>;

// OK when `value` fits `field`: the right alternative for its kind, an
// enum's code among its values, a number within its bounds (a count and an
// amount never negative), a date a real calendar day, a point on the globe,
// text non-blank, valid UTF-8 and within max_chars. Else
// Error::invalid("fields.<code>", "<label> (<code>): why").
Status check_ledger_value(const LedgerField& field, const LedgerValue& value);

// Every key a field of `definition` and every value valid.
Status check_ledger_fields(const LedgerDefinition& definition, const LedgerFields& fields);

// For messages and histories: text as is, numbers in decimal, a point "lat,lon".
std::string ledger_value_text(const LedgerValue& value);

// Equal alternative and equal value (GeoPoint has no operator==).
bool same_ledger_value(const LedgerValue& a, const LedgerValue& b);

}  // namespace pingan
