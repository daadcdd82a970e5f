#include "core/ledger_people.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/id_number.h"
#include "core/personal_masks.h"
#include "core/text.h"
#include "core/text_limits.h"

namespace pingan {

Result<std::vector<LedgerPerson>> check_ledger_people(std::vector<LedgerPerson> people, const std::string& path) {
  if (people.size() > kMaxLedgerPeople)
    return Error::invalid(path, fmt::format("{} people; a visit records at most {}", people.size(), kMaxLedgerPeople));
  for (std::size_t i = 0; i < people.size(); ++i) {
    LedgerPerson& p = people[i];
    const std::string at = fmt::format("{}[{}]", path, i);
    p.name = std::string(trim(p.name));
    p.phone = std::string(trim(p.phone));
    p.id_number = std::string(trim(p.id_number));
    if (p.name.empty()) return Error::invalid(at + ".name", "is blank; every person seen has a name");
    PINGAN_RETURN_IF_ERROR(check_length(at + ".name", p.name, kMaxNameChars));
    PINGAN_RETURN_IF_ERROR(check_length(at + ".phone", p.phone, kMaxPhoneChars));
    if (!p.id_number.empty()) {
      PINGAN_RETURN_IF_ERROR(check_id_number(at + ".id_number", p.id_number));
      p.id_number = normalise_id_number(p.id_number);
    }
  }
  return people;
}

std::string ledger_people_text(const std::vector<LedgerPerson>& people) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const LedgerPerson& p : people) {
    nlohmann::ordered_json one = {{"name", p.name}};
    if (!p.phone.empty()) one["phone"] = p.phone;
    if (!p.id_number.empty()) one["id_number"] = p.id_number;
    out.push_back(std::move(one));
  }
  return out.dump();
}

Result<std::vector<LedgerPerson>> parse_ledger_people(std::string_view text, const std::string& path) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_array())
    return Error::invalid(path, "must be a JSON list of people [{\"name\", \"phone\", \"id_number\"}]");
  std::vector<LedgerPerson> people;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string at = fmt::format("{}[{}]", path, i);
    const nlohmann::json& one = j[i];
    if (!one.is_object()) return Error::invalid(at, "must be an object {\"name\", \"phone\", \"id_number\"}");
    LedgerPerson p;
    for (const auto& [key, value] : one.items()) {
      std::string* into = key == "name" ? &p.name : key == "phone" ? &p.phone : key == "id_number" ? &p.id_number : nullptr;
      if (!into) return Error::invalid(at + "." + key, "unknown member (name, phone, id_number)");
      if (!value.is_string()) return Error::invalid(at + "." + key, "must be a string");
      *into = value.get<std::string>();
    }
    people.push_back(std::move(p));
  }
  return check_ledger_people(std::move(people), path);
}

LedgerPerson masked_ledger_person(const LedgerPerson& person) {
  LedgerPerson out;
  out.name = mask_name(person.name);
  if (!person.phone.empty()) out.phone = mask_phone(person.phone);
  if (!person.id_number.empty()) out.id_number = mask_id_number(person.id_number);
  return out;
}

std::string ledger_people_display(std::string_view text, bool mask) {
  Result<std::vector<LedgerPerson>> people = parse_ledger_people(text, "people");
  if (!people.ok()) return mask ? "***" : std::string(text);
  std::string out;
  for (const LedgerPerson& person : *people) {
    const LedgerPerson p = mask ? masked_ledger_person(person) : person;
    if (!out.empty()) out += "；";
    out += p.name;
    if (!p.phone.empty()) out += " " + p.phone;
    if (!p.id_number.empty()) out += " " + p.id_number;
  }
  return out;
}

}  // namespace pingan
