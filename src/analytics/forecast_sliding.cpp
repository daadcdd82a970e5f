#include "analytics/forecast_sliding.h"

#include <algorithm>

namespace pingan::analytics {
namespace {

// Adding and removing the same doubles leaves rounding residue; starting
// afresh now and then keeps it far below any count.
constexpr int kUpdatesBeforeRebuild = 64;

}  // namespace

size_t first_at_or_after(std::span<const EventPoint> events, std::int64_t minute) {
  return static_cast<size_t>(
      std::lower_bound(events.begin(), events.end(), minute,
                       [](const EventPoint& e, std::int64_t t) { return e.minute < t; }) -
      events.begin());
}

void SlidingDensity::rebuild(std::span<const EventPoint> events, size_t lo, size_t hi) {
  density_.assign(static_cast<size_t>(spreader_.grid().size()), 0.0);
  for (size_t i = lo; i < hi; ++i) spreader_.add(events[i].x, events[i].y, 1.0, density_);
  lo_ = lo;
  hi_ = hi;
  updates_ = 0;
}

const std::vector<double>& SlidingDensity::over(std::span<const EventPoint> events,
                                                std::int64_t from, std::int64_t until) {
  const size_t lo = first_at_or_after(events, from);
  const size_t hi = std::max(lo, first_at_or_after(events, until));
  const bool forward = base_ == events.data() && !density_.empty() && from >= from_ &&
                       lo >= lo_ && lo <= hi_ && hi >= hi_ && updates_ < kUpdatesBeforeRebuild;
  // Sliding costs the events that enter and leave; when that is more than
  // the range itself, building afresh is cheaper.
  if (!forward || (lo - lo_) + (hi - hi_) > hi - lo) {
    rebuild(events, lo, hi);
  } else {
    for (size_t i = hi_; i < hi; ++i) spreader_.add(events[i].x, events[i].y, 1.0, density_);
    for (size_t i = lo_; i < lo; ++i)
      spreader_.add(events[i].x, events[i].y, -1.0, density_);
    lo_ = lo;
    hi_ = hi;
    ++updates_;
  }
  base_ = events.data();
  from_ = from;
  return density_;
}

}  // namespace pingan::analytics
