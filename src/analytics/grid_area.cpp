#include "analytics/grid_area.h"

#include <algorithm>
#include <cmath>

#include "analytics/index_projection.h"

namespace pingan::analytics {
namespace {

constexpr double kTrimmedShare = 0.0005;

double quantile(std::vector<double>& v, double q) {
  const auto k = static_cast<size_t>(std::floor(q * static_cast<double>(v.size() - 1)));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

}  // namespace

const char* area_basis_name(AreaBasis basis) {
  return basis == AreaBasis::kUnitBoundaries ? "unit_boundaries" : "cells_with_incidents";
}

std::vector<const Unit*> units_in_scope(const UnitTree& tree, const UnitScope& scope) {
  std::vector<const Unit*> out;
  for (const Unit& u : tree.units()) {
    if (scope.all) {
      out.push_back(&u);
      continue;
    }
    for (const std::string& code : tree.path(u.code)) {
      if (std::find(scope.root_codes.begin(), scope.root_codes.end(), code) !=
          scope.root_codes.end()) {
        out.push_back(&u);
        break;
      }
    }
  }
  return out;
}

std::optional<MetreBox> boundary_extent(std::span<const Unit* const> units,
                                        const LocalProjection& projection) {
  std::optional<MetreBox> box;
  for (const Unit* u : units) {
    if (u->boundary.empty()) continue;
    const BoundingBox& b = u->boundary.bbox();
    std::int32_t x0, y0, x1, y1;
    projection.to_metres(GeoPoint{b.min_lat, b.min_lon}, &x0, &y0);
    projection.to_metres(GeoPoint{b.max_lat, b.max_lon}, &x1, &y1);
    if (!box) {
      box = MetreBox{double(x0), double(y0), double(x1), double(y1)};
    } else {
      box->min_x = std::min(box->min_x, double(x0));
      box->min_y = std::min(box->min_y, double(y0));
      box->max_x = std::max(box->max_x, double(x1));
      box->max_y = std::max(box->max_y, double(y1));
    }
  }
  return box;
}

StudyArea study_area(const Grid& grid, const LocalProjection& projection,
                     std::span<const Unit* const> units, std::span<const EventPoint> history,
                     const Deadline& deadline) {
  StudyArea area;
  std::vector<const Boundary*> boundaries;
  for (const Unit* u : units)
    if (!u->boundary.empty()) boundaries.push_back(&u->boundary);
  area.units_with_boundaries = static_cast<int>(boundaries.size());
  if (!boundaries.empty()) {
    area.basis = AreaBasis::kUnitBoundaries;
    area.mask = cells_inside(grid, projection, boundaries, deadline);
  } else {
    area.basis = AreaBasis::kCellsWithIncidents;
    area.mask.assign(static_cast<size_t>(grid.size()), 0);
    for (const EventPoint& e : history) {
      const int c = grid.cell_of(e.x, e.y);
      if (c >= 0) area.mask[static_cast<size_t>(c)] = 1;
    }
  }
  for (int c = 0; c < grid.size(); ++c)
    if (area.mask[static_cast<size_t>(c)]) area.cells.push_back(c);
  return area;
}

Result<Grid> grid_for_scope(std::span<const Unit* const> units, const LocalProjection& projection,
                            std::span<const EventPoint> events, double cell_m, double margin_m) {
  if (auto box = boundary_extent(units, projection))
    return Grid::covering(box->min_x, box->min_y, box->max_x, box->max_y, cell_m, margin_m);
  if (events.empty()) return Error::invalid("scope", "no incidents with a location and no unit boundaries to map");
  std::vector<double> xs, ys;
  xs.reserve(events.size());
  ys.reserve(events.size());
  for (const EventPoint& e : events) {
    xs.push_back(e.x);
    ys.push_back(e.y);
  }
  const double lo = events.size() >= 2000 ? kTrimmedShare : 0, hi = 1 - lo;
  return Grid::covering(quantile(xs, lo), quantile(ys, lo), quantile(xs, hi), quantile(ys, hi),
                        cell_m, margin_m);
}

}  // namespace pingan::analytics
