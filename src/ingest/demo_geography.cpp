#include "ingest/demo_geography.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "ingest/demo_text.h"

namespace pingan::ingest {
namespace {

constexpr double kEarthRadiusM = 6371008.8;  // as in core/geo.cpp
constexpr double kDegToRad = M_PI / 180.0;

// The old town core sits a little north-west of the centre; a newer town
// grows in the south-east next to the high-tech park.
constexpr Xy kOldTown{-1200, 900};
constexpr Xy kNewTown{5600, -2600};
constexpr double kCoreDensity = 1.0 + 0.08;
// Residents per square metre where density() is 1 (a dense Chinese town core).
constexpr double kResidentsPerM2AtCore = 0.0068;

double round_to(double v, double unit) { return std::round(v / unit) * unit; }

double cross(Xy o, Xy a, Xy b) { return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x); }

// Keeps the part of a convex polygon closer to `keep` than to `other`
// (one Sutherland-Hodgman step against their perpendicular bisector).
std::vector<Xy> clip_towards(const std::vector<Xy>& poly, Xy keep, Xy other) {
  // Inside when 2 p.(other-keep) <= |other|^2 - |keep|^2.
  const double nx = other.x - keep.x, ny = other.y - keep.y;
  const double c = (other.x * other.x + other.y * other.y - keep.x * keep.x - keep.y * keep.y) / 2;
  auto side = [&](Xy p) { return p.x * nx + p.y * ny - c; };  // <= 0 inside
  std::vector<Xy> out;
  out.reserve(poly.size() + 1);
  for (size_t i = 0; i < poly.size(); ++i) {
    Xy a = poly[i], b = poly[(i + 1) % poly.size()];
    double sa = side(a), sb = side(b);
    if (sa <= 0) out.push_back(a);
    if ((sa <= 0) != (sb <= 0)) {
      double t = sa / (sa - sb);
      out.push_back({a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)});
    }
  }
  return out;
}

std::vector<Xy> voronoi_cell(const std::vector<Xy>& container, const std::vector<Xy>& seeds, size_t i) {
  std::vector<Xy> cell = container;
  for (size_t j = 0; j < seeds.size() && !cell.empty(); ++j)
    if (j != i) cell = clip_towards(cell, seeds[i], seeds[j]);
  return cell;
}

double area(const std::vector<Xy>& poly) {
  double a = 0;
  for (size_t i = 0; i < poly.size(); ++i) {
    const Xy& p = poly[i];
    const Xy& q = poly[(i + 1) % poly.size()];
    a += p.x * q.y - q.x * p.y;
  }
  return a / 2;
}

Xy centroid(const std::vector<Xy>& poly) {
  double a = 0, cx = 0, cy = 0;
  for (size_t i = 0; i < poly.size(); ++i) {
    const Xy& p = poly[i];
    const Xy& q = poly[(i + 1) % poly.size()];
    double w = p.x * q.y - q.x * p.y;
    a += w;
    cx += (p.x + q.x) * w;
    cy += (p.y + q.y) * w;
  }
  if (a == 0) return poly.empty() ? Xy{} : poly.front();
  return {cx / (3 * a), cy / (3 * a)};
}

bool inside_convex(const std::vector<Xy>& poly, Xy p) {
  for (size_t i = 0; i < poly.size(); ++i)
    if (cross(poly[i], poly[(i + 1) % poly.size()], p) < 0) return false;
  return !poly.empty();
}

struct Box {
  double min_x, min_y, max_x, max_y;
};
Box box_of(const std::vector<Xy>& poly) {
  Box b{1e18, 1e18, -1e18, -1e18};
  for (Xy p : poly) {
    b.min_x = std::min(b.min_x, p.x);
    b.min_y = std::min(b.min_y, p.y);
    b.max_x = std::max(b.max_x, p.x);
    b.max_y = std::max(b.max_y, p.y);
  }
  return b;
}

Xy uniform_in_box(const Box& b, Random& random) {
  return {random.uniform(b.min_x, b.max_x), random.uniform(b.min_y, b.max_y)};
}

// Rejection-samples a point of a convex polygon.
Xy uniform_in(const std::vector<Xy>& poly, Random& random) {
  Box b = box_of(poly);
  for (int tries = 0; tries < 1000; ++tries) {
    Xy p = uniform_in_box(b, random);
    if (inside_convex(poly, p)) return p;
  }
  return centroid(poly);
}

double distance(Xy a, Xy b) { return std::hypot(a.x - b.x, a.y - b.y); }

}  // namespace

Plane::Plane() {
  metres_per_deg_lat = kEarthRadiusM * kDegToRad;
  metres_per_deg_lon = metres_per_deg_lat * std::cos(kCentreLat * kDegToRad);
}

