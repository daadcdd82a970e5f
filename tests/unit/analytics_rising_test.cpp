// "What is rising": the distributions against direct summation, the test's
// ranking and calibration on synthetic series with known answers, the window
// and grouping logic against brute-force counts over a hand-built index, and
// the demo district's known trend (telecom fraud rises 25 % a year).

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>

#include "analytics/incident_index.h"
#include "analytics/rising.h"
#include "analytics/rising_math.h"
#include "analytics/rising_score.h"
#include "http_test_support.h"
#include "ingest/demo_district.h"

namespace pingan::analytics {
namespace {

using ingest::demo_end;
using ingest::demo_units;
using ingest::DemoOptions;
using ingest::generate_demo_incidents;
using ingest::write_demo_district;

// --- distributions, against sums of the probability mass function ---

double log_choose(double n, double k) { return std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1); }

double binomial_tail_by_sum(std::int64_t k, std::int64_t n, double p) {
  double sum = 0;
  for (std::int64_t i = std::max<std::int64_t>(k, 0); i <= n; ++i)
    sum += std::exp(log_choose(double(n), double(i)) + i * std::log(p) + (n - i) * std::log1p(-p));
  return sum;
}

double poisson_tail_by_sum(std::int64_t k, double lambda) {
  double below = 0;
  for (std::int64_t i = 0; i < k; ++i) below += std::exp(-lambda + i * std::log(lambda) - std::lgamma(i + 1.0));
  return 1 - below;
}

double negative_binomial_tail_by_sum(std::int64_t k, double mean, double size) {
  const double s = size / (size + mean);
  double below = 0;
  for (std::int64_t i = 0; i < k; ++i)
    below += std::exp(std::lgamma(i + size) - std::lgamma(size) - std::lgamma(i + 1.0) + size * std::log(s) +
                      i * std::log1p(-s));
  return 1 - below;
}

TEST(RisingMath, PoissonTailMatchesKnownValues) {
  // 1 - e^-2 (1 + 2 + 2 + 4/3)
  EXPECT_NEAR(poisson_upper_tail(4, 2.0), 1 - std::exp(-2.0) * (1 + 2 + 2 + 4.0 / 3), 1e-12);
  EXPECT_DOUBLE_EQ(poisson_upper_tail(0, 5.0), 1.0);
  EXPECT_DOUBLE_EQ(poisson_upper_tail(1, 0.0), 0.0);
  // Deep tail keeps relative precision: P(X >= 100 | 10) is about 5.4e-63.
  const double deep = poisson_upper_tail(100, 10.0);
  EXPECT_GT(deep, 5.3e-63);
  EXPECT_LT(deep, 5.5e-63);
  // P(0.5, x) = erf(sqrt(x)).
  EXPECT_NEAR(regularized_gamma_p(0.5, 3.0), std::erf(std::sqrt(3.0)), 1e-13);
  EXPECT_NEAR(chi_square_upper_tail(2 * 1.5, 2), std::exp(-1.5), 1e-13);  // chi2(2) is Exp(1/2)
}

TEST(RisingMath, TailsMatchDirectSummationOnRandomArguments) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<std::int64_t> n_dist(1, 300);
  std::uniform_real_distribution<double> unit(0.01, 0.99);
  for (int i = 0; i < 300; ++i) {
    const std::int64_t n = n_dist(rng);
    const std::int64_t k = std::uniform_int_distribution<std::int64_t>(0, n)(rng);
    const double p = unit(rng);
    const double expected = binomial_tail_by_sum(k, n, p);
    EXPECT_NEAR(binomial_upper_tail(k, n, p), expected, 1e-10 + 1e-9 * expected) << k << " " << n << " " << p;

    const double lambda = unit(rng) * 80;
    const double pois = poisson_tail_by_sum(k % 120, lambda);
    EXPECT_NEAR(poisson_upper_tail(k % 120, lambda), pois, 1e-10) << k % 120 << " " << lambda;

    const double size = 0.3 + unit(rng) * 20;
    const double nb = negative_binomial_tail_by_sum(k % 120, lambda, size);
    EXPECT_NEAR(negative_binomial_upper_tail(k % 120, lambda, size), nb, 1e-9) << k % 120 << " " << lambda << " " << size;
  }
}

