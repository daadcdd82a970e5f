#include "core/id_number_facts.h"

#include <fmt/format.h>

#include "core/id_number.h"
#include "core/personal_masks.h"
#include "core/time.h"

namespace pingan {
namespace {

// Holders born before 1900 are no longer alive; such a date is a typing
// error that happens to pass the check character.
constexpr int kEarliestBirthYear = 1900;

int digits(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// The normal form of a number that passes its check, or the check's error.
Result<std::string> checked(std::string_view id_number, std::string_view field) {
  std::string id = normalise_id_number(id_number);
  PINGAN_RETURN_IF_ERROR(check_id_number(field, id));
  return id;
}

}  // namespace

std::string format_date(const CivilDate& d) { return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day); }

const char* sex_name(Sex s) { return s == Sex::kMale ? "male" : "female"; }
const char* sex_name_zh(Sex s) { return s == Sex::kMale ? "男" : "女"; }

Result<CivilDate> birth_date_of_id(std::string_view id_number, std::string_view field) {
  PINGAN_ASSIGN_OR_RETURN(std::string id, checked(id_number, field));
  CivilDate d{digits(id.substr(6, 4)), digits(id.substr(10, 2)), digits(id.substr(12, 2))};
  if (!is_valid_civil(CivilTime{d.year, d.month, d.day, 0, 0, 0}))
    return Error::invalid(std::string(field), fmt::format("the birth date {} in the ID number is not a day of the "
                                                          "calendar", id.substr(6, 8)));
  if (d.year < kEarliestBirthYear)
    return Error::invalid(std::string(field), fmt::format("the birth date {} in the ID number is before {}",
                                                          format_date(d), kEarliestBirthYear));
  return d;
}

Result<Sex> sex_of_id(std::string_view id_number, std::string_view field) {
  PINGAN_RETURN_IF_ERROR(birth_date_of_id(id_number, field));
  std::string id = normalise_id_number(id_number);
  return (id[16] - '0') % 2 == 1 ? Sex::kMale : Sex::kFemale;
}

}  // namespace pingan
