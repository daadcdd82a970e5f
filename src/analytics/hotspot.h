#pragma once
// Hotspot maps over the incident index: counts per grid cell, a kernel
// density surface, and Getis-Ord Gi* z-scores marking significant clusters,
// for any filter (scope, period, classes, types).

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/grid.h"
#include "analytics/grid_area.h"
#include "analytics/incident_index.h"
#include "analytics/kde.h"
#include "analytics/request_cost.h"
#include "core/deadline.h"

namespace pingan::analytics {

enum class HotspotMethod { kCounts, kKde, kGiStar };
const char* hotspot_method_name(HotspotMethod method);
// "counts", "kde" or "gistar"; errors name "method".
Result<HotspotMethod> parse_hotspot_method(std::string_view name);

struct HotspotRequest {
  RowFilter filter;
  HotspotMethod method = HotspotMethod::kCounts;
  double cell_m = 150;
  KernelSpec kernel{KernelShape::kGaussian, 300};  // the kde surface
  double band_m = 0;        // Gi* distance band; 0 = 1.5 cells (the 8 touching cells and itself)
  bool fdr = false;         // Gi*: also control the false discovery rate
  double fdr_alpha = 0.05;
  int limit = 5000;         // cells returned, highest first
  // What the map may cost (request_cost.h): the server gives its budgets,
  // the CLI none.
  CostBudgets budgets = CostBudgets::unlimited();
};
Status validate_hotspot_request(const HotspotRequest& request);

struct HotspotCell {
  int cell = 0;
  std::string key;  // cell_key(): stable across queries of the same cell size
  GeoPoint centre;
  std::array<GeoPoint, 5> outline;
  double count = 0;
  double density = 0;    // kernel density: expected incidents in the cell (kde only)
  double z = 0;          // Gi* z-score (gistar only)
  int significance = 0;  // significance_level(z): -3..3
  bool fdr_significant = false;
};

struct HotspotResult {
  HotspotMethod method = HotspotMethod::kCounts;
  double cell_m = 0, bandwidth_m = 0, band_m = 0;
  AreaBasis area_basis = AreaBasis::kCellsWithIncidents;
  std::int64_t area_cells = 0;
  std::int64_t incidents = 0;   // located incidents on the grid
  std::int64_t unlocated = 0;   // passed the filter without a location
  int hot_cells = 0, cold_cells = 0;  // Gi* significance != 0
  bool truncated = false;       // more cells than the limit
  std::vector<HotspotCell> cells;  // highest value of the method first
};

// Counts: cells with incidents. Kde: cells holding at least 0.1% of the
// densest cell. Gi*: cells of the study area with incidents or a significant
// z. The study area (Gi*'s observations): cells inside the boundaries of the
// units in scope, or, with none, the cells with incidents.
// Priced before the work (request.budgets: invalid_argument naming the
// parameter to narrow); stopped when the deadline passes (unavailable).
Result<HotspotResult> compute_hotspots(const IncidentIndex& index, const HotspotRequest& request,
                                       const Deadline& deadline = Deadline::none());

}  // namespace pingan::analytics
