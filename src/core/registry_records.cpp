#include "core/registry_records.h"

#include <fmt/format.h>

#include <tuple>

#include "core/credit_code.h"
#include "core/text.h"
#include "core/text_limits.h"
#include "core/time.h"

namespace pingan {
namespace {

// The rule persons and incident reporters follow (person.cpp): digits with
// the separators people type, at least 3 digits.
Status check_phone(std::string_view field, std::string_view phone) {
  int digits = 0;
  for (char c : phone) {
    if (c >= '0' && c <= '9') ++digits;
    else if (c != '+' && c != '-' && c != ' ')
      return Error::invalid(std::string(field), fmt::format("'{}' may hold only digits, +, - and spaces", phone));
  }
  if (digits < 3) return Error::invalid(std::string(field), "needs at least 3 digits");
  return {};
}

// A required text: present (not only blanks) and within its limit.
Status check_required(std::string_view field, std::string_view text, std::size_t max_chars, const char* what) {
  PINGAN_RETURN_IF_ERROR(check_length(field, text, max_chars));
  if (trim(text).empty()) return Error::invalid(std::string(field), fmt::format("{} is required", what));
  return {};
}

// `to` (when set) not before `from`; both real dates.
Status check_date_pair(const CivilDate& from, std::string_view from_field, const std::optional<CivilDate>& to,
                       std::string_view to_field) {
  PINGAN_RETURN_IF_ERROR(check_registry_date(from, from_field));
  if (!to) return {};
  PINGAN_RETURN_IF_ERROR(check_registry_date(*to, to_field));
  if (compare_dates(*to, from) < 0)
    return Error::invalid(std::string(to_field), fmt::format("{} is before {} {}", format_date(*to), from_field,
                                                             format_date(from)));
  return {};
}

}  // namespace

int compare_dates(const CivilDate& a, const CivilDate& b) {
  auto ta = std::tie(a.year, a.month, a.day), tb = std::tie(b.year, b.month, b.day);
  return ta < tb ? -1 : (tb < ta ? 1 : 0);
}

Status check_registry_date(const CivilDate& d, std::string_view field) {
  if (!is_valid_civil(CivilTime{d.year, d.month, d.day, 0, 0, 0}))
    return Error::invalid(std::string(field), fmt::format("{:04}-{:02}-{:02} is not a day of the calendar", d.year,
                                                          d.month, d.day));
  if (d.year < kMinRegistryYear || d.year > kMaxRegistryYear)
    return Error::invalid(std::string(field), fmt::format("{} is outside the years {}..{}", format_date(d),
                                                          kMinRegistryYear, kMaxRegistryYear));
  return {};
}

Status check_geocoded(const GeoPoint& p, const std::string& field) {
  PINGAN_RETURN_IF_ERROR(validate_point(p, field));
  if (p.lat == 0 && p.lon == 0)
    return Error::invalid(field, "(0, 0) is where an address that was never geocoded lands; locate it first");
  return {};
}

Status validate_place(const Place& p, const PlaceCategories& categories) {
  PINGAN_RETURN_IF_ERROR(check_required("code", p.code, kMaxCodeChars, "a place's code"));
  PINGAN_RETURN_IF_ERROR(check_required("name", p.name, kMaxNameChars, "a place's name"));
  PINGAN_RETURN_IF_ERROR(check_place_category(categories, p.category, "category"));
  PINGAN_RETURN_IF_ERROR(check_required("address", p.address, kMaxAddressChars, "a place's address"));
  PINGAN_RETURN_IF_ERROR(check_geocoded(p.location));
  PINGAN_RETURN_IF_ERROR(check_required("unit_code", p.unit_code, kMaxCodeChars, "the unit holding the place"));
  PINGAN_RETURN_IF_ERROR(check_length("licence_number", p.licence_number, kMaxSourceRefChars));
  PINGAN_RETURN_IF_ERROR(check_length("contact_name", p.contact_name, kMaxNameChars));
  PINGAN_RETURN_IF_ERROR(check_length("contact_phone", p.contact_phone, kMaxPhoneChars));
  if (!p.contact_phone.empty()) PINGAN_RETURN_IF_ERROR(check_phone("contact_phone", p.contact_phone));
  if (p.opened) PINGAN_RETURN_IF_ERROR(check_registry_date(*p.opened, "opened"));
  if (p.closed) {
    PINGAN_RETURN_IF_ERROR(check_registry_date(*p.closed, "closed"));
    if (p.opened && compare_dates(*p.closed, *p.opened) < 0)
      return Error::invalid("closed", fmt::format("closed {} before it opened {}", format_date(*p.closed),
                                                  format_date(*p.opened)));
  }
  return {};
}

Status validate_rental_house(const RentalHouse& h) {
  PINGAN_RETURN_IF_ERROR(check_required("code", h.code, kMaxCodeChars, "a rental house's code"));
  PINGAN_RETURN_IF_ERROR(check_required("address", h.address, kMaxAddressChars, "a rental house's address"));
  PINGAN_RETURN_IF_ERROR(check_geocoded(h.location));
  PINGAN_RETURN_IF_ERROR(check_required("unit_code", h.unit_code, kMaxCodeChars, "the unit holding the house"));
  if (h.landlord_id <= 0) return Error::invalid("landlord_id", "a rental house names its landlord (a person)");
  if (h.rooms < 1 || h.rooms > kMaxRentalRooms)
    return Error::invalid("rooms", fmt::format("{} rooms; a house lets 1..{}", h.rooms, kMaxRentalRooms));
  for (std::size_t i = 0; i < h.tenants.size(); ++i) {
    const Tenancy& t = h.tenants[i];
    const std::string at = fmt::format("tenants[{}]", i);
    if (t.person_id <= 0) return Error::invalid(at + ".person_id", "a tenancy names its tenant (a person)");
    if (t.person_id == h.landlord_id)
      return Error::invalid(at + ".person_id", "the landlord is not a tenant of their own house");
    PINGAN_RETURN_IF_ERROR(check_length(at + ".room", t.room, kMaxCodeChars));
    PINGAN_RETURN_IF_ERROR(check_date_pair(t.from, at + ".from", t.to, at + ".to"));
    // Stays of one person overlap when each begins before the other ends
    // (an open stay never ends; a stay ending the day the next begins does
    // not overlap it).
    for (std::size_t j = 0; j < i; ++j) {
      const Tenancy& o = h.tenants[j];
      if (o.person_id != t.person_id) continue;
      bool t_before_o_ends = !o.to || compare_dates(t.from, *o.to) < 0;
      bool o_before_t_ends = !t.to || compare_dates(o.from, *t.to) < 0;
      if (t_before_o_ends && o_before_t_ends)
        return Error::invalid(at + ".from", fmt::format("person {} already rents here from {} (tenants[{}])",
                                                        t.person_id, format_date(o.from), j));
    }
  }
  return {};
}

const char* resident_kind_name(ResidentKind k) {
  return k == ResidentKind::kRegistered ? "registered" : "floating";
}

const char* resident_kind_name_zh(ResidentKind k) { return k == ResidentKind::kRegistered ? "户籍" : "流动"; }

Result<ResidentKind> parse_resident_kind(std::string_view name, std::string_view field) {
  if (name == "registered") return ResidentKind::kRegistered;
  if (name == "floating") return ResidentKind::kFloating;
  return Error::invalid(std::string(field), fmt::format("unknown resident kind '{}' (registered, floating)", name));
}

Status validate_resident(const Resident& r) {
  if (r.person_id <= 0) return Error::invalid("person_id", "a resident is a person");
  PINGAN_RETURN_IF_ERROR(check_required("address", r.address, kMaxAddressChars, "a resident's address"));
  PINGAN_RETURN_IF_ERROR(check_length("house_code", r.house_code, kMaxCodeChars));
  PINGAN_RETURN_IF_ERROR(check_required("unit_code", r.unit_code, kMaxCodeChars, "the unit a resident lives in"));
  return check_date_pair(r.registered, "registered", r.left, "left");
}

Status validate_enterprise(const Enterprise& e) {
  PINGAN_RETURN_IF_ERROR(check_required("code", e.code, kMaxCodeChars, "an enterprise's code"));
  PINGAN_RETURN_IF_ERROR(check_required("name", e.name, kMaxNameChars, "an enterprise's name"));
  PINGAN_RETURN_IF_ERROR(check_credit_code("credit_code", e.credit_code));
  PINGAN_RETURN_IF_ERROR(check_required("address", e.address, kMaxAddressChars, "an enterprise's address"));
  PINGAN_RETURN_IF_ERROR(check_geocoded(e.location));
  return check_required("unit_code", e.unit_code, kMaxCodeChars, "the unit holding the enterprise");
}

}  // namespace pingan
