#include "json/registry_people_json.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>

#include "core/personal_masks.h"
#include "json/case_json.h"
#include "json/json_fields.h"
#include "json/registry_json.h"

namespace pingan {

namespace {

constexpr std::size_t kMaxBatch = 10'000;

// A whole number member within int's range; absent or null: none.
Status read_int(JsonObjectReader& in, std::string_view key, std::optional<std::int64_t>* out, std::int64_t min,
                std::int64_t max) {
  std::optional<double> v;
  PINGAN_RETURN_IF_ERROR(in.read_number(key, &v));
  if (!v) return {};
  if (std::trunc(*v) != *v || *v < double(min) || *v > double(max))
    return Error::invalid(in.field(key), fmt::format("{} is not a whole number from {} to {}", *v, min, max));
  *out = static_cast<std::int64_t>(*v);
  return {};
}

Result<GeoPoint> read_location(JsonObjectReader& in) {
  std::optional<double> lat, lon;
  PINGAN_RETURN_IF_ERROR(in.read_number("lat", &lat, true));
  PINGAN_RETURN_IF_ERROR(in.read_number("lon", &lon, true));
  return GeoPoint{*lat, *lon};
}

// A required member that is an object, read by `read` under "path.key".
template <typename Read>
auto read_object(JsonObjectReader& in, std::string_view key, Read&& read)
    -> decltype(read(std::declval<const nlohmann::json&>(), std::string())) {
  const nlohmann::json* value = in.member(key);
  if (!value) return Error::invalid(in.field(key), "is required");
  return read(*value, in.field(key));
}

// {"<name>": [rows]}: each row read by `read` with its own field names (the
// row's index is reported beside them), a row that does not parse refused.
template <typename Row, typename Read>
Result<RegistryBatch<Row>> read_batch(const nlohmann::json& body, const char* name, const char* what, Read&& read) {
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(body, ""));
  const nlohmann::json* rows = in.member(name);
  if (!rows || !rows->is_array()) return Error::invalid(name, fmt::format("an array of {} is required", what));
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  if (rows->empty()) return Error::invalid(name, fmt::format("at least one of the {}", what));
  if (rows->size() > kMaxBatch)
    return Error::invalid(name, fmt::format("{} {}; at most {} in one request", rows->size(), what, kMaxBatch));
  RegistryBatch<Row> batch;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    Result<Row> row = read((*rows)[i], std::string());
    if (row.ok()) {
      batch.records.push_back(std::move(*row));
      batch.rows.push_back(i);
    } else {
      batch.refused.push_back(RefusedRow{i, row.error()});
    }
  }
  return batch;
}

nlohmann::json text_or_null(const std::string& s) { return s.empty() ? nlohmann::json() : nlohmann::json(s); }

}  // namespace

Result<Enterprise> enterprise_from_json(const nlohmann::json& value, const std::string& path) {
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(value, path));
  Enterprise e;
  PINGAN_RETURN_IF_ERROR(in.read_string("code", &e.code, true));
  PINGAN_RETURN_IF_ERROR(in.read_string("name", &e.name, true));
  PINGAN_RETURN_IF_ERROR(in.read_string("credit_code", &e.credit_code, true));
  PINGAN_RETURN_IF_ERROR(in.read_string("address", &e.address, true));
  PINGAN_ASSIGN_OR_RETURN(e.location, read_location(in));
  PINGAN_RETURN_IF_ERROR(in.read_string("unit", &e.unit_code, true));
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  return e;
}

Result<RegistryBatch<Enterprise>> enterprise_batch_from_json(const nlohmann::json& body) {
  return read_batch<Enterprise>(body, "enterprises", "enterprises", enterprise_from_json);
}

Result<Person> registry_person_from_json(const nlohmann::json& value, const std::string& path) {
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(value, path));
  std::optional<std::int64_t> id;
  PINGAN_RETURN_IF_ERROR(read_int(in, "id", &id, 1, std::numeric_limits<std::int64_t>::max() / 2));
  if (!id) return person_from_json(value, path);
  // A stored person by id alone: a name beside it would be a second,
  // conflicting description of who this is.
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  Person p;
  p.id = *id;
  return p;
}

