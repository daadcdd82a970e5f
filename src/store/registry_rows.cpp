#include "store/registry_rows.h"

#include <fmt/format.h>

#include <charconv>

#include "store/registry_store.h"

namespace pingan {

const char* registry_write_name(RegistryWrite w) {
  switch (w) {
    case RegistryWrite::kCreated: return "created";
    case RegistryWrite::kUpdated: return "updated";
    case RegistryWrite::kUnchanged: return "unchanged";
  }
  return "unchanged";
}

namespace registry_rows {
namespace {

Value text(const std::string& s) { return s; }
Value text_or_null(const std::string& s) { return s.empty() ? Value{} : Value{s}; }
Value real_or_null(const std::optional<double>& d) { return d ? Value{*d} : Value{}; }
Value date_or_null(const std::optional<CivilDate>& d) { return d ? Value{format_date(*d)} : Value{}; }

// Reading a row: a damaged row is an error naming the record and column.
class Reader {
 public:
  Reader(const Row& row, const Table& table) : row_(row), table_(table), names_(column_names(table.columns)) {}

  Status check_width() const {
    if (row_.size() != names_.size())
      return Error::internal(fmt::format("a {} row has {} columns, not {}", table_.what, row_.size(), names_.size()));
    return {};
  }
  std::string text(std::size_t i) const {
    if (const auto* s = std::get_if<std::string>(&row_[i])) return *s;
    return {};
  }
  Result<double> real(std::size_t i) const {
    if (const auto* d = std::get_if<double>(&row_[i])) return *d;
    if (const auto* n = std::get_if<std::int64_t>(&row_[i])) return static_cast<double>(*n);
    return damaged(i, "no number");
  }
  Result<std::optional<double>> real_or_none(std::size_t i) const {
    if (std::holds_alternative<std::monostate>(row_[i])) return std::optional<double>();
    PINGAN_ASSIGN_OR_RETURN(double d, real(i));
    return std::optional<double>(d);
  }
  Result<std::int64_t> integer(std::size_t i) const {
    if (const auto* n = std::get_if<std::int64_t>(&row_[i])) return *n;
    return damaged(i, "no integer");
  }
  Result<std::optional<CivilDate>> date_or_none(std::size_t i) const {
    const std::string s = text(i);
    if (s.empty()) return std::optional<CivilDate>();
    CivilDate d;
    const char* p = s.data();
    const char* end = s.data() + s.size();
    auto part = [&](int& out, std::size_t digits) {
      if (static_cast<std::size_t>(end - p) < digits) return false;
      auto [next, ec] = std::from_chars(p, p + digits, out);
      if (ec != std::errc() || next != p + digits) return false;
      p = next;
      return true;
    };
    const bool ok = s.size() == 10 && part(d.year, 4) && *p++ == '-' && part(d.month, 2) && *p++ == '-' &&
                    part(d.day, 2);
    if (!ok) return damaged(i, fmt::format("'{}' is no date", s));
    return std::optional<CivilDate>(d);
  }
  Result<CivilDate> date(std::size_t i) const {
    PINGAN_ASSIGN_OR_RETURN(std::optional<CivilDate> d, date_or_none(i));
    if (!d) return damaged(i, "no date");
    return *d;
  }
  Error damaged(std::size_t i, const std::string& why) const {
    return Error::internal(
        fmt::format("damaged {} row '{}': column {}: {}", table_.what, key_text(), names_[i], why));
  }

