#include "analytics/rising_score.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "analytics/rising_math.h"

namespace pingan::analytics {
namespace {

// MAD x 1.4826 estimates the standard deviation of normal data.
constexpr double kMadToSigma = 1.4826;

double robust_z(std::int64_t observed, std::span<const std::int64_t> history) {
  std::vector<double> values(history.begin(), history.end());
  const double centre = median_of(values);
  const double mad_sigma = kMadToSigma * median_absolute_deviation(values);
  const double scale = std::max({mad_sigma, std::sqrt(centre), 1.0});
  return (static_cast<double>(observed) - centre) / scale;
}

}  // namespace

const char* rising_test_name(RisingTest test) {
  switch (test) {
    case RisingTest::kPoisson: return "poisson";
    case RisingTest::kNegativeBinomial: return "negative_binomial";
  }
  return "poisson";
}

SeriesScore score_series(std::int64_t observed, std::span<const std::int64_t> history) {
  SeriesScore s;
  s.observed = observed;
  const auto k = static_cast<std::int64_t>(history.size());
  if (k == 0) return s;  // nothing to compare with: p = 1, never flagged

  std::int64_t total = 0;
  for (std::int64_t h : history) total += h;
  const double mean = static_cast<double>(total) / static_cast<double>(k);
  s.expected = mean;
  s.ratio = mean > 0 ? static_cast<double>(observed) / mean
                     : (observed > 0 ? std::numeric_limits<double>::infinity() : 0.0);
  s.z = robust_z(observed, history);

  bool overdispersed = false;
  if (k >= 2 && mean > 0) {
    double squares = 0;
    for (std::int64_t h : history) squares += (h - mean) * (h - mean);
    s.dispersion = squares / (static_cast<double>(k - 1) * mean);
    overdispersed = s.dispersion > 1 &&
                    chi_square_upper_tail(static_cast<double>(k - 1) * s.dispersion,
                                          static_cast<double>(k - 1)) < kOverdispersionLevel;
  }

  if (overdispersed) {
    s.test = RisingTest::kNegativeBinomial;
    const double variance = s.dispersion * mean * (1.0 + 1.0 / static_cast<double>(k));
    const double size = mean * mean / (variance - mean);
    s.p = negative_binomial_upper_tail(observed, mean, size);
  } else {
    s.test = RisingTest::kPoisson;
    s.p = binomial_upper_tail(observed, observed + total, 1.0 / static_cast<double>(k + 1));
  }
  return s;
}

std::vector<ScoredSeries> score_all(std::span<const SeriesCounts> series, double alpha) {
  std::vector<ScoredSeries> out(series.size());
  std::vector<double> p(series.size());
  for (size_t i = 0; i < series.size(); ++i) {
    out[i].score = score_series(series[i].observed, series[i].history);
    p[i] = out[i].score.p;
  }
  const std::vector<double> q = benjamini_hochberg(p);
  for (size_t i = 0; i < series.size(); ++i) {
    out[i].q = q[i];
    out[i].rising = q[i] < alpha && static_cast<double>(out[i].score.observed) > out[i].score.expected;
  }
  return out;
}

bool more_significant(const SeriesScore& a, const SeriesScore& b) {
  if (a.p != b.p) return a.p < b.p;
  if (a.z != b.z) return a.z > b.z;
  return static_cast<double>(a.observed) - a.expected > static_cast<double>(b.observed) - b.expected;
}

}  // namespace pingan::analytics