GeoPoint Plane::to_geo(Xy p) const {
  return {kCentreLat + p.y / metres_per_deg_lat, kCentreLon + p.x / metres_per_deg_lon};
}

Xy Plane::to_xy(GeoPoint g) const {
  return {(g.lon - kCentreLon) * metres_per_deg_lon, (g.lat - kCentreLat) * metres_per_deg_lat};
}

DemoGeography::DemoGeography(std::uint64_t seed) {
  // The map has its own stream so that it does not shift when incident
  // generation changes.
  Random random(seed ^ 0x67656f6772617068ULL);
  build_stations(random);
  build_communities(random);
  build_lookup();
  build_hotspots(random);
}

double DemoGeography::density(Xy p) const {
  return std::exp(-distance(p, kOldTown) / 3500) + 0.45 * std::exp(-distance(p, kNewTown) / 2500) + 0.08;
}

bool DemoGeography::in_district(Xy p) const {
  return std::fabs(p.x) < kHalfWidthM && std::fabs(p.y) < kHalfHeightM;
}

namespace {

Boundary to_boundary(const std::vector<Xy>& poly, const Plane& plane) {
  Ring ring;
  ring.reserve(poly.size() + 1);
  for (Xy p : poly) {
    GeoPoint g = plane.to_geo(p);
    // Seven decimals (1 cm): vertices shared by neighbours, computed twice,
    // round to the same value.
    ring.push_back({round_to(g.lat, 1e-7), round_to(g.lon, 1e-7)});
  }
  ring.push_back(ring.front());
  return Boundary({Polygon{std::move(ring)}});
}

}  // namespace

void DemoGeography::build_stations(Random& random) {
  const std::vector<Xy> district = {{-kHalfWidthM, -kHalfHeightM},
                                    {kHalfWidthM, -kHalfHeightM},
                                    {kHalfWidthM, kHalfHeightM},
                                    {-kHalfWidthM, kHalfHeightM}};
  // A 4 x 2 grid of seeds, jittered and drawn a little towards the old town
  // so that the central stations cover less ground.
  std::vector<Xy> seeds;
  for (int row = 0; row < 2; ++row)
    for (int col = 0; col < 4; ++col) {
      Xy p{-7500 + 5000.0 * col + random.uniform(-1000, 1000),
           3750 - 7500.0 * row + random.uniform(-1300, 1300)};
      p.x += 0.18 * (kOldTown.x - p.x);
      p.y += 0.12 * (kOldTown.y - p.y);
      seeds.push_back(p);
    }
  for (int s = 0; s < kStationCount; ++s) {
    DemoStation st;
    st.code = fmt::format("PA-S{:02}", s + 1);
    st.name = std::string(station_name(s));
    st.polygon = voronoi_cell(district, seeds, size_t(s));
    st.boundary = to_boundary(st.polygon, plane_);
    st.response_factor = random.lognormal(1.0, 0.08);
    stations_.push_back(std::move(st));
  }
}

