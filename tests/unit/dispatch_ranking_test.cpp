// The grid's k-nearest-by-ETA answers equal a full scan of every unit, for
// random units of several kinds and roles, after random moves and removals.

#include <gtest/gtest.h>

#include <random>

#include "dispatch/available_unit_index.h"

namespace pingan::dispatch {
namespace {

GeoPoint random_point(std::mt19937_64& rng, double spread_deg) {
  std::uniform_real_distribution<double> d(-spread_deg, spread_deg);
  return GeoPoint{36.65 + d(rng), 117.0 + d(rng) * 1.3};
}

void expect_same(const std::vector<RankedUnit>& got, const std::vector<RankedUnit>& want, const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].slot, want[i].slot) << what << " rank " << i;
    EXPECT_DOUBLE_EQ(got[i].eta_s, want[i].eta_s) << what << " rank " << i;
  }
}

TEST(DispatchRankingTest, GridAnswersEqualAFullScanForRandomUnitsKindsAndRoles) {
  std::mt19937_64 rng(42);
  RankingSpeeds speeds;  // car 30, motorcycle 25, e-bike 15, foot 5 km/h
  AvailableUnitIndex index(GeoPoint{36.65, 117.0}, speeds, 400);
  const std::uint32_t n = 3000;
  std::vector<bool> present(n, false);
  for (std::uint32_t slot = 0; slot < n; ++slot) {
    const auto kind = static_cast<PatrolKind>(rng() % kPatrolKindCount);
    std::vector<std::string> roles;
    if (rng() % 20 == 0) roles.push_back("rapid");
    index.place(slot, kind, roles, random_point(rng, 0.15));
    present[slot] = true;
  }
  std::uniform_int_distribution<std::uint32_t> pick(0, n - 1);
  for (int round = 0; round < 200; ++round) {
    // Churn: moves within and across cells, units leaving and coming back.
    for (int c = 0; c < 50; ++c) {
      const std::uint32_t slot = pick(rng);
      if (present[slot] && rng() % 3 == 0) {
        index.remove(slot);
        present[slot] = false;
      } else if (present[slot]) {
        index.place(slot, PatrolKind::kCar, {}, random_point(rng, 0.15));  // kind ignored while present
      }
    }
    // A query inside the district, at its edge or outside it.
    const GeoPoint q = random_point(rng, round % 10 == 0 ? 0.4 : 0.15);
    const std::size_t k = 1 + rng() % 12;
    expect_same(index.nearest(q, k), index.nearest_by_scan(q, k), "any kind");
    const auto kind = static_cast<PatrolKind>(round % kPatrolKindCount);
    expect_same(index.nearest(q, k, kind), index.nearest_by_scan(q, k, kind), "one kind");
    expect_same(index.nearest(q, 3, std::nullopt, "rapid"), index.nearest_by_scan(q, 3, std::nullopt, "rapid"),
                "rapid");
  }
  std::size_t live = 0;
  for (bool p : present) live += p;
  EXPECT_EQ(index.size(), live);
}

TEST(DispatchRankingTest, AFastCarFartherAwayBeatsANearFootPatrol) {
  RankingSpeeds speeds;
  AvailableUnitIndex index(std::nullopt, speeds);
  const GeoPoint q{36.65, 117.0};
  index.place(0, PatrolKind::kFoot, {}, GeoPoint{36.653, 117.0});  // ~330 m at 5 km/h: ~330 s with detour
  index.place(1, PatrolKind::kCar, {}, GeoPoint{36.665, 117.0});   // ~1.7 km at 30 km/h: ~280 s with detour
  auto best = index.nearest(q, 2);
  ASSERT_EQ(best.size(), 2u);
  EXPECT_EQ(best[0].slot, 1u);
  EXPECT_NEAR(best[0].eta_s, best[0].distance_m * 1.4 / (30 / 3.6), 1e-9);
  EXPECT_EQ(best[1].slot, 0u);
  index.remove(1);
  best = index.nearest(q, 2);
  ASSERT_EQ(best.size(), 1u);
  EXPECT_EQ(best[0].slot, 0u);
  EXPECT_TRUE(index.nearest(q, 1, PatrolKind::kCar).empty());
}

}  // namespace
}  // namespace pingan::dispatch
