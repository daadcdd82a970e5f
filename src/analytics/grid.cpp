#include "analytics/grid.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "analytics/index_projection.h"

namespace pingan::analytics {

Status check_cell_size(double cell_m) {
  if (std::isfinite(cell_m) && cell_m >= kMinCellM && cell_m <= kMaxCellM) return {};
  return Error::invalid("cell", fmt::format("must be {}..{} m", kMinCellM, kMaxCellM));
}

Result<Grid> Grid::covering(double min_x, double min_y, double max_x, double max_y, double cell_m,
                            double margin_m) {
  PINGAN_RETURN_IF_ERROR(check_cell_size(cell_m));
  if (!std::isfinite(margin_m) || margin_m < 0)
    return Error::invalid("margin", "must be a finite length of at least 0 m");
  for (double v : {min_x, min_y, max_x, max_y})
    if (!std::isfinite(v)) return Error::invalid("bounds", "are not finite");
  if (min_x > max_x || min_y > max_y) return Error::invalid("bounds", "the box is empty");
  const auto first_col = static_cast<std::int64_t>(std::floor((min_x - margin_m) / cell_m));
  const auto first_row = static_cast<std::int64_t>(std::floor((min_y - margin_m) / cell_m));
  const auto last_col = static_cast<std::int64_t>(std::floor((max_x + margin_m) / cell_m));
  const auto last_row = static_cast<std::int64_t>(std::floor((max_y + margin_m) / cell_m));
  const std::int64_t cols = last_col - first_col + 1, rows = last_row - first_row + 1;
  if (cols * rows > kMaxCells)
    return Error::invalid("cell", fmt::format("{} x {} cells of {} m exceed the limit of {} cells",
                                              cols, rows, cell_m, kMaxCells));
  return Grid(cell_m, first_col, first_row, static_cast<int>(cols), static_cast<int>(rows));
}

Result<Grid> Grid::covering(std::span<const EventPoint> points, double cell_m, double margin_m) {
  if (points.empty()) return Error::invalid("points", "no points to cover");
  double min_x = points[0].x, max_x = points[0].x, min_y = points[0].y, max_y = points[0].y;
  for (const EventPoint& p : points) {
    min_x = std::min(min_x, p.x);
    max_x = std::max(max_x, p.x);
    min_y = std::min(min_y, p.y);
    max_y = std::max(max_y, p.y);
  }
  return covering(min_x, min_y, max_x, max_y, cell_m, margin_m);
}

int Grid::cell_of(double x, double y) const {
  const double c = std::floor(x / cell_m_) - static_cast<double>(first_col_);
  const double r = std::floor(y / cell_m_) - static_cast<double>(first_row_);
  if (!(c >= 0 && c < cols_ && r >= 0 && r < rows_)) return -1;  // also false for NaN
  return static_cast<int>(r) * cols_ + static_cast<int>(c);
}

XY Grid::centre(int cell) const {
  return XY{(static_cast<double>(global_col(cell)) + 0.5) * cell_m_,
            (static_cast<double>(global_row(cell)) + 0.5) * cell_m_};
}

std::array<XY, 5> Grid::corners(int cell) const {
  const double x0 = static_cast<double>(global_col(cell)) * cell_m_;
  const double y0 = static_cast<double>(global_row(cell)) * cell_m_;
  const double x1 = x0 + cell_m_, y1 = y0 + cell_m_;
  return {XY{x0, y0}, XY{x1, y0}, XY{x1, y1}, XY{x0, y1}, XY{x0, y0}};
}

std::string cell_key(const Grid& grid, int cell) {
  return fmt::format("{}m:{}:{}", grid.cell_m(), grid.global_col(cell), grid.global_row(cell));
}

GeoPoint cell_centre_geo(const Grid& grid, int cell, const LocalProjection& projection) {
  const XY c = grid.centre(cell);
  return projection.to_geo(c.x, c.y);
}

std::array<GeoPoint, 5> cell_outline_geo(const Grid& grid, int cell,
                                         const LocalProjection& projection) {
  std::array<GeoPoint, 5> out;
  const auto corners = grid.corners(cell);
  for (size_t i = 0; i < corners.size(); ++i) out[i] = projection.to_geo(corners[i].x, corners[i].y);
  return out;
}

std::vector<std::uint8_t> cells_inside(const Grid& grid, const LocalProjection& projection,
                                       std::span<const Boundary* const> boundaries,
                                       const Deadline& deadline) {
  constexpr int kPollCells = 4096;  // a millisecond or so of polygon tests
  std::vector<std::uint8_t> inside(static_cast<size_t>(grid.size()), 0);
  for (int cell = 0; cell < grid.size(); ++cell) {
    if (cell % kPollCells == 0 && deadline.expired()) break;
    const GeoPoint centre = cell_centre_geo(grid, cell, projection);
    for (const Boundary* b : boundaries) {
      if (b != nullptr && !b->empty() && b->bbox().contains(centre) && b->contains(centre)) {
        inside[static_cast<size_t>(cell)] = 1;
        break;
      }
    }
  }
  return inside;
}

std::vector<double> count_per_cell(const Grid& grid, std::span<const EventPoint> points) {
  std::vector<double> counts(static_cast<size_t>(grid.size()), 0.0);
  for (const EventPoint& p : points) {
    const int cell = grid.cell_of(p.x, p.y);
    if (cell >= 0) counts[static_cast<size_t>(cell)] += 1;
  }
  return counts;
}

}  // namespace pingan::analytics
