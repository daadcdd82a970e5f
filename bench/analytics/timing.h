#pragma once
// Latency figures for bench/analytics: every query runs a few times to warm
// caches, then `runs` times measured; p50 and p99 are nearest-rank
// percentiles of those runs, `first` is the first (cold) run.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <vector>

namespace pingan::bench {

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct Latency {
  double first_ms = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  int runs = 0;
  bool measured() const { return runs > 0; }
};

// Nearest rank: the smallest sample with at least share x n samples at or below it.
inline double percentile(std::vector<double> samples, double share) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  const auto rank = static_cast<size_t>(std::ceil(share * static_cast<double>(samples.size())));
  return samples[std::clamp<size_t>(rank, 1, samples.size()) - 1];
}

inline Latency measure(int warmup, int runs, const std::function<void()>& query) {
  Latency out;
  std::vector<double> ms;
  for (int i = 0; i < warmup + runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    query();
    const double elapsed = seconds_since(start) * 1e3;
    if (i == 0) out.first_ms = elapsed;
    if (i >= warmup) ms.push_back(elapsed);
  }
  out.runs = runs;
  out.p50_ms = percentile(ms, 0.50);
  out.p99_ms = percentile(ms, 0.99);
  return out;
}

}  // namespace pingan::bench
