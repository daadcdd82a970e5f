#pragma once
// Whether a unit code lies in a UnitScope, answered from the unit tree in
// memory (the store answers the same question in SQL for incidents).

#include <string>

#include "core/unit.h"

namespace pingan {

// True when the code's path from the root passes one of the scope's roots.
// An empty code is in an unlimited scope only.
bool scope_holds(const UnitScope& scope, const std::string& unit_code, const UnitTree& tree);

}  // namespace pingan
