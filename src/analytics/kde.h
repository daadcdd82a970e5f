#pragma once
// Kernel density on the grid: each point's mass is shared between the cells
// as the kernel centred on it puts it, so a cell holds the expected number of
// points inside it (not a density at its centre) and the surface sums to the
// number of points, less what spills off the grid. Cells are at least 10 m,
// so positions are taken to 1/15 of a cell (the kernel for each of the 15 x 15
// sub-positions is precomputed once per grid and kernel), which moves no
// point by more than 1/30 of a cell and keeps a point at a cell's centre
// exactly symmetric.

#include <span>
#include <string_view>
#include <vector>

#include "analytics/grid.h"
#include "core/deadline.h"
#include "core/status.h"

namespace pingan::analytics {

enum class KernelShape {
  kGaussian,  // bandwidth = standard deviation; truncated at 4 of them; integrated over each cell
  kQuartic,   // bandwidth = radius; (1 - d^2/r^2)^2, averaged over 5 x 5 samples per cell
};

struct KernelSpec {
  KernelShape shape = KernelShape::kGaussian;
  double bandwidth_m = 300;  // 0 = no smoothing: each point in its own cell
};

// Errors name "bandwidth" (not in [0, 20000] m) .
Status validate_kernel(const KernelSpec& kernel);
const char* kernel_shape_name(KernelShape shape);
// Cells from a point's cell to the edge of its kernel's footprint on a grid
// of cell_m (the footprint is 2 * reach + 1 cells wide).
int kernel_reach_cells(const KernelSpec& kernel, double cell_m);
// The margin a density map lays around its scope, so that the mass of
// incidents near the edge is kept: 4 bandwidths, at most 5 km.
double kernel_map_margin_m(const KernelSpec& kernel);
Result<KernelShape> parse_kernel_shape(std::string_view name);

// Precomputed kernel footprints for one grid; cheap to apply to many points.
// Thread-safe for concurrent add() into different outputs.
class KernelSpreader {
 public:
  // The kernel must be valid (validate_kernel); the grid is copied.
  KernelSpreader(const Grid& grid, const KernelSpec& kernel);

  // Adds weight x (the kernel's share of each cell) to out (size grid.size()).
  void add(double x, double y, double weight, std::span<double> out) const;
  // The share of a point's mass that falls in its own cell (what a
  // leave-one-out estimate takes back out).
  double own_cell_share(double x, double y) const;
  const Grid& grid() const { return grid_; }
  // Cells from the centre cell to the edge of the footprint.
  int reach() const { return reach_; }

 private:
  static constexpr int kSub = 15;  // sub-positions per cell and axis (odd: the centre is one)
  // The sub-position of a point within its cell, per axis.
  int sub_position(double fraction) const;
  const double* weights_1d(int sub) const { return &w1d_[static_cast<size_t>(sub) * width_]; }
  const double* weights_2d(int sub_x, int sub_y) const {
    return &w2d_[static_cast<size_t>(sub_y * kSub + sub_x) * width_ * width_];
  }

  Grid grid_;
  bool separable_ = true;
  int reach_ = 0;
  int width_ = 1;            // 2 * reach_ + 1
  std::vector<double> w1d_;  // separable kernels: kSub rows of width_ weights summing to 1
  std::vector<double> w2d_;  // other kernels: kSub^2 stencils of width_^2 weights summing to 1
};

// Expected points per cell from a kernel over the points, each of weight 1.
// When the deadline passes midway the surface is left incomplete: a caller
// that passes one checks it after (deadline.check()).
std::vector<double> kernel_density(const Grid& grid, std::span<const EventPoint> points,
                                   const KernelSpec& kernel, const Deadline& deadline = Deadline::none());
// The same with one weight per point (weights.size() == points.size()).
std::vector<double> kernel_density(const Grid& grid, std::span<const EventPoint> points,
                                   std::span<const double> weights, const KernelSpec& kernel);

}  // namespace pingan::analytics
