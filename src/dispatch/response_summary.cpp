#include "dispatch/response_summary.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace pingan::dispatch {
namespace {

// Nearest-rank quantile of sorted values.
double quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

}  // namespace

ResponseSummary summarise_response(std::span<const Incident> incidents) {
  ResponseSummary s;
  std::int64_t dispatch_1 = 0, arrival_3 = 0, arrival_5 = 0;
  std::vector<double> arrival_s;
  for (const Incident& inc : incidents) {
    if (inc.voided) continue;
    ++s.incidents;
    if (!inc.times.dispatched_at) continue;
    ++s.dispatched;
    if (*inc.times.dispatched_at - inc.reported_at <= 60) ++dispatch_1;
    if (!inc.times.arrived_at) continue;
    ++s.arrived;
    const double seconds = static_cast<double>(*inc.times.arrived_at - inc.reported_at);
    arrival_s.push_back(seconds);
    if (seconds <= 180) ++arrival_3;
    if (seconds <= 300) ++arrival_5;
  }
  if (s.dispatched > 0) {
    const double n = static_cast<double>(s.dispatched);
    s.dispatch_within_1min = static_cast<double>(dispatch_1) / n;
    s.arrival_within_3min = static_cast<double>(arrival_3) / n;
    s.arrival_within_5min = static_cast<double>(arrival_5) / n;
  }
  std::sort(arrival_s.begin(), arrival_s.end());
  s.median_call_to_arrival_s = quantile(arrival_s, 0.5);
  s.p90_call_to_arrival_s = quantile(arrival_s, 0.9);
  return s;
}

}  // namespace pingan::dispatch
