#pragma once
// Which units a request may see. Until auth lands every request sees
// everything; auth will replace scope_for_request() alone, and every handler
// already takes its scope from there.

#include <string>

#include "core/status.h"
#include "http/http_request.h"
#include "core/unit.h"


namespace pingan {

UnitScope scope_for_request(const HttpRequest& req);

// Who is acting, recorded on events. "api" until auth names the user.
std::string actor_for_request(const HttpRequest& req);

// Narrows `scope` to the subtree of `unit_code` (the `unit` query parameter).
// A unit inside the scope narrows to its subtree; a unit above the scope's
// roots keeps the roots under it; a unit beside the scope sees nothing.
// An unknown unit is refused (a typo would otherwise look like a quiet day).
Result<UnitScope> narrow_scope(const UnitScope& scope, const std::string& unit_code,
                               const UnitTree& tree);

}  // namespace pingan
