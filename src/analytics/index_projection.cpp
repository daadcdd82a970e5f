#include "analytics/index_projection.h"

#include <algorithm>
#include <cmath>

namespace pingan::analytics {
namespace {

constexpr double kPi = 3.14159265358979323846;

std::int32_t to_int_metres(double v) {
  constexpr double kMax = std::numeric_limits<std::int32_t>::max();
  constexpr double kMin = std::numeric_limits<std::int32_t>::min() + 1.0;  // kNoPoint stays free
  return static_cast<std::int32_t>(std::clamp(std::round(v), kMin, kMax));
}

}  // namespace

LocalProjection LocalProjection::centred_on(double lat, double lon) {
  // Lengths of a degree on the WGS84 ellipsoid at this latitude (the usual
  // series, accurate to a centimetre).
  const double phi = lat * kPi / 180.0;
  LocalProjection p;
  p.origin_lat = lat;
  p.origin_lon = lon;
  p.metres_per_deg_lat =
      111'132.92 - 559.82 * std::cos(2 * phi) + 1.175 * std::cos(4 * phi) - 0.0023 * std::cos(6 * phi);
  p.metres_per_deg_lon =
      111'412.84 * std::cos(phi) - 93.5 * std::cos(3 * phi) + 0.118 * std::cos(5 * phi);
  return p;
}

void LocalProjection::to_metres(const GeoPoint& g, std::int32_t* x, std::int32_t* y) const {
  *x = to_int_metres((g.lon - origin_lon) * metres_per_deg_lon);
  *y = to_int_metres((g.lat - origin_lat) * metres_per_deg_lat);
}

GeoPoint LocalProjection::to_geo(double x, double y) const {
  return GeoPoint{origin_lat + y / metres_per_deg_lat, origin_lon + x / metres_per_deg_lon};
}

}  // namespace pingan::analytics
