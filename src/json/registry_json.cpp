#include "json/registry_json.h"

#include <fmt/format.h>

#include <charconv>
#include <utility>

#include "core/personal_masks.h"
#include "json/json_fields.h"

namespace pingan {

Result<Camera> camera_from_json(const nlohmann::json& value, const std::string& path) {
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(value, path));
  Camera c;
  PINGAN_RETURN_IF_ERROR(in.read_string("code", &c.code, true));
  PINGAN_RETURN_IF_ERROR(in.read_string("name", &c.name, true));
  std::optional<double> lat, lon;
  PINGAN_RETURN_IF_ERROR(in.read_number("lat", &lat, true));
  PINGAN_RETURN_IF_ERROR(in.read_number("lon", &lon, true));
  c.location = {*lat, *lon};
  PINGAN_RETURN_IF_ERROR(in.read_number("direction_deg", &c.direction_deg));
  PINGAN_RETURN_IF_ERROR(in.read_number("field_of_view_deg", &c.field_of_view_deg));
  std::string owner_kind, status;
  PINGAN_RETURN_IF_ERROR(in.read_string("owner_kind", &owner_kind));
  if (!owner_kind.empty()) {
    PINGAN_ASSIGN_OR_RETURN(c.owner_kind, parse_camera_owner_kind(owner_kind, in.field("owner_kind")));
  }
  PINGAN_RETURN_IF_ERROR(in.read_string("owner_name", &c.owner_name, true));
  PINGAN_RETURN_IF_ERROR(in.read_string("unit", &c.unit_code, true));
  PINGAN_RETURN_IF_ERROR(in.read_string("stream_url", &c.stream_url, true));
  PINGAN_RETURN_IF_ERROR(in.read_string("status", &status));
  if (!status.empty()) {
    PINGAN_ASSIGN_OR_RETURN(c.status, parse_camera_status(status, in.field("status")));
  }
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  return c;
}

Result<CameraBatch> camera_batch_from_json(const nlohmann::json& body) {
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(body, ""));
  const nlohmann::json* rows = in.member("cameras");
  if (!rows || !rows->is_array()) return Error::invalid("cameras", "an array of cameras is required");
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  if (rows->empty()) return Error::invalid("cameras", "at least one camera");
  constexpr std::size_t kMaxBatch = 10'000;
  if (rows->size() > kMaxBatch)
    return Error::invalid("cameras", fmt::format("{} cameras; at most {} in one request", rows->size(), kMaxBatch));
  CameraBatch batch;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    // The row's own field names: the index is reported beside them.
    Result<Camera> c = camera_from_json((*rows)[i], "");
    if (c.ok()) {
      batch.cameras.push_back(std::move(*c));
      batch.rows.push_back(i);
    } else {
      batch.refused.push_back(RefusedRow{i, c.error()});
    }
  }
  return batch;
}

Status read_date_member(JsonObjectReader& in, std::string_view key, std::optional<CivilDate>* out, bool required) {
  std::string text;
  PINGAN_RETURN_IF_ERROR(in.read_string(key, &text, required));
  if (text.empty()) {
    if (required) return Error::invalid(in.field(key), "a date (YYYY-MM-DD) is required");
    return {};
  }
  CivilDate d;
  const char* p = text.data();
  auto part = [&](int& v, std::size_t n) {
    auto [next, ec] = std::from_chars(p, p + n, v);
    const bool ok = ec == std::errc() && next == p + n;
    p = next;
    return ok;
  };
  const bool ok = text.size() == 10 && part(d.year, 4) && *p++ == '-' && part(d.month, 2) && *p++ == '-' &&
                  part(d.day, 2);
  if (!ok) return Error::invalid(in.field(key), fmt::format("'{}' is not a date (YYYY-MM-DD)", text));
  *out = d;
  return {};
}

nlohmann::json date_or_null(const std::optional<CivilDate>& d) {
  return d ? nlohmann::json(format_date(*d)) : nlohmann::json();
}

Result<Place> place_from_json(const nlohmann::json& value, const std::string& path) {
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(value, path));
  Place p;
  PINGAN_RETURN_IF_ERROR(in.read_string("code", &p.code, true));
  PINGAN_RETURN_IF_ERROR(in.read_string("name", &p.name, true));
  PINGAN_RETURN_IF_ERROR(in.read_string("category", &p.category, true));
  PINGAN_RETURN_IF_ERROR(in.read_string("address", &p.address, true));
  std::optional<double> lat, lon;
  PINGAN_RETURN_IF_ERROR(in.read_number("lat", &lat, true));
  PINGAN_RETURN_IF_ERROR(in.read_number("lon", &lon, true));
  p.location = {*lat, *lon};
  PINGAN_RETURN_IF_ERROR(in.read_string("unit", &p.unit_code, true));
  PINGAN_RETURN_IF_ERROR(in.read_string("licence_number", &p.licence_number));
  PINGAN_RETURN_IF_ERROR(in.read_string("contact_name", &p.contact_name));
  PINGAN_RETURN_IF_ERROR(in.read_string("contact_phone", &p.contact_phone));
  PINGAN_RETURN_IF_ERROR(read_date_member(in, "opened", &p.opened));
  PINGAN_RETURN_IF_ERROR(read_date_member(in, "closed", &p.closed));
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  return p;
}