TEST(RisingMath, MedianMadAndBenjaminiHochberg) {
  EXPECT_DOUBLE_EQ(median_of({5, 1, 3}), 3);
  EXPECT_DOUBLE_EQ(median_of({4, 1, 3, 2}), 2.5);
  EXPECT_DOUBLE_EQ(median_absolute_deviation({1, 2, 3, 4, 100}), 1);
  // m = 5: q_(i) = min_{j >= i} 5 p_(j) / j.
  const std::vector<double> p{0.01, 0.04, 0.03, 0.20, 0.005};
  const std::vector<double> q = benjamini_hochberg(p);
  // sorted: 0.005 (r1) 0.01 (r2) 0.03 (r3) 0.04 (r4) 0.20 (r5)
  // raw:    0.025      0.025     0.05      0.05      0.20
  EXPECT_NEAR(q[4], 0.025, 1e-12);
  EXPECT_NEAR(q[0], 0.025, 1e-12);
  EXPECT_NEAR(q[2], 0.05, 1e-12);
  EXPECT_NEAR(q[1], 0.05, 1e-12);
  EXPECT_NEAR(q[3], 0.20, 1e-12);
}

// --- the test on synthetic series ---

std::vector<std::int64_t> poisson_draws(std::mt19937_64& rng, double mean, int n) {
  std::poisson_distribution<std::int64_t> d(mean);
  std::vector<std::int64_t> out;
  for (int i = 0; i < n; ++i) out.push_back(d(rng));
  return out;
}

TEST(RisingScore, TwoHundredToTwoSixtyOutranksTwoToFour) {
  const std::vector<std::int64_t> small(12, 2), big(12, 200);
  const SeriesScore a = score_series(4, small);
  const SeriesScore b = score_series(260, big);
  EXPECT_DOUBLE_EQ(a.ratio, 2.0);  // doubled, yet within the noise of 2
  EXPECT_NEAR(b.ratio, 1.3, 1e-12);
  EXPECT_LT(b.p, 1e-4);
  EXPECT_GT(a.p, 0.1);
  EXPECT_TRUE(more_significant(b, a));

  // The same with noisy histories, among 40 stable series: only 200 -> 260 is flagged.
  std::mt19937_64 rng(3);
  std::vector<SeriesCounts> series;
  series.push_back({4, poisson_draws(rng, 2, 12)});
  series.push_back({260, poisson_draws(rng, 200, 12)});
  for (int i = 0; i < 40; ++i) {
    const double mean = 5 + 10 * i;
    series.push_back({poisson_draws(rng, mean, 1)[0], poisson_draws(rng, mean, 12)});
  }
  const std::vector<ScoredSeries> scored = score_all(series, 0.05);
  EXPECT_TRUE(scored[1].rising) << "p " << scored[1].score.p << " q " << scored[1].q;
  EXPECT_FALSE(scored[0].rising);
  EXPECT_LT(scored[1].score.p, scored[0].score.p);
  int flagged = 0;
  for (const ScoredSeries& s : scored) flagged += s.rising;
  EXPECT_LE(flagged, 2);
}

