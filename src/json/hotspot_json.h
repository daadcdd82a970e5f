#pragma once
// JSON for hotspot maps, forecasts and patrol suggestions: GeoJSON
// FeatureCollections of grid cells (a Polygon per cell, [lon, lat] order),
// with the figures as properties and the query's facts in "meta".

#include <nlohmann/json.hpp>

#include "analytics/forecast_service.h"
#include "analytics/hotspot.h"
#include "analytics/patrol.h"
#include "core/time.h"

namespace pingan {

// {"type": "FeatureCollection", "features": [...], "meta": {...}}; each
// feature: the cell's outline (or its centre as a Point when `polygons` is
// false) and properties {cell, lat, lon, count, density?, z?, significance?,
// fdr_significant?}.
nlohmann::json hotspots_to_geojson(const analytics::HotspotResult& result, bool polygons);

// The `limit` cells of the study area with the highest expected counts,
// highest first: properties {cell, lat, lon, expected, rank}; meta carries
// the window, the model, its fit and the expected total over the area.
nlohmann::json forecast_to_geojson(const analytics::ForecastResult& result, int limit,
                                   bool polygons, const TimeZone& zone);

// {shift_start, shift_end, model, fit, stations: [{unit, name, cells_basis,
// station_cells, expected_total, cells: [{cell, lat, lon, expected,
// cumulative_share, outline}]}]}.
nlohmann::json patrol_to_json(const analytics::PatrolPlan& plan, const TimeZone& zone);

nlohmann::json etas_fit_to_json(const analytics::EtasFit& fit);

}  // namespace pingan
