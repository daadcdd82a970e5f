#include "analytics/getis_ord.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace pingan::analytics {
namespace {

Status check_band(double band_m) {
  if (!std::isfinite(band_m) || band_m <= 0)
    return Error::invalid("band", "the distance band must be a positive number of metres");
  return {};
}

template <typename Values, typename Use>
GiStarMoments moments_of(const Values& values, size_t size, const Use& use) {
  double n = 0, sum = 0;
  for (size_t i = 0; i < size; ++i)
    if (use(i)) {
      n += 1;
      sum += values[i];
    }
  GiStarMoments m;
  m.n = n;
  if (n == 0) return m;
  m.mean = sum / n;
  // Two passes: the one-pass E[x^2] - E[x]^2 loses digits on large counts.
  double squares = 0;
  for (size_t i = 0; i < size; ++i)
    if (use(i)) squares += (values[i] - m.mean) * (values[i] - m.mean);
  m.sd = std::sqrt(squares / n);
  return m;
}

// Offsets of the cells whose centres are within the band (a small
// tolerance so that a band of exactly k cells includes them).
std::vector<std::pair<int, int>> neighbour_offsets(double band_m, double cell_m) {
  const double reach = band_m / cell_m;
  const int r = static_cast<int>(std::floor(reach + 1e-9));
  std::vector<std::pair<int, int>> offsets;
  for (int dy = -r; dy <= r; ++dy)
    for (int dx = -r; dx <= r; ++dx)
      if (dx * dx + dy * dy <= reach * reach + 1e-9) offsets.emplace_back(dx, dy);
  return offsets;
}

}  // namespace

std::int64_t gi_star_neighbour_count(double band_m, double cell_m) {
  if (!(band_m > 0) || !(cell_m > 0)) return 1;
  return static_cast<std::int64_t>(neighbour_offsets(band_m, cell_m).size());
}

double gi_star_z(double local_sum, double weight_sum, const GiStarMoments& m) {
  const double spread = (m.n * weight_sum - weight_sum * weight_sum) / (m.n - 1);
  if (m.n < 2 || !(m.sd > 0) || !(spread > 0)) return 0;
  return (local_sum - m.mean * weight_sum) / (m.sd * std::sqrt(spread));
}

Result<std::vector<double>> gi_star(std::span<const XY> points, std::span<const double> values,
                                    double band_m) {
  if (points.size() != values.size())
    return Error::invalid("values", fmt::format("{} values for {} points", values.size(),
                                                points.size()));
  PINGAN_RETURN_IF_ERROR(check_band(band_m));
  if (points.size() < 2) return Error::invalid("values", "Gi* needs at least 2 observations");
  const GiStarMoments m = moments_of(values, values.size(), [](size_t) { return true; });
  const double band2 = band_m * band_m;
  std::vector<double> z(points.size());
  for (size_t i = 0; i < points.size(); ++i) {
    double local = 0, weights = 0;
    for (size_t j = 0; j < points.size(); ++j) {
      const double dx = points[i].x - points[j].x, dy = points[i].y - points[j].y;
      if (dx * dx + dy * dy <= band2) {
        local += values[j];
        weights += 1;
      }
    }
    z[i] = gi_star_z(local, weights, m);
  }
  return z;
}

Result<std::vector<double>> gi_star_grid(const Grid& grid, std::span<const double> values,
                                         std::span<const std::uint8_t> in_area, double band_m,
                                         const Deadline& deadline) {
  const auto cells = static_cast<size_t>(grid.size());
  if (values.size() != cells || in_area.size() != cells)
    return Error::invalid("values", fmt::format("{} values and {} area flags for {} cells",
                                                values.size(), in_area.size(), cells));
  PINGAN_RETURN_IF_ERROR(check_band(band_m));
  const GiStarMoments m = moments_of(values, cells, [&](size_t i) { return in_area[i] != 0; });
  if (m.n < 2) return Error::invalid("area", "Gi* needs at least 2 cells in the area");

  const std::vector<std::pair<int, int>> offsets = neighbour_offsets(band_m, grid.cell_m());
  // Polled every kPollCells cells of the area: a few milliseconds of work
  // at the widest band, a negligible clock read at the narrowest.
  constexpr int kPollCells = 1024;
  int until_poll = kPollCells;

  std::vector<double> z(cells, std::numeric_limits<double>::quiet_NaN());
  for (int row = 0; row < grid.rows(); ++row) {
    for (int col = 0; col < grid.cols(); ++col) {
      const int cell = grid.cell_at(col, row);
      if (!in_area[static_cast<size_t>(cell)]) continue;
      if (--until_poll == 0) {
        until_poll = kPollCells;
        if (deadline.expired()) PINGAN_RETURN_IF_ERROR(deadline.check("the Gi* computation"));
      }
      double local = 0, weights = 0;
      for (const auto& [dx, dy] : offsets) {
        const int c = col + dx, rr = row + dy;
        if (c < 0 || rr < 0 || c >= grid.cols() || rr >= grid.rows()) continue;
        const auto other = static_cast<size_t>(grid.cell_at(c, rr));
        if (!in_area[other]) continue;
        local += values[other];
        weights += 1;
      }
      z[static_cast<size_t>(cell)] = gi_star_z(local, weights, m);
    }
  }
  return z;
}

double two_sided_p(double z) { return std::erfc(std::abs(z) / std::sqrt(2.0)); }

int significance_level(double z) {
  if (!std::isfinite(z)) return 0;
  const double a = std::abs(z);
  const int level = a > 3.291 ? 3 : a > 2.576 ? 2 : a > 1.960 ? 1 : 0;
  return z < 0 ? -level : level;
}

std::vector<bool> fdr_significant(std::span<const double> z, double alpha) {
  std::vector<size_t> order;
  for (size_t i = 0; i < z.size(); ++i)
    if (std::isfinite(z[i])) order.push_back(i);
  std::vector<double> p(z.size(), 1.0);
  for (size_t i : order) p[i] = two_sided_p(z[i]);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p[a] < p[b]; });
  // The largest rank k with p_(k) <= k/m * alpha; every smaller p rejects too.
  const double m = static_cast<double>(order.size());
  size_t cut = 0;
  for (size_t k = 1; k <= order.size(); ++k)
    if (p[order[k - 1]] <= static_cast<double>(k) / m * alpha) cut = k;
  std::vector<bool> out(z.size(), false);
  for (size_t k = 0; k < cut; ++k) out[order[k]] = true;
  return out;
}

}  // namespace pingan::analytics
