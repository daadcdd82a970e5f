// Scoring forecasts (hit rate, PAI) by hand, the replay's promise never to
// show a model the window it forecasts, and forecast windows on a local clock.

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "analytics/forecast.h"
#include "analytics/forecast_etas.h"
#include "analytics/forecast_eval.h"
#include "analytics/forecast_windows.h"

namespace pingan::analytics {
namespace {

constexpr std::int64_t kDay = kMinutesPerDay;

// Ten cells in the area; forecast ranks cells 3, 7, 1, ... ; the window's
// incidents: 4 in cell 3, 1 in cell 7, 5 elsewhere (N = 10).
// Share 10% -> 1 cell (3): n = 4, hit rate 0.4, PAI = 0.4 / 0.1 = 4.
// Share 20% -> 2 cells (3, 7): n = 5, hit rate 0.5, PAI = 0.5 / 0.2 = 2.5.
TEST(AnalyticsForecastEval, HitRateAndPaiByHand) {
  std::vector<double> forecast(12, 0.0), actual(12, 0.0);
  forecast[3] = 9;
  forecast[7] = 8;
  forecast[1] = 5;
  forecast[11] = 100;  // outside the area: never flagged
  actual[3] = 4;
  actual[7] = 1;
  actual[0] = 2;
  actual[5] = 3;
  actual[11] = 50;  // outside the area: not in N
  const std::vector<int> area{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  const double shares[] = {0.1, 0.2};
  const WindowScore s = score_window(forecast, actual, area, shares);
  EXPECT_EQ(s.incidents, 10);
  EXPECT_EQ(s.cells, (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(s.hits, (std::vector<double>{4, 5}));

  // Through the replay: one window whose "model" returns that forecast.
  struct Fixed : ForecastModel {
    std::vector<double> f;
    std::string name() const override { return "fixed"; }
    std::vector<double> forecast(std::span<const EventPoint>, const ForecastWindow&) override {
      return f;
    }
  };
  const Grid grid = *Grid::covering(0, 0, 1199, 99, 100);  // 12 cells in a row
  std::vector<EventPoint> events;
  for (int c = 0; c < 12; ++c)
    for (int k = 0; k < actual[static_cast<size_t>(c)]; ++k)
      events.push_back({c * 100.0 + 50, 50, kDay + k});
  std::sort(events.begin(), events.end(),
            [](const EventPoint& a, const EventPoint& b) { return a.minute < b.minute; });
  auto fixed = std::make_unique<Fixed>();
  fixed->f = forecast;
  std::vector<std::unique_ptr<ForecastModel>> models;
  models.push_back(std::move(fixed));
  const ForecastWindow windows[] = {{kDay, 2 * kDay}};
  auto ev = evaluate_forecasts(events, grid, area, windows, models, shares);
  ASSERT_TRUE(ev.ok());
  EXPECT_DOUBLE_EQ(ev->models[0].mean_hit_rate[0], 0.4);
  EXPECT_DOUBLE_EQ(ev->models[0].mean_pai[0], 4.0);
  EXPECT_DOUBLE_EQ(ev->models[0].mean_hit_rate[1], 0.5);
  EXPECT_DOUBLE_EQ(ev->models[0].mean_pai[1], 2.5);
  EXPECT_EQ(ev->incidents, 10);
}

TEST(AnalyticsForecastEval, FlaggedCellsRoundAndNeverDropToZero) {
  EXPECT_EQ(flagged_cells(0.01, 7146), 71);
  EXPECT_EQ(flagged_cells(0.05, 7146), 357);
  EXPECT_EQ(flagged_cells(0.01, 10), 1);
  EXPECT_EQ(flagged_cells(1.0, 10), 10);
}

// A model that records the latest event it was ever shown, and forwards.
struct Spy : ForecastModel {
  explicit Spy(std::unique_ptr<ForecastModel> inner) : inner_(std::move(inner)) {}
  std::string name() const override { return inner_->name(); }
  std::vector<double> forecast(std::span<const EventPoint> history,
                               const ForecastWindow& w) override {
    for (const EventPoint& e : history)
      if (e.minute >= w.from_minute) saw_the_window = true;
    auto f = inner_->forecast(history, w);
    forecasts.push_back(f);
    return f;
  }
  std::unique_ptr<ForecastModel> inner_;
  bool saw_the_window = false;
  std::vector<std::vector<double>> forecasts;
};

// A huge cluster inside (and after) the forecast window must not change any
// forecast of that window: the models never see it.
TEST(AnalyticsForecastEval, ForecastsNeverSeeTheirWindow) {
  const Grid grid = *Grid::covering(0, 0, 2999, 2999, 150);
  std::vector<EventPoint> quiet;
  for (int d = 0; d < 120; ++d)
    for (int k = 0; k < 6; ++k)
      quiet.push_back({300.0 + 400 * k + (d % 7) * 30, 500.0 + 350 * k, d * kDay + 60 * k});
  std::vector<EventPoint> loud = quiet;
  for (int i = 0; i < 5000; ++i)  // inside days 100..107, all in one place
    loud.push_back({2500, 2500, 100 * kDay + i * 2});
  auto by_time = [](const EventPoint& a, const EventPoint& b) { return a.minute < b.minute; };
  std::sort(quiet.begin(), quiet.end(), by_time);
  std::sort(loud.begin(), loud.end(), by_time);
  std::vector<int> area;
  for (int c = 0; c < grid.size(); ++c) area.push_back(c);
  const ForecastWindow windows[] = {{100 * kDay, 107 * kDay}};
  const double shares[] = {0.05};

  auto run = [&](const std::vector<EventPoint>& events) {
    std::vector<std::unique_ptr<ForecastModel>> models;
    EtasOptions o;
    o.fit_days = 90;
    o.background_days = 90;
    o.tuning_days = 28;
    models.push_back(std::make_unique<Spy>(std::make_unique<EtasModel>(grid, o, area)));
    models.push_back(std::make_unique<Spy>(
        std::make_unique<PriorPeriodModel>(grid, 28, KernelSpec{KernelShape::kGaussian, 150})));
    auto ev = evaluate_forecasts(events, grid, area, windows, models, shares);
    EXPECT_TRUE(ev.ok());
    std::vector<std::vector<double>> out;
    for (auto& m : models) {
      auto* spy = static_cast<Spy*>(m.get());
      EXPECT_FALSE(spy->saw_the_window) << spy->name();
      out.push_back(spy->forecasts.at(0));
    }
    return std::make_pair(out, ev.ok() ? ev->incidents : 0.0);
  };
  const auto [quiet_forecasts, quiet_n] = run(quiet);
  const auto [loud_forecasts, loud_n] = run(loud);
  EXPECT_GT(loud_n, quiet_n + 4000);  // the cluster was scored against...
  EXPECT_EQ(quiet_forecasts, loud_forecasts);  // ...but no forecast saw it
  const int cluster_cell = grid.cell_of(2500, 2500);
  for (const auto& f : loud_forecasts) EXPECT_LT(f[static_cast<size_t>(cluster_cell)], 1.0);
}

TEST(AnalyticsForecastWindows, DaysWeeksAndShiftsFollowTheLocalClock) {
  const TimeZone chicago = *TimeZone::locate("America/Chicago");
  // 2019-03-10 is the spring-forward day in Chicago (23 hours).
  auto days = replay_windows(chicago, {2019, 3, 9}, {2019, 3, 12}, WindowKind::kDay);
  ASSERT_TRUE(days.ok());
  ASSERT_EQ(days->size(), 3u);
  EXPECT_EQ((*days)[0].until_minute - (*days)[0].from_minute, 24 * 60);
  EXPECT_EQ((*days)[1].until_minute - (*days)[1].from_minute, 23 * 60);
  EXPECT_EQ((*days)[0].from_minute * 60, *parse_iso8601("2019-03-09T00:00:00-06:00"));
  EXPECT_EQ((*days)[1].until_minute, (*days)[2].from_minute);

  auto weeks = replay_windows(chicago, {2019, 1, 7}, {2019, 2, 1}, WindowKind::kWeek);
  ASSERT_TRUE(weeks.ok());
  EXPECT_EQ(weeks->size(), 3u);  // the fourth would end after Feb 1
  auto shifts = replay_windows(chicago, {2019, 3, 10}, {2019, 3, 11}, WindowKind::kShift);
  ASSERT_TRUE(shifts.ok());
  ASSERT_EQ(shifts->size(), 3u);
  EXPECT_EQ((*shifts)[1].from_minute * 60, *parse_iso8601("2019-03-10T08:00:00-05:00"));
  EXPECT_FALSE(replay_windows(chicago, {2019, 3, 10}, {2019, 3, 10}, WindowKind::kDay).ok());

  // Next windows after Wednesday 2019-03-13 10:30 local.
  const Timestamp at = *parse_iso8601("2019-03-13T10:30:00-05:00");
  EXPECT_EQ(next_window(chicago, at, WindowKind::kShift).from_minute * 60,
            *parse_iso8601("2019-03-13T16:00:00-05:00"));
  EXPECT_EQ(next_window(chicago, at, WindowKind::kDay).from_minute * 60,
            *parse_iso8601("2019-03-14T00:00:00-05:00"));
  EXPECT_EQ(next_window(chicago, at, WindowKind::kWeek).from_minute * 60,
            *parse_iso8601("2019-03-18T00:00:00-05:00"));
  // A window boundary itself is the next window's start.
  const Timestamp eight = *parse_iso8601("2019-03-13T08:00:00-05:00");
  EXPECT_EQ(next_window(chicago, eight, WindowKind::kShift).from_minute * 60, eight);
}

TEST(AnalyticsForecastWindows, ParsesDatesStrictly) {
  EXPECT_TRUE(parse_local_date("2017-01-02", "from").ok());
  EXPECT_EQ(parse_local_date("2016-02-29", "from")->day, 29);
  EXPECT_FALSE(parse_local_date("2017-02-29", "from").ok());
  EXPECT_FALSE(parse_local_date("2017-1-2", "from").ok());
  EXPECT_FALSE(parse_local_date("2017-01-02x", "from").ok());
  EXPECT_EQ(parse_local_date("yesterday", "to").error().field, "to");
  EXPECT_FALSE(parse_window_kind("month").ok());
}

}  // namespace
}  // namespace pingan::analytics
