#pragma once
// The distributions and corrections behind "what is rising": tail
// probabilities of count distributions through the regularized incomplete
// gamma and beta functions (exact, not normal approximations, so small
// counts get honest p-values), robust location/scale, and the
// Benjamini-Hochberg false discovery rate.
//
// Tails are computed on the small side directly (continued fractions), so a
// p-value of 1e-30 keeps its relative precision instead of becoming 1 - 1.

#include <cstdint>
#include <span>
#include <vector>

namespace pingan::analytics {

// P(a, x) = γ(a, x) / Γ(a) and Q(a, x) = 1 - P(a, x), for a > 0, x >= 0.
double regularized_gamma_p(double a, double x);
double regularized_gamma_q(double a, double x);
// I_x(a, b), the regularized incomplete beta function, for a, b > 0, 0 <= x <= 1.
double regularized_beta(double x, double a, double b);

// P(X >= k) for X ~ Poisson(lambda); 1 when k <= 0.
double poisson_upper_tail(std::int64_t k, double lambda);
// P(X >= k) for X ~ Binomial(n, p); 1 when k <= 0, 0 when k > n.
double binomial_upper_tail(std::int64_t k, std::int64_t n, double p);
// P(X >= k) for a negative binomial with the given mean and size r
// (variance mean + mean^2 / r; r -> infinity is the Poisson).
double negative_binomial_upper_tail(std::int64_t k, double mean, double size);
// P(X >= x) for X ~ chi-square with `dof` degrees of freedom.
double chi_square_upper_tail(double x, double dof);

// Median of the values (the mean of the two middle ones for an even count);
// 0 for none.
double median_of(std::vector<double> values);
// Median absolute deviation from the median (unscaled); 0 for none.
double median_absolute_deviation(const std::vector<double>& values);

// Benjamini-Hochberg q-values (adjusted p-values) in the order of `p`:
// q_(i) = min over j >= i of m p_(j) / j, capped at 1. Flagging q < alpha
// keeps the expected share of false discoveries among the flagged below alpha.
std::vector<double> benjamini_hochberg(std::span<const double> p);

}  // namespace pingan::analytics
