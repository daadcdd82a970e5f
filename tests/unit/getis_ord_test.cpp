#include "analytics/getis_ord.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace pingan::analytics {
namespace {

// The worked example in the documentation of PySAL esda's G_Local:
// libpysal.weights.DistanceBand(points, threshold=15), y, transform='B',
// star=True -> lg_star.Zs.
TEST(GetisOrd, ReproducesPysalEsdaGLocalStarExample) {
  const std::vector<XY> points{{10, 10}, {20, 10}, {40, 10}, {15, 20}, {30, 20}, {30, 30}};
  const std::vector<double> y{2, 3, 3.2, 5, 8, 7};
  auto z = gi_star(points, y, 15);
  ASSERT_TRUE(z.ok()) << z.error().describe();
  const std::vector<double> expected{-1.39727626, -0.28917762, 0.65064964,
                                     -0.28917762, 1.23452088,  2.02424331};
  ASSERT_EQ(z->size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_NEAR((*z)[i], expected[i], 5e-4) << "observation " << i;
    // To the published 8 decimals too: the formula is the same, not a fit.
    EXPECT_NEAR((*z)[i], expected[i], 1e-7) << "observation " << i;
  }
  EXPECT_EQ(significance_level((*z)[5]), 1);  // 2.024 > 1.96
  EXPECT_EQ(significance_level((*z)[0]), 0);
}

// The grid version must agree with the point version when the observations
// are the cells themselves (cell centres as points).
TEST(GetisOrd, GridAgreesWithAllPairsOnCellCentres) {
  auto grid = Grid::covering(0, 0, 1499, 1199, 100);
  ASSERT_TRUE(grid.ok());
  std::mt19937 rng(7);
  std::poisson_distribution<int> counts(2.0);
  std::vector<double> values(static_cast<size_t>(grid->size()));
  std::vector<std::uint8_t> area(values.size());
  std::vector<XY> centres;
  std::vector<double> area_values;
  for (int c = 0; c < grid->size(); ++c) {
    values[static_cast<size_t>(c)] = counts(rng);
    // An irregular area: a disc, so edge cells have fewer neighbours.
    const XY centre = grid->centre(c);
    const bool inside = std::hypot(centre.x - 750, centre.y - 600) < 600;
    area[static_cast<size_t>(c)] = inside;
    if (inside) {
      centres.push_back(centre);
      area_values.push_back(values[static_cast<size_t>(c)]);
    }
  }
  for (double band : {100.0, 150.0, 250.0}) {
    auto on_grid = gi_star_grid(*grid, values, area, band);
    auto on_points = gi_star(centres, area_values, band);
    ASSERT_TRUE(on_grid.ok() && on_points.ok());
    size_t k = 0;
    for (int c = 0; c < grid->size(); ++c) {
      if (!area[static_cast<size_t>(c)]) {
        EXPECT_TRUE(std::isnan((*on_grid)[static_cast<size_t>(c)]));
        continue;
      }
      EXPECT_NEAR((*on_grid)[static_cast<size_t>(c)], (*on_points)[k], 1e-9) << "band " << band;
      ++k;
    }
  }
}

TEST(GetisOrd, ClusterOfHighValuesIsHot) {
  auto grid = Grid::covering(0, 0, 1999, 1999, 100);
  ASSERT_TRUE(grid.ok());
  std::vector<double> values(static_cast<size_t>(grid->size()), 1.0);
  std::vector<std::uint8_t> area(values.size(), 1);
  values[static_cast<size_t>(grid->cell_at(0, 0))] = 0;  // not all equal elsewhere
  for (int dy = -1; dy <= 1; ++dy)
    for (int dx = -1; dx <= 1; ++dx) values[static_cast<size_t>(grid->cell_at(10 + dx, 10 + dy))] = 9;
  auto z = gi_star_grid(*grid, values, area, 150);
  ASSERT_TRUE(z.ok());
  EXPECT_EQ(significance_level((*z)[static_cast<size_t>(grid->cell_at(10, 10))]), 3);
  EXPECT_EQ(significance_level((*z)[static_cast<size_t>(grid->cell_at(3, 15))]), 0);
  const auto fdr = fdr_significant(*z, 0.05);
  EXPECT_TRUE(fdr[static_cast<size_t>(grid->cell_at(10, 10))]);
  EXPECT_FALSE(fdr[static_cast<size_t>(grid->cell_at(3, 15))]);
}

TEST(GetisOrd, ConstantValuesGiveZeroNotNan) {
  const std::vector<XY> points{{0, 0}, {10, 0}, {100, 0}};
  auto z = gi_star(points, std::vector<double>{4, 4, 4}, 15);
  ASSERT_TRUE(z.ok());
  for (double v : *z) EXPECT_EQ(v, 0);
}

TEST(GetisOrd, RefusesBadInput) {
  const std::vector<XY> points{{0, 0}, {10, 0}};
  EXPECT_FALSE(gi_star(points, std::vector<double>{1}, 15).ok());
  EXPECT_FALSE(gi_star(points, std::vector<double>{1, 2}, 0).ok());
  EXPECT_FALSE(gi_star(std::span<const XY>(points).first(1), std::vector<double>{1}, 15).ok());
}

// Benjamini-Hochberg by hand: p = 0.001, 0.01, 0.03, 0.2 with alpha 0.05 ->
// thresholds 0.0125, 0.025, 0.0375, 0.05: the first three reject.
TEST(GetisOrd, FdrFollowsBenjaminiHochberg) {
  auto z_of_p = [](double p) {
    // Inverse of two_sided_p by bisection (test-only).
    double lo = 0, hi = 10;
    for (int i = 0; i < 200; ++i) {
      const double mid = (lo + hi) / 2;
      (two_sided_p(mid) > p ? lo : hi) = mid;
    }
    return lo;
  };
  const std::vector<double> z{z_of_p(0.03), z_of_p(0.2), -z_of_p(0.001), z_of_p(0.01)};
  const auto rejected = fdr_significant(z, 0.05);
  EXPECT_EQ(rejected, (std::vector<bool>{true, false, true, true}));
  // With alpha 0.025 only 0.001 and 0.01 pass (0.01 <= 2/4 * 0.025; 0.03 > 3/4 * 0.025).
  EXPECT_EQ(fdr_significant(z, 0.025), (std::vector<bool>{false, false, true, true}));
}

}  // namespace
}  // namespace pingan::analytics