TEST(RisingScore, StablePoissonSeriesAreFlaggedAtAboutTheNominalRate) {
  std::mt19937_64 rng(20240601);
  const int n = 4000;
  int below_5 = 0, below_20 = 0;
  for (int i = 0; i < n; ++i) {
    const double mean = 20 + (i % 10) * 20;  // 20 .. 200
    const std::int64_t observed = poisson_draws(rng, mean, 1)[0];
    const SeriesScore s = score_series(observed, poisson_draws(rng, mean, 12));
    below_5 += s.p < 0.05;
    below_20 += s.p < 0.20;
  }
  // An exact test on discrete data is at most nominal and close to it for
  // counts of this size (simulated: 0.04 and 0.17).
  EXPECT_GT(below_5, 0.025 * n);
  EXPECT_LT(below_5, 0.06 * n);
  EXPECT_GT(below_20, 0.14 * n);
  EXPECT_LT(below_20, 0.22 * n);

  // With the false discovery rate controlled, a family of stable series
  // rarely flags anything: under the global null P(any flag) <= alpha.
  int families_with_a_flag = 0;
  for (int f = 0; f < 200; ++f) {
    std::vector<SeriesCounts> family;
    for (int i = 0; i < 50; ++i) family.push_back({poisson_draws(rng, 50, 1)[0], poisson_draws(rng, 50, 12)});
    bool any = false;
    for (const ScoredSeries& s : score_all(family, 0.05)) any = any || s.rising;
    families_with_a_flag += any;
  }
  EXPECT_LE(families_with_a_flag, 20);  // 10 % allows for the sampling noise around <= 5 %
}

TEST(RisingScore, OverdispersedHistoryUsesTheNegativeBinomialAndNeedsABiggerJump) {
  // Weather-like: weeks of 40 and of 120.
  const std::vector<std::int64_t> wild{40, 120, 45, 110, 38, 125, 50, 100, 42, 130, 47, 115};
  const std::vector<std::int64_t> calm{78, 80, 82, 79, 81, 80, 77, 83, 80, 79, 81, 80};
  const SeriesScore w = score_series(130, wild);
  const SeriesScore c = score_series(130, calm);
  EXPECT_EQ(w.test, RisingTest::kNegativeBinomial);
  EXPECT_EQ(c.test, RisingTest::kPoisson);
  EXPECT_GT(w.dispersion, 5);
  EXPECT_GT(w.p, 0.05);  // 130 is within what this series does
  EXPECT_LT(c.p, 1e-6);  // 130 is far beyond what this one does
}

TEST(RisingScore, RobustZUsesMedianAndMadAndFloorsAFlatHistory) {
  const std::vector<std::int64_t> h{10, 12, 11, 13, 9, 500, 11, 10, 12, 11, 10, 12};  // one outlier
  const SeriesScore s = score_series(20, h);
  // median 11, MAD 1 -> scale max(1.4826, sqrt(11)) = 3.317
  EXPECT_NEAR(s.z, (20 - 11) / std::sqrt(11.0), 1e-9);
  const std::vector<std::int64_t> flat(12, 0);
  const SeriesScore f = score_series(3, flat);
  EXPECT_DOUBLE_EQ(f.z, 3.0);  // scale floored at 1
  EXPECT_TRUE(std::isinf(f.ratio));
  // Never seen before, three now: surprising (p = (1/13)^3 by the rate test), not infinitely so.
  EXPECT_NEAR(f.p, std::pow(1.0 / 13, 3), 1e-12);
}

// --- find_rising over an index ---

constexpr Timestamp kDay = 86'400;

struct SmallDistrict {
  Taxonomy taxonomy = Taxonomy::load_default().value();
  TimeZone zone = TimeZone::locate("Asia/Shanghai").value();
  std::shared_ptr<const UnitTree> tree;
  std::unique_ptr<IncidentIndex> index;
  std::int64_t next_id = 1;

  SmallDistrict() {
    std::vector<Unit> units{
        {0, "B", "分局", UnitKind::kBureau, "", {}},
        {0, "S1", "一所", UnitKind::kStation, "B", {}},
        {0, "S1-C1", "一所一社区", UnitKind::kCommunity, "S1", {}},
        {0, "S1-C2", "一所二社区", UnitKind::kCommunity, "S1", {}},
        {0, "S2", "二所", UnitKind::kStation, "B", {}},
        {0, "S2-C1", "二所一社区", UnitKind::kCommunity, "S2", {}},
    };
    tree = std::make_shared<const UnitTree>(UnitTree::build(units).value());
    index = std::make_unique<IncidentIndex>(taxonomy, tree, zone);
  }

