#pragma once
// What the two dialects' registry stores share (store/registry_store.h):
// each record as a row of values in its table's column order and back,
// personal fields sealed and opened, and whether two records are the same
// (an upsert of an equal record writes nothing). The dialects only move
// rows (sqlite/sqlite_registry_store.cpp, postgres/pg_registry_store.cpp),
// so a column is added here once. Internal to store/.
//
// Tables of migration 15 (docs/schema.md). Dates are 'YYYY-MM-DD' text,
// enums their names (camera_status_name() ...): a name this build does not
// know is a damaged row, reported naming the record.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/camera.h"
#include "core/registry_records.h"
#include "core/status.h"
#include "store/personal_fields.h"

namespace pingan::registry_rows {

// The associated data of the registry's sealed columns: a token moved to
// another column does not open.
inline constexpr std::string_view kPlaceContactNameContext = "places.contact_name";
inline constexpr std::string_view kPlaceContactPhoneContext = "places.contact_phone";
inline constexpr std::string_view kResidentAddressContext = "residents.address";

// A column's value: NULL, an integer, a real or text.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;
using Row = std::vector<Value>;

// A table's columns after `id`, in the order of its rows; `kinds` one
// letter per column (t text, i integer, d real) for dialects that read
// text (PostgreSQL). `key` is the column an upsert matches on.
struct Table {
  std::string_view name;     // "cameras"
  std::string_view what;     // "camera": errors name the row with it
  std::string_view key;      // "code"
  std::string_view columns;  // "code, name, ..."
  std::string_view kinds;    // "ttdd..."
};

inline constexpr Table kCameras{"cameras", "camera", "code",
                                "code, name, lat, lon, direction_deg, field_of_view_deg, owner_kind, owner_name, "
                                "unit_code, stream_url, status",
                                "ttddddttttt"};
inline constexpr Table kPlaces{"places", "place", "code",
                               "code, name, category, address, lat, lon, unit_code, licence_number, contact_name, "
                               "contact_phone, opened_on, closed_on, personal_key",
                               "ttttddttttttt"};
inline constexpr Table kEnterprises{"enterprises", "enterprise", "code",
                                    "code, name, credit_code, address, lat, lon, unit_code", "ttttddt"};
inline constexpr Table kRentalHouses{"rental_houses", "rental house", "code",
                                     "code, address, lat, lon, unit_code, landlord_id, rooms", "ttddtii"};
// A house's tenancies, by (house_id, seq); these columns follow those two.
inline constexpr Table kTenancies{"rental_tenancies", "tenancy", "house_id", "person_id, room, from_date, to_date",
                                  "ittt"};
inline constexpr Table kResidents{"residents", "resident", "person_id",
                                  "person_id, kind, address, house_code, unit_code, registered_on, left_on, "
                                  "personal_key",
                                  "ittttttt"};

// The columns' names of `columns` ("a, b") one by one.
std::vector<std::string_view> column_names(std::string_view columns);

// ---- records to rows and back (rows without id) ----
Row camera_row(const Camera& c);
Result<Camera> camera_of(const Row& r);
Result<Row> place_row(const Place& p, const stored::PersonalFields& fields);
Result<Place> place_of(const Row& r, const stored::PersonalFields& fields);
Row enterprise_row(const Enterprise& e);
Result<Enterprise> enterprise_of(const Row& r);
Row rental_house_row(const RentalHouse& h);  // without its tenancies
Result<RentalHouse> rental_house_of(const Row& r);
Row tenancy_row(const Tenancy& t);
Result<Tenancy> tenancy_of(const Row& r);
Result<Row> resident_row(const Resident& r, const stored::PersonalFields& fields);
Result<Resident> resident_of(const Row& r, const stored::PersonalFields& fields);

// The key value of a record, as its table's `key` column holds it.
Value key_of(const Camera& c);
Value key_of(const Place& p);
Value key_of(const Enterprise& e);
Value key_of(const RentalHouse& h);
Value key_of(const Resident& r);

// Whether a record equals the stored one (every field, a house's tenancies
// in order): an upsert then writes nothing.
bool same(const Camera& a, const Camera& b);
bool same(const Place& a, const Place& b);
bool same(const Enterprise& a, const Enterprise& b);
bool same(const RentalHouse& a, const RentalHouse& b);
bool same(const Resident& a, const Resident& b);

// One record kind's table, row and record, for the dialects' templates.
template <typename Record>
struct Codec;
template <>
struct Codec<Camera> {
  static constexpr const Table& table = kCameras;
  static Result<Row> row(const Camera& c, const stored::PersonalFields&) { return camera_row(c); }
  static Result<Camera> of(const Row& r, const stored::PersonalFields&) { return camera_of(r); }
};
template <>
struct Codec<Place> {
  static constexpr const Table& table = kPlaces;
  static Result<Row> row(const Place& p, const stored::PersonalFields& f) { return place_row(p, f); }
  static Result<Place> of(const Row& r, const stored::PersonalFields& f) { return place_of(r, f); }
};
template <>
struct Codec<Enterprise> {
  static constexpr const Table& table = kEnterprises;
  static Result<Row> row(const Enterprise& e, const stored::PersonalFields&) { return enterprise_row(e); }
  static Result<Enterprise> of(const Row& r, const stored::PersonalFields&) { return enterprise_of(r); }
};
template <>
struct Codec<RentalHouse> {  // the house's own row: its tenancies are the dialect's second table
  static constexpr const Table& table = kRentalHouses;
  static Result<Row> row(const RentalHouse& h, const stored::PersonalFields&) { return rental_house_row(h); }
  static Result<RentalHouse> of(const Row& r, const stored::PersonalFields&) { return rental_house_of(r); }
};
template <>
struct Codec<Resident> {
  static constexpr const Table& table = kResidents;
  static Result<Row> row(const Resident& r, const stored::PersonalFields& f) { return resident_row(r, f); }
  static Result<Resident> of(const Row& r, const stored::PersonalFields& f) { return resident_of(r, f); }
};

// A key of the previous page (RegistryFilter::after) as its column holds
// it: text for codes, a person id for residents (Error::invalid("after")
// when not a number).
Result<Value> after_key(const Table& table, const std::string& after);

}  // namespace pingan::registry_rows
