#include "ingest/reprojector.h"

#include <proj.h>

#include <cmath>

#include <fmt/format.h>

namespace pingan::ingest {

Result<std::unique_ptr<Reprojector>> Reprojector::create(const std::string& source_crs) {
  std::unique_ptr<Reprojector> r(new Reprojector());
  r->ctx_ = proj_context_create();
  if (!r->ctx_) return Error::internal("cannot create a PROJ context");
  PJ* raw = proj_create_crs_to_crs(r->ctx_, source_crs.c_str(), "EPSG:4326", nullptr);
  if (!raw)
    return Error::internal(fmt::format("PROJ cannot transform {} to WGS84: {}", source_crs,
                                       proj_context_errno_string(r->ctx_, proj_context_errno(r->ctx_))));
  // EPSG:4326 is lat/lon by definition; normalising gives lon/lat as x/y.
  r->pj_ = proj_normalize_for_visualization(r->ctx_, raw);
  proj_destroy(raw);
  if (!r->pj_) return Error::internal(fmt::format("PROJ cannot normalise the {} transformation", source_crs));
  return r;
}

Reprojector::~Reprojector() {
  if (pj_) proj_destroy(pj_);
  if (ctx_) proj_context_destroy(ctx_);
}

std::optional<GeoPoint> Reprojector::to_wgs84(double x, double y) const {
  PJ_COORD in = proj_coord(x, y, 0, 0);
  PJ_COORD out = proj_trans(pj_, PJ_FWD, in);
  double lon = out.xy.x, lat = out.xy.y;
  if (!std::isfinite(lon) || !std::isfinite(lat) || lon == HUGE_VAL || lat == HUGE_VAL) return std::nullopt;
  return GeoPoint{lat, lon};
}

}  // namespace pingan::ingest
