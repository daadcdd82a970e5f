#include "analytics/hotspot.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "analytics/forecast_source.h"
#include "analytics/getis_ord.h"

namespace pingan::analytics {
namespace {

constexpr double kKdeShownShare = 1e-3;
constexpr int kMaxLimit = 100'000;

}  // namespace

const char* hotspot_method_name(HotspotMethod method) {
  switch (method) {
    case HotspotMethod::kCounts: return "counts";
    case HotspotMethod::kKde: return "kde";
    case HotspotMethod::kGiStar: return "gistar";
  }
  return "?";
}

Result<HotspotMethod> parse_hotspot_method(std::string_view name) {
  if (name == "counts") return HotspotMethod::kCounts;
  if (name == "kde") return HotspotMethod::kKde;
  if (name == "gistar") return HotspotMethod::kGiStar;
  return Error::invalid("method", fmt::format("'{}' is not counts, kde or gistar", name));
}

Status validate_hotspot_request(const HotspotRequest& r) {
  PINGAN_RETURN_IF_ERROR(check_cell_size(r.cell_m));
  PINGAN_RETURN_IF_ERROR(validate_kernel(r.kernel));
  if (!std::isfinite(r.band_m) || r.band_m < 0 || r.band_m > 50 * r.cell_m)
    return Error::invalid("band", "must be 0..50 cells (0 = 1.5 cells)");
  if (!(r.fdr_alpha > 0 && r.fdr_alpha < 1)) return Error::invalid("alpha", "must be in (0, 1)");
  if (r.limit < 1 || r.limit > kMaxLimit)
    return Error::invalid("limit", fmt::format("must be 1..{}", kMaxLimit));
  if (r.filter.until <= r.filter.from) return Error::invalid("to", "must be after from");
  return {};
}

Result<HotspotResult> compute_hotspots(const IncidentIndex& index, const HotspotRequest& request,
                                       const Deadline& deadline) {
  constexpr const char* kWhat = "the hotspot computation";
  PINGAN_RETURN_IF_ERROR(validate_hotspot_request(request));
  const CostBudgets& budgets = request.budgets;
  if (std::isfinite(budgets.map_events))
    PINGAN_RETURN_IF_ERROR(
        price_map_events(static_cast<double>(index.count(request.filter)), "from", budgets));
  CollectedEvents collected = collect_events(index, request.filter, EventOrder::kAsStored);
  const auto units = units_in_scope(*index.units(), request.filter.scope);
  const double margin = request.method == HotspotMethod::kKde ? kernel_map_margin_m(request.kernel) : 0;
  HotspotResult out;
  out.method = request.method;
  out.cell_m = request.cell_m;
  out.unlocated = collected.unlocated;
  const bool has_boundaries = boundary_extent(units, index.projection()).has_value();
  if (collected.events.empty() && !has_boundaries) return out;
  PINGAN_ASSIGN_OR_RETURN(Grid grid, grid_for_scope(units, index.projection(), collected.events,
                                                     request.cell_m, margin));
  // The price, from the grid and the incidents, before any work per cell.
  const auto located = static_cast<double>(collected.events.size());
  // The method's own rule first: its suggestions fit the grid's too.
  if (request.method == HotspotMethod::kGiStar) {
    // The area: the cells inside the boundaries (at most the grid's), or the
    // cells with incidents (at most the incidents).
    const double area_bound = has_boundaries ? grid.size() : std::min<double>(grid.size(), located);
    PINGAN_RETURN_IF_ERROR(price_gistar(grid, area_bound, request.band_m, budgets));
  } else if (request.method == HotspotMethod::kKde) {
    PINGAN_RETURN_IF_ERROR(price_kde(grid, located, request.kernel, budgets));
  }
  PINGAN_RETURN_IF_ERROR(price_map_grid(grid, budgets));

  const std::vector<double> counts = count_per_cell(grid, collected.events);
  for (double c : counts) out.incidents += static_cast<std::int64_t>(c);
  const StudyArea area = study_area(grid, index.projection(), units, collected.events, deadline);
  PINGAN_RETURN_IF_ERROR(deadline.check(kWhat));
  out.area_basis = area.basis;
  out.area_cells = static_cast<std::int64_t>(area.cells.size());

  std::vector<double> density, z;
  std::vector<bool> fdr;
  std::vector<int> shown;
  if (request.method == HotspotMethod::kKde) {
    out.bandwidth_m = request.kernel.bandwidth_m;
    density = kernel_density(grid, collected.events, request.kernel, deadline);
    PINGAN_RETURN_IF_ERROR(deadline.check(kWhat));
    const double top = density.empty() ? 0 : *std::max_element(density.begin(), density.end());
    for (int c = 0; c < grid.size(); ++c)
      if (top > 0 && density[static_cast<size_t>(c)] >= top * kKdeShownShare) shown.push_back(c);
  } else if (request.method == HotspotMethod::kGiStar) {
    out.band_m = request.band_m > 0 ? request.band_m : 1.5 * request.cell_m;
    if (area.cells.size() >= 2) {
      PINGAN_ASSIGN_OR_RETURN(z, gi_star_grid(grid, counts, area.mask, out.band_m, deadline));
      if (request.fdr) fdr = fdr_significant(z, request.fdr_alpha);
    } else {
      z.assign(counts.size(), 0.0);
    }
    for (int c : area.cells) {
      const int level = significance_level(z[static_cast<size_t>(c)]);
      if (level > 0) ++out.hot_cells;
      if (level < 0) ++out.cold_cells;
      if (counts[static_cast<size_t>(c)] > 0 || level != 0) shown.push_back(c);
    }
  } else {
    for (int c = 0; c < grid.size(); ++c)
      if (counts[static_cast<size_t>(c)] > 0) shown.push_back(c);
  }

  auto value = [&](int c) {
    const auto i = static_cast<size_t>(c);
    if (request.method == HotspotMethod::kKde) return density[i];
    if (request.method == HotspotMethod::kGiStar) return z[i];
    return counts[i];
  };
  std::sort(shown.begin(), shown.end(), [&](int a, int b) {
    const double va = value(a), vb = value(b);
    return va != vb ? va > vb : a < b;
  });
  if (shown.size() > static_cast<size_t>(request.limit)) {
    out.truncated = true;
    shown.resize(static_cast<size_t>(request.limit));
  }
  out.cells.reserve(shown.size());
  for (int c : shown) {
    const auto i = static_cast<size_t>(c);
    HotspotCell cell;
    cell.cell = c;
    cell.key = cell_key(grid, c);
    cell.centre = cell_centre_geo(grid, c, index.projection());
    cell.outline = cell_outline_geo(grid, c, index.projection());
    cell.count = counts[i];
    if (!density.empty()) cell.density = density[i];
    if (!z.empty()) {
      cell.z = std::isfinite(z[i]) ? z[i] : 0;
      cell.significance = significance_level(cell.z);
      cell.fdr_significant = !fdr.empty() && fdr[i];
    }
    out.cells.push_back(std::move(cell));
  }
  return out;
}

}  // namespace pingan::analytics
