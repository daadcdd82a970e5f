#pragma once
// How a simulated unit moves between two position reports: straight towards
// its target on the local plane (metres) at a constant speed. Travel to an
// incident uses the kind's speed divided by the detour factor, so the
// straight-line progress matches the road ETA the recommender promises.

#include <optional>

#include "core/time.h"
#include "ingest/demo_geography.h"

namespace pingan::sim {

struct SimStep {
  ingest::Xy at;                     // position at the end of the step
  std::optional<Timestamp> reached;  // when the target was reached within the step
};

// Moves from `from` towards `target` during [start, end) at `speed_ms`
// metres per second. Reaching the target stops the move there; the time of
// reaching is rounded up to whole seconds and lies in (start, end].
SimStep step_towards(ingest::Xy from, ingest::Xy target, double speed_ms, Timestamp start, Timestamp end);

double distance_m(ingest::Xy a, ingest::Xy b);

}  // namespace pingan::sim
