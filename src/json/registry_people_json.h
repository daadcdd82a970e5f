#pragma once
// Enterprises, rental houses with their tenants, and residents of the base
// registry as JSON (issue 21; docs/api.md "Registry and cameras"). Requests
// are read strictly, one row at a time, every error naming the row's field
// ("tenants[0].person.id_number"; the route prefixes "rental_houses[3].").
// Answers carry the persons a record names: masked (core/personal_masks.h)
// as every list shows personal data, in plain text only for a caller who
// may reveal it (the route decides and audits).
//
// A person in a request is either {"id": n}, a person already stored (as a
// list answers them: masked, by id), or {"name", "id_number", "phone"?,
// "address"?}, saved or matched by ID number (engine/registry_records.h).

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

#include "core/person.h"
#include "core/registry_records.h"
#include "core/status.h"
#include "engine/registry_records.h"

namespace pingan {

// The rows of a batch request that parsed, each with its index in the
// request, and those that did not (by index, nothing written: the engine
// sees the parsed rows only when every row parsed).
template <typename Row>
struct RegistryBatch {
  std::vector<Row> records;
  std::vector<std::size_t> rows;    // by record: its index in the request
  std::vector<RefusedRow> refused;  // the rows that did not parse
};

// ---- requests ----
// {"code", "name", "credit_code", "address", "lat", "lon", "unit"}.
Result<Enterprise> enterprise_from_json(const nlohmann::json& value, const std::string& path);
// POST /api/enterprises: {"enterprises": [...]}.
Result<RegistryBatch<Enterprise>> enterprise_batch_from_json(const nlohmann::json& body);

// A person as described above; `path` prefixes field names ("landlord").
Result<Person> registry_person_from_json(const nlohmann::json& value, const std::string& path);

// {"code", "address", "lat", "lon", "unit", "rooms"?, "landlord": person,
// "tenants"?: [{"person": person, "room"?, "from", "to"?}]} (dates YYYY-MM-DD).
Result<RentalHouseEntry> rental_house_from_json(const nlohmann::json& value, const std::string& path);
// POST /api/rental-houses: {"rental_houses": [...]}.
Result<RegistryBatch<RentalHouseEntry>> rental_house_batch_from_json(const nlohmann::json& body);

// {"person": person, "kind"? ("registered" | "floating", default
// registered), "address", "house"?, "unit", "registered", "left"?}.
Result<ResidentEntry> resident_from_json(const nlohmann::json& value, const std::string& path);
// POST /api/residents: {"residents": [...]}.
Result<RegistryBatch<ResidentEntry>> resident_batch_from_json(const nlohmann::json& body);

// ---- answers ----
nlohmann::json enterprise_to_json(const Enterprise& e);

// The persons a page names, by id.
using PersonsById = std::map<PersonId, Person>;

// {"id", "name", "id_number", "phone", "address", "sex"}: masked unless
// `reveal`; {"id"} alone for a person not in `persons`.
nlohmann::json registry_person_json(PersonId id, const PersonsById& persons, bool reveal);
// The house with its landlord and tenants (persons as above).
nlohmann::json rental_house_to_json(const RentalHouse& h, const PersonsById& persons, bool reveal);
// The resident with their person; the address (where the person lives) is
// personal data, masked unless `reveal`.
nlohmann::json resident_to_json(const Resident& r, const PersonsById& persons, bool reveal);

}  // namespace pingan
