#pragma once
// 1-3-5 compliance of a set of incidents, read from their lifecycle times
// alone: the simulator's side-by-side table. The campaign's configurable
// standard and its per-unit YoY figures are the metrics module's
// (/api/stats/response); this is the plain count over one run.

#include <cstdint>
#include <span>

#include "core/incident.h"

namespace pingan::dispatch {

struct ResponseSummary {
  std::int64_t incidents = 0;   // live (not voided) incidents
  std::int64_t dispatched = 0;  // with a dispatch time: the denominator of the shares
  std::int64_t arrived = 0;     // with an arrival time
  // Shares of the dispatched incidents (0 when none): call→dispatch within
  // 1 minute, call→arrival within 3 and 5 minutes (an incident not reached
  // counts as missing the mark).
  double dispatch_within_1min = 0;
  double arrival_within_3min = 0;
  double arrival_within_5min = 0;
  // Over the arrived incidents, seconds (0 when none).
  double median_call_to_arrival_s = 0;
  double p90_call_to_arrival_s = 0;
};

ResponseSummary summarise_response(std::span<const Incident> incidents);

}  // namespace pingan::dispatch
