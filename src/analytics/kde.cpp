#include "analytics/kde.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace pingan::analytics {
namespace {

constexpr double kMaxBandwidthM = 20'000;
constexpr double kGaussianReachSd = 4;
constexpr int kQuarticSamples = 5;  // per cell and axis

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

void normalise(double* w, size_t n) {
  double sum = 0;
  for (size_t i = 0; i < n; ++i) sum += w[i];
  if (sum <= 0) return;
  for (size_t i = 0; i < n; ++i) w[i] /= sum;
}

}  // namespace

Status validate_kernel(const KernelSpec& kernel) {
  if (!std::isfinite(kernel.bandwidth_m) || kernel.bandwidth_m < 0 ||
      kernel.bandwidth_m > kMaxBandwidthM)
    return Error::invalid("bandwidth",
                          fmt::format("{} m is outside 0..{} m", kernel.bandwidth_m, kMaxBandwidthM));
  return {};
}

const char* kernel_shape_name(KernelShape shape) {
  return shape == KernelShape::kGaussian ? "gaussian" : "quartic";
}

int kernel_reach_cells(const KernelSpec& kernel, double cell_m) {
  const double h = kernel.bandwidth_m;
  if (!(h > 0)) return 0;
  const double reach = kernel.shape == KernelShape::kGaussian ? kGaussianReachSd * h / cell_m : h / cell_m;
  return static_cast<int>(std::ceil(reach));
}

double kernel_map_margin_m(const KernelSpec& kernel) {
  constexpr double kMaxMarginM = 5000;
  return std::min(4 * kernel.bandwidth_m, kMaxMarginM);
}

Result<KernelShape> parse_kernel_shape(std::string_view name) {
  if (name == "gaussian") return KernelShape::kGaussian;
  if (name == "quartic") return KernelShape::kQuartic;
  return Error::invalid("kernel", fmt::format("'{}' is not gaussian or quartic", name));
}

KernelSpreader::KernelSpreader(const Grid& grid, const KernelSpec& kernel) : grid_(grid) {
  const double cell = grid.cell_m();
  const double h = kernel.bandwidth_m;
  separable_ = kernel.shape == KernelShape::kGaussian;
  if (separable_) {
    reach_ = kernel_reach_cells(kernel, cell);
    width_ = 2 * reach_ + 1;
    w1d_.assign(static_cast<size_t>(kSub * width_), 0.0);
    for (int s = 0; s < kSub; ++s) {
      double* w = &w1d_[static_cast<size_t>(s * width_)];
      const double u = (s + 0.5) / kSub;  // the point, in cells from its cell's left edge
      if (h <= 0) {
        w[reach_] = 1;
        continue;
      }
      for (int k = -reach_; k <= reach_; ++k)
        w[k + reach_] = normal_cdf((k + 1 - u) * cell / h) - normal_cdf((k - u) * cell / h);
      normalise(w, static_cast<size_t>(width_));
    }
    return;
  }
  reach_ = kernel_reach_cells(kernel, cell);
  width_ = 2 * reach_ + 1;
  const size_t stencil = static_cast<size_t>(width_ * width_);
  w2d_.assign(static_cast<size_t>(kSub * kSub) * stencil, 0.0);
  for (int sy = 0; sy < kSub; ++sy) {
    for (int sx = 0; sx < kSub; ++sx) {
      double* w = &w2d_[static_cast<size_t>(sy * kSub + sx) * stencil];
      const double ux = (sx + 0.5) / kSub, uy = (sy + 0.5) / kSub;
      for (int ky = -reach_; ky <= reach_; ++ky) {
        for (int kx = -reach_; kx <= reach_; ++kx) {
          double sum = 0;
          for (int i = 0; i < kQuarticSamples; ++i) {
            for (int j = 0; j < kQuarticSamples; ++j) {
              const double dx = (kx + (i + 0.5) / kQuarticSamples - ux) * cell;
              const double dy = (ky + (j + 0.5) / kQuarticSamples - uy) * cell;
              const double q = 1 - (dx * dx + dy * dy) / (h * h);
              if (q > 0) sum += q * q;
            }
          }
          w[(ky + reach_) * width_ + (kx + reach_)] = sum;
        }
      }
      double total = 0;
      for (size_t i = 0; i < stencil; ++i) total += w[i];
      // A radius far below the cell size may miss every sample: the point's
      // own cell then takes all of it, as it would as the radius shrinks.
      if (total <= 0) w[reach_ * width_ + reach_] = 1;
      normalise(w, stencil);
    }
  }
}

