#include "ingest/registry_import_rows.h"

#include <fmt/format.h>

#include <cstdlib>

#include "core/text.h"

namespace pingan::ingest {

namespace {

// `text` as one of `kinds` by its code or its Chinese name; nullopt after noting the problem.
template <typename Kind, size_t N>
std::optional<Kind> choice_of(RegistryRowReader& r, const std::string& target, const Kind (&kinds)[N],
                              const char* (*code)(Kind), const char* (*zh)(Kind), const char* extra_zh_suffix = "") {
  const std::string text = r.text(target);
  std::string known;
  for (Kind k : kinds) {
    if (text == code(k) || text == zh(k) || text == std::string(zh(k)) + extra_zh_suffix) return k;
    known += fmt::format("{}{} ({})", known.empty() ? "" : ", ", zh(k), code(k));
  }
  r.problem(target, fmt::format("unknown value '{}' (allowed: {})", text, known));
  return std::nullopt;
}

void read_place_category(RegistryRowReader& r, const PlaceCategories& categories, std::string& out) {
  const std::string text = r.text("category");
  if (text.empty()) return;
  if (categories.find(text)) {
    out = text;
    return;
  }
  for (const PlaceCategory& c : categories.categories())
    if (c.name_zh == text) {
      out = c.code;
      return;
    }
  for (const PlaceGroup& g : categories.groups())
    if (g.name_zh == text || g.code == text) {
      std::string members;
      for (const PlaceCategory* c : categories.in_group(g.code)) members += (members.empty() ? "" : ", ") + c->name_zh;
      return r.problem("category", fmt::format("'{}' is a group of categories, not a category: give one of {}",
                                               text, members));
    }
  r.problem("category", fmt::format("unknown place category '{}' (neither a code nor a name of "
                                    "registry/place_categories.csv)",
                                    text));
}

GeoPoint read_point(RegistryRowReader& r) {
  GeoPoint p;
  if (auto lat = r.decimal("lat")) p.lat = *lat;
  if (auto lon = r.decimal("lon")) p.lon = *lon;
  return p;
}

void require_all(RegistryRowReader& r, RegistryKind kind) {
  for (const RegistryTarget& t : registry_targets(kind))
    if (t.required && std::string(t.code) != kRegistryUnitTarget) r.require(t.code);
}

const char* resident_kind_code(ResidentKind k) { return resident_kind_name(k); }
const char* resident_kind_zh(ResidentKind k) { return resident_kind_name_zh(k); }

}  // namespace

RegistryRowReader::RegistryRowReader(const TableSource& table, const TableRow& row,
                                     const std::map<std::string, size_t>& columns, const RegistryColumns& labels)
    : table_(table), row_(row), columns_(columns), labels_(labels) {}

std::string RegistryRowReader::text(const std::string& target) const {
  auto it = columns_.find(target);
  if (it == columns_.end()) return "";
  return std::string(trim(row_.at(it->second).text));
}

std::optional<double> RegistryRowReader::decimal(const std::string& target) {
  if (blank(target)) return std::nullopt;
  auto v = TableSource::decimal_at(row_, columns_.at(target));
  if (!v.ok()) {
    problem(target, v.error().message);
    return std::nullopt;
  }
  return *v;
}

std::optional<std::int64_t> RegistryRowReader::integer(const std::string& target) {
  if (blank(target)) return std::nullopt;
  auto v = TableSource::integer_at(row_, columns_.at(target));
  if (!v.ok()) {
    problem(target, v.error().message);
    return std::nullopt;
  }
  return *v;
}

std::optional<CivilDate> RegistryRowReader::date(const std::string& target) {
  if (blank(target)) return std::nullopt;
  auto v = TableSource::date_at(row_, columns_.at(target));
  if (!v.ok()) {
    problem(target, fmt::format("bad date: {}", v.error().message));
    return std::nullopt;
  }
  return CivilDate{v->year, v->month, v->day};
}

void RegistryRowReader::require(const std::string& target) {
  if (has_column(target) && blank(target))
    problem(target, fmt::format("missing required {} ({})", labels_.label_of(target), target));
}

void RegistryRowReader::problem(const std::string& target, std::string reason) {
  if (auto it = columns_.find(target); it != columns_.end()) {
    problems_.push_back(table_.problem(row_, it->second, std::move(reason)));
    return;
  }
  RowProblem p;
  p.file = table_.file();
  p.sheet = table_.sheet();
  p.row = row_.number;
  p.header = target;
  p.reason = std::move(reason);
  problems_.push_back(std::move(p));
}

Place read_place(RegistryRowReader& r, const PlaceCategories& categories) {
  require_all(r, RegistryKind::kPlaces);
  Place p;
  p.code = r.text("code");
  p.name = r.text("name");
  read_place_category(r, categories, p.category);
  p.address = r.text("address");
  p.location = read_point(r);
  p.licence_number = r.text("licence_number");
  p.contact_name = r.text("contact_name");
  p.contact_phone = r.text("contact_phone");
  p.opened = r.date("opened");
  p.closed = r.date("closed");
  return p;
}

Camera read_camera(RegistryRowReader& r) {
  require_all(r, RegistryKind::kCameras);
  static constexpr CameraOwnerKind kOwners[] = {CameraOwnerKind::kPolice, CameraOwnerKind::kSocial,
                                                CameraOwnerKind::kOther};
  static constexpr CameraStatus kStatuses[] = {CameraStatus::kOnline, CameraStatus::kOffline};
  Camera c;
  c.code = r.text("code");
  c.name = r.text("name");
  c.location = read_point(r);
  c.direction_deg = r.decimal("direction_deg");
  c.field_of_view_deg = r.decimal("field_of_view_deg");
  if (!r.blank("owner_kind")) {
    if (auto k = choice_of(r, "owner_kind", kOwners, camera_owner_kind_name, camera_owner_kind_name_zh)) c.owner_kind = *k;
  }
  c.owner_name = r.text("owner_name");
  c.stream_url = r.text("stream_url");
  if (!r.blank("status")) {
    if (auto s = choice_of(r, "status", kStatuses, camera_status_name, camera_status_name_zh)) c.status = *s;
  }
  return c;
}

Enterprise read_enterprise(RegistryRowReader& r) {
  require_all(r, RegistryKind::kEnterprises);
  Enterprise e;
  e.code = r.text("code");
  e.name = r.text("name");
  e.credit_code = r.text("credit_code");
  e.address = r.text("address");
  e.location = read_point(r);
  return e;
}

ResidentEntry read_resident(RegistryRowReader& r) {
  require_all(r, RegistryKind::kResidents);
  static constexpr ResidentKind kKinds[] = {ResidentKind::kRegistered, ResidentKind::kFloating};
  ResidentEntry e;
  e.person.name = r.text("name");
  e.person.id_number = r.text("id_number");
  e.person.phone = r.text("phone");
  if (!r.blank("kind")) {
    // 户籍 or 户籍人口, 流动 or 流动人口.
    if (auto k = choice_of(r, "kind", kKinds, resident_kind_code, resident_kind_zh, "人口")) e.resident.kind = *k;
  }
  e.resident.address = r.text("address");
  e.resident.house_code = r.text("house_code");
  if (auto d = r.date("registered")) e.resident.registered = *d;
  e.resident.left = r.date("left");
  return e;
}

RentalHouseRow read_rental_house_row(RegistryRowReader& r, bool first_of_house) {
  if (first_of_house) require_all(r, RegistryKind::kRentalHouses);
  else r.require("code");
  RentalHouseRow out;
  out.house.code = r.text("code");
  out.house.address = r.text("address");
  out.house.location = read_point(r);
  if (auto rooms = r.integer("rooms")) {
    if (*rooms < 1 || *rooms > kMaxRentalRooms)
      r.problem("rooms", fmt::format("{} rooms: a rental house lets 1 to {}", *rooms, kMaxRentalRooms));
    else out.house.rooms = static_cast<int>(*rooms);
  }
  out.landlord.name = r.text("landlord_name");
  out.landlord.id_number = r.text("landlord_id_number");
  out.landlord.phone = r.text("landlord_phone");
  const bool has_tenant = !r.blank("tenant_name") || !r.blank("tenant_id_number") || !r.blank("tenant_phone") ||
                          !r.blank("room") || !r.blank("from") || !r.blank("to");
  if (!has_tenant) return out;
  for (const char* t : {"tenant_name", "tenant_id_number", "from"}) {
    if (!r.has_column(t)) r.problem(t, fmt::format("a tenant needs a {} column", t));
    else r.require(t);
  }
  out.tenant.name = r.text("tenant_name");
  out.tenant.id_number = r.text("tenant_id_number");
  out.tenant.phone = r.text("tenant_phone");
  Tenancy tenancy;
  tenancy.room = r.text("room");
  if (auto from = r.date("from")) tenancy.from = *from;
  tenancy.to = r.date("to");
  out.tenancy = tenancy;
  return out;
}

std::string target_of_field(RegistryKind kind, const std::string& field, int* tenant) {
  *tenant = -1;
  std::string f = field;
  std::string prefix;
  if (f.rfind("tenants[", 0) == 0) {
    const size_t close = f.find(']');
    if (close == std::string::npos) return "";
    *tenant = std::atoi(f.c_str() + 8);
    f = close + 1 < f.size() && f[close + 1] == '.' ? f.substr(close + 2) : "";
    if (f.rfind("person", 0) == 0) f = f.size() > 7 ? f.substr(7) : "id_number";
    else if (f.empty()) f = "id_number";
    else if (f == "from" || f == "to" || f == "room") return f;
    prefix = "tenant_";
  } else if (f.rfind("landlord", 0) == 0) {
    f = f.size() > 9 ? f.substr(9) : "id_number";
    prefix = "landlord_";
  } else if (f.rfind("person", 0) == 0) {
    f = f == "person" || f == "person_id" ? "id_number" : f.substr(7);
  }
  if (f == "location" || f == "location.lat") f = "lat";
  if (f == "location.lon") f = "lon";
  if (f == "unit_code") f = kRegistryUnitTarget;
  if (f == "id" || f == "birth_date" || f == "sex") f = "id_number";
  f = prefix + f;
  for (const RegistryTarget& t : registry_targets(kind))
    if (f == t.code) return f;
  return "";
}

}  // namespace pingan::ingest
