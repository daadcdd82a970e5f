#pragma once
// A person the cases name (suspect, victim, witness, reporter) and the role
// they hold in one case. One person across cases is one record: the match
// key is the ID number's normal form (normalise_id_number() in
// personal_masks.h: trimmed, the X upper-cased), which the store keeps only
// as a keyed hash; the number, name, phone and address are personal data,
// sealed at rest and masked in lists as for incident reporters (issue 17).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/case_record.h"
#include "core/id_number_facts.h"
#include "core/status.h"
#include "core/time.h"

namespace pingan {

using PersonId = std::int64_t;

struct Person {
  PersonId id = 0;  // assigned by the store
  std::string name;
  // GB 11643, 18 characters; empty when nobody knows it (a victim who gave
  // none, a foreigner). Such a person is never merged with another.
  std::string id_number;
  std::string phone;
  std::string address;
  // Read from the ID number by validate_person(); empty without one.
  std::optional<CivilDate> birth_date;
  std::optional<Sex> sex;
};

// Checks a person and fills the derived fields: id_number is normalised,
// checked (GB 11643) and its birth date and sex copied into the record
// (values given by the caller are replaced: the number is the source).
// Errors name the field: "name", "id_number" (checksum, impossible date, a
// birth after `now`), "phone", "address".
Status validate_person(Person& person, Timestamp now);

// The key one person is matched on across cases: the normal form of the ID
// number, empty when the person has none (never matched).
std::string person_match_key(const Person& person);

// A person's role in one case. A person may hold several in the same case
// (in an affray each side is suspect and victim).
enum class PersonRole : std::uint8_t {
  kSuspect,   // 犯罪嫌疑人 / 违法嫌疑人
  kVictim,    // 被害人
  kWitness,   // 证人
  kReporter,  // 报案人
};

inline constexpr PersonRole kAllPersonRoles[] = {PersonRole::kSuspect, PersonRole::kVictim, PersonRole::kWitness,
                                                 PersonRole::kReporter};

const char* person_role_name(PersonRole r);     // "suspect"
const char* person_role_name_zh(PersonRole r);  // "犯罪嫌疑人"
Result<PersonRole> parse_person_role(std::string_view name, std::string_view field = "role");

// The link of a person to a case in a role, dated and attributed.
struct CaseParty {
  CaseId case_id = 0;
  PersonId person_id = 0;
  PersonRole role = PersonRole::kSuspect;
  Timestamp added_at = 0;
  std::string actor;
};

// case_id and person_id set (positive), actor named, added_at not in the
// future beyond the tolerance.
Status validate_case_party(const CaseParty& party, Timestamp now,
                           std::int64_t future_tolerance_s = kDefaultFutureToleranceS);

}  // namespace pingan
