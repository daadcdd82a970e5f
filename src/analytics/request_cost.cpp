#include "analytics/request_cost.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "analytics/getis_ord.h"
#include "analytics/grid.h"
#include "analytics/kde.h"

namespace pingan::analytics {
namespace {

constexpr double kMinutesPerDay = 1440;

// The grid's extent in metres, to price the same scope at another cell size.
struct Extent {
  double width = 0, height = 0;
  // Cells of an aligned grid of `cell_m` over the extent: at most one more
  // column and row than the extent holds (the alignment), so a size that
  // fits here fits the real grid.
  double cells(double cell_m) const {
    return (std::ceil(width / cell_m) + 1) * (std::ceil(height / cell_m) + 1);
  }
};

Extent extent_of(const Grid& grid) {
  return {grid.cols() * grid.cell_m(), grid.rows() * grid.cell_m()};
}

// The smallest whole number in [lo, hi] for which fits() holds, assuming it
// holds for everything above once it holds; nullopt when even hi fails.
std::optional<double> smallest_fitting(double lo, double hi, const std::function<bool(double)>& fits) {
  lo = std::ceil(lo);
  hi = std::floor(hi);
  if (lo > hi || !fits(hi)) return std::nullopt;
  while (lo < hi) {
    const double mid = std::floor((lo + hi) / 2);
    if (fits(mid)) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

// The largest whole number in [lo, hi] for which fits() holds, assuming it
// holds for everything below once it holds.
std::optional<double> largest_fitting(double lo, double hi, const std::function<bool(double)>& fits) {
  lo = std::ceil(lo);
  hi = std::floor(hi);
  if (lo > hi || !fits(lo)) return std::nullopt;
  while (lo < hi) {
    const double mid = std::ceil((lo + hi) / 2);
    if (fits(mid)) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo;
}

std::string metres(double m) { return fmt::format("{}", m); }

// " or a band of at most 120" style alternatives joined after the first.
std::string either(const std::vector<std::string>& ways) {
  std::string out;
  for (size_t i = 0; i < ways.size(); ++i) {
    if (i > 0) out += i + 1 == ways.size() ? " or " : ", ";
    out += ways[i];
  }
  return out;
}

double kde_cost(double cell_m, double events, const KernelSpec& kernel, double cols, double rows) {
  const double width = 2.0 * kernel_reach_cells(kernel, cell_m) + 1;
  const double footprint = std::min(width, cols) * std::min(width, rows);
  // The tables: 15 sub-positions per axis; a quartic stencil is sampled 5 x 5
  // times per cell for each of the 15 x 15 sub-positions.
  const double tables = kernel.shape == KernelShape::kQuartic ? 225.0 * 25.0 * width * width : 15.0 * width;
  return events * footprint + tables;
}

}  // namespace

const CostBudgets& CostBudgets::server() {
  static const CostBudgets budgets;
  return budgets;
}

const CostBudgets& CostBudgets::unlimited() {
  static const CostBudgets budgets = [] {
    constexpr double kNone = std::numeric_limits<double>::infinity();
    CostBudgets b;
    b.map_cells = b.map_events = b.gistar_neighbour_visits = b.kde_cell_updates = kNone;
    b.forecast_cell_windows = b.forecast_fit_pairs = kNone;
    b.stats_cells = b.rising_series_windows = b.response_lines = kNone;
    return b;
  }();
  return budgets;
}

std::string cost_number(double n) {
  if (!std::isfinite(n)) return "unlimited";
  if (n < 1e6) {
    // Whole numbers with thousands separators.
    const std::string digits = fmt::format("{:.0f}", std::round(n));
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
      if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
      out += digits[i];
    }
    return out;
  }
  int exponent = static_cast<int>(std::floor(std::log10(n)));
  double mantissa = std::round(n / std::pow(10.0, exponent) * 10) / 10;
  if (mantissa >= 10) {
    mantissa /= 10;
    ++exponent;
  }
  if (mantissa == std::floor(mantissa)) return fmt::format("{:.0f}e{}", mantissa, exponent);
  return fmt::format("{:.1f}e{}", mantissa, exponent);
}

Status price_map_events(double events, const char* field, const CostBudgets& budgets) {
  if (events <= budgets.map_events) return {};
  return Error::invalid(field, fmt::format("the query passes {} located incidents; the limit for one map or "
                                           "forecast is {}: use a shorter period, fewer types or a smaller unit",
                                           cost_number(events), cost_number(budgets.map_events)));
}

Status price_map_grid(const Grid& grid, const CostBudgets& budgets) {
  const double cells = static_cast<double>(grid.size());
  if (cells <= budgets.map_cells) return {};
  const Extent extent = extent_of(grid);
  const auto cell = smallest_fitting(grid.cell_m() + 1, kMaxCellM,
                                     [&](double c) { return extent.cells(c) <= budgets.map_cells; });
  return Error::invalid(
      "cell", fmt::format("cell={} lays {} cells over the scope; the limit is {}: {}", metres(grid.cell_m()),
                          cost_number(cells), cost_number(budgets.map_cells),
                          cell ? fmt::format("use cell of at least {}", *cell) : "use a smaller unit"));
}

Status price_gistar(const Grid& grid, double area_cells, double band_m, const CostBudgets& budgets) {
  const double cell_m = grid.cell_m();
  const double band = band_m > 0 ? band_m : 1.5 * cell_m;
  const double visits = area_cells * static_cast<double>(gi_star_neighbour_count(band, cell_m));
  if (visits <= budgets.gistar_neighbour_visits) return {};
  // At another cell size the area's cells scale with the cell's area (and
  // stay at most the located incidents when those bound them).
  const Extent extent = extent_of(grid);
  const double grid_cells = static_cast<double>(grid.size());
  auto visits_at = [&](double c) {
    const double cells = std::min(area_cells, extent.cells(c) * (area_cells / grid_cells) + 1);
    const double b = band_m > 0 ? band_m : 1.5 * c;
    return cells * static_cast<double>(gi_star_neighbour_count(b, c));
  };
  std::vector<std::string> ways;
  if (auto c = smallest_fitting(cell_m + 1, kMaxCellM, [&](double c) {
        return visits_at(c) <= budgets.gistar_neighbour_visits && extent.cells(c) <= budgets.map_cells;
      }))
    ways.push_back(fmt::format("use cell of at least {}", *c));
  // A narrower band helps only when the grid itself fits at this cell size.
  if (band_m > 0 && grid_cells <= budgets.map_cells) {
    if (auto b = largest_fitting(cell_m, band_m - 1, [&](double b) {
          return area_cells * static_cast<double>(gi_star_neighbour_count(b, cell_m)) <=
                 budgets.gistar_neighbour_visits;
        }))
      ways.push_back(fmt::format("a band of at most {}", *b));
  }
  if (ways.empty()) ways.push_back("use a smaller unit");
  const std::string asked = band_m > 0 ? fmt::format("cell={} with band={}", metres(cell_m), metres(band_m))
                                       : fmt::format("cell={}", metres(cell_m));
  return Error::invalid("cell", fmt::format("{} needs {} neighbour visits over the area's {} cells; the limit is "
                                            "{}: {}",
                                            asked, cost_number(visits), cost_number(area_cells),
                                            cost_number(budgets.gistar_neighbour_visits), either(ways)));
}

Status price_kde(const Grid& grid, double events, const KernelSpec& kernel, const CostBudgets& budgets) {
  const double cost = kde_cost(grid.cell_m(), events, kernel, grid.cols(), grid.rows());
  if (cost <= budgets.kde_cell_updates && static_cast<double>(grid.size()) <= budgets.map_cells) return {};
  if (cost <= budgets.kde_cell_updates) return price_map_grid(grid, budgets);
  const double limit = budgets.kde_cell_updates;
  // The scope without the kernel's margin, to lay it again with another one.
  const double margin = kernel_map_margin_m(kernel);
  const Extent scope{std::max(0.0, grid.cols() * grid.cell_m() - 2 * margin),
                     std::max(0.0, grid.rows() * grid.cell_m() - 2 * margin)};
  auto fits = [&](double cell_m, const KernelSpec& k) {
    const double m = kernel_map_margin_m(k);
    const Extent e{scope.width + 2 * m, scope.height + 2 * m};
    const double cols = std::ceil(e.width / cell_m) + 1, rows = std::ceil(e.height / cell_m) + 1;
    return cols * rows <= budgets.map_cells && kde_cost(cell_m, events, k, cols, rows) <= limit;
  };
  std::vector<std::string> ways;
  const char* field = "cell";
  if (auto b = largest_fitting(0, kernel.bandwidth_m - 1,
                               [&](double b) { return fits(grid.cell_m(), KernelSpec{kernel.shape, b}); })) {
    ways.push_back(fmt::format("use a bandwidth of at most {}", *b));
    field = "bandwidth";
  }
  if (auto c = smallest_fitting(grid.cell_m() + 1, kMaxCellM, [&](double c) { return fits(c, kernel); }))
    ways.push_back(fmt::format("{}cell of at least {}", ways.empty() ? "use " : "", *c));
  if (events > 0) ways.push_back(ways.empty() ? "use a shorter period" : "a shorter period");
  if (ways.empty()) ways.push_back("use a smaller unit");
  return Error::invalid(
      field, fmt::format("cell={} with bandwidth={} spreads {} incidents over {} cell updates; the limit is {}: {}",
                         metres(grid.cell_m()), metres(kernel.bandwidth_m), cost_number(events),
                         cost_number(cost), cost_number(limit), either(ways)));
}

Status price_etas_forecast(const Grid& grid, double window_minutes, int tuning_days, const char* window_field,
                           const char* cell_field, const CostBudgets& budgets) {
  if (window_minutes <= 0 || tuning_days <= 0) return {};
  auto windows_for = [&](double minutes) { return std::floor(tuning_days * kMinutesPerDay / minutes); };
  const double windows = windows_for(window_minutes);
  const double cost = windows * static_cast<double>(grid.size());
  if (cost <= budgets.forecast_cell_windows) return {};
  const double limit = budgets.forecast_cell_windows;
  const Extent extent = extent_of(grid);
  std::vector<std::string> ways;
  const char* named = window_field;
  if (cell_field != nullptr) {
    if (auto c = smallest_fitting(grid.cell_m() + 1, kMaxCellM, [&](double c) {
          return windows * extent.cells(c) <= limit && extent.cells(c) <= budgets.map_cells;
        })) {
      ways.push_back(fmt::format("use {} of at least {}", cell_field, *c));
      named = cell_field;
    }
  }
  // Longer windows are fewer to replay (in whole hours); they help only
  // when the grid itself fits.
  const auto hours = smallest_fitting(std::floor(window_minutes / 60) + 1, 24 * 7, [&](double h) {
    return windows_for(h * 60) * static_cast<double>(grid.size()) <= limit;
  });
  if (hours && static_cast<double>(grid.size()) <= budgets.map_cells)
    ways.push_back(fmt::format("{}windows of at least {} h ({})", ways.empty() ? "use " : "", *hours, window_field));
  if (ways.empty()) ways.push_back("use a smaller unit");
  return Error::invalid(named, fmt::format("cell={} with windows of {} h replays {} windows over {} cells to tune "
                                           "the forecast, {} cell-windows; the limit is {}: {}",
                                           metres(grid.cell_m()), cost_number(window_minutes / 60),
                                           cost_number(windows), cost_number(static_cast<double>(grid.size())),
                                           cost_number(cost), cost_number(limit), either(ways)));
}

Status price_etas_fit(double pairs, const char* scope_field, const CostBudgets& budgets) {
  if (pairs <= budgets.forecast_fit_pairs) return {};
  return Error::invalid(scope_field,
                        fmt::format("the forecast's model would pair about {} incidents with their possible triggers "
                                    "over its year of training; the limit is {}: forecast a unit with about {} of "
                                    "the incidents, or fewer types",
                                    cost_number(pairs), cost_number(budgets.forecast_fit_pairs),
                                    fmt::format("{:.0f}%", std::floor(100 * std::sqrt(budgets.forecast_fit_pairs / pairs)))));
}

Status price_stats(double buckets, double group_cells, const std::string& bucket, double period_days,
                   const CostBudgets& budgets) {
  const double cells = buckets * group_cells;
  if (cells <= budgets.stats_cells) return {};
  std::vector<std::string> ways;
  const double max_buckets = std::floor(budgets.stats_cells / std::max(group_cells, 1.0));
  const bool calendar = !bucket.empty() && buckets > 1;
  if (calendar && max_buckets >= 1)
    ways.push_back(fmt::format("a period of at most {} days or a coarser bucket",
                               cost_number(std::max(1.0, std::floor(period_days * max_buckets / buckets)))));
  ways.push_back(fmt::format("at most {} groups x subgroups (a smaller unit, fewer types, or no then_by)",
                             cost_number(std::max(1.0, std::floor(budgets.stats_cells / std::max(buckets, 1.0))))));
  const std::string what = calendar ? fmt::format("{} {} buckets of {} groups x subgroups", cost_number(buckets),
                                                  bucket, cost_number(group_cells))
                                    : fmt::format("{} groups x subgroups over {} buckets", cost_number(group_cells),
                                                  cost_number(buckets));
  return Error::invalid(calendar ? "bucket" : "group_by",
                        fmt::format("{} make {} cells; the limit is {}: use {}", what, cost_number(cells),
                                    cost_number(budgets.stats_cells), either(ways)));
}

Status price_rising(double windows, double series, const CostBudgets& budgets) {
  const double cost = windows * series;
  if (cost <= budgets.rising_series_windows) return {};
  const double max_windows = std::floor(budgets.rising_series_windows / std::max(series, 1.0)) - 2;
  return Error::invalid(
      max_windows >= 1 ? "windows" : "by",
      fmt::format("{} series over {} windows are {} counts; the limit is {}: {}", cost_number(series),
                  cost_number(windows), cost_number(cost), cost_number(budgets.rising_series_windows),
                  max_windows >= 1 ? fmt::format("use windows of at most {} (or years of at most {}), or by=type",
                                                 cost_number(max_windows),
                                                 cost_number(std::max(1.0, std::floor(max_windows / 3))))
                                   : std::string("use by=type or by=class, or a smaller unit")));
}

Status price_response(double lines, const std::string& group, const CostBudgets& budgets) {
  if (lines <= budgets.response_lines) return {};
  return Error::invalid("group_by", fmt::format("group_by={} makes {} lines; the limit is {}: shorten the period "
                                                "to a {} of what it is, or use a coarser group_by",
                                                group, cost_number(lines), cost_number(budgets.response_lines),
                                                fmt::format("{:.0f}%", std::floor(100 * budgets.response_lines / lines))));
}

}  // namespace pingan::analytics
