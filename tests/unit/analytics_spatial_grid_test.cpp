#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "analytics/grid.h"
#include "analytics/index_projection.h"
#include "analytics/kde.h"

namespace pingan::analytics {
namespace {

double total(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

TEST(SpatialGrid, CellsAreAlignedToTheOriginAndStable) {
  auto a = Grid::covering(-320, 10, 460, 290, 150);
  ASSERT_TRUE(a.ok());
  // floor(-320/150) = -3 .. floor(460/150) = 3: 7 columns; rows 0..1.
  EXPECT_EQ(a->cols(), 7);
  EXPECT_EQ(a->rows(), 2);
  EXPECT_EQ(a->min_x(), -450);
  const int cell = a->cell_of(10, 160);
  ASSERT_GE(cell, 0);
  EXPECT_EQ(a->global_col(cell), 0);
  EXPECT_EQ(a->global_row(cell), 1);
  EXPECT_EQ(a->centre(cell).x, 75);
  EXPECT_EQ(a->centre(cell).y, 225);
  EXPECT_EQ(cell_key(*a, cell), "150m:0:1");
  // Another box holding the same place names the same global cell.
  auto b = Grid::covering(0, 0, 5000, 5000, 150, 300);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(cell_key(*b, b->cell_of(10, 160)), "150m:0:1");
  EXPECT_EQ(a->cell_of(-1000, 0), -1);
  EXPECT_EQ(a->cell_of(NAN, 0), -1);
  const auto corners = a->corners(cell);
  EXPECT_EQ(corners[0].x, 0);
  EXPECT_EQ(corners[2].y, 300);
  EXPECT_EQ(corners[4].x, corners[0].x);
}

TEST(SpatialGrid, RefusesSillyCellSizesAndHugeGrids) {
  EXPECT_FALSE(Grid::covering(0, 0, 100, 100, 5).ok());
  EXPECT_FALSE(Grid::covering(0, 0, 100, 100, NAN).ok());
  EXPECT_FALSE(Grid::covering(0, 0, 1e9, 1e9, 10).ok());
  EXPECT_FALSE(Grid::covering(10, 0, 0, 100, 150).ok());
  EXPECT_FALSE(Grid::covering(std::span<const EventPoint>{}, 150).ok());
}

TEST(SpatialGrid, CentresMapBackToWgs84AndAreaMaskUsesBoundaries) {
  const LocalProjection proj = LocalProjection::centred_on(38.63, -90.24);
  auto grid = Grid::covering(-1000, -1000, 999, 999, 100);
  ASSERT_TRUE(grid.ok());
  const int cell = grid->cell_of(250, -150);
  const GeoPoint centre = cell_centre_geo(*grid, cell, proj);
  std::int32_t x = 0, y = 0;
  proj.to_metres(centre, &x, &y);
  EXPECT_EQ(x, 250);
  EXPECT_EQ(y, -150);
  // A square boundary over the north-east quarter (x, y in 0..1000 m).
  const GeoPoint sw = proj.to_geo(0, 0), ne = proj.to_geo(1000, 1000);
  Boundary quarter({Polygon{Ring{{sw.lat, sw.lon}, {sw.lat, ne.lon}, {ne.lat, ne.lon},
                                  {ne.lat, sw.lon}, {sw.lat, sw.lon}}}});
  const Boundary* list[] = {&quarter};
  const auto inside = cells_inside(*grid, proj, list);
  EXPECT_EQ(std::accumulate(inside.begin(), inside.end(), 0), 100);
  EXPECT_EQ(inside[static_cast<size_t>(grid->cell_of(50, 50))], 1);
  EXPECT_EQ(inside[static_cast<size_t>(grid->cell_of(-50, 50))], 0);
}

TEST(SpatialKde, ConservesMassAwayFromTheEdges) {
  auto grid = Grid::covering(0, 0, 6000, 6000, 150);
  ASSERT_TRUE(grid.ok());
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> in(2500, 3500);
  std::vector<EventPoint> pts;
  for (int i = 0; i < 500; ++i) pts.push_back({in(rng), in(rng), 0});
  for (KernelShape shape : {KernelShape::kGaussian, KernelShape::kQuartic}) {
    for (double h : {0.0, 40.0, 150.0, 400.0}) {
      const auto d = kernel_density(*grid, pts, KernelSpec{shape, h});
      EXPECT_NEAR(total(d), 500, 1e-9) << kernel_shape_name(shape) << " " << h;
      for (double v : d) EXPECT_GE(v, 0);
    }
  }
  // Zero bandwidth is exactly the counts.
  EXPECT_EQ(kernel_density(*grid, pts, KernelSpec{KernelShape::kGaussian, 0}),
            count_per_cell(*grid, pts));
}

TEST(SpatialKde, PointAtACellCentreGivesASymmetricSurface) {
  auto grid = Grid::covering(0, 0, 2999, 2999, 100);
  ASSERT_TRUE(grid.ok());
  const std::vector<EventPoint> one{{1550, 1550, 0}};
  for (KernelShape shape : {KernelShape::kGaussian, KernelShape::kQuartic}) {
    const auto d = kernel_density(*grid, one, KernelSpec{shape, 300});
    const int c = 15, r = 15;
    auto at = [&](int dc, int dr) { return d[static_cast<size_t>(grid->cell_at(c + dc, r + dr))]; };
    for (int k = 1; k <= 5; ++k) {
      EXPECT_NEAR(at(k, 0), at(-k, 0), 1e-12);
      EXPECT_NEAR(at(0, k), at(0, -k), 1e-12);
      EXPECT_NEAR(at(k, 0), at(0, k), 1e-12);
      EXPECT_NEAR(at(k, k), at(-k, -k), 1e-12);
      if (k <= 3) {
        EXPECT_LT(at(k, 0), at(k - 1, 0));  // decreasing away from the point
      }
    }
    if (shape == KernelShape::kQuartic) {
      EXPECT_EQ(at(4, 0), 0);  // beyond the 300 m radius
    }
  }
  // The Gaussian integrated over a cell: the centre cell of sd 100 m holds
  // P(|X| < 50)^2 = (2 Phi(0.5) - 1)^2 = 0.146631 of the mass.
  const auto g = kernel_density(*grid, one, KernelSpec{KernelShape::kGaussian, 100});
  EXPECT_NEAR(g[static_cast<size_t>(grid->cell_at(15, 15))], 0.146631, 2e-5);
}

TEST(SpatialKde, WeightsScaleAndEdgesSpill) {
  auto grid = Grid::covering(0, 0, 999, 999, 100);
  ASSERT_TRUE(grid.ok());
  const std::vector<EventPoint> corner{{10, 10, 0}};
  const std::vector<double> w{2.5};
  const auto d = kernel_density(*grid, corner, w, KernelSpec{KernelShape::kGaussian, 200});
  // About a quarter of the mass stays on the grid (the point is at its corner).
  EXPECT_GT(total(d), 2.5 * 0.25);
  EXPECT_LT(total(d), 2.5 * 0.40);
  // Far outside: nothing, and no crash.
  const std::vector<EventPoint> far{{1e12, -1e12, 0}};
  EXPECT_EQ(total(kernel_density(*grid, far, KernelSpec{})), 0);
  EXPECT_FALSE(validate_kernel(KernelSpec{KernelShape::kGaussian, -1}).ok());
}

}  // namespace
}  // namespace pingan::analytics
