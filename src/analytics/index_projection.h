#pragma once
// Local metres for spatial statistics: an equirectangular projection around
// an origin near the data (distortion under 0.1% across a city, which is what
// 150 m cells need). Rows keep x/y in whole metres.

#include <cstdint>
#include <limits>

#include "core/geo.h"

namespace pingan::analytics {

inline constexpr std::int32_t kNoPoint = std::numeric_limits<std::int32_t>::min();

struct LocalProjection {
  double origin_lat = 0, origin_lon = 0;
  double metres_per_deg_lat = 111'320, metres_per_deg_lon = 111'320;
  static LocalProjection centred_on(double lat, double lon);
  // Rounds to whole metres; never yields kNoPoint.
  void to_metres(const GeoPoint& p, std::int32_t* x, std::int32_t* y) const;
  GeoPoint to_geo(double x, double y) const;
};

}  // namespace pingan::analytics