Result<PlaceBatch> place_batch_from_json(const nlohmann::json& body) {
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(body, ""));
  const nlohmann::json* rows = in.member("places");
  if (!rows || !rows->is_array()) return Error::invalid("places", "an array of places is required");
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  if (rows->empty()) return Error::invalid("places", "at least one place");
  constexpr std::size_t kMaxBatch = 10'000;
  if (rows->size() > kMaxBatch)
    return Error::invalid("places", fmt::format("{} places; at most {} in one request", rows->size(), kMaxBatch));
  PlaceBatch batch;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    Result<Place> p = place_from_json((*rows)[i], "");
    if (p.ok()) {
      batch.places.push_back(std::move(*p));
      batch.rows.push_back(i);
    } else {
      batch.refused.push_back(RefusedRow{i, p.error()});
    }
  }
  return batch;
}

nlohmann::json place_to_json(const Place& p, const PlaceCategories& categories) {
  const PlaceCategory* cat = categories.find(p.category);
  const PlaceGroup* group = cat ? categories.find_group(cat->group) : nullptr;
  return {{"code", p.code},
          {"name", p.name},
          {"category", p.category},
          {"category_zh", cat ? cat->name_zh : std::string()},
          {"group", cat ? cat->group : std::string()},
          {"group_zh", group ? group->name_zh : std::string()},
          {"key_place", cat && cat->key_place},
          {"address", p.address},
          {"lat", p.location.lat},
          {"lon", p.location.lon},
          {"unit", p.unit_code},
          {"licence_number", p.licence_number},
          {"contact_name", mask_name(p.contact_name)},
          {"contact_phone", mask_phone(p.contact_phone)},
          {"opened", date_or_null(p.opened)},
          {"closed", date_or_null(p.closed)}};
}

nlohmann::json camera_to_json(const Camera& c, bool with_stream) {
  nlohmann::json out = {{"code", c.code},
                        {"name", c.name},
                        {"lat", c.location.lat},
                        {"lon", c.location.lon},
                        {"direction_deg", c.direction_deg ? nlohmann::json(*c.direction_deg) : nlohmann::json()},
                        {"field_of_view_deg",
                         c.field_of_view_deg ? nlohmann::json(*c.field_of_view_deg) : nlohmann::json()},
                        {"owner_kind", camera_owner_kind_name(c.owner_kind)},
                        {"owner_kind_zh", camera_owner_kind_name_zh(c.owner_kind)},
                        {"owner_name", c.owner_name},
                        {"unit", c.unit_code},
                        {"status", camera_status_name(c.status)},
                        {"status_zh", camera_status_name_zh(c.status)}};
  if (with_stream) out["stream_url"] = c.stream_url;
  return out;
}

nlohmann::json camera_feature(const Camera& c, bool with_stream) {
  nlohmann::json props = camera_to_json(c, with_stream);
  props.erase("lat");
  props.erase("lon");
  return {{"type", "Feature"},
          {"id", c.code},
          {"geometry", {{"type", "Point"}, {"coordinates", {c.location.lon, c.location.lat}}}},
          {"properties", std::move(props)}};
}

std::string request_field_name(const std::string& field) {
  // Core names the record's members (unit_code, tenants[2].person_id); the
  // request calls them "unit", "tenants[2].person". Only a whole last
  // segment is renamed.
  static constexpr std::pair<std::string_view, std::string_view> kRenamed[] = {
      {"unit_code", "unit"}, {"house_code", "house"}, {"landlord_id", "landlord"}, {"person_id", "person"}};
  const std::size_t dot = field.rfind('.');
  const std::size_t start = dot == std::string::npos ? 0 : dot + 1;
  const std::string_view last = std::string_view(field).substr(start);
  for (const auto& [core, request] : kRenamed)
    if (last == core) return field.substr(0, start) + std::string(request);
  return field;
}

std::string row_field(const RefusedRow& row, const std::string& array_name) {
  const std::string field = request_field_name(row.error.field);
  return fmt::format("{}[{}]{}{}", array_name, row.index, field.empty() ? "" : ".", field);
}

nlohmann::json refused_rows_json(const std::vector<RefusedRow>& refused, const std::string& array_name) {
  nlohmann::json out = nlohmann::json::array();
  for (const RefusedRow& r : refused)
    out.push_back({{"index", r.index}, {"field", row_field(r, array_name)}, {"message", r.error.message}});
  return out;
}

}  // namespace pingan
