#pragma once
// The kernel density of the events in a time range that slides forward, kept
// up to date by adding the events that enter and removing those that leave,
// so a replay over hundreds of windows costs the events that move, not the
// whole lookback each time.

#include <cstdint>
#include <span>
#include <vector>

#include "analytics/grid.h"
#include "analytics/kde.h"

namespace pingan::analytics {

class SlidingDensity {
 public:
  SlidingDensity(const Grid& grid, const KernelSpec& kernel) : spreader_(grid, kernel) {}

  // Density of the events of `events` (sorted by minute) with minute in
  // [from, until). Moving forward over the same (possibly longer) array
  // updates incrementally; anything else starts again.
  const std::vector<double>& over(std::span<const EventPoint> events, std::int64_t from,
                                  std::int64_t until);
  // Events in the range last computed.
  std::int64_t events_inside() const { return static_cast<std::int64_t>(hi_ - lo_); }

 private:
  void rebuild(std::span<const EventPoint> events, size_t lo, size_t hi);

  KernelSpreader spreader_;
  std::vector<double> density_;
  const EventPoint* base_ = nullptr;  // the array last seen (identity, not owned)
  size_t lo_ = 0, hi_ = 0;            // its events in the range
  std::int64_t from_ = 0;
  int updates_ = 0;                   // since the last rebuild (bounds rounding drift)
};

// Index of the first event with minute >= t in a sorted span.
size_t first_at_or_after(std::span<const EventPoint> events, std::int64_t minute);

}  // namespace pingan::analytics
