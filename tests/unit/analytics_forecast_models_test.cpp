// Forecast models on synthetic data where the answer is known: a
// self-exciting process (ETAS must recover its parameters and beat the
// kernel-density baseline) and a static Poisson field (nothing to excite:
// both alike).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>
#include <vector>

#include "analytics/forecast.h"
#include "analytics/forecast_etas.h"
#include "analytics/forecast_eval.h"

namespace pingan::analytics {
namespace {

constexpr double kSide = 6000;  // a 6 km square
constexpr std::int64_t kDay = kMinutesPerDay;

struct Truth {
  double mu_per_day;
  double theta;
  double mean_delay_days;
  double sigma_m;
  double hotspot_share = 0.6;  // of the background, the rest uniform
};

// Background: around five fixed hotspots (sd 300 m) or uniform over the
// square. Offspring by branching: Poisson(theta) children per event,
// exponential delay, Gaussian displacement. Events beyond the square or
// the period are dropped.
std::vector<EventPoint> simulate(const Truth& t, int days, std::uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  std::normal_distribution<double> normal(0, 1);
  const double hotspots[5][2] = {{1500, 1500}, {4500, 1200}, {3000, 3000}, {1200, 4600}, {4700, 4700}};
  std::vector<EventPoint> events;
  std::poisson_distribution<int> background(t.mu_per_day * days);
  const int n0 = background(rng);
  for (int i = 0; i < n0; ++i) {
    EventPoint e;
    e.minute = static_cast<std::int64_t>(unit(rng) * days * kDay);
    if (unit(rng) >= t.hotspot_share) {
      e.x = unit(rng) * kSide;
      e.y = unit(rng) * kSide;
    } else {
      const auto& h = hotspots[static_cast<int>(unit(rng) * 5) % 5];
      e.x = h[0] + 300 * normal(rng);
      e.y = h[1] + 300 * normal(rng);
    }
    events.push_back(e);
  }
  std::poisson_distribution<int> children(t.theta);
  std::exponential_distribution<double> delay(1 / t.mean_delay_days);
  for (size_t i = 0; i < events.size(); ++i) {  // grows while it runs: generations
    const int k = t.theta > 0 ? children(rng) : 0;
    for (int c = 0; c < k; ++c) {
      EventPoint e;
      e.minute = events[i].minute + 1 + static_cast<std::int64_t>(delay(rng) * kDay);
      e.x = events[i].x + t.sigma_m * normal(rng);
      e.y = events[i].y + t.sigma_m * normal(rng);
      if (e.minute < days * kDay) events.push_back(e);
    }
  }
  std::erase_if(events, [](const EventPoint& e) {
    return e.x < 0 || e.y < 0 || e.x >= kSide || e.y >= kSide;
  });
  std::sort(events.begin(), events.end(),
            [](const EventPoint& a, const EventPoint& b) { return a.minute < b.minute; });
  return events;
}

Grid square_grid() { return *Grid::covering(0, 0, kSide - 1, kSide - 1, 150); }

std::vector<int> all_cells(const Grid& g) {
  std::vector<int> out;
  for (int c = 0; c < g.size(); ++c) out.push_back(c);
  return out;
}

EtasOptions test_options() {
  EtasOptions o;
  o.fit_days = 300;
  o.background_days = 300;
  o.max_trigger_days = 30;
  o.max_trigger_m = 500;
  return o;
}

TEST(AnalyticsForecastEtas, RecoversTheParametersOfASelfExcitingProcess) {
  const Truth truth{12, 0.5, 2.0, 60};
  const auto events = simulate(truth, 330, 11);
  const Grid grid = square_grid();
  auto fit = fit_etas(grid, events, 30 * kDay, 330 * kDay, test_options());
  ASSERT_TRUE(fit.ok()) << fit.error().describe();
  EXPECT_TRUE(fit->converged);
  EXPECT_NEAR(fit->params.theta, truth.theta, 0.1);
  EXPECT_NEAR(1 / fit->params.omega_per_day, truth.mean_delay_days, 0.6);
  EXPECT_NEAR(fit->params.sigma_m, truth.sigma_m, 15);
  // Background events per day: the truth less what fell off the square.
  EXPECT_NEAR(fit->params.mu_per_day, truth.mu_per_day, 0.2 * truth.mu_per_day);
}

TEST(AnalyticsForecastEtas, FindsNoExcitationInAStaticPoissonField) {
  const Truth truth{25, 0.0, 1.0, 60};
  const auto events = simulate(truth, 330, 12);
  auto fit = fit_etas(square_grid(), events, 30 * kDay, 330 * kDay, test_options());
  ASSERT_TRUE(fit.ok());
  EXPECT_LT(fit->params.theta, 0.08);
}

struct Scores {
  double etas_pai5 = 0, kde28_pai5 = 0, kde_long_pai5 = 0;
  EtasFit last_fit;
};

Scores replay(const std::vector<EventPoint>& events, int first_day, int last_day, int step_days) {
  const Grid grid = square_grid();
  const std::vector<int> area = all_cells(grid);
  std::vector<ForecastWindow> windows;
  for (int d = first_day; d + step_days <= last_day; d += step_days)
    windows.push_back({d * kDay, (d + step_days) * kDay});
  std::vector<std::unique_ptr<ForecastModel>> models;
  models.push_back(std::make_unique<EtasModel>(grid, test_options(), area));
  models.push_back(
      std::make_unique<PriorPeriodModel>(grid, 28, KernelSpec{KernelShape::kGaussian, 150}));
  models.push_back(
      std::make_unique<PriorPeriodModel>(grid, 300, KernelSpec{KernelShape::kGaussian, 150}));
  const double shares[] = {0.01, 0.05, 0.10};
  auto ev = evaluate_forecasts(events, grid, area, windows, models, shares);
  EXPECT_TRUE(ev.ok());
  Scores s;
  if (!ev.ok()) return s;
  s.etas_pai5 = ev->models[0].mean_pai[1];
  s.kde28_pai5 = ev->models[1].mean_pai[1];
  s.kde_long_pai5 = ev->models[2].mean_pai[1];
  s.last_fit = *static_cast<EtasModel*>(models[0].get())->last_fit();
  return s;
}

TEST(AnalyticsForecastEtas, BeatsKernelDensityOnASelfExcitingProcess) {
  const auto events = simulate(Truth{12, 0.6, 2.0, 60, 0.3}, 420, 21);
  const Scores s = replay(events, 330, 420, 7);
  EXPECT_GT(s.etas_pai5, 1.15 * s.kde28_pai5) << s.etas_pai5 << " vs " << s.kde28_pai5;
  EXPECT_GT(s.etas_pai5, 1.15 * s.kde_long_pai5)
      << s.etas_pai5 << " vs " << s.kde_long_pai5 << "; fit theta " << s.last_fit.params.theta
      << " 1/omega " << 1 / s.last_fit.params.omega_per_day << " sigma " << s.last_fit.params.sigma_m
      << " weight " << s.last_fit.params.trigger_weight << " bandwidth "
      << s.last_fit.params.background_bandwidth_m;
  EXPECT_GT(s.last_fit.params.trigger_weight, 0);
}

TEST(AnalyticsForecastEtas, MatchesKernelDensityOnAStaticPoissonField) {
  const auto events = simulate(Truth{25, 0.0, 1.0, 60}, 420, 22);
  const Scores s = replay(events, 330, 420, 7);
  // Nothing to excite: the ETAS forecast is the long-run background.
  EXPECT_NEAR(s.etas_pai5, s.kde_long_pai5, 0.15 * s.kde_long_pai5);
  EXPECT_GT(s.etas_pai5, 1.0);  // the hotspots are still found
}

TEST(AnalyticsForecastEtas, ForecastSumsToTheExpectedCount) {
  const auto events = simulate(Truth{12, 0.5, 2.0, 60}, 330, 31);
  const Grid grid = square_grid();
  EtasOptions o = test_options();
  o.tuning_days = 0;  // the fitted model as it is
  EtasModel model(grid, o);
  const ForecastWindow w{330 * kDay, 337 * kDay};
  const auto f = model.forecast(events, w);
  double total = 0;
  for (double v : f) total += v;
  const EtasParams& p = model.last_fit()->params;
  // Background mu * 7 days plus at most theta per recent event; at least the background.
  EXPECT_GE(total, p.mu_per_day * 7 * 0.999);
  EXPECT_LT(total, p.mu_per_day * 7 + p.theta * 12 * 30 * 2);
  for (double v : f) EXPECT_GE(v, -1e-9);
}

TEST(AnalyticsForecastBaselines, PriorPeriodScalesTheLookbackToTheWindow) {
  const Grid grid = *Grid::covering(0, 0, 999, 999, 100);
  std::vector<EventPoint> events;
  for (int d = 0; d < 28; ++d) events.push_back({50, 50, d * kDay + 600});
  for (int d = 0; d < 14; ++d) events.push_back({950, 950, (14 + d) * kDay});
  PriorPeriodModel counts(grid, 28, KernelSpec{KernelShape::kGaussian, 0});
  const auto f = counts.forecast(events, {28 * kDay, 35 * kDay});
  EXPECT_DOUBLE_EQ(f[static_cast<size_t>(grid.cell_of(50, 50))], 28.0 * 7 / 28);
  EXPECT_DOUBLE_EQ(f[static_cast<size_t>(grid.cell_of(950, 950))], 14.0 * 7 / 28);
  EXPECT_EQ(counts.name(), "counts-28d");
  // Seven days on, the first week of the lookback has left it.
  const auto g = counts.forecast(events, {35 * kDay, 42 * kDay});
  EXPECT_NEAR(g[static_cast<size_t>(grid.cell_of(50, 50))], 21.0 * 7 / 28, 1e-12);
}

TEST(AnalyticsForecastBaselines, SlidingDensityEqualsAFreshOne) {
  const auto events = simulate(Truth{12, 0.5, 2.0, 60}, 200, 41);
  const Grid grid = square_grid();
  const KernelSpec kernel{KernelShape::kGaussian, 120};
  SlidingDensity sliding(grid, kernel);
  for (int d = 30; d < 200; d += 3) {
    const std::int64_t from = (d - 28) * kDay, until = d * kDay;
    const auto& slid = sliding.over(std::span(events).first(first_at_or_after(events, until)),
                                    from, until);
    std::vector<EventPoint> inside;
    for (const auto& e : events)
      if (e.minute >= from && e.minute < until) inside.push_back(e);
    const auto fresh = kernel_density(grid, inside, kernel);
    for (size_t c = 0; c < fresh.size(); ++c) ASSERT_NEAR(slid[c], fresh[c], 1e-9) << "day " << d;
    EXPECT_EQ(sliding.events_inside(), static_cast<std::int64_t>(inside.size()));
  }
}

}  // namespace
}  // namespace pingan::analytics
