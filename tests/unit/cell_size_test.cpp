// The one cell-size range of every hotspot, forecast and patrol request
// (analytics/grid.h): HTTP answers and docs/openapi.json quote its message.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "analytics/grid.h"

namespace pingan::analytics {
namespace {

TEST(CellSize, InsideTheRangeIncludingItsEnds) {
  EXPECT_TRUE(check_cell_size(kMinCellM).ok());
  EXPECT_TRUE(check_cell_size(150).ok());
  EXPECT_TRUE(check_cell_size(kMaxCellM).ok());
}

TEST(CellSize, OutsideTheRangeOrNotANumberIsRefused) {
  for (double bad : {0.0, 9.99, 10'000.5, -150.0, std::nan(""),
                     std::numeric_limits<double>::infinity()}) {
    Status st = check_cell_size(bad);
    ASSERT_FALSE(st.ok()) << bad;
    EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(st.error().field, "cell");
    EXPECT_EQ(st.error().message, "must be 10..10000 m");
  }
  // A grid refuses the same sizes with the same words.
  auto grid = Grid::covering(0, 0, 100, 100, 5);
  ASSERT_FALSE(grid.ok());
  EXPECT_EQ(grid.error().message, "must be 10..10000 m");
}

}  // namespace
}  // namespace pingan::analytics
