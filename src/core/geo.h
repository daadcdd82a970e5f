#pragma once
// WGS84 points and polygons, with the few geometric questions the domain asks
// (which unit's boundary holds this point, is a coordinate plausible).

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace pingan {

struct GeoPoint {
  double lat = 0;
  double lon = 0;
};

// Errors naming `field` when lat/lon are outside [-90,90] x [-180,180] or not finite.
Status validate_point(const GeoPoint& p, const std::string& field = "location");

struct BoundingBox {
  double min_lat = 90, min_lon = 180, max_lat = -90, max_lon = -180;
  bool contains(const GeoPoint& p) const {
    return p.lat >= min_lat && p.lat <= max_lat && p.lon >= min_lon && p.lon <= max_lon;
  }
  void extend(const GeoPoint& p);
  bool empty() const { return min_lat > max_lat; }
};

// A ring is a closed sequence of points (the last may repeat the first).
using Ring = std::vector<GeoPoint>;
// One polygon: the outer ring first, then holes.
using Polygon = std::vector<Ring>;

// A MultiPolygon boundary with its bounding box cached for quick rejection.
class Boundary {
 public:
  Boundary() = default;
  explicit Boundary(std::vector<Polygon> polygons);
  bool empty() const { return polygons_.empty(); }
  bool contains(const GeoPoint& p) const;
  const BoundingBox& bbox() const { return bbox_; }
  const std::vector<Polygon>& polygons() const { return polygons_; }
  // Area-weighted centre of the outer rings (good enough for labels and demo data).
  GeoPoint centroid() const;
  // Area in square metres on a local equirectangular projection.
  double area_m2() const;

 private:
  std::vector<Polygon> polygons_;
  BoundingBox bbox_;
};

// Great-circle distance in metres.
double distance_m(const GeoPoint& a, const GeoPoint& b);

}  // namespace pingan