  void add(Timestamp at, const std::string& type, const std::string& unit, int n = 1) {
    std::vector<Incident> batch;
    for (int i = 0; i < n; ++i) {
      Incident inc;
      inc.id = next_id++;
      inc.source = "test";
      inc.source_id = std::to_string(inc.id);
      inc.reported_at = at + i;  // distinct seconds
      inc.type_code = type;
      inc.class_code = taxonomy.find_type(type)->class_code;
      inc.unit_code = unit;
      inc.location = GeoPoint{36.65, 117.0};
      batch.push_back(std::move(inc));
    }
    index->upsert_all(batch);
  }

  Timestamp local(int y, int m, int d) const { return zone.to_utc(CivilTime{y, m, d, 0, 0, 0}); }
};

const RisingSeries* find_series(const RisingReport& r, const std::string& unit, const std::string& type) {
  for (const RisingSeries& s : r.series)
    if (s.unit_code == unit && (s.type_code == type || s.class_code == type)) return &s;
  return nullptr;
}

TEST(FindRising, CountsEveryWindowAsABruteForceCountWouldAndFlagsTheJump) {
  SmallDistrict d;
  const Timestamp until = d.local(2026, 3, 1);
  // 13 windows of 28 days: burglary steady at 20 per window in S1-C1, theft
  // 30 per window in S2-C1 jumping to 60 in the last window, and fraud at 3
  // going to 6 in S1-C2 (a doubling, within the noise).
  for (int k = 0; k <= 14; ++k) {
    const Timestamp from = until - (k + 1) * 28 * kDay;
    d.add(from + 3 * kDay + 3600, "burglary", "S1-C1", 20);
    d.add(from + 5 * kDay + 7200, "theft", "S2-C1", k == 0 ? 60 : 30);
    d.add(from + 9 * kDay, "fraud", "S1-C2", k == 0 ? 6 : 3);
  }
  RisingQuery q;
  q.from = until - 28 * kDay;
  q.until = until;
  q.by = RisingBy::kUnitType;
  auto report = find_rising(*d.index, q, until + 40 * kDay);
  ASSERT_TRUE(report.ok()) << report.error().describe();
  ASSERT_EQ(report->history.size(), 12u);
  EXPECT_TRUE(report->dropped.empty());
  // Groups are the bureau's children: the stations.
  const RisingSeries* theft = find_series(*report, "S2", "theft");
  const RisingSeries* fraud = find_series(*report, "S1", "fraud");
  const RisingSeries* burglary = find_series(*report, "S1", "burglary");
  ASSERT_TRUE(theft && fraud && burglary);
  EXPECT_EQ(report->tested, 3);
  EXPECT_EQ(theft->score.observed, 60);
  EXPECT_EQ(theft->history, std::vector<std::int64_t>(12, 30));
  EXPECT_DOUBLE_EQ(theft->score.expected, 30);
  EXPECT_EQ(burglary->score.observed, 20);
  EXPECT_EQ(fraud->score.observed, 6);
  EXPECT_TRUE(theft->rising);
  EXPECT_FALSE(fraud->rising);
  EXPECT_FALSE(burglary->rising);
  EXPECT_EQ(report->flagged, 1);
  EXPECT_EQ(&report->series.front(), theft);  // most significant first

  // Narrowed to S1: groups become its communities, and theft (in S2) is gone.
  q.scope = UnitScope::subtree("S1");
  report = find_rising(*d.index, q, until);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(find_series(*report, "S1-C2", "fraud"));
  EXPECT_TRUE(find_series(*report, "S1-C1", "burglary"));
  EXPECT_FALSE(find_series(*report, "S2-C1", "theft"));
  EXPECT_EQ(report->tested, 2);

  // By class over the whole bureau: theft and burglary are both criminal.
  q.scope = UnitScope::everything();
  q.by = RisingBy::kClass;
  report = find_rising(*d.index, q, until);
  ASSERT_TRUE(report.ok());
  const RisingSeries* criminal = find_series(*report, "", "criminal");
  ASSERT_TRUE(criminal);
  EXPECT_EQ(criminal->score.observed, 60 + 20 + 6);
  EXPECT_EQ(criminal->history.front(), 30 + 20 + 3);
}