 private:
  std::string key_text() const {
    if (row_.empty()) return "?";
    if (const auto* s = std::get_if<std::string>(&row_[0])) return *s;
    if (const auto* n = std::get_if<std::int64_t>(&row_[0])) return std::to_string(*n);
    return "?";
  }
  const Row& row_;
  const Table& table_;
  std::vector<std::string_view> names_;
};

// An enum's name read back; a name this build does not know is damage.
template <typename T>
Result<T> parse_enum(const Reader& in, std::size_t i, Result<T> (*parse)(std::string_view, std::string_view)) {
  Result<T> v = parse(in.text(i), "");
  if (!v.ok()) return in.damaged(i, v.error().message);
  return v;
}

Result<std::string> seal(const stored::PersonalFields& fields, const std::string& plain, std::string_view context) {
  if (plain.empty()) return std::string();
  return fields.seal_text(plain, context);
}

Result<std::string> open(const stored::PersonalFields& fields, const Reader& in, std::size_t i,
                         std::string_view context, const std::string& what) {
  return fields.open_text(in.text(i), context, what);
}

bool same_point(const GeoPoint& a, const GeoPoint& b) { return a.lat == b.lat && a.lon == b.lon; }

}  // namespace

std::vector<std::string_view> column_names(std::string_view columns) {
  std::vector<std::string_view> out;
  while (!columns.empty()) {
    const std::size_t comma = columns.find(',');
    std::string_view col = columns.substr(0, comma);
    while (!col.empty() && col.front() == ' ') col.remove_prefix(1);
    out.push_back(col);
    columns = comma == std::string_view::npos ? std::string_view{} : columns.substr(comma + 1);
  }
  return out;
}

// ---- cameras ----

Row camera_row(const Camera& c) {
  return {text(c.code),
          text(c.name),
          Value{c.location.lat},
          Value{c.location.lon},
          real_or_null(c.direction_deg),
          real_or_null(c.field_of_view_deg),
          Value{std::string(camera_owner_kind_name(c.owner_kind))},
          text(c.owner_name),
          text(c.unit_code),
          text(c.stream_url),
          Value{std::string(camera_status_name(c.status))}};
}

Result<Camera> camera_of(const Row& r) {
  Reader in(r, kCameras);
  PINGAN_RETURN_IF_ERROR(in.check_width());
  Camera c;
  c.code = in.text(0);
  c.name = in.text(1);
  PINGAN_ASSIGN_OR_RETURN(c.location.lat, in.real(2));
  PINGAN_ASSIGN_OR_RETURN(c.location.lon, in.real(3));
  PINGAN_ASSIGN_OR_RETURN(c.direction_deg, in.real_or_none(4));
  PINGAN_ASSIGN_OR_RETURN(c.field_of_view_deg, in.real_or_none(5));
  PINGAN_ASSIGN_OR_RETURN(c.owner_kind, parse_enum(in, 6, &parse_camera_owner_kind));
  c.owner_name = in.text(7);
  c.unit_code = in.text(8);
  c.stream_url = in.text(9);
  PINGAN_ASSIGN_OR_RETURN(c.status, parse_enum(in, 10, &parse_camera_status));
  return c;
}

Value key_of(const Camera& c) { return c.code; }

bool same(const Camera& a, const Camera& b) {
  return a.code == b.code && a.name == b.name && same_point(a.location, b.location) &&
         a.direction_deg == b.direction_deg && a.field_of_view_deg == b.field_of_view_deg &&
         a.owner_kind == b.owner_kind && a.owner_name == b.owner_name && a.unit_code == b.unit_code &&
         a.stream_url == b.stream_url && a.status == b.status;
}

// ---- places ----

Result<Row> place_row(const Place& p, const stored::PersonalFields& fields) {
  PINGAN_ASSIGN_OR_RETURN(std::string name, seal(fields, p.contact_name, kPlaceContactNameContext));
  PINGAN_ASSIGN_OR_RETURN(std::string phone, seal(fields, p.contact_phone, kPlaceContactPhoneContext));
  const bool personal = !name.empty() || !phone.empty();
  return Row{text(p.code),
             text(p.name),
             text(p.category),
             text(p.address),
             Value{p.location.lat},
             Value{p.location.lon},
             text(p.unit_code),
             text(p.licence_number),
             text_or_null(name),
             text_or_null(phone),
             date_or_null(p.opened),
             date_or_null(p.closed),
             personal ? Value{fields.active_key()} : Value{}};
}

Result<Place> place_of(const Row& r, const stored::PersonalFields& fields) {
  Reader in(r, kPlaces);
  PINGAN_RETURN_IF_ERROR(in.check_width());
  Place p;
  p.code = in.text(0);
  p.name = in.text(1);
  p.category = in.text(2);
  p.address = in.text(3);
  PINGAN_ASSIGN_OR_RETURN(p.location.lat, in.real(4));
  PINGAN_ASSIGN_OR_RETURN(p.location.lon, in.real(5));
  p.unit_code = in.text(6);
  p.licence_number = in.text(7);
  const std::string what = fmt::format("place {}", p.code);
  PINGAN_ASSIGN_OR_RETURN(p.contact_name, open(fields, in, 8, kPlaceContactNameContext, what));
  PINGAN_ASSIGN_OR_RETURN(p.contact_phone, open(fields, in, 9, kPlaceContactPhoneContext, what));
  PINGAN_ASSIGN_OR_RETURN(p.opened, in.date_or_none(10));
  PINGAN_ASSIGN_OR_RETURN(p.closed, in.date_or_none(11));
  return p;
}

Value key_of(const Place& p) { return p.code; }

bool same(const Place& a, const Place& b) {
  return a.code == b.code && a.name == b.name && a.category == b.category && a.address == b.address &&
         same_point(a.location, b.location) && a.unit_code == b.unit_code && a.licence_number == b.licence_number &&
         a.contact_name == b.contact_name && a.contact_phone == b.contact_phone && a.opened == b.opened &&
         a.closed == b.closed;
}

// ---- enterprises ----

Row enterprise_row(const Enterprise& e) {
  return {text(e.code),         text(e.name),         text(e.credit_code), text(e.address),
          Value{e.location.lat}, Value{e.location.lon}, text(e.unit_code)};
}

Result<Enterprise> enterprise_of(const Row& r) {
  Reader in(r, kEnterprises);
  PINGAN_RETURN_IF_ERROR(in.check_width());
  Enterprise e;
  e.code = in.text(0);
  e.name = in.text(1);
  e.credit_code = in.text(2);
  e.address = in.text(3);
  PINGAN_ASSIGN_OR_RETURN(e.location.lat, in.real(4));
  PINGAN_ASSIGN_OR_RETURN(e.location.lon, in.real(5));
  e.unit_code = in.text(6);
  return e;
}

Value key_of(const Enterprise& e) { return e.code; }

bool same(const Enterprise& a, const Enterprise& b) {
  return a.code == b.code && a.name == b.name && a.credit_code == b.credit_code && a.address == b.address &&
         same_point(a.location, b.location) && a.unit_code == b.unit_code;
}

// ---- rental houses and tenancies ----

Row rental_house_row(const RentalHouse& h) {
  return {text(h.code),      text(h.address), Value{h.location.lat}, Value{h.location.lon}, text(h.unit_code),
          Value{std::int64_t(h.landlord_id)}, Value{std::int64_t(h.rooms)}};
}

Result<RentalHouse> rental_house_of(const Row& r) {
  Reader in(r, kRentalHouses);
  PINGAN_RETURN_IF_ERROR(in.check_width());
  RentalHouse h;
  h.code = in.text(0);
  h.address = in.text(1);
  PINGAN_ASSIGN_OR_RETURN(h.location.lat, in.real(2));
  PINGAN_ASSIGN_OR_RETURN(h.location.lon, in.real(3));
  h.unit_code = in.text(4);
  PINGAN_ASSIGN_OR_RETURN(h.landlord_id, in.integer(5));
  PINGAN_ASSIGN_OR_RETURN(std::int64_t rooms, in.integer(6));
  h.rooms = static_cast<int>(rooms);
  return h;
}

Row tenancy_row(const Tenancy& t) {
  return {Value{std::int64_t(t.person_id)}, text(t.room), Value{format_date(t.from)}, date_or_null(t.to)};
}

Result<Tenancy> tenancy_of(const Row& r) {
  Reader in(r, kTenancies);
  PINGAN_RETURN_IF_ERROR(in.check_width());
  Tenancy t;
  PINGAN_ASSIGN_OR_RETURN(t.person_id, in.integer(0));
  t.room = in.text(1);
  PINGAN_ASSIGN_OR_RETURN(t.from, in.date(2));
  PINGAN_ASSIGN_OR_RETURN(t.to, in.date_or_none(3));
  return t;
}

Value key_of(const RentalHouse& h) { return h.code; }

bool same(const RentalHouse& a, const RentalHouse& b) {
  if (!(a.code == b.code && a.address == b.address && same_point(a.location, b.location) &&
        a.unit_code == b.unit_code && a.landlord_id == b.landlord_id && a.rooms == b.rooms &&
        a.tenants.size() == b.tenants.size()))
    return false;
  for (std::size_t i = 0; i < a.tenants.size(); ++i) {
    const Tenancy& x = a.tenants[i];
    const Tenancy& y = b.tenants[i];
    if (!(x.person_id == y.person_id && x.room == y.room && x.from == y.from && x.to == y.to)) return false;
  }
  return true;
}

// ---- residents ----

Result<Row> resident_row(const Resident& r, const stored::PersonalFields& fields) {
  PINGAN_ASSIGN_OR_RETURN(std::string address, seal(fields, r.address, kResidentAddressContext));
  return Row{Value{std::int64_t(r.person_id)},
             Value{std::string(resident_kind_name(r.kind))},
             text_or_null(address),
             text(r.house_code),
             text(r.unit_code),
             Value{format_date(r.registered)},
             date_or_null(r.left),
             address.empty() ? Value{} : Value{fields.active_key()}};
}

Result<Resident> resident_of(const Row& r, const stored::PersonalFields& fields) {
  Reader in(r, kResidents);
  PINGAN_RETURN_IF_ERROR(in.check_width());
  Resident out;
  PINGAN_ASSIGN_OR_RETURN(out.person_id, in.integer(0));
  PINGAN_ASSIGN_OR_RETURN(out.kind, parse_enum(in, 1, &parse_resident_kind));
  PINGAN_ASSIGN_OR_RETURN(out.address,
                          open(fields, in, 2, kResidentAddressContext, fmt::format("resident {}", out.person_id)));
  out.house_code = in.text(3);
  out.unit_code = in.text(4);
  PINGAN_ASSIGN_OR_RETURN(out.registered, in.date(5));
  PINGAN_ASSIGN_OR_RETURN(out.left, in.date_or_none(6));
  return out;
}

Value key_of(const Resident& r) { return std::int64_t(r.person_id); }

bool same(const Resident& a, const Resident& b) {
  return a.person_id == b.person_id && a.kind == b.kind && a.address == b.address && a.house_code == b.house_code &&
         a.unit_code == b.unit_code && a.registered == b.registered && a.left == b.left;
}

Result<Value> after_key(const Table& table, const std::string& after) {
  if (table.kinds.empty() || table.kinds[0] != 'i') return Value{after};
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(after.data(), after.data() + after.size(), id);
  if (ec != std::errc() || end != after.data() + after.size())
    return Error::invalid("after", fmt::format("'{}' is not a person id", after));
  return Value{id};
}

}  // namespace registry_rows
}  // namespace pingan
