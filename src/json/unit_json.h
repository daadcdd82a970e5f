#pragma once
// JSON <-> domain conversions for units and their boundaries (GeoJSON
// Polygon / MultiPolygon geometry, [lon, lat] order as GeoJSON demands).

#include <nlohmann/json.hpp>
#include <vector>

#include "core/geo.h"
#include "core/status.h"
#include "core/unit.h"

namespace pingan {

// {id, code, name, kind, parent (null for a root), has_boundary}; with
// `geometry` also "boundary": a GeoJSON MultiPolygon or null.
nlohmann::json unit_to_json(const Unit& unit, bool geometry);

// Either a JSON array of {code, name, kind, parent?, boundary?} or a GeoJSON
// FeatureCollection whose features carry those keys as properties and the
// boundary as geometry. Checks shape and types; the engine validates values.
Result<std::vector<Unit>> units_from_json(const nlohmann::json& body);

nlohmann::json boundary_to_geojson(const Boundary& boundary);
// A GeoJSON Polygon or MultiPolygon geometry; `field` names it in errors.
Result<Boundary> boundary_from_geojson(const nlohmann::json& geometry, const std::string& field);

}  // namespace pingan