TEST(FindRising, DropsHistoryBeforeTheDataAndThePartlyCoveredWindow) {
  SmallDistrict d;
  const Timestamp until = d.local(2026, 3, 1);
  // Data begin 100 days before `until`: windows 1-2 (28-84 days back) are
  // full, window 3 (84-112 days back) holds the first record, older ones none.
  for (Timestamp t = until - 100 * kDay; t < until; t += kDay) d.add(t + 3600, "theft", "S1-C1", 2);
  RisingQuery q;
  q.from = until - 28 * kDay;
  q.until = until;
  auto report = find_rising(*d.index, q, until);
  ASSERT_TRUE(report.ok()) << report.error().describe();
  EXPECT_EQ(report->history.size(), 2u);
  EXPECT_EQ(report->dropped.size(), 10u);
  const RisingSeries* theft = find_series(*report, "", "theft");
  ASSERT_TRUE(theft);
  EXPECT_EQ(theft->history, (std::vector<std::int64_t>{56, 56}));
  EXPECT_FALSE(theft->rising);

  // A window at the start of the data has no history at all: nothing is tested.
  q.from = until - 100 * kDay;
  q.until = *q.from + 28 * kDay;
  report = find_rising(*d.index, q, until);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->history.empty());
  EXPECT_EQ(report->dropped.size(), 12u);
  EXPECT_EQ(report->tested, 0);
  EXPECT_TRUE(report->series.empty());
}

TEST(FindRising, DefaultWindowIsTheLast28WholeLocalDaysOfTheData) {
  SmallDistrict d;
  const Timestamp last = d.local(2025, 6, 15) + 15 * 3600;  // afternoon of 15 June 2025
  for (Timestamp t = last - 400 * kDay; t <= last; t += kDay) d.add(t, "theft", "S1-C1");
  RisingQuery q;
  // `now` is long after the data: the window ends at the midnight after the last record.
  auto report = find_rising(*d.index, q, d.local(2026, 11, 28));
  ASSERT_TRUE(report.ok()) << report.error().describe();
  EXPECT_EQ(report->window.until, d.local(2025, 6, 16));
  EXPECT_EQ(report->window.from, d.local(2025, 5, 19));
  EXPECT_EQ(find_series(*report, "", "theft")->score.observed, 28);
  // An explicit `at` in the middle of a day: the 28 days before that day.
  q.at = d.local(2025, 3, 10) + 12 * 3600;
  report = find_rising(*d.index, q, d.local(2026, 11, 28));
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->window.until, d.local(2025, 3, 10));
  EXPECT_EQ(report->window.from, d.local(2025, 2, 10));
}

