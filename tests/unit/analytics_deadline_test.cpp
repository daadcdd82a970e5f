// The long analytics loops stop when their Deadline expires (core/deadline.h):
// a pre-cancelled deadline ends Gi*, the hotspot map, the kernel density,
// the ETAS fit, the forecast and the rising test with `unavailable` before
// their work is done; Deadline::none() changes nothing.

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "analytics/forecast_etas.h"
#include "analytics/forecast_service.h"
#include "analytics/getis_ord.h"
#include "analytics/hotspot.h"
#include "analytics/incident_index.h"
#include "analytics/kde.h"
#include "analytics/rising.h"
#include "core/deadline.h"

namespace pingan::analytics {
namespace {

constexpr Timestamp kDay = 86'400;

Deadline& cancelled() {
  static Deadline d;
  d.cancel();
  return d;
}

void expect_stopped(const Error& e) {
  EXPECT_EQ(e.code, ErrorCode::kUnavailable) << e.describe();
  EXPECT_NE(e.message.find("the client went away"), std::string::npos) << e.message;
}

TEST(AnalyticsDeadline, ACancelledDeadlineStopsGiStarOverTheGrid) {
  const Grid grid = *Grid::covering(0, 0, 9999, 9999, 100);  // 10,000 cells
  std::vector<double> values(static_cast<size_t>(grid.size()));
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<double>(i % 7);
  const std::vector<std::uint8_t> area(values.size(), 1);
  auto stopped = gi_star_grid(grid, values, area, 500, cancelled());
  ASSERT_FALSE(stopped.ok());
  expect_stopped(stopped.error());
  // The same without a deadline runs to the end.
  auto whole = gi_star_grid(grid, values, area, 500);
  ASSERT_TRUE(whole.ok()) << whole.error().describe();
  EXPECT_EQ(whole->size(), values.size());
}

TEST(AnalyticsDeadline, ACancelledDeadlineLeavesTheKernelDensityUndone) {
  const Grid grid = *Grid::covering(0, 0, 4999, 4999, 50);
  std::vector<EventPoint> points;
  for (int i = 0; i < 5000; ++i) points.push_back(EventPoint{(i * 37) % 5000 + 0.5, (i * 91) % 5000 + 0.5, i});
  const KernelSpec kernel{KernelShape::kGaussian, 200};
  double stopped_mass = 0, whole_mass = 0;
  for (double v : kernel_density(grid, points, kernel, cancelled())) stopped_mass += v;
  for (double v : kernel_density(grid, points, kernel)) whole_mass += v;
  EXPECT_EQ(stopped_mass, 0);
  EXPECT_GT(whole_mass, 4000);
}

TEST(AnalyticsDeadline, ACancelledDeadlineStopsTheEtasFit) {
  const Grid grid = *Grid::covering(0, 0, 5999, 5999, 150);
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> where(0, 6000);
  std::vector<EventPoint> events;
  for (int i = 0; i < 3000; ++i) events.push_back(EventPoint{where(rng), where(rng), i * 60});
  EtasOptions options;
  options.fit_days = 30;
  auto stopped = fit_etas(grid, events, 0, 3000 * 60, options, cancelled());
  ASSERT_FALSE(stopped.ok());
  expect_stopped(stopped.error());
  EXPECT_TRUE(fit_etas(grid, events, 0, 3000 * 60, options).ok());
}

// A small district over an index: two stations with square boundaries and
// incidents every few hours of two months.
struct District {
  Taxonomy taxonomy = Taxonomy::load_default().value();
  TimeZone zone = TimeZone::locate("Asia/Shanghai").value();
  std::shared_ptr<const UnitTree> tree;
  std::unique_ptr<IncidentIndex> index;

  static Boundary square(double lat0, double lon0, double side) {
    const Ring outer{{lat0, lon0}, {lat0, lon0 + side}, {lat0 + side, lon0 + side}, {lat0 + side, lon0}, {lat0, lon0}};
    return Boundary({Polygon{outer}});
  }

  District() {
    std::vector<Unit> units{
        {0, "B", "分局", UnitKind::kBureau, "", {}},
        {0, "S1", "一所", UnitKind::kStation, "B", square(36.60, 117.00, 0.05)},
        {0, "S2", "二所", UnitKind::kStation, "B", square(36.60, 117.05, 0.05)},
    };
    tree = std::make_shared<const UnitTree>(UnitTree::build(units).value());
    index = std::make_unique<IncidentIndex>(taxonomy, tree, zone);
    std::mt19937 rng(11);
    std::uniform_real_distribution<double> lat(36.601, 36.649), lon(117.001, 117.099);
    std::vector<Incident> batch;
    const Timestamp start = zone.to_utc(CivilTime{2025, 8, 1, 0, 0, 0});
    for (int i = 0; i < 1200; ++i) {
      Incident inc;
      inc.id = i + 1;
      inc.source = "test";
      inc.source_id = std::to_string(inc.id);
      inc.reported_at = start + i * 4 * 3600 + 600;
      inc.type_code = i % 2 ? "theft" : "burglary";
      inc.class_code = taxonomy.find_type(inc.type_code)->class_code;
      inc.location = GeoPoint{lat(rng), lon(rng)};
      inc.unit_code = inc.location->lon < 117.05 ? "S1" : "S2";
      batch.push_back(std::move(inc));
    }
    index->upsert_all(batch);
  }
  Timestamp local(int y, int m, int d) const { return zone.to_utc(CivilTime{y, m, d, 0, 0, 0}); }
};

TEST(AnalyticsDeadline, ACancelledDeadlineStopsTheHotspotMap) {
  District d;
  HotspotRequest q;
  q.method = HotspotMethod::kGiStar;
  q.filter.from = d.local(2025, 8, 1);
  q.filter.until = d.local(2026, 3, 1);  // all 1,200
  auto stopped = compute_hotspots(*d.index, q, cancelled());
  ASSERT_FALSE(stopped.ok());
  expect_stopped(stopped.error());
  auto whole = compute_hotspots(*d.index, q);
  ASSERT_TRUE(whole.ok()) << whole.error().describe();
  EXPECT_EQ(whole->incidents, 1200);
}

TEST(AnalyticsDeadline, ACancelledDeadlineStopsTheForecast) {
  District d;
  ForecastRequest q;
  q.window = ForecastWindow{d.local(2025, 9, 30) / 60, d.local(2025, 10, 1) / 60};
  auto stopped = forecast_window(*d.index, q, cancelled());
  ASSERT_FALSE(stopped.ok());
  expect_stopped(stopped.error());
  auto whole = forecast_window(*d.index, q);
  ASSERT_TRUE(whole.ok()) << whole.error().describe();
  EXPECT_TRUE(whole->fit.has_value());
}

TEST(AnalyticsDeadline, ACancelledDeadlineStopsTheRisingTest) {
  District d;
  RisingQuery q;
  q.from = d.local(2025, 9, 1);
  q.until = d.local(2025, 9, 29);
  q.history_windows = 1;
  auto stopped = find_rising(*d.index, q, d.local(2025, 10, 1), cancelled());
  ASSERT_FALSE(stopped.ok());
  expect_stopped(stopped.error());
  auto whole = find_rising(*d.index, q, d.local(2025, 10, 1));
  ASSERT_TRUE(whole.ok()) << whole.error().describe();
  EXPECT_GT(whole->tested, 0);
}

}  // namespace
}  // namespace pingan::analytics
