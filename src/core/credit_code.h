#pragma once
// The check of a unified social credit code (统一社会信用代码, GB 32100-2015)
// that every enterprise, institution and association in China is issued: 18
// characters of the 31-character set 0-9 and A-Y without I, O, Z, S and V —
// the registration authority (1), the kind of body (1), the region (6
// digits), the organisation code (9) and a check character computed modulo
// 31 with the weights 3^(i-1) mod 31. Catches a mistyped or swapped
// character when an enterprise is registered, as check_id_number() does for
// persons.

#include <optional>
#include <string_view>

#include "core/status.h"

namespace pingan {

// The check character of the first 17 characters, or nothing when one of
// them is outside the code's character set.
std::optional<char> credit_code_check_char(std::string_view first17);

// OK for a well-formed code (upper case: the standard writes no lower-case
// letters, and a code is copied, not retyped); otherwise
// Error::invalid(field, why): the length, a character outside the set
// (naming it and its position), a region that is not 6 digits, or the check
// character that was expected.
Status check_credit_code(std::string_view field, std::string_view code);

}  // namespace pingan