TEST(FindRising, PastYearsBaselineComparesWithTheSameSeasonAcrossALeapDay) {
  SmallDistrict d;
  // Fires every Monday: 10 a week, 40 a week in January to March (the
  // heating season). Every 28-day window holds exactly four Mondays.
  for (Timestamp t = d.local(2022, 1, 3); t < d.local(2025, 3, 31); t += 7 * kDay) {
    const int month = d.zone.to_local(t).month;
    d.add(t + 3600, "fire", "S2-C1", month <= 3 ? 40 : 10);
  }
  RisingQuery q;
  q.from = d.local(2025, 2, 1);
  q.until = d.local(2025, 3, 1);
  // Against the previous 12 windows (two of them in the season) February
  // looks like four times the usual...
  auto recent = find_rising(*d.index, q, d.local(2025, 4, 1));
  ASSERT_TRUE(recent.ok()) << recent.error().describe();
  const RisingSeries* fire_recent = find_series(*recent, "", "fire");
  ASSERT_TRUE(fire_recent);
  EXPECT_EQ(fire_recent->score.observed, 160);
  EXPECT_DOUBLE_EQ(fire_recent->score.expected, (2 * 160 + 10 * 40) / 12.0);
  // ...against the same weeks of past years and their neighbours it is ordinary.
  q.baseline = RisingBaseline::kSameWindowPastYears;
  auto seasonal = find_rising(*d.index, q, d.local(2025, 4, 1));
  ASSERT_TRUE(seasonal.ok()) << seasonal.error().describe();
  const RisingSeries* fire = find_series(*seasonal, "", "fire");
  ASSERT_TRUE(fire);
  ASSERT_EQ(seasonal->history.size(), 9u);  // 3 years x (before, same, after)
  EXPECT_EQ(fire->history, std::vector<std::int64_t>(9, 160));
  EXPECT_DOUBLE_EQ(fire->score.ratio, 1.0);
  EXPECT_FALSE(fire->rising);
  // Newest first: after, same, before. 2024 had a 29 February, yet its
  // window lasts 28 days like this one.
  EXPECT_EQ(seasonal->history[0].from, d.local(2024, 2, 29));
  EXPECT_EQ(seasonal->history[1].from, d.local(2024, 2, 1));
  EXPECT_EQ(seasonal->history[1].until, d.local(2024, 2, 29));
  EXPECT_EQ(seasonal->history[2].from, d.local(2024, 1, 4));
  EXPECT_EQ(seasonal->history[4].from, d.local(2023, 2, 1));
  EXPECT_EQ(seasonal->history[4].until, d.local(2023, 3, 1));
  EXPECT_EQ(shift_local_years(d.local(2024, 2, 29) + 3600, -1, d.zone), d.local(2023, 2, 28) + 3600);
}

TEST(FindRising, RefusesBadOptions) {
  SmallDistrict d;
  RisingQuery q;
  q.alpha = 0;
  EXPECT_FALSE(find_rising(*d.index, q, 0).ok());
  q = RisingQuery{};
  q.from = 100;
  EXPECT_FALSE(find_rising(*d.index, q, 0).ok());  // from without to
  q.until = 50;
  EXPECT_FALSE(find_rising(*d.index, q, 0).ok());
  q = RisingQuery{};
  q.baseline = RisingBaseline::kSameWindowPastYears;
  q.from = 0;
  q.until = 200 * kDay;
  EXPECT_FALSE(find_rising(*d.index, q, 0).ok());
  EXPECT_FALSE(parse_rising_by("district").ok());
  EXPECT_EQ(parse_rising_by("unit_type").value(), RisingBy::kUnitType);
  q = RisingQuery{};
  q.scope = UnitScope::subtree("NOPE");
  q.by = RisingBy::kUnit;
  q.from = 0;
  q.until = 28 * kDay;
  EXPECT_FALSE(find_rising(*d.index, q, 0).ok());
}

// --- the demo district ---

TEST(FindRising, DemoDistrictTelecomFraudRisesYearOnYear) {
  const Taxonomy taxonomy = Taxonomy::load_default().value();
  const DemoOptions options;
  auto tree = std::make_shared<const UnitTree>(UnitTree::build(demo_units(options)).value());
  const TimeZone zone = TimeZone::locate("Asia/Shanghai").value();
  IncidentIndex index(taxonomy, tree, zone);
  std::vector<Incident> all;
  std::int64_t id = 0;
  generate_demo_incidents(options, taxonomy, [&](Incident&& inc) {
    inc.id = ++id;
    all.push_back(std::move(inc));
  });
  index.upsert_all(all);

  // The second year against the first.
  RisingQuery q;
  q.from = zone.to_utc(CivilTime{2025, 11, 1});
  q.until = demo_end(options);
  q.history_windows = 1;
  auto report = find_rising(index, q, demo_end(options));
  ASSERT_TRUE(report.ok()) << report.error().describe();
  ASSERT_EQ(report->history.size(), 1u);
  const RisingSeries* fraud = find_series(*report, "", "telecom_fraud");
  ASSERT_TRUE(fraud);
  EXPECT_TRUE(fraud->rising) << "p " << fraud->score.p << " q " << fraud->q;
  EXPECT_GT(fraud->score.ratio, 1.1);
  int rank = 0;
  while (report->series[size_t(rank)].type_code != "telecom_fraud") ++rank;
  EXPECT_LT(rank, 3) << "telecom_fraud is not among the three most significant";
  // Falling types are not rising.
  for (const char* falling : {"theft", "burglary", "robbery"}) {
    const RisingSeries* s = find_series(*report, "", falling);
    ASSERT_TRUE(s) << falling;
    EXPECT_FALSE(s->rising) << falling;
    EXPECT_LT(s->score.ratio, 1.0) << falling;
  }
  // The default window (the last 28 days of data, against 12 windows) runs
  // on the same index, for every unit x type.
  RisingQuery recent;
  recent.by = RisingBy::kUnitType;
  auto by_unit = find_rising(index, recent, demo_end(options) + 30 * kDay);
  ASSERT_TRUE(by_unit.ok()) << by_unit.error().describe();
  EXPECT_EQ(by_unit->window.until, demo_end(options));
  EXPECT_EQ(by_unit->history.size(), 12u);
  EXPECT_GT(by_unit->tested, 8 * 30);
}


