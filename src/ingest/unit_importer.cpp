// Unit trees with boundaries from GeoJSON: a generic layout (properties
// code, name, kind, parent) and the two real files we ship support for.

#include <nlohmann/json.hpp>

#include <cmath>
#include <functional>

#include <fmt/format.h>

#include "ingest/csv_reader.h"
#include "ingest/importer.h"

namespace pingan::ingest {
namespace {

using Json = nlohmann::json;

Error feature_error(size_t index, const std::string& property, const std::string& message) {
  return Error::invalid(property, fmt::format("feature {}: {}: {}", index, property, message));
}

Result<Ring> parse_ring(const Json& j, size_t index) {
  if (!j.is_array() || j.size() < 4)
    return feature_error(index, "geometry", "a ring needs at least 4 positions");
  Ring ring;
  ring.reserve(j.size());
  for (const Json& pos : j) {
    if (!pos.is_array() || pos.size() < 2 || !pos[0].is_number() || !pos[1].is_number())
      return feature_error(index, "geometry", "a position must be [lon, lat]");
    GeoPoint p{pos[1].get<double>(), pos[0].get<double>()};
    Status st = validate_point(p, "geometry");
    if (!st.ok())
      return feature_error(index, "geometry",
                           fmt::format("[{}, {}] is not a lon/lat position (is the file projected?)", p.lon, p.lat));
    ring.push_back(p);
  }
  return ring;
}

Result<Polygon> parse_polygon(const Json& j, size_t index) {
  if (!j.is_array() || j.empty()) return feature_error(index, "geometry", "a polygon needs an outer ring");
  Polygon poly;
  for (const Json& r : j) {
    PINGAN_ASSIGN_OR_RETURN(Ring ring, parse_ring(r, index));
    poly.push_back(std::move(ring));
  }
  return poly;
}

// Polygon, MultiPolygon or null (a unit without a boundary).
Result<Boundary> parse_geometry(const Json& feature, size_t index) {
  auto g = feature.find("geometry");
  if (g == feature.end() || g->is_null()) return Boundary();
  if (!g->is_object() || !g->contains("type") || !g->contains("coordinates"))
    return feature_error(index, "geometry", "needs a type and coordinates");
  std::string type = (*g)["type"].is_string() ? (*g)["type"].get<std::string>() : "";
  const Json& coords = (*g)["coordinates"];
  std::vector<Polygon> polygons;
  if (type == "Polygon") {
    PINGAN_ASSIGN_OR_RETURN(Polygon p, parse_polygon(coords, index));
    polygons.push_back(std::move(p));
  } else if (type == "MultiPolygon") {
    if (!coords.is_array()) return feature_error(index, "geometry", "MultiPolygon coordinates must be an array");
    for (const Json& pj : coords) {
      PINGAN_ASSIGN_OR_RETURN(Polygon p, parse_polygon(pj, index));
      polygons.push_back(std::move(p));
    }
  } else {
    return feature_error(index, "geometry", fmt::format("type '{}' is not Polygon or MultiPolygon", type));
  }
  return Boundary(std::move(polygons));
}

Result<std::string> string_property(const Json& props, size_t index, const char* name, bool required) {
  auto it = props.find(name);
  if (it == props.end() || it->is_null()) {
    if (required) return feature_error(index, name, "is missing");
    return std::string();
  }
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<long long>());
  return feature_error(index, name, "must be a string");
}

// Builds the units of one feature (parents the format implies are added by the caller).
using FeatureReader = std::function<Result<Unit>(const Json& props, size_t index)>;

Result<Unit> read_generic(const Json& props, size_t index) {
  Unit u;
  PINGAN_ASSIGN_OR_RETURN(u.code, string_property(props, index, "code", true));
  PINGAN_ASSIGN_OR_RETURN(u.name, string_property(props, index, "name", true));
  PINGAN_ASSIGN_OR_RETURN(std::string kind, string_property(props, index, "kind", true));
  auto k = parse_unit_kind(kind);
  if (!k.ok()) return feature_error(index, "kind", k.error().message);
  u.kind = *k;
  PINGAN_ASSIGN_OR_RETURN(u.parent_code, string_property(props, index, "parent", false));
  return u;
}

Result<Unit> read_stl_neighbourhood(const Json& props, size_t index) {
  auto num = props.find("NHD_NUM");
  if (num == props.end() || !num->is_number()) return feature_error(index, "NHD_NUM", "must be a number");
  double n = num->get<double>();
  if (n < 1 || n != std::floor(n)) return feature_error(index, "NHD_NUM", fmt::format("{} is not a positive whole number", n));
  Unit u;
  u.code = fmt::format("STL-N{}", static_cast<long long>(n));
  PINGAN_ASSIGN_OR_RETURN(u.name, string_property(props, index, "NHD_NAME", true));
  u.kind = UnitKind::kCommunity;
  u.parent_code = "STL";
  return u;
}

const char* portland_precinct_name(const std::string& precinct) {
  if (precinct == "NO") return "北区分局";
  if (precinct == "CE") return "中区分局";
  if (precinct == "EA") return "东区分局";
  return nullptr;
}

Result<Unit> read_portland_district(const Json& props, size_t index) {
  Unit u;
  PINGAN_ASSIGN_OR_RETURN(std::string district, string_property(props, index, "DISTRICT", true));
  PINGAN_ASSIGN_OR_RETURN(std::string precinct, string_property(props, index, "PRECINCT", true));
  if (district.empty()) return feature_error(index, "DISTRICT", "is empty");
  if (!portland_precinct_name(precinct))
    return feature_error(index, "PRECINCT", fmt::format("'{}' is not NO, CE or EA", precinct));
  u.code = "PORT-" + district;
  u.name = fmt::format("{}巡区", district);
  u.kind = UnitKind::kCommunity;
  u.parent_code = "PORT-" + precinct;
  return u;
}

std::string detect_format(const Json& features) {
  for (const Json& f : features) {
    if (!f.is_object() || !f.contains("properties") || !f["properties"].is_object()) continue;
    const Json& p = f["properties"];
    if (p.contains("NHD_NUM")) return "stlouis-neighborhoods";
    if (p.contains("DISTRICT") && p.contains("PRECINCT")) return "portland-districts";
    if (p.contains("code")) return "geojson";
  }
  return "";
}

}  // namespace

