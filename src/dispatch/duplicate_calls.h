#pragma once
// Duplicate calls (重复报警): a new call close in space and time to an open
// incident of a compatible type is offered as a duplicate, so that the
// dispatcher can link it under that incident (Engine::merge) and statistics
// count the event once. The rules are configuration
// (data/dispatch/duplicates.json), validated once when loaded.

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/incident.h"
#include "core/status.h"
#include "core/taxonomy.h"

namespace pingan {
class Engine;
}

namespace pingan::dispatch {

struct DuplicateRules {
  double radius_m = 300;   // at most this far apart (inclusive)
  int window_minutes = 30; // reported at most this long before or after (inclusive)
  bool same_class = false; // any two types of one class are compatible
  std::vector<std::pair<std::string, std::string>> compatible_types;  // either order

  bool compatible(const std::string& type_a, const std::string& type_b, const Taxonomy& taxonomy) const;
};

// Errors name the field ("radius_m", "compatible_types[2]"); type codes are
// checked against the taxonomy.
Result<DuplicateRules> parse_duplicate_rules(const nlohmann::json& doc, const Taxonomy& taxonomy);

struct DuplicateCandidate {
  IncidentId id = 0;
  double distance_m = 0;
  double minutes_apart = 0;  // absolute
  std::string type_code;
  IncidentStatus status = IncidentStatus::kReceived;
};

// Whether an incident can take duplicates: not closed, voided or merged.
bool open_for_duplicates(const Incident& incident);

// The open incidents in `scope` that `call` may duplicate, nearest first
// (then closest in time, then lowest id); never `call` itself. A call
// without a location has no candidates.
Result<std::vector<DuplicateCandidate>> find_duplicates(Engine& engine, const Incident& call,
                                                        const DuplicateRules& rules, const UnitScope& scope);

}  // namespace pingan::dispatch
