#pragma once
// Posts and shifts as the API and the demo write and read them: checked
// against the unit tree (a post's station must exist) and the desk's units
// (a shift's unit must exist; its station and kind are recorded with the
// shift, so statistics keep them when the unit later moves), and filtered
// by the caller's unit scope on the way out.

#include <vector>

#include "core/status.h"
#include "core/unit.h"
#include "core/patrol_post.h"

namespace pingan {
class Engine;
}

namespace pingan::dispatch {

class DispatchService;

// Validates every post (errors name "posts[i].<field>") and stores them all or none.
Status save_posts(Engine& engine, std::vector<PatrolPost> posts);
// Posts of stations inside the scope, by code.
Result<std::vector<PatrolPost>> list_posts(Engine& engine, const UnitScope& scope);

// Fills station and kind from the desk's unit, checks the post, stores.
Result<PatrolShift> record_shift(Engine& engine, const DispatchService& desk, PatrolShift shift);
// Shifts overlapping [from, until) of stations inside the scope.
Result<std::vector<PatrolShift>> list_shifts(Engine& engine, const UnitScope& scope, Timestamp from,
                                             Timestamp until);

}  // namespace pingan::dispatch