// --- over HTTP: GET /api/stats/rising ---

class RisingHttpTest : public testing::HttpServerTest {
 protected:
  void SetUp() override {
    testing::HttpServerTest::SetUp();
    DemoOptions options;
    options.days = 150;  // 2024-11-01 .. 2025-03-30
    auto written = write_demo_district(*engine_, options, {});
    ASSERT_TRUE(written.ok()) << written.error().describe();
  }
};

TEST_F(RisingHttpTest, ServesTheReportForTheScopeAndRefusesBadParameters) {
  auto r = get("/api/stats/rising?from=2025-03-03&to=2025-03-31&by=unit&windows=3&limit=5");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["window"]["from"], "2025-03-03T00:00:00+08:00");
  EXPECT_EQ(r.body["window"]["to"], "2025-03-31T00:00:00+08:00");
  EXPECT_EQ(r.body["history"].size(), 3u);
  EXPECT_EQ(r.body["tested"], 8);  // the eight stations
  ASSERT_EQ(r.body["items"].size(), 5u);
  double last_p = 0;
  for (const auto& item : r.body["items"]) {
    EXPECT_EQ(item["unit"]["code"].get<std::string>().size(), 6u);  // PA-Snn
    EXPECT_TRUE(item["type"].is_null());
    EXPECT_GE(item["p"].get<double>(), last_p);
    last_p = item["p"].get<double>();
    EXPECT_EQ(item["history"].size(), 3u);
  }

  // Narrowed to one station: its five communities.
  r = get("/api/stats/rising?unit=PA-S01&from=2025-03-03&to=2025-03-31&by=unit&windows=3");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["tested"], 5);
  for (const auto& item : r.body["items"])
    EXPECT_EQ(item["unit"]["code"].get<std::string>().rfind("PA-S01-C", 0), 0u) << item.dump();

  // Default window: the 28 days before the end of the data.
  r = get("/api/stats/rising?by=type&windows=2");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["window"]["to"], "2025-03-31T00:00:00+08:00");

  EXPECT_EQ(get("/api/stats/rising?by=district").status, 400);
  EXPECT_EQ(get("/api/stats/rising?bogus=1").status, 400);
  EXPECT_EQ(get("/api/stats/rising?from=2025-03-01").status, 400);  // without `to`
  EXPECT_EQ(get("/api/stats/rising?limit=0").status, 400);
  r = get("/api/stats/rising?from=2024-11-01&to=2024-11-29");  // the first 28 days: no history
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["tested"], 0);
  EXPECT_EQ(r.body["dropped_windows"], 12);
  const int unknown_unit = get("/api/stats/rising?unit=NOPE").status;
  EXPECT_TRUE(unknown_unit == 400 || unknown_unit == 404) << unknown_unit;
}

}  // namespace
}  // namespace pingan::analytics
