#include "analytics/rising_math.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace pingan::analytics {
namespace {

constexpr double kEpsilon = 1e-15;
constexpr double kTiny = 1e-300;  // keeps Lentz's method away from division by zero

// Iterations the series and continued fractions may need: both converge in
// O(sqrt(a)) steps near the mode, so large counts (a district's thefts over a
// year) need more than the textbook's fixed 100.
int max_iterations(double a, double b = 0) {
  return 200 + static_cast<int>(20 * std::sqrt(std::max(a, b)));
}

// P(a, x) by its power series; converges fast for x < a + 1.
double gamma_p_series(double a, double x) {
  double term = 1.0 / a;
  double sum = term;
  const int limit = max_iterations(a, x);
  for (int n = 1; n < limit; ++n) {
    term *= x / (a + n);
    sum += term;
    if (std::fabs(term) < std::fabs(sum) * kEpsilon) break;
  }
  return sum * std::exp(-x + a * std::log(x) - std::lgamma(a));
}

// Q(a, x) by its continued fraction (modified Lentz); for x >= a + 1.
double gamma_q_fraction(double a, double x) {
  double b = x + 1.0 - a;
  double c = 1.0 / kTiny;
  double d = 1.0 / b;
  double h = d;
  const int limit = max_iterations(a, x);
  for (int i = 1; i < limit; ++i) {
    const double an = -i * (i - a);
    b += 2.0;
    d = an * d + b;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < kEpsilon) break;
  }
  return std::exp(-x + a * std::log(x) - std::lgamma(a)) * h;
}

// The continued fraction of I_x(a, b) (modified Lentz); converges for
// x < (a + 1) / (a + b + 2).
double beta_fraction(double x, double a, double b) {
  const double qab = a + b, qap = a + 1.0, qam = a - 1.0;
  double c = 1.0;
  double d = 1.0 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  const int limit = max_iterations(a, b);
  for (int m = 1; m < limit; ++m) {
    const int m2 = 2 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < kEpsilon) break;
  }
  return h;
}

}  // namespace

double regularized_gamma_p(double a, double x) {
  if (x <= 0) return 0;
  if (x < a + 1.0) return gamma_p_series(a, x);
  return 1.0 - gamma_q_fraction(a, x);
}

double regularized_gamma_q(double a, double x) {
  if (x <= 0) return 1;
  if (x < a + 1.0) return 1.0 - gamma_p_series(a, x);
  return gamma_q_fraction(a, x);
}

double regularized_beta(double x, double a, double b) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  const double front = std::exp(log_front);
  if (x < (a + 1.0) / (a + b + 2.0)) return front * beta_fraction(x, a, b) / a;
  return 1.0 - front * beta_fraction(1.0 - x, b, a) / b;
}

double poisson_upper_tail(std::int64_t k, double lambda) {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  // P(X >= k) = P(k, lambda): the waiting time to the k-th event is Gamma(k).
  return regularized_gamma_p(static_cast<double>(k), lambda);
}

double binomial_upper_tail(std::int64_t k, std::int64_t n, double p) {
  if (k <= 0) return 1;
  if (k > n || p <= 0) return 0;
  if (p >= 1) return 1;
  return regularized_beta(p, static_cast<double>(k), static_cast<double>(n - k + 1));
}

double negative_binomial_upper_tail(std::int64_t k, double mean, double size) {
  if (k <= 0) return 1;
  if (mean <= 0) return 0;
  if (!std::isfinite(size) || size <= 0) return poisson_upper_tail(k, mean);
  // With success probability s = size / (size + mean), P(X <= k - 1) =
  // I_s(size, k), so P(X >= k) = I_{1-s}(k, size).
  return regularized_beta(mean / (size + mean), static_cast<double>(k), size);
}

double chi_square_upper_tail(double x, double dof) {
  if (x <= 0) return 1;
  return regularized_gamma_q(dof / 2.0, x / 2.0);
}

double median_of(std::vector<double> values) {
  if (values.empty()) return 0;
  const size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + mid, values.end());
  const double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  const double lower = *std::max_element(values.begin(), values.begin() + mid);
  return (lower + upper) / 2.0;
}

double median_absolute_deviation(const std::vector<double>& values) {
  if (values.empty()) return 0;
  const double centre = median_of(values);
  std::vector<double> deviations;
  deviations.reserve(values.size());
  for (double v : values) deviations.push_back(std::fabs(v - centre));
  return median_of(std::move(deviations));
}

std::vector<double> benjamini_hochberg(std::span<const double> p) {
  const size_t m = p.size();
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p[a] < p[b]; });
  std::vector<double> q(m);
  double running_min = 1.0;
  for (size_t rank = m; rank >= 1; --rank) {
    const size_t i = order[rank - 1];
    running_min = std::min(running_min, p[i] * static_cast<double>(m) / static_cast<double>(rank));
    q[i] = running_min;
  }
  return q;
}

}  // namespace pingan::analytics
