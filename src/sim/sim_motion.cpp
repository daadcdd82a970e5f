#include "sim/sim_motion.h"

#include <algorithm>
#include <cmath>

namespace pingan::sim {

double distance_m(ingest::Xy a, ingest::Xy b) { return std::hypot(b.x - a.x, b.y - a.y); }

SimStep step_towards(ingest::Xy from, ingest::Xy target, double speed_ms, Timestamp start, Timestamp end) {
  const double d = distance_m(from, target);
  const double budget = speed_ms * static_cast<double>(end - start);
  if (d <= budget) {
    const auto needed = static_cast<Timestamp>(std::ceil(speed_ms > 0 ? d / speed_ms : 0));
    return SimStep{target, std::clamp<Timestamp>(start + needed, start + 1, end)};
  }
  const double f = budget / d;
  return SimStep{ingest::Xy{from.x + (target.x - from.x) * f, from.y + (target.y - from.y) * f}, std::nullopt};
}

}  // namespace pingan::sim
