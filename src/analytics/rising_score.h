#pragma once
// The test behind "what is rising", for one series: the count of the
// current window against the counts of K history windows of the same length.
//
// Which test:
// - Poisson (the default): under "nothing changed" the window and the K
//   history windows share one rate, so given their total n the window's
//   count is Binomial(n, 1/(K+1)). Its upper tail is the exact p-value of
//   the rate-ratio test. Unlike plugging the historical mean into a Poisson
//   CDF, it accounts for that mean being estimated from K windows, so it
//   keeps its nominal level with a short history (K = 1: this year against
//   last year) and needs no fudge when the history is all zeros.
// - Negative binomial, when the history itself varies more than a Poisson
//   would (the dispersion test on the history rejects at 5 %): the window's
//   count is read against a negative binomial with the history's mean and
//   its variance (dispersion x mean, widened by 1 + 1/K for the estimated
//   mean). Overdispersed series (weather, one-off surges) thus need a bigger
//   jump to count.
//
// Either way the p-value measures surprise in units of the series' own noise:
// against 12 windows of 2, a window of 4 has p = 0.16; against 12 windows of
// 200, a window of 260 has p = 6e-5, so 200 -> 260 ranks first.
//
// Calibration (simulated, 20,000 series each): with Poisson data the share of
// p < 0.05 is 0.03-0.047 (the test is exact, so at most nominal; discreteness
// makes it conservative for small counts); with overdispersed data
// (variance 3 x mean, K = 12) it is about 0.07, as the dispersion estimated
// from 12 windows is itself noisy.
//
// Alongside, a robust z-score: (observed - median) / scale with scale =
// max(1.4826 MAD, sqrt(median), 1); the floor keeps a flat history (MAD 0)
// from making any change infinitely surprising.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace pingan::analytics {

enum class RisingTest : std::uint8_t { kPoisson, kNegativeBinomial };
const char* rising_test_name(RisingTest test);  // "poisson", "negative_binomial"

struct SeriesScore {
  std::int64_t observed = 0;
  double expected = 0;     // mean of the history windows
  double ratio = 0;        // observed / expected; +inf when expected is 0 and observed > 0
  double z = 0;            // robust z-score against the history
  double p = 1;            // upper-tail p-value of the test below
  double dispersion = 1;   // sample variance / mean of the history (1 for K < 2 or mean 0)
  RisingTest test = RisingTest::kPoisson;
};

// Dispersion test level: the history counts as overdispersed when the
// chi-square test of (K-1) x dispersion rejects at this level.
inline constexpr double kOverdispersionLevel = 0.05;

// Scores one series. `history` holds the K >= 1 history counts (any order).
SeriesScore score_series(std::int64_t observed, std::span<const std::int64_t> history);

// A series as counts: the window's and the history windows'.
struct SeriesCounts {
  std::int64_t observed = 0;
  std::vector<std::int64_t> history;
};

struct ScoredSeries {
  SeriesScore score;
  double q = 1;         // Benjamini-Hochberg over all series scored together
  bool rising = false;  // q < alpha and observed > expected
};

// Scores every series, takes q-values over all of them (they are tested
// together, so each carries the multiplicity of the whole family) and flags
// the rising ones; results in the order of `series`.
std::vector<ScoredSeries> score_all(std::span<const SeriesCounts> series, double alpha);

// The listing order: smaller p first; p underflows to 0 for the big jumps of a
// large district, where the larger z and then the larger excess come first.
bool more_significant(const SeriesScore& a, const SeriesScore& b);

}  // namespace pingan::analytics
