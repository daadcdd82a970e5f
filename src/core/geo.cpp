#include "core/geo.h"

#include <fmt/format.h>

#include <cmath>

namespace pingan {
namespace {

constexpr double kEarthRadiusM = 6371008.8;
constexpr double kDegToRad = M_PI / 180.0;

// Even-odd ray casting; points exactly on an edge may fall either way.
bool ring_contains(const Ring& ring, const GeoPoint& p) {
  bool inside = false;
  for (size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
    const GeoPoint& a = ring[i];
    const GeoPoint& b = ring[j];
    if ((a.lat > p.lat) != (b.lat > p.lat) &&
        p.lon < (b.lon - a.lon) * (p.lat - a.lat) / (b.lat - a.lat) + a.lon)
      inside = !inside;
  }
  return inside;
}

// Signed area in degree units and the ring's centroid (shoelace formula).
double ring_area_deg(const Ring& r, double* cx, double* cy) {
  double a = 0, x = 0, y = 0;
  for (size_t i = 0, j = r.size() - 1; i < r.size(); j = i++) {
    double cross = r[j].lon * r[i].lat - r[i].lon * r[j].lat;
    a += cross;
    x += (r[j].lon + r[i].lon) * cross;
    y += (r[j].lat + r[i].lat) * cross;
  }
  a /= 2;
  if (a != 0) {
    *cx = x / (6 * a);
    *cy = y / (6 * a);
  }
  return a;
}

}  // namespace

Status validate_point(const GeoPoint& p, const std::string& field) {
  if (!std::isfinite(p.lat) || p.lat < -90 || p.lat > 90)
    return Error::invalid(field + ".lat", fmt::format("latitude {} is outside -90..90", p.lat));
  if (!std::isfinite(p.lon) || p.lon < -180 || p.lon > 180)
    return Error::invalid(field + ".lon", fmt::format("longitude {} is outside -180..180", p.lon));
  return {};
}

void BoundingBox::extend(const GeoPoint& p) {
  min_lat = std::min(min_lat, p.lat);
  max_lat = std::max(max_lat, p.lat);
  min_lon = std::min(min_lon, p.lon);
  max_lon = std::max(max_lon, p.lon);
}

Boundary::Boundary(std::vector<Polygon> polygons) : polygons_(std::move(polygons)) {
  for (const auto& poly : polygons_)
    if (!poly.empty())
      for (const auto& p : poly.front()) bbox_.extend(p);
}

bool Boundary::contains(const GeoPoint& p) const {
  if (polygons_.empty() || !bbox_.contains(p)) return false;
  for (const auto& poly : polygons_) {
    if (poly.empty() || !ring_contains(poly.front(), p)) continue;
    bool in_hole = false;
    for (size_t h = 1; h < poly.size() && !in_hole; ++h) in_hole = ring_contains(poly[h], p);
    if (!in_hole) return true;
  }
  return false;
}

GeoPoint Boundary::centroid() const {
  double total = 0, sx = 0, sy = 0;
  for (const auto& poly : polygons_) {
    if (poly.empty() || poly.front().size() < 3) continue;
    double cx = 0, cy = 0;
    double a = std::fabs(ring_area_deg(poly.front(), &cx, &cy));
    total += a;
    sx += cx * a;
    sy += cy * a;
  }
  if (total == 0) return {(bbox_.min_lat + bbox_.max_lat) / 2, (bbox_.min_lon + bbox_.max_lon) / 2};
  return {sy / total, sx / total};
}

double Boundary::area_m2() const {
  if (bbox_.empty()) return 0;
  double lat0 = (bbox_.min_lat + bbox_.max_lat) / 2 * kDegToRad;
  double m_per_deg = kEarthRadiusM * kDegToRad;
  double total = 0;
  for (const auto& poly : polygons_)
    for (size_t r = 0; r < poly.size(); ++r) {
      double cx, cy;
      double a = std::fabs(ring_area_deg(poly[r], &cx, &cy)) * m_per_deg * m_per_deg * std::cos(lat0);
      total += r == 0 ? a : -a;
    }
  return total;
}

double distance_m(const GeoPoint& a, const GeoPoint& b) {
  double dlat = (b.lat - a.lat) * kDegToRad, dlon = (b.lon - a.lon) * kDegToRad;
  double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
             std::cos(a.lat * kDegToRad) * std::cos(b.lat * kDegToRad) * std::sin(dlon / 2) *
                 std::sin(dlon / 2);
  return 2 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(h)));
}

}  // namespace pingan
