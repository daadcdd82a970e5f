#pragma once
// The check of a resident identity card number (公民身份号码, GB 11643-1999):
// 18 characters, 17 digits and a check character (a digit or X) computed
// with ISO 7064 MOD 11-2. Catches a mistyped digit or two swapped ones at
// intake, before the number is sealed and can no longer be looked at.

#include <string_view>

#include "core/status.h"

namespace pingan {

// The check character ('0'..'9' or 'X') of the first 17 digits.
char id_number_check_char(std::string_view first17);

// OK for a well-formed number (a final lower-case x is accepted); otherwise
// Error::invalid(field, why): the length, a non-digit, or the check
// character that was expected.
Status check_id_number(std::string_view field, std::string_view id_number);

}  // namespace pingan
