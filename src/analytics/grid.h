#pragma once
// Square cells over local metres: the common frame of hotspots, kernel
// density, Gi* and forecasts. Cells are aligned to multiples of the cell size
// from the projection's origin, so the same place has the same global column
// and row in every query of the same cell size (a patrol list and a hotspot
// map name the same cell).
//
// The statistics take spans of EventPoint (plain numbers, no index), so they
// can be tested on hand-made points; hotspot.h and forecast_source.h adapt the
// incident index to them.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/deadline.h"
#include "core/geo.h"
#include "core/status.h"

namespace pingan::analytics {

struct LocalProjection;

// One incident as the spatial statistics see it.
struct EventPoint {
  double x = 0, y = 0;        // metres east/north of the projection origin
  std::int64_t minute = 0;    // UTC minutes since the epoch
};

struct XY {
  double x = 0, y = 0;
};

// The cell sizes a grid accepts, the one range behind every `cell` of the
// hotspot, forecast and patrol requests (HTTP and CLI): finer than 10 m is
// below the accuracy of a geocoded address, coarser than 10 km is a whole
// district in one cell.
inline constexpr double kMinCellM = 10;
inline constexpr double kMaxCellM = 10'000;
// Error::invalid("cell", "must be 10..10000 m") unless cell_m is finite and in
// [kMinCellM, kMaxCellM]. Requests call it before any work is done.
Status check_cell_size(double cell_m);

class Grid {
 public:
  // The smallest aligned grid of `cell_m` cells covering [min_x, max_x] x
  // [min_y, max_y] widened by `margin_m` on each side. Errors when the cell
  // size fails check_cell_size(), the box is empty or not finite, or the grid
  // would exceed kMaxCells.
  static Result<Grid> covering(double min_x, double min_y, double max_x, double max_y,
                               double cell_m, double margin_m = 0);
  // The grid covering the points (errors as above; no points is an error).
  static Result<Grid> covering(std::span<const EventPoint> points, double cell_m,
                               double margin_m = 0);

  static constexpr std::int64_t kMaxCells = 16'000'000;

  int cols() const { return cols_; }
  int rows() const { return rows_; }
  int size() const { return cols_ * rows_; }
  double cell_m() const { return cell_m_; }
  double cell_area_m2() const { return cell_m_ * cell_m_; }

  // Cell index (row * cols + col) holding the point, or -1 outside the grid.
  int cell_of(double x, double y) const;
  int col_of(int cell) const { return cell % cols_; }
  int row_of(int cell) const { return cell / cols_; }
  int cell_at(int col, int row) const { return row * cols_ + col; }
  // Global column and row (aligned from the projection origin): stable ids.
  std::int64_t global_col(int cell) const { return first_col_ + col_of(cell); }
  std::int64_t global_row(int cell) const { return first_row_ + row_of(cell); }
  // Left and bottom edges of the grid's first column and row, in metres.
  double min_x() const { return static_cast<double>(first_col_) * cell_m_; }
  double min_y() const { return static_cast<double>(first_row_) * cell_m_; }

  XY centre(int cell) const;
  // Corners counter-clockwise from the south-west, closed (5 points).
  std::array<XY, 5> corners(int cell) const;

 private:
  Grid(double cell_m, std::int64_t first_col, std::int64_t first_row, int cols, int rows)
      : cell_m_(cell_m), first_col_(first_col), first_row_(first_row), cols_(cols), rows_(rows) {}

  double cell_m_;
  std::int64_t first_col_, first_row_;
  int cols_, rows_;
};

// "150m:12:-34": cell size, global column, global row. Stable across queries.
std::string cell_key(const Grid& grid, int cell);

// The cell's centre and closed outline in WGS84, for maps.
GeoPoint cell_centre_geo(const Grid& grid, int cell, const LocalProjection& projection);
std::array<GeoPoint, 5> cell_outline_geo(const Grid& grid, int cell,
                                         const LocalProjection& projection);

// Cells per grid cell: 1 where the cell's centre lies inside any of the
// boundaries, else 0. Boundaries are WGS84; the centre is projected back.
// When the deadline passes midway the cells not yet tested stay 0: a caller
// that passes one checks it after.
std::vector<std::uint8_t> cells_inside(const Grid& grid, const LocalProjection& projection,
                                       std::span<const Boundary* const> boundaries,
                                       const Deadline& deadline = Deadline::none());

// Events per cell (points outside the grid are not counted).
std::vector<double> count_per_cell(const Grid& grid, std::span<const EventPoint> points);

}  // namespace pingan::analytics