void DemoGeography::build_communities(Random& random) {
  for (int s = 0; s < kStationCount; ++s) {
    const std::vector<Xy>& container = stations_[size_t(s)].polygon;
    const double spacing = std::sqrt(std::fabs(area(container)) / kCommunitiesPerStation) * 0.5;
    std::vector<Xy> seeds;
    for (int tries = 0; seeds.size() < kCommunitiesPerStation; ++tries) {
      Xy p = uniform_in(container, random);
      bool far = std::all_of(seeds.begin(), seeds.end(), [&](Xy q) { return distance(p, q) >= spacing; });
      if (far || tries > 500) seeds.push_back(p);
    }
    // Lloyd relaxation towards density-weighted centroids: evenly shaped
    // cells, smaller where more people live.
    std::vector<std::vector<Xy>> cells(seeds.size());
    for (int iteration = 0; iteration < 8; ++iteration) {
      for (size_t i = 0; i < seeds.size(); ++i) cells[i] = voronoi_cell(container, seeds, i);
      for (size_t i = 0; i < seeds.size(); ++i) {
        Box b = box_of(cells[i]);
        double sw = 0, sx = 0, sy = 0;
        constexpr int kSteps = 20;
        for (int a = 0; a < kSteps; ++a)
          for (int c = 0; c < kSteps; ++c) {
            Xy p{b.min_x + (a + 0.5) * (b.max_x - b.min_x) / kSteps,
                 b.min_y + (c + 0.5) * (b.max_y - b.min_y) / kSteps};
            if (!inside_convex(cells[i], p)) continue;
            double w = density(p) * density(p);
            sw += w;
            sx += w * p.x;
            sy += w * p.y;
          }
        if (sw > 0) seeds[i] = {sx / sw, sy / sw};
      }
    }
    // Number the communities from north to south.
    std::sort(seeds.begin(), seeds.end(), [](Xy a, Xy b) { return a.y > b.y || (a.y == b.y && a.x < b.x); });
    for (size_t i = 0; i < seeds.size(); ++i) {
      const int index = s * kCommunitiesPerStation + int(i);
      DemoCommunity c;
      c.code = fmt::format("PA-S{:02}-C{:02}", s + 1, i + 1);
      c.name = community_name(index);
      c.station = s;
      c.polygon = voronoi_cell(container, seeds, i);
      c.boundary = to_boundary(c.polygon, plane_);
      // Residents: density integrated over the cell, with some noise.
      Box b = box_of(c.polygon);
      double people = 0;
      constexpr int kSteps = 24;
      const double cell_m2 = (b.max_x - b.min_x) * (b.max_y - b.min_y) / (kSteps * kSteps);
      for (int a = 0; a < kSteps; ++a)
        for (int d = 0; d < kSteps; ++d) {
          Xy p{b.min_x + (a + 0.5) * (b.max_x - b.min_x) / kSteps,
               b.min_y + (d + 0.5) * (b.max_y - b.min_y) / kSteps};
          if (inside_convex(c.polygon, p)) people += density(p) * cell_m2 * kResidentsPerM2AtCore;
        }
      c.population = std::round(people * random.lognormal(1.0, 0.2));
      c.urbanity = std::clamp(density(centroid(c.polygon)) / kCoreDensity, 0.0, 1.0);
      // Compounds: the denser of two candidate spots, so they gather in town.
      for (int k = 0; k < 4; ++k) {
        Xy p = uniform_in(c.polygon, random), q = uniform_in(c.polygon, random);
        c.blocks.push_back(density(p) >= density(q) ? p : q);
        c.compounds.push_back(compound_name(index, k));
      }
      while (c.roads.size() < 3) {
        int road = int(random.below(std::uint32_t(road_count())));
        if (std::find(c.roads.begin(), c.roads.end(), road) == c.roads.end()) c.roads.push_back(road);
      }
      double total = 0;
      for (size_t k = 1; k + 1 < c.polygon.size(); ++k) {
        total += std::fabs(cross(c.polygon[0], c.polygon[k], c.polygon[k + 1])) / 2;
        c.fan_cumulative.push_back(total);
      }
      communities_.push_back(std::move(c));
    }
  }
}

void DemoGeography::build_lookup() {
  for (const DemoStation& s : stations_) {
    grid_box_.extend({s.boundary.bbox().min_lat, s.boundary.bbox().min_lon});
    grid_box_.extend({s.boundary.bbox().max_lat, s.boundary.bbox().max_lon});
  }
  const double cell_lat = (grid_box_.max_lat - grid_box_.min_lat) / kGridRows;
  const double cell_lon = (grid_box_.max_lon - grid_box_.min_lon) / kGridCols;
  std::vector<std::vector<std::uint16_t>> cells(size_t(kGridRows * kGridCols));
  for (size_t c = 0; c < communities_.size(); ++c) {
    const BoundingBox& b = communities_[c].boundary.bbox();
    int r0 = std::max(0, int((b.min_lat - grid_box_.min_lat) / cell_lat) - 1);
    int r1 = std::min(kGridRows - 1, int((b.max_lat - grid_box_.min_lat) / cell_lat) + 1);
    int c0 = std::max(0, int((b.min_lon - grid_box_.min_lon) / cell_lon) - 1);
    int c1 = std::min(kGridCols - 1, int((b.max_lon - grid_box_.min_lon) / cell_lon) + 1);
    for (int r = r0; r <= r1; ++r)
      for (int col = c0; col <= c1; ++col) cells[size_t(r * kGridCols + col)].push_back(std::uint16_t(c));
  }
  grid_offsets_.push_back(0);
  for (const auto& cell : cells) {
    grid_members_.insert(grid_members_.end(), cell.begin(), cell.end());
    grid_offsets_.push_back(std::uint32_t(grid_members_.size()));
  }
}

int DemoGeography::locate(const GeoPoint& p) const {
  if (!grid_box_.contains(p)) return -1;
  int row = int((p.lat - grid_box_.min_lat) / (grid_box_.max_lat - grid_box_.min_lat) * kGridRows);
  int col = int((p.lon - grid_box_.min_lon) / (grid_box_.max_lon - grid_box_.min_lon) * kGridCols);
  row = std::clamp(row, 0, kGridRows - 1);
  col = std::clamp(col, 0, kGridCols - 1);
  size_t cell = size_t(row * kGridCols + col);
  for (std::uint32_t i = grid_offsets_[cell]; i < grid_offsets_[cell + 1]; ++i)
    if (communities_[grid_members_[i]].boundary.contains(p)) return grid_members_[i];
  return -1;
}

