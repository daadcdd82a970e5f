#pragma once
// What a resident identity card number (GB 11643) says about its holder:
// digits 7-14 are the birth date (YYYYMMDD), digit 17 is odd for a man and
// even for a woman. Both read only a number that passes check_id_number()
// (id_number.h): a date read from a mistyped number would be silently wrong.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace pingan {

// A calendar day with no time and no zone (a birth date).
struct CivilDate {
  int year = 1970, month = 1, day = 1;
  bool operator==(const CivilDate&) const = default;
};

std::string format_date(const CivilDate& d);  // "1990-01-01"

enum class Sex : std::uint8_t { kMale, kFemale };
const char* sex_name(Sex s);     // "male", "female"
const char* sex_name_zh(Sex s);  // "男", "女"

// The birth date in the number (spaces around it and a lower-case x allowed,
// as normalise_id_number() reads them). Error::invalid(field, ...) when the
// number fails its check, or its date is not a day of the calendar
// ("19990230", 29 February of a year that is not a leap year) or lies
// before 1900.
Result<CivilDate> birth_date_of_id(std::string_view id_number, std::string_view field = "id_number");

// The sex in the number; the same errors as birth_date_of_id().
Result<Sex> sex_of_id(std::string_view id_number, std::string_view field = "id_number");

}  // namespace pingan
