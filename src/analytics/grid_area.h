#pragma once
// The study area of a hotspot map or a forecast: the cells that count as
// "the area A" of PAI and as the observations of Gi*. When units in scope
// have boundaries, the cells whose centres lie inside them; otherwise the
// cells where incidents happened in the history given (the honest fallback
// when polygons are missing: a bounding box would count fields and rivers).

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "analytics/grid.h"
#include "core/unit.h"

namespace pingan::analytics {

struct LocalProjection;

enum class AreaBasis {
  kUnitBoundaries,     // cells inside the boundaries of the units in scope
  kCellsWithIncidents  // cells holding at least one incident of the history
};
const char* area_basis_name(AreaBasis basis);

struct StudyArea {
  AreaBasis basis = AreaBasis::kCellsWithIncidents;
  std::vector<int> cells;             // ascending cell indices
  std::vector<std::uint8_t> mask;     // per grid cell: 1 inside
  int units_with_boundaries = 0;
};

// The units of the tree that a scope sees (its subtrees, or all).
std::vector<const Unit*> units_in_scope(const UnitTree& tree, const UnitScope& scope);

// Bounding box in local metres of the boundaries of the given units; empty
// when none has a boundary.
struct MetreBox {
  double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
};
std::optional<MetreBox> boundary_extent(std::span<const Unit* const> units,
                                        const LocalProjection& projection);

// When the deadline passes midway the area is incomplete: a caller that
// passes one checks it after.
StudyArea study_area(const Grid& grid, const LocalProjection& projection,
                     std::span<const Unit* const> units, std::span<const EventPoint> history,
                     const Deadline& deadline = Deadline::none());

// The grid for a scope: over the boundaries of its units (plus margin_m)
// when any has one, else over the events, leaving out the 0.05% most
// extreme coordinates on each side (a few points geocoded to another
// continent would otherwise make a grid of millions of empty cells).
Result<Grid> grid_for_scope(std::span<const Unit* const> units, const LocalProjection& projection,
                            std::span<const EventPoint> events, double cell_m, double margin_m);

}  // namespace pingan::analytics
