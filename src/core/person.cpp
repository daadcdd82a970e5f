#include "core/person.h"

#include <fmt/format.h>

#include "core/personal_masks.h"
#include "core/text.h"
#include "core/text_limits.h"

namespace pingan {
namespace {

// The rule incidents apply to a reporter's phone: digits with the
// separators people type, at least 3 digits (110 is a phone number).
Status check_phone(std::string_view field, std::string_view phone) {
  int count = 0;
  for (char c : phone) {
    if (c >= '0' && c <= '9') ++count;
    else if (c != '+' && c != '-' && c != ' ')
      return Error::invalid(std::string(field), fmt::format("'{}' may hold only digits, +, - and spaces", phone));
  }
  if (count < 3) return Error::invalid(std::string(field), "needs at least 3 digits");
  return {};
}

}  // namespace

Status validate_person(Person& p, Timestamp now) {
  PINGAN_RETURN_IF_ERROR(check_length("name", p.name, kMaxNameChars));
  PINGAN_RETURN_IF_ERROR(check_length("phone", p.phone, kMaxPhoneChars));
  PINGAN_RETURN_IF_ERROR(check_length("address", p.address, kMaxAddressChars));
  if (trim(p.name).empty()) return Error::invalid("name", "a person needs a name");
  if (!p.phone.empty()) PINGAN_RETURN_IF_ERROR(check_phone("phone", p.phone));
  p.birth_date.reset();
  p.sex.reset();
  p.id_number = normalise_id_number(p.id_number);
  if (p.id_number.empty()) return {};
  PINGAN_RETURN_IF_ERROR(check_length("id_number", p.id_number, kMaxIdNumberChars));
  PINGAN_ASSIGN_OR_RETURN(CivilDate born, birth_date_of_id(p.id_number, "id_number"));
  PINGAN_ASSIGN_OR_RETURN(Sex sex, sex_of_id(p.id_number, "id_number"));
  // A day's slack: the date is a local one, `now` is UTC.
  if (civil_to_utc(CivilTime{born.year, born.month, born.day, 0, 0, 0}) > now + 86400)
    return Error::invalid("id_number", fmt::format("the birth date {} in the ID number is in the future",
                                                   format_date(born)));
  p.birth_date = born;
  p.sex = sex;
  return {};
}

std::string person_match_key(const Person& person) { return normalise_id_number(person.id_number); }

const char* person_role_name(PersonRole r) {
  switch (r) {
    case PersonRole::kSuspect: return "suspect";
    case PersonRole::kVictim: return "victim";
    case PersonRole::kWitness: return "witness";
    case PersonRole::kReporter: return "reporter";
  }
  return "suspect";
}

const char* person_role_name_zh(PersonRole r) {
  switch (r) {
    case PersonRole::kSuspect: return "犯罪嫌疑人";
    case PersonRole::kVictim: return "被害人";
    case PersonRole::kWitness: return "证人";
    case PersonRole::kReporter: return "报案人";
  }
  return "犯罪嫌疑人";
}

Result<PersonRole> parse_person_role(std::string_view name, std::string_view field) {
  for (PersonRole r : kAllPersonRoles)
    if (name == person_role_name(r)) return r;
  return Error::invalid(std::string(field),
                        fmt::format("unknown role '{}' (suspect, victim, witness, reporter)", name));
}

Status validate_case_party(const CaseParty& party, Timestamp now, std::int64_t future_tolerance_s) {
  if (party.case_id <= 0) return Error::invalid("case_id", "a role is held in a case");
  if (party.person_id <= 0) return Error::invalid("person_id", "a role is held by a person");
  PINGAN_RETURN_IF_ERROR(check_actor("actor", party.actor));
  return check_step_time("added_at", party.added_at, std::nullopt, now, future_tolerance_s);
}

}  // namespace pingan
