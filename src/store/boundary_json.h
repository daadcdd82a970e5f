#pragma once
// A unit's boundary as both stores keep it in one text column: a JSON array
// of polygons, each an array of rings of [lon, lat] points.

#include <string>

#include "core/unit.h"

namespace pingan::stored {

// "" for an empty boundary (stored as NULL).
std::string boundary_to_json(const Boundary& b);
// An empty boundary for "" or text that is not such JSON.
Boundary boundary_from_json(const std::string& text);

}  // namespace pingan::stored