Xy DemoGeography::uniform_point(int community, Random& random) const {
  const DemoCommunity& c = communities_[size_t(community)];
  size_t k = random.pick(c.fan_cumulative) + 1;
  Xy a = c.polygon[0], b = c.polygon[k], d = c.polygon[k + 1];
  double r1 = std::sqrt(random.uniform()), r2 = random.uniform();
  return {(1 - r1) * a.x + r1 * (1 - r2) * b.x + r1 * r2 * d.x,
          (1 - r1) * a.y + r1 * (1 - r2) * b.y + r1 * r2 * d.y};
}

void DemoGeography::build_hotspots(Random& random) {
  // Where each kind sits: acceptance of a candidate spot by its urbanity u
  // (0 outskirts .. 1 old town) and position (the high-tech industry lies
  // east, by the new town).
  struct KindPlan {
    HotspotKind kind;
    int count;
    double sigma_m, strength;
    double (*acceptance)(double u, Xy p);
  };
  static const KindPlan kPlans[] = {
      {HotspotKind::kMarket, 5, 120, 1.0, [](double u, Xy) { return u; }},
      {HotspotKind::kNightlife, 3, 150, 1.4, [](double u, Xy) { return u * u * u; }},
      {HotspotKind::kTransport, 2, 200, 1.5, [](double u, Xy) { return u * (1 - u) * 4; }},
      {HotspotKind::kSchool, 6, 90, 0.5, [](double u, Xy) { return std::pow(u, 0.7); }},
      {HotspotKind::kMall, 4, 110, 1.0, [](double u, Xy) { return u * u * u; }},
      {HotspotKind::kHospital, 3, 90, 0.8, [](double u, Xy) { return u * u * u; }},
      {HotspotKind::kOldCompound, 5, 180, 0.9, [](double u, Xy) { return u * u; }},
      {HotspotKind::kUrbanVillage, 3, 250, 1.2, [](double u, Xy) { return u * (1 - u) * 4; }},
      {HotspotKind::kIndustrial, 2, 400, 0.8,
       [](double u, Xy p) { return (1 - u) * (1 - u) * (p.x > 3000 ? 1.0 : 0.03); }},
      {HotspotKind::kPark, 4, 150, 0.6, [](double u, Xy) { return std::pow(u, 0.8); }},
      {HotspotKind::kEntertainment, 4, 70, 0.8, [](double u, Xy) { return u * u; }},
      {HotspotKind::kJunction, 4, 60, 0.9, [](double u, Xy) { return std::pow(u, 0.7); }},
  };
  constexpr double kInsetM = 600, kMinSpacingM = 500;
  for (const KindPlan& plan : kPlans) {
    for (int ordinal = 0; ordinal < plan.count; ++ordinal) {
      Xy centre;
      for (int tries = 0; tries < 5000; ++tries) {
        centre = {random.uniform(-kHalfWidthM + kInsetM, kHalfWidthM - kInsetM),
                  random.uniform(-kHalfHeightM + kInsetM, kHalfHeightM - kInsetM)};
        double u = std::clamp(density(centre) / kCoreDensity, 0.0, 1.0);
        if (!random.chance(plan.acceptance(u, centre))) continue;
        bool spaced = std::all_of(hotspots_.begin(), hotspots_.end(),
                                  [&](const DemoHotspot& h) { return distance(h.centre, centre) >= kMinSpacingM; });
        if (spaced) break;
      }
      int community = locate(plane_.to_geo(centre));
      if (community < 0) community = 0;  // exactly on an edge: any neighbour will do for naming
      const DemoCommunity& c = communities_[size_t(community)];
      DemoHotspot h;
      h.kind = plan.kind;
      h.centre = centre;
      h.sigma_m = plan.sigma_m;
      h.strength = plan.strength * random.lognormal(1.0, 0.35);
      h.community = community;
      h.name = hotspot_name(plan.kind, ordinal, community_root(community), road_name(c.roads[0]),
                            road_name(c.roads[1]));
      // Two of a kind in one community: name the second after its road.
      for (const DemoHotspot& other : hotspots_)
        if (other.name == h.name) {
          h.name = hotspot_name(plan.kind, ordinal, road_name(c.roads[2]), road_name(c.roads[2]),
                                road_name(c.roads[0]));
          break;
        }
      hotspots_.push_back(std::move(h));
    }
  }
}

}  // namespace pingan::ingest