Result<UnitImportReport> import_units(Engine& engine, const std::string& path, const std::string& format_in) {
  PINGAN_ASSIGN_OR_RETURN(std::string text, read_whole_file(path));
  Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Error::invalid("path", fmt::format("{} is not valid JSON", path));
  if (!doc.is_object() || !doc.contains("features") || !doc["features"].is_array())
    return Error::invalid("path", fmt::format("{} is not a GeoJSON FeatureCollection", path));
  // A legacy "crs" member naming a projected CRS means coordinates in feet or metres.
  if (auto crs = doc.find("crs"); crs != doc.end() && crs->is_object()) {
    std::string name = crs->value("properties", Json::object()).value("name", "");
    if (!name.empty() && name.find("CRS84") == std::string::npos && name.find("4326") == std::string::npos)
      return Error::invalid("path", fmt::format("{} is in {}; units need lon/lat (WGS84) coordinates", path, name));
  }
  const Json& features = doc["features"];
  std::string format = format_in.empty() ? detect_format(features) : format_in;

  FeatureReader reader;
  std::vector<Unit> parents;
  if (format == "geojson") {
    reader = read_generic;
  } else if (format == "stlouis-neighborhoods") {
    reader = read_stl_neighbourhood;
    parents.push_back(Unit{0, "STL", "圣路易斯市警察局", UnitKind::kBureau, "", {}});
  } else if (format == "portland-districts") {
    reader = read_portland_district;
    parents.push_back(Unit{0, "PORT", "波特兰警察局", UnitKind::kBureau, "", {}});
    for (const char* p : {"NO", "CE", "EA"})
      parents.push_back(Unit{0, fmt::format("PORT-{}", p), portland_precinct_name(p), UnitKind::kStation, "PORT", {}});
  } else if (format_in.empty()) {
    return Error::invalid("format", fmt::format("cannot tell the layout of {}: no feature has the properties "
                                                "code, NHD_NUM or DISTRICT/PRECINCT",
                                                path));
  } else {
    return Error::invalid("format", fmt::format("unknown unit format '{}' (geojson, stlouis-neighborhoods, "
                                                "portland-districts)",
                                                format));
  }

  std::vector<Unit> units;
  for (size_t i = 0; i < features.size(); ++i) {
    const Json& f = features[i];
    if (!f.is_object() || !f.contains("properties") || !f["properties"].is_object())
      return feature_error(i, "properties", "must be an object");
    PINGAN_ASSIGN_OR_RETURN(Unit u, reader(f["properties"], i));
    PINGAN_ASSIGN_OR_RETURN(u.boundary, parse_geometry(f, i));
    Status st = validate_unit(u);
    if (!st.ok()) return feature_error(i, st.error().field, st.error().message);
    units.push_back(std::move(u));
  }

  // Implied parents are created only when missing, so that names a bureau
  // gave them are kept.
  std::vector<Unit> batch;
  auto tree = engine.units();
  for (Unit& p : parents)
    if (!tree->find(p.code)) batch.push_back(std::move(p));
  UnitImportReport report;
  report.read = static_cast<std::int64_t>(features.size());
  report.upserted = static_cast<std::int64_t>(units.size());
  for (Unit& u : units) batch.push_back(std::move(u));
  PINGAN_RETURN_IF_ERROR(engine.upsert_units(std::move(batch)));
  return report;
}

}  // namespace pingan::ingest