void KernelSpreader::add(double x, double y, double weight, std::span<double> out) const {
  const double cell = grid_.cell_m();
  const double fx = (x - grid_.min_x()) / cell, fy = (y - grid_.min_y()) / cell;
  if (!std::isfinite(fx) || !std::isfinite(fy)) return;
  const double col_f = std::floor(fx), row_f = std::floor(fy);
  // Points far outside the grid cannot reach it.
  if (col_f < -reach_ - 1 || row_f < -reach_ - 1 || col_f > grid_.cols() + reach_ ||
      row_f > grid_.rows() + reach_)
    return;
  const int col = static_cast<int>(col_f), row = static_cast<int>(row_f);
  const int sx = sub_position(fx - col_f), sy = sub_position(fy - row_f);
  const int k0x = std::max(-reach_, -col), k1x = std::min(reach_, grid_.cols() - 1 - col);
  const int k0y = std::max(-reach_, -row), k1y = std::min(reach_, grid_.rows() - 1 - row);
  if (k0x > k1x || k0y > k1y) return;
  const int cols = grid_.cols();
  if (separable_) {
    const double* wx = weights_1d(sx);
    const double* wy = weights_1d(sy);
    for (int ky = k0y; ky <= k1y; ++ky) {
      const double wrow = weight * wy[ky + reach_];
      if (wrow == 0) continue;
      double* line = &out[static_cast<size_t>((row + ky) * cols + col)];
      for (int kx = k0x; kx <= k1x; ++kx) line[kx] += wrow * wx[kx + reach_];
    }
    return;
  }
  const double* w = weights_2d(sx, sy);
  for (int ky = k0y; ky <= k1y; ++ky) {
    const double* wline = &w[(ky + reach_) * width_ + reach_];
    double* line = &out[static_cast<size_t>((row + ky) * cols + col)];
    for (int kx = k0x; kx <= k1x; ++kx) line[kx] += weight * wline[kx];
  }
}

int KernelSpreader::sub_position(double fraction) const {
  return std::clamp(static_cast<int>(fraction * kSub), 0, kSub - 1);
}

double KernelSpreader::own_cell_share(double x, double y) const {
  const double fx = (x - grid_.min_x()) / grid_.cell_m(), fy = (y - grid_.min_y()) / grid_.cell_m();
  if (!std::isfinite(fx) || !std::isfinite(fy)) return 0;
  const int sx = sub_position(fx - std::floor(fx)), sy = sub_position(fy - std::floor(fy));
  if (separable_) return weights_1d(sx)[reach_] * weights_1d(sy)[reach_];
  return weights_2d(sx, sy)[reach_ * width_ + reach_];
}

std::vector<double> kernel_density(const Grid& grid, std::span<const EventPoint> points,
                                   const KernelSpec& kernel, const Deadline& deadline) {
  KernelSpreader spreader(grid, kernel);
  std::vector<double> out(static_cast<size_t>(grid.size()), 0.0);
  // Polled between blocks of points: a block is at most kPollPoints kernels.
  constexpr size_t kPollPoints = 1024;
  for (size_t start = 0; start < points.size(); start += kPollPoints) {
    if (deadline.expired()) break;
    const size_t end = std::min(points.size(), start + kPollPoints);
    for (size_t i = start; i < end; ++i) spreader.add(points[i].x, points[i].y, 1.0, out);
  }
  return out;
}

std::vector<double> kernel_density(const Grid& grid, std::span<const EventPoint> points,
                                   std::span<const double> weights, const KernelSpec& kernel) {
  KernelSpreader spreader(grid, kernel);
  std::vector<double> out(static_cast<size_t>(grid.size()), 0.0);
  const size_t n = std::min(points.size(), weights.size());
  for (size_t i = 0; i < n; ++i) spreader.add(points[i].x, points[i].y, weights[i], out);
  return out;
}

}  // namespace pingan::analytics
