#pragma once
// Seeded random numbers for the demo district. The generator (xoshiro256**)
// and the few distributions the demo needs are written out here because the
// std:: distributions are free to differ between standard libraries, and the
// demo must give the same bytes for the same seed on every build.
//
// Not thread-safe: one Random per thread of generation.

#include <cmath>
#include <cstdint>
#include <span>

namespace pingan::ingest {

// One step of SplitMix64: advances `state` and returns a well-mixed word.
inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A stateless 64-bit hash of one word (the SplitMix64 finaliser), for
// deriving independent streams and for "same place, same answer" choices.
inline std::uint64_t mix64(std::uint64_t x) {
  std::uint64_t state = x;
  return splitmix64(state);
}

class Random {
 public:
  explicit Random(std::uint64_t seed) {
    std::uint64_t sm = seed;
    for (auto& word : s_) word = splitmix64(sm);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return double(next() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [0, n); n > 0. Multiply-shift: the bias is below 2^-32.
  std::uint32_t below(std::uint32_t n) {
    return std::uint32_t(((next() >> 32) * std::uint64_t(n)) >> 32);
  }
  bool chance(double p) { return uniform() < p; }

  // Standard normal by the Box-Muller transform (no cached second value, so
  // the stream position never depends on call history).
  double normal() {
    double u1 = 1.0 - uniform();  // (0, 1]
    double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
  }
  double exponential(double mean) { return -mean * std::log(1.0 - uniform()); }
  // Exponential with this mean, cut at `limit` (inverse CDF of the truncated law).
  double truncated_exponential(double mean, double limit) {
    double tail = 1.0 - std::exp(-limit / mean);
    return -mean * std::log(1.0 - uniform() * tail);
  }
  double lognormal(double median, double sigma) { return median * std::exp(sigma * normal()); }

  // Poisson: multiplication method for small means, else Hörmann's PTRS
  // transformed rejection (the algorithm numpy uses), exact for any mean.
  std::int64_t poisson(double mean) {
    if (mean <= 0) return 0;
    if (mean < 10) {
      const double limit = std::exp(-mean);
      std::int64_t k = 0;
      double product = uniform();
      while (product > limit) {
        ++k;
        product *= uniform();
      }
      return k;
    }
    const double slam = std::sqrt(mean), loglam = std::log(mean);
    const double b = 0.931 + 2.53 * slam;
    const double a = -0.059 + 0.02483 * b;
    const double invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const double vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      double u = uniform() - 0.5;
      double v = uniform();
      double us = 0.5 - std::fabs(u);
      auto k = std::int64_t(std::floor((2 * a / us + b) * u + mean + 0.43));
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (std::log(v) + std::log(invalpha) - std::log(a / (us * us) + b) <=
          -mean + double(k) * loglam - std::lgamma(double(k) + 1))
        return k;
    }
  }

  // Index i with probability (cumulative[i] - cumulative[i-1]) / cumulative.back().
  // `cumulative` is non-decreasing with a positive last element.
  size_t pick(std::span<const double> cumulative) {
    double target = uniform() * cumulative.back();
    size_t lo = 0, hi = cumulative.size() - 1;
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

}  // namespace pingan::ingest
