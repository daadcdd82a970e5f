#include "json/unit_json.h"

#include <fmt/format.h>

#include "json/json_fields.h"

namespace pingan {
namespace {

Result<Ring> ring_from_json(const nlohmann::json& v, const std::string& field) {
  if (!v.is_array())
    return Error::invalid(field,
                          fmt::format("must be an array of positions, got {}", json_type_name(v)));
  if (v.size() < 3)
    return Error::invalid(field,
                          fmt::format("a ring needs at least 3 positions, got {}", v.size()));
  Ring ring;
  ring.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    const auto& pos = v[i];
    std::string pf = fmt::format("{}[{}]", field, i);
    if (!pos.is_array() || pos.size() < 2 || !pos[0].is_number() || !pos[1].is_number())
      return Error::invalid(pf, "must be a position [lon, lat]");
    GeoPoint p{pos[1].get<double>(), pos[0].get<double>()};
    PINGAN_RETURN_IF_ERROR(validate_point(p, pf));
    ring.push_back(p);
  }
  return ring;
}

Result<Polygon> polygon_from_json(const nlohmann::json& v, const std::string& field) {
  if (!v.is_array() || v.empty())
    return Error::invalid(field, "must be a non-empty array of rings");
  Polygon poly;
  for (size_t i = 0; i < v.size(); ++i) {
    PINGAN_ASSIGN_OR_RETURN(Ring ring, ring_from_json(v[i], fmt::format("{}[{}]", field, i)));
    poly.push_back(std::move(ring));
  }
  return poly;
}

nlohmann::json ring_to_json(const Ring& ring) {
  nlohmann::json out = nlohmann::json::array();
  for (const GeoPoint& p : ring) out.push_back({p.lon, p.lat});
  return out;
}

Result<Unit> unit_from_object(const nlohmann::json& v, const std::string& path,
                              const nlohmann::json* geometry, std::string geometry_field) {
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(v, path));
  Unit unit;
  std::string kind;
  PINGAN_RETURN_IF_ERROR(in.read_string("code", &unit.code, true));
  PINGAN_RETURN_IF_ERROR(in.read_string("name", &unit.name, true));
  PINGAN_RETURN_IF_ERROR(in.read_string("kind", &kind, true));
  auto parsed_kind = parse_unit_kind(kind);
  if (!parsed_kind.ok()) return Error::invalid(in.field("kind"), parsed_kind.error().message);
  unit.kind = *parsed_kind;
  PINGAN_RETURN_IF_ERROR(in.read_string("parent", &unit.parent_code));
  // Output fields a client may send back unchanged.
  in.member("id");
  in.member("has_boundary");
  if (!geometry) {
    geometry = in.member("boundary");
    if (geometry) geometry_field = in.field("boundary");
  }
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  if (geometry) {
    PINGAN_ASSIGN_OR_RETURN(unit.boundary, boundary_from_geojson(*geometry, geometry_field));
  }
  return unit;
}

}  // namespace

nlohmann::json boundary_to_geojson(const Boundary& boundary) {
  nlohmann::json coords = nlohmann::json::array();
  for (const Polygon& poly : boundary.polygons()) {
    nlohmann::json rings = nlohmann::json::array();
    for (const Ring& ring : poly) rings.push_back(ring_to_json(ring));
    coords.push_back(std::move(rings));
  }
  return {{"type", "MultiPolygon"}, {"coordinates", std::move(coords)}};
}

Result<Boundary> boundary_from_geojson(const nlohmann::json& geometry, const std::string& field) {
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(geometry, field));
  std::string type;
  PINGAN_RETURN_IF_ERROR(in.read_string("type", &type, true));
  const nlohmann::json* coords = in.member("coordinates");
  in.member("bbox");
  if (!coords) return Error::invalid(in.field("coordinates"), "is required");
  std::vector<Polygon> polygons;
  if (type == "Polygon") {
    PINGAN_ASSIGN_OR_RETURN(Polygon poly, polygon_from_json(*coords, in.field("coordinates")));
    polygons.push_back(std::move(poly));
  } else if (type == "MultiPolygon") {
    if (!coords->is_array() || coords->empty())
      return Error::invalid(in.field("coordinates"), "must be a non-empty array of polygons");
    for (size_t i = 0; i < coords->size(); ++i) {
      PINGAN_ASSIGN_OR_RETURN(
          Polygon poly,
          polygon_from_json((*coords)[i], fmt::format("{}[{}]", in.field("coordinates"), i)));
      polygons.push_back(std::move(poly));
    }
  } else {
    return Error::invalid(in.field("type"),
                          fmt::format("must be Polygon or MultiPolygon, got '{}'", type));
  }
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  return Boundary(std::move(polygons));
}

nlohmann::json unit_to_json(const Unit& unit, bool geometry) {
  nlohmann::json out = {
      {"id", unit.id},
      {"code", unit.code},
      {"name", unit.name},
      {"kind", unit_kind_name(unit.kind)},
      {"parent",
       unit.parent_code.empty() ? nlohmann::json(nullptr) : nlohmann::json(unit.parent_code)},
      {"has_boundary", !unit.boundary.empty()},
  };
  if (geometry)
    out["boundary"] =
        unit.boundary.empty() ? nlohmann::json(nullptr) : boundary_to_geojson(unit.boundary);
  return out;
}

Result<std::vector<Unit>> units_from_json(const nlohmann::json& body) {
  std::vector<Unit> units;
  if (body.is_array()) {
    for (size_t i = 0; i < body.size(); ++i) {
      PINGAN_ASSIGN_OR_RETURN(Unit u,
                              unit_from_object(body[i], fmt::format("[{}]", i), nullptr, ""));
      units.push_back(std::move(u));
    }
    return units;
  }
  auto type = body.is_object() ? body.find("type") : body.end();
  if (!body.is_object() || type == body.end() || *type != "FeatureCollection")
    return Error::invalid("body", "must be a JSON array of units or a GeoJSON FeatureCollection");
  auto features = body.find("features");
  if (features == body.end() || !features->is_array())
    return Error::invalid("features", "must be an array of GeoJSON features");
  for (size_t i = 0; i < features->size(); ++i) {
    const auto& f = (*features)[i];
    std::string path = fmt::format("features[{}]", i);
    if (!f.is_object())
      return Error::invalid(path, fmt::format("must be an object, got {}", json_type_name(f)));
    auto props = f.find("properties");
    if (props == f.end() || !props->is_object())
      return Error::invalid(path + ".properties",
                            "must be an object with code, name, kind and parent");
    auto geom = f.find("geometry");
    const nlohmann::json* geometry = (geom == f.end() || geom->is_null()) ? nullptr : &*geom;
    PINGAN_ASSIGN_OR_RETURN(
        Unit u, unit_from_object(*props, path + ".properties", geometry, path + ".geometry"));
    units.push_back(std::move(u));
  }
  return units;
}

}  // namespace pingan
