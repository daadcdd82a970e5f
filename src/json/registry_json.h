#pragma once
// Cameras of the registry as JSON (issue 21; docs/api.md "Registry and
// cameras"): a request's camera objects read with every error naming its
// row and field ("cameras[3].stream_url"), a camera as a GeoJSON Feature
// for the map layer, and the nearest cameras of a call-up. The stream URL
// is written only when the caller may view video (cameras.view): a URL is
// what opens the stream.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/camera.h"
#include "core/status.h"
#include "engine/registry_records.h"
#include "json/json_fields.h"

namespace pingan {

// One camera object: {"code", "name", "lat", "lon", "direction_deg"?,
// "field_of_view_deg"?, "owner_kind"?, "owner_name", "unit", "stream_url",
// "status"?}; `path` prefixes field names ("cameras[3]").
Result<Camera> camera_from_json(const nlohmann::json& value, const std::string& path);

// POST /api/cameras: {"cameras": [...]}. A row that does not parse is
// refused like one core refuses: in `refused`, by index, nothing written.
struct CameraBatch {
  std::vector<Camera> cameras;
  std::vector<std::size_t> rows;    // by camera: its index in the request
  std::vector<RefusedRow> refused;  // the rows that did not parse
};
Result<CameraBatch> camera_batch_from_json(const nlohmann::json& body);

nlohmann::json camera_to_json(const Camera& c, bool with_stream);
// A GeoJSON Feature (Point [lon, lat]) with the camera's fields as properties.
nlohmann::json camera_feature(const Camera& c, bool with_stream);
// One place object: {"code", "name", "category", "address", "lat", "lon",
// "unit", "licence_number"?, "contact_name"?, "contact_phone"?, "opened"?,
// "closed"? (dates YYYY-MM-DD)}.
Result<Place> place_from_json(const nlohmann::json& value, const std::string& path);
// POST /api/places: {"places": [...]}, refusals as for cameras.
struct PlaceBatch {
  std::vector<Place> places;
  std::vector<std::size_t> rows;
  std::vector<RefusedRow> refused;
};
Result<PlaceBatch> place_batch_from_json(const nlohmann::json& body);
// A place with its category's name and group; the contact masked
// (core/personal_masks.h), as every list shows personal data.
nlohmann::json place_to_json(const Place& p, const PlaceCategories& categories);

// A date member "YYYY-MM-DD" of `in`; absent or null: none (an error when
// `required`). Errors name the member ("tenants[0].from").
Status read_date_member(JsonObjectReader& in, std::string_view key, std::optional<CivilDate>* out,
                        bool required = false);
// "YYYY-MM-DD", or null for none.
nlohmann::json date_or_null(const std::optional<CivilDate>& d);

// A record's field as the request names it: core's "unit_code",
// "house_code", "landlord_id" and "person_id" (as the last segment) are
// the request's "unit", "house", "landlord" and "person".
std::string request_field_name(const std::string& field);
// The refused row's field as the request names it ("cameras[3].unit").
std::string row_field(const RefusedRow& row, const std::string& array_name);
// {"index", "field", "message"} for each refused row.
nlohmann::json refused_rows_json(const std::vector<RefusedRow>& refused, const std::string& array_name);

}  // namespace pingan
