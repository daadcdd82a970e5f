#pragma once
// Getis-Ord Gi* (Getis & Ord 1992, Ord & Getis 1995): is the sum of values
// around a place, the place itself included, larger than chance would give?
// Binary weights: 1 for every observation within the distance band (the
// observation itself included), 0 otherwise, not row-standardised. With n
// observations of population mean m and population standard deviation s,
// local sum L_i and weight sum W_i:
//
//   z_i = (L_i - m W_i) / (s * sqrt((n W_i - W_i^2) / (n - 1)))
//
// which is what PySAL esda's G_Local(y, w, transform='B', star=True).Zs
// computes (its G_i / E[G_i] / Var[G_i] form reduces to this).

#include <cstdint>
#include <span>
#include <vector>

#include "analytics/grid.h"
#include "core/deadline.h"
#include "core/status.h"

namespace pingan::analytics {

// Gi* z-scores for observations at points; pairs within band_m (inclusive)
// are neighbours. All pairs are compared: meant for up to a few thousand
// observations. Errors when sizes differ, band_m is not positive or n < 2.
// A z-score whose variance is zero (all values equal, or every observation
// a neighbour of every other) is 0.
Result<std::vector<double>> gi_star(std::span<const XY> points, std::span<const double> values,
                                    double band_m);

// Gi* over the cells of a grid where in_area is 1 (the observations; cells
// outside are neither observations nor neighbours). Neighbours are cells
// whose centres lie within band_m of the cell's centre. Result per grid cell;
// NaN outside the area. Errors as gi_star(), or when sizes differ from the grid;
// unavailable (deadline.check()) when the deadline passes midway. The work is
// the area's cells times gi_star_neighbour_count() (request_cost.h prices it).
Result<std::vector<double>> gi_star_grid(const Grid& grid, std::span<const double> values,
                                         std::span<const std::uint8_t> in_area, double band_m,
                                         const Deadline& deadline = Deadline::none());

// The cells within band_m of a cell's centre, itself included, on a grid of
// cell_m: the neighbours gi_star_grid() visits for each cell of the area.
std::int64_t gi_star_neighbour_count(double band_m, double cell_m);

// The z-score of one observation from its local and weight sums.
struct GiStarMoments {
  double n = 0, mean = 0, sd = 0;  // population mean and standard deviation
};
double gi_star_z(double local_sum, double weight_sum, const GiStarMoments& m);

// Two-sided p-value of a standard normal z.
double two_sided_p(double z);

// Confidence that a cell is a hot (positive) or cold (negative) spot:
// 3 = |z| > 3.291 (99.9%), 2 = > 2.576 (99%), 1 = > 1.960 (95%), 0 = none.
int significance_level(double z);

// Benjamini-Hochberg at false discovery rate alpha over the two-sided
// p-values of the finite z-scores: true where the test rejects.
std::vector<bool> fdr_significant(std::span<const double> z, double alpha = 0.05);

}  // namespace pingan::analytics