Result<RentalHouseEntry> rental_house_from_json(const nlohmann::json& value, const std::string& path) {
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(value, path));
  RentalHouseEntry e;
  RentalHouse& h = e.house;
  PINGAN_RETURN_IF_ERROR(in.read_string("code", &h.code, true));
  PINGAN_RETURN_IF_ERROR(in.read_string("address", &h.address, true));
  PINGAN_ASSIGN_OR_RETURN(h.location, read_location(in));
  PINGAN_RETURN_IF_ERROR(in.read_string("unit", &h.unit_code, true));
  std::optional<std::int64_t> rooms;
  PINGAN_RETURN_IF_ERROR(read_int(in, "rooms", &rooms, 1, kMaxRentalRooms));
  if (rooms) h.rooms = int(*rooms);
  PINGAN_ASSIGN_OR_RETURN(e.landlord, read_object(in, "landlord", registry_person_from_json));
  if (const nlohmann::json* tenants = in.member("tenants")) {
    if (!tenants->is_array())
      return Error::invalid(in.field("tenants"), fmt::format("an array of tenancies, got {}", json_type_name(*tenants)));
    for (std::size_t t = 0; t < tenants->size(); ++t) {
      PINGAN_ASSIGN_OR_RETURN(JsonObjectReader tin,
                              JsonObjectReader::open((*tenants)[t], fmt::format("{}[{}]", in.field("tenants"), t)));
      Tenancy tenancy;
      PINGAN_ASSIGN_OR_RETURN(Person person, read_object(tin, "person", registry_person_from_json));
      PINGAN_RETURN_IF_ERROR(tin.read_string("room", &tenancy.room));
      std::optional<CivilDate> from;
      PINGAN_RETURN_IF_ERROR(read_date_member(tin, "from", &from, true));
      tenancy.from = *from;
      PINGAN_RETURN_IF_ERROR(read_date_member(tin, "to", &tenancy.to));
      PINGAN_RETURN_IF_ERROR(tin.reject_unknown());
      h.tenants.push_back(std::move(tenancy));
      e.tenants.push_back(std::move(person));
    }
  }
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  return e;
}

Result<RegistryBatch<RentalHouseEntry>> rental_house_batch_from_json(const nlohmann::json& body) {
  return read_batch<RentalHouseEntry>(body, "rental_houses", "rental houses", rental_house_from_json);
}

Result<ResidentEntry> resident_from_json(const nlohmann::json& value, const std::string& path) {
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(value, path));
  ResidentEntry e;
  Resident& r = e.resident;
  PINGAN_ASSIGN_OR_RETURN(e.person, read_object(in, "person", registry_person_from_json));
  std::string kind;
  PINGAN_RETURN_IF_ERROR(in.read_string("kind", &kind));
  if (!kind.empty()) {
    PINGAN_ASSIGN_OR_RETURN(r.kind, parse_resident_kind(kind, in.field("kind")));
  }
  PINGAN_RETURN_IF_ERROR(in.read_string("address", &r.address, true));
  PINGAN_RETURN_IF_ERROR(in.read_string("house", &r.house_code));
  PINGAN_RETURN_IF_ERROR(in.read_string("unit", &r.unit_code, true));
  std::optional<CivilDate> registered;
  PINGAN_RETURN_IF_ERROR(read_date_member(in, "registered", &registered, true));
  r.registered = *registered;
  PINGAN_RETURN_IF_ERROR(read_date_member(in, "left", &r.left));
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  return e;
}

Result<RegistryBatch<ResidentEntry>> resident_batch_from_json(const nlohmann::json& body) {
  return read_batch<ResidentEntry>(body, "residents", "residents", resident_from_json);
}

nlohmann::json enterprise_to_json(const Enterprise& e) {
  return {{"code", e.code},       {"name", e.name},         {"credit_code", e.credit_code}, {"address", e.address},
          {"lat", e.location.lat}, {"lon", e.location.lon}, {"unit", e.unit_code}};
}

nlohmann::json registry_person_json(PersonId id, const PersonsById& persons, bool reveal) {
  auto it = persons.find(id);
  if (it == persons.end()) return {{"id", id}};
  const Person& p = it->second;
  if (!reveal) return person_masked_json(p);
  return {{"id", p.id},
          {"name", p.name},
          {"id_number", p.id_number},
          {"phone", p.phone},
          {"address", p.address},
          {"sex", p.sex ? nlohmann::json(sex_name(*p.sex)) : nlohmann::json()}};
}

nlohmann::json rental_house_to_json(const RentalHouse& h, const PersonsById& persons, bool reveal) {
  nlohmann::json tenants = nlohmann::json::array();
  for (const Tenancy& t : h.tenants)
    tenants.push_back({{"person", registry_person_json(t.person_id, persons, reveal)},
                       {"room", t.room},
                       {"from", format_date(t.from)},
                       {"to", date_or_null(t.to)}});
  return {{"code", h.code},
          {"address", h.address},
          {"lat", h.location.lat},
          {"lon", h.location.lon},
          {"unit", h.unit_code},
          {"rooms", h.rooms},
          {"landlord", registry_person_json(h.landlord_id, persons, reveal)},
          {"tenants", std::move(tenants)}};
}

nlohmann::json resident_to_json(const Resident& r, const PersonsById& persons, bool reveal) {
  return {{"person", registry_person_json(r.person_id, persons, reveal)},
          {"kind", resident_kind_name(r.kind)},
          {"kind_zh", resident_kind_name_zh(r.kind)},
          {"address", reveal ? r.address : mask_address(r.address)},
          {"house", text_or_null(r.house_code)},
          {"unit", r.unit_code},
          {"registered", format_date(r.registered)},
          {"left", date_or_null(r.left)}};
}

}  // namespace pingan
