#pragma once
// Projected coordinates of a source (State Plane feet) to WGS84 lon/lat with
// PROJ. A PJ and its context are not thread-safe: make one Reprojector per
// importing thread.

#include <memory>
#include <optional>
#include <string>

#include "core/geo.h"
#include "core/status.h"

struct pj_ctx;
struct PJconsts;

namespace pingan::ingest {

class Reprojector {
 public:
  // `source_crs` as PROJ knows it, e.g. "ESRI:102696" or "EPSG:2913".
  static Result<std::unique_ptr<Reprojector>> create(const std::string& source_crs);
  ~Reprojector();
  Reprojector(const Reprojector&) = delete;
  Reprojector& operator=(const Reprojector&) = delete;

  // The WGS84 point of x/y in the source CRS, or nothing when PROJ cannot
  // transform it (far outside the projection's domain).
  std::optional<GeoPoint> to_wgs84(double x, double y) const;

 private:
  Reprojector() = default;
  pj_ctx* ctx_ = nullptr;
  PJconsts* pj_ = nullptr;
};

}  // namespace pingan::ingest
