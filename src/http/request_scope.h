#pragma once
// Which units a request may see and who it is recorded as: the signed-in
// caller's unit subtree (auth/principal.h) and name. Every handler takes its
// scope and actor from here, through RouteRequest.

#include <string>

#include "auth/principal.h"
#include "core/status.h"
#include "core/unit.h"

namespace pingan {

// The subtree of the caller's unit; nothing for a caller who has not signed in.
UnitScope scope_of(const auth::Principal* who);

// The actor recorded on writes: the user's name (and token); "anonymous" otherwise.
std::string actor_of(const auth::Principal* who);

// Narrows `scope` to the subtree of `unit_code` (the `unit` query parameter).
// A unit inside the scope narrows to its subtree; a unit above the scope's
// roots keeps the roots under it; a unit beside the scope sees nothing.
// An unknown unit is refused (a typo would otherwise look like a quiet day).
Result<UnitScope> narrow_scope(const UnitScope& scope, const std::string& unit_code,
                               const UnitTree& tree);

}  // namespace pingan
