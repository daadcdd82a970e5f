#pragma once
// The map of the demo district: a 20 km x 15 km rectangle near Jinan tiled by
// 8 station areas, each tiled by 5 community areas (Voronoi cells of seeded
// points, relaxed towards a density so that town-centre cells are small and
// outskirts large), with residential blocks, roads, a population per
// community and a few dozen hotspots. Geometry is computed on a local plane
// in metres and stored as WGS84 rings.

#include <cstdint>
#include <string>
#include <vector>

#include "core/geo.h"
#include "ingest/demo_profiles.h"
#include "ingest/demo_random.h"

namespace pingan::ingest {

struct Xy {
  double x = 0, y = 0;  // metres east and north of the district centre
};

// Converts between the local plane and WGS84 (equirectangular; the error over
// 20 km is far below the 0.1 m to which points are rounded).
struct Plane {
  static constexpr double kCentreLat = 36.65, kCentreLon = 117.00;
  double metres_per_deg_lat = 0, metres_per_deg_lon = 0;
  Plane();
  GeoPoint to_geo(Xy p) const;
  Xy to_xy(GeoPoint g) const;
};

struct DemoStation {
  std::string code, name;
  std::vector<Xy> polygon;  // convex, counter-clockwise
  Boundary boundary;
  double response_factor = 1;  // > 1: slower than the district's norm (fewer patrol cars)
};

struct DemoCommunity {
  std::string code, name;
  int station = 0;
  std::vector<Xy> polygon;  // convex, counter-clockwise, inside its station's
  Boundary boundary;
  double population = 0;  // residents, the weight of the background
  double urbanity = 0;    // 0 outskirts .. 1 town centre
  std::vector<Xy> blocks;  // centres of residential compounds
  std::vector<std::string> compounds;  // names of the blocks
  std::vector<int> roads;  // indices into road_name()
  std::vector<double> fan_cumulative;  // areas of the triangle fan, for uniform points
};

struct DemoHotspot {
  HotspotKind kind = HotspotKind::kMarket;
  std::string name;
  Xy centre;
  double sigma_m = 100;  // spread of incidents around the centre
  double strength = 1;
  int community = 0;     // the community holding the centre
};

class DemoGeography {
 public:
  static constexpr double kHalfWidthM = 10000, kHalfHeightM = 7500;

  // Deterministic in the seed.
  explicit DemoGeography(std::uint64_t seed);

  const Plane& plane() const { return plane_; }
  const std::vector<DemoStation>& stations() const { return stations_; }
  const std::vector<DemoCommunity>& communities() const { return communities_; }
  const std::vector<DemoHotspot>& hotspots() const { return hotspots_; }

  // Relative residential density at a point (1 = the town core).
  double density(Xy p) const;
  bool in_district(Xy p) const;
  // The community whose boundary contains the WGS84 point, or -1.
  int locate(const GeoPoint& p) const;
  // A uniform point of the community's polygon.
  Xy uniform_point(int community, Random& random) const;

 private:
  void build_stations(Random& random);
  void build_communities(Random& random);
  void build_hotspots(Random& random);
  void build_lookup();

  Plane plane_;
  std::vector<DemoStation> stations_;
  std::vector<DemoCommunity> communities_;
  std::vector<DemoHotspot> hotspots_;
  // A grid over the district; each cell lists the communities whose bounding
  // box meets it, so locate() tests one to three polygons.
  static constexpr int kGridCols = 100, kGridRows = 75;
  std::vector<std::uint32_t> grid_offsets_;
  std::vector<std::uint16_t> grid_members_;
  BoundingBox grid_box_;
};

}  // namespace pingan::ingest
