// The study area and the grid of a scope: boundaries when units have them,
// else the cells with incidents; outliers do not blow up the grid.

#include <gtest/gtest.h>

#include <vector>

#include "analytics/grid_area.h"
#include "analytics/index_projection.h"

namespace pingan::analytics {
namespace {

Boundary square(const LocalProjection& proj, double x0, double y0, double x1, double y1) {
  const GeoPoint a = proj.to_geo(x0, y0), b = proj.to_geo(x1, y1);
  return Boundary({Polygon{Ring{{a.lat, a.lon}, {a.lat, b.lon}, {b.lat, b.lon}, {b.lat, a.lon},
                                {a.lat, a.lon}}}});
}

struct District {
  LocalProjection proj = LocalProjection::centred_on(36.65, 117.0);
  UnitTree tree;
  District() {
    std::vector<Unit> units;
    units.push_back(Unit{1, "B", "分局", UnitKind::kBureau, "", {}});
    units.push_back(Unit{2, "S1", "一所", UnitKind::kStation, "B", square(proj, 0, 0, 1500, 1500)});
    units.push_back(Unit{3, "S2", "二所", UnitKind::kStation, "B", square(proj, 1500, 0, 3000, 1500)});
    units.push_back(Unit{4, "S1-C1", "社区", UnitKind::kCommunity, "S1", {}});
    units.push_back(Unit{5, "X", "无界", UnitKind::kStation, "", {}});
    tree = *UnitTree::build(units);
  }
};

std::vector<std::string> codes(const std::vector<const Unit*>& units) {
  std::vector<std::string> out;
  for (const Unit* u : units) out.push_back(u->code);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(SpatialArea, ScopeSeesItsSubtrees) {
  District d;
  EXPECT_EQ(codes(units_in_scope(d.tree, UnitScope::everything())),
            (std::vector<std::string>{"B", "S1", "S1-C1", "S2", "X"}));
  EXPECT_EQ(codes(units_in_scope(d.tree, UnitScope::subtree("S1"))),
            (std::vector<std::string>{"S1", "S1-C1"}));
  EXPECT_TRUE(units_in_scope(d.tree, UnitScope::subtree("NOPE")).empty());
}

TEST(SpatialArea, BoundariesMakeTheAreaWhenThereAreAny) {
  District d;
  const auto units = units_in_scope(d.tree, UnitScope::subtree("B"));
  auto grid = grid_for_scope(units, d.proj, {}, 150, 0);
  ASSERT_TRUE(grid.ok());
  const std::vector<EventPoint> none;
  const StudyArea area = study_area(*grid, d.proj, units, none);
  EXPECT_EQ(area.basis, AreaBasis::kUnitBoundaries);
  EXPECT_EQ(area.units_with_boundaries, 2);
  EXPECT_EQ(area.cells.size(), 200u);  // 3000 x 1500 m in 150 m cells
  // One station alone: half of it.
  const auto s2 = units_in_scope(d.tree, UnitScope::subtree("S2"));
  EXPECT_EQ(study_area(*grid, d.proj, s2, none).cells.size(), 100u);
}

TEST(SpatialArea, WithoutBoundariesTheCellsWithIncidentsAreTheArea) {
  District d;
  const auto x = units_in_scope(d.tree, UnitScope::subtree("X"));
  std::vector<EventPoint> events;
  for (int i = 0; i < 3000; ++i) events.push_back({100.0 + (i % 10) * 150, 100.0 + (i % 3) * 150, i});
  events.push_back({9e6, -9e6, 5000});  // one point geocoded to another continent
  auto grid = grid_for_scope(x, d.proj, events, 150, 0);
  ASSERT_TRUE(grid.ok()) << grid.error().describe();
  EXPECT_LT(grid->size(), 100);  // the outlier is trimmed off, not covered
  const StudyArea area = study_area(*grid, d.proj, x, events);
  EXPECT_EQ(area.basis, AreaBasis::kCellsWithIncidents);
  EXPECT_EQ(area.cells.size(), 30u);
  EXPECT_FALSE(grid_for_scope(x, d.proj, {}, 150, 0).ok());
}

}  // namespace
}  // namespace pingan::analytics
