// The pricing rules of analytics/request_cost.h on their own: what a
// request costs, that the refusal names the parameter and the limit, that
// the size it advises fits, and that unlimited budgets (the CLI) refuse
// nothing.

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <regex>
#include <vector>

#include "analytics/forecast_etas.h"
#include "analytics/getis_ord.h"
#include "analytics/grid.h"
#include "analytics/kde.h"
#include "analytics/request_cost.h"

namespace pingan::analytics {
namespace {

const CostBudgets& server = CostBudgets::server();
const CostBudgets& unlimited = CostBudgets::unlimited();

double advised(const std::string& message, const std::string& prefix) {
  std::smatch m;
  if (!std::regex_search(message, m, std::regex(prefix + " ([0-9]+)"))) return -1;
  return std::stod(m[1]);
}

// The demo district's extent: 20 x 15 km.
Grid demo_grid(double cell_m) { return *Grid::covering(0, 0, 20'000, 15'000, cell_m); }

TEST(RequestCost, NumbersAreWrittenShort) {
  EXPECT_EQ(cost_number(7.9e9), "7.9e9");
  EXPECT_EQ(cost_number(2e8), "2e8");
  EXPECT_EQ(cost_number(16'704), "16,704");
  EXPECT_EQ(cost_number(1'000), "1,000");
  EXPECT_EQ(cost_number(999), "999");
  EXPECT_EQ(cost_number(2.36e10), "2.4e10");
}

TEST(RequestCost, GiStarIsPricedByNeighbourVisitsAndItsAdviceFits) {
  // The half-minute request: 3e6 cells of 10 m, 7,845 neighbours each.
  EXPECT_EQ(gi_star_neighbour_count(500, 10), 7845);
  EXPECT_EQ(gi_star_neighbour_count(0, 10), 1);
  const Grid fine = demo_grid(10);
  Status st = price_gistar(fine, fine.size(), 500, server);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().field, "cell");
  EXPECT_NE(st.error().message.find("cell=10 with band=500 needs 2.4e10 neighbour visits"), std::string::npos)
      << st.error().message;
  const double cell = advised(st.error().message, "use cell of at least");
  ASSERT_GT(cell, 10);
  const Grid coarse = demo_grid(cell);
  EXPECT_TRUE(price_gistar(coarse, coarse.size(), 500, server).ok()) << cell;
  EXPECT_TRUE(price_map_grid(coarse, server).ok()) << cell;
  // Nothing is refused without a budget.
  EXPECT_TRUE(price_gistar(fine, fine.size(), 500, unlimited).ok());
  EXPECT_TRUE(price_map_grid(fine, unlimited).ok());
  // The default map (150 m) passes with any band the request allows (50 cells).
  const Grid usual = demo_grid(150);
  EXPECT_TRUE(price_gistar(usual, usual.size(), 0, server).ok());
  EXPECT_TRUE(price_gistar(usual, usual.size(), 50 * 150, server).ok());
}

TEST(RequestCost, ABandIsOfferedOnlyWhenTheGridFits) {
  const Grid grid = demo_grid(20);  // 7.5e5 cells: fits
  Status st = price_gistar(grid, grid.size(), 500, server);
  ASSERT_FALSE(st.ok());
  const double band = advised(st.error().message, "a band of at most");
  ASSERT_GE(band, 20) << st.error().message;
  EXPECT_TRUE(price_gistar(grid, grid.size(), band, server).ok());
  EXPECT_FALSE(price_gistar(grid, grid.size(), band + 20, server).ok());
  // 10 m cells do not fit whatever the band: no band is offered.
  Status fine = price_gistar(demo_grid(10), demo_grid(10).size(), 500, server);
  EXPECT_EQ(fine.error().message.find("band of at most"), std::string::npos) << fine.error().message;
}

TEST(RequestCost, TheGridItselfIsPriced) {
  Status st = price_map_grid(demo_grid(10), server);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().field, "cell");
  const double cell = advised(st.error().message, "use cell of at least");
  EXPECT_TRUE(price_map_grid(demo_grid(cell), server).ok()) << st.error().message;
  EXPECT_FALSE(price_map_grid(demo_grid(cell - 2), server).ok()) << st.error().message;
  EXPECT_FALSE(price_map_events(6e6, "from", server).ok());
  EXPECT_EQ(price_map_events(6e6, "from", server).error().field, "from");
  EXPECT_TRUE(price_map_events(1e5, "from", server).ok());
}

// A density map's grid: the scope and the kernel's margin around it.
Grid kde_grid(double cell_m, const KernelSpec& kernel) {
  return *Grid::covering(0, 0, 20'000, 15'000, cell_m, kernel_map_margin_m(kernel));
}

TEST(RequestCost, KernelDensityIsPricedByTheCellsEachIncidentTouches) {
  const KernelSpec wide{KernelShape::kQuartic, 5000};
  EXPECT_EQ(kernel_reach_cells(wide, 20), 250);
  Status st = price_kde(kde_grid(20, wide), 1000, wide, server);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().field, "bandwidth");
  // The advice counts the smaller margin a narrower kernel needs.
  const double bandwidth = advised(st.error().message, "use a bandwidth of at most");
  ASSERT_GT(bandwidth, 0) << st.error().message;
  const KernelSpec narrower{KernelShape::kQuartic, bandwidth};
  EXPECT_TRUE(price_kde(kde_grid(20, narrower), 1000, narrower, server).ok()) << st.error().message;
  const double cell = advised(st.error().message, "cell of at least");
  ASSERT_GT(cell, 20) << st.error().message;
  EXPECT_TRUE(price_kde(kde_grid(cell, wide), 1000, wide, server).ok()) << st.error().message;
  EXPECT_TRUE(price_kde(kde_grid(20, wide), 1000, wide, unlimited).ok());
  // The usual map: 150 m, a Gaussian of 300 m, a year of the demo.
  EXPECT_TRUE(price_kde(kde_grid(150, KernelSpec{}), 60'000, KernelSpec{}, server).ok());
}

TEST(RequestCost, EtasForecastsArePricedByTheWindowsReplayedTimesTheCells) {
  // Day windows at 150 m (the demo's default forecast) pass, and so do
  // 8-hour shifts; one-hour windows replay 2,184 of them.
  const Grid grid = *Grid::covering(-1000, -1000, 21'000, 16'000, 150);
  EXPECT_TRUE(price_etas_forecast(grid, 1440, 91, "window", "cell", server).ok());
  EXPECT_TRUE(price_etas_forecast(grid, 480, 91, "hours", "cell", server).ok());
  Status st = price_etas_forecast(grid, 60, 91, "hours", "cell", server);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().field, "cell");
  EXPECT_NE(st.error().message.find("2,184 windows"), std::string::npos) << st.error().message;
  const double hours = advised(st.error().message, "windows of at least");
  ASSERT_GE(hours, 2);
  EXPECT_TRUE(price_etas_forecast(grid, hours * 60, 91, "hours", "cell", server).ok());
  EXPECT_TRUE(price_etas_forecast(grid, 60, 91, "hours", "cell", unlimited).ok());
  EXPECT_TRUE(price_etas_forecast(grid, 60, 0, "hours", "cell", server).ok());  // no tuning: nothing replayed
  // A request without a cell parameter (GET /api/stats/patrol) is told of its period only.
  Status fixed = price_etas_forecast(grid, 60, 91, "to", nullptr, server);
  ASSERT_FALSE(fixed.ok());
  EXPECT_EQ(fixed.error().field, "to");
  EXPECT_EQ(fixed.error().message.find("cell of at least"), std::string::npos) << fixed.error().message;
}

TEST(RequestCost, TheEtasFitIsPricedByItsCandidatePairsEstimatedWithoutFormingThem) {
  // Incidents spread over a 6 km square for a year and a half, denser in
  // one corner: the estimate is within a factor of two of the pairs the fit
  // forms, either way.
  std::mt19937 rng(9);
  std::uniform_real_distribution<double> anywhere(0, 6000), corner(0, 1500), minute(0, 540.0 * 1440);
  std::vector<EventPoint> events;
  for (int i = 0; i < 20'000; ++i) {
    const bool dense = i % 2 == 0;
    events.push_back(EventPoint{dense ? corner(rng) : anywhere(rng), dense ? corner(rng) : anywhere(rng),
                                static_cast<std::int64_t>(minute(rng))});
  }
  std::sort(events.begin(), events.end(), [](const EventPoint& a, const EventPoint& b) { return a.minute < b.minute; });
  EtasOptions options;
  options.choose_background_bandwidth = false;
  options.max_iterations = 1;
  const std::int64_t from = 175 * 1440, until = 540 * 1440;
  auto fit = fit_etas(*Grid::covering(0, 0, 5999, 5999, 150), events, from, until, options);
  ASSERT_TRUE(fit.ok()) << fit.error().describe();
  const double estimate = estimate_etas_pairs(events, from, until, options);
  EXPECT_GT(estimate, 0.5 * static_cast<double>(fit->pairs)) << fit->pairs;
  EXPECT_LT(estimate, 2.0 * static_cast<double>(fit->pairs)) << fit->pairs;

  EXPECT_TRUE(price_etas_fit(3.3e6, "unit", server).ok());  // the demo district's year
  Status st = price_etas_fit(6e7, "unit", server);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().field, "unit");
  EXPECT_NE(st.error().message.find("about 6e7 incidents"), std::string::npos) << st.error().message;
  EXPECT_NE(st.error().message.find("about 50% of the incidents"), std::string::npos) << st.error().message;
  EXPECT_TRUE(price_etas_fit(6e7, "unit", unlimited).ok());
}

TEST(RequestCost, CountsArePricedByTheCellsOfTheAnswer) {
  Status st = price_stats(8760, 60, "hour", 365, server);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().field, "bucket");
  EXPECT_NE(st.error().message.find("a period of at most 138 days"), std::string::npos) << st.error().message;
  EXPECT_TRUE(price_stats(3333, 60, "hour", 138, server).ok());
  Status groups = price_stats(1, 300'000, "", 28, server);
  ASSERT_FALSE(groups.ok());
  EXPECT_EQ(groups.error().field, "group_by");

  EXPECT_TRUE(price_rising(106, 49 * 60, server).ok());  // the demo's widest test
  Status rising = price_rising(106, 20'000, server);
  ASSERT_FALSE(rising.ok());
  EXPECT_EQ(rising.error().field, "windows");
  EXPECT_NE(rising.error().message.find("windows of at most 48"), std::string::npos) << rising.error().message;
  EXPECT_TRUE(price_rising(106, 20'000, unlimited).ok());

  EXPECT_FALSE(price_response(1827, "day", server).ok());
  EXPECT_TRUE(price_response(1000, "day", server).ok());
}

}  // namespace
}  // namespace pingan::analytics
