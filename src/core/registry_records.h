#pragma once
// The records of the base registry (基础数字方舱, issue 21) and their
// stateless checks: places (场所), rental houses (出租房屋) and their
// tenancies, residents (户籍 and 流动人口) and enterprises (企业). Each is
// geocoded and held by a unit of the tree (a station or a community), so a
// map layer, a unit's statistics and an inspection all start from one record.
//
// People are not copied into these records: a landlord, a tenant or a
// resident is a Person (core/person.h) referenced by id, one record across
// the registry and the cases, whose name, ID number, phone and address the
// store seals at rest and lists mask (issue 12/17). A place's contact person
// and phone are personal data in the same sense: the store seals them like a
// reporter's.
//
// The validate_*() functions check what needs no state: required fields,
// lengths (core/text_limits.h), a plausible location, real and ordered
// dates, a known category. Whether the unit code names a unit of the tree
// and the person ids name persons is the engine's check (require_unit() in
// code_checks.h, the person store), made where the tree and the store are.
// Every error is Error::invalid naming the field ("tenants[2].to").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/geo.h"
#include "core/id_number_facts.h"
#include "core/person.h"
#include "core/place_categories.h"
#include "core/status.h"

namespace pingan {

// The range of dates a registry record may carry: older dates are typing
// errors, not history the registry holds.
inline constexpr int kMinRegistryYear = 1900;
inline constexpr int kMaxRegistryYear = 2200;
// Rooms let in one rental house (a 群租 dormitory has hundreds, never thousands).
inline constexpr int kMaxRentalRooms = 2000;

// A place the police know and, for key places, inspect.
struct Place {
  std::string code;      // the registry's own code of the place
  std::string name;      // "平安大酒店"
  std::string category;  // a code of data/registry/place_categories.csv
  std::string address;
  GeoPoint location;
  std::string unit_code;       // the station or community it lies in
  std::string licence_number;  // 许可证号 of a licensed trade; may be empty
  std::string contact_name;    // 负责人, personal data; may be empty
  std::string contact_phone;   // personal data; may be empty
  std::optional<CivilDate> opened;
  std::optional<CivilDate> closed;  // none while open
};

Status validate_place(const Place& place, const PlaceCategories& categories);

// One tenant's stay in a rental house.
struct Tenancy {
  PersonId person_id = 0;
  std::string room;  // "302"; may be empty for a whole-house letting
  CivilDate from;
  std::optional<CivilDate> to;  // none while the tenant lives there
};

struct RentalHouse {
  std::string code;
  std::string address;
  GeoPoint location;
  std::string unit_code;
  PersonId landlord_id = 0;  // 房东, a Person
  int rooms = 1;             // rooms let
  std::vector<Tenancy> tenants;
};

// Also: a tenant's stays in the same house do not overlap (one person is
// not let the house twice at once; a move between rooms ends one stay the
// day the next begins).
Status validate_rental_house(const RentalHouse& house);

enum class ResidentKind : std::uint8_t {
  kRegistered,  // 户籍人口, household-registered here
  kFloating,    // 流动人口, living here without household registration
};

const char* resident_kind_name(ResidentKind k);     // "registered", "floating"
const char* resident_kind_name_zh(ResidentKind k);  // "户籍", "流动"
Result<ResidentKind> parse_resident_kind(std::string_view name, std::string_view field = "kind");

struct Resident {
  PersonId person_id = 0;
  ResidentKind kind = ResidentKind::kRegistered;
  std::string address;     // where the person lives
  std::string house_code;  // the rental house, when the person rents one; else empty
  std::string unit_code;
  CivilDate registered;          // 登记日期
  std::optional<CivilDate> left;  // 注销/离开; none while living here
};

Status validate_resident(const Resident& resident);

struct Enterprise {
  std::string code;
  std::string name;
  std::string credit_code;  // 统一社会信用代码, GB 32100 (core/credit_code.h)
  std::string address;
  GeoPoint location;
  std::string unit_code;
};

Status validate_enterprise(const Enterprise& enterprise);

// Shared by the validators (and the camera's): a point inside the WGS84
// ranges that is not (0, 0), the "null island" an ungeocoded address gets.
Status check_geocoded(const GeoPoint& point, const std::string& field = "location");

// Error::invalid(field, ...) unless the date is a day of the calendar in
// kMinRegistryYear..kMaxRegistryYear.
Status check_registry_date(const CivilDate& date, std::string_view field);

// a < b, a == b or a > b as -1, 0, 1.
int compare_dates(const CivilDate& a, const CivilDate& b);

}  // namespace pingan
