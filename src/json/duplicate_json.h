#pragma once
// JSON of duplicate calls: the candidates offered for a new call and the
// calls merged into an incident (docs/api.md, "Duplicate calls").

#include <nlohmann/json.hpp>

#include <vector>

#include "core/incident.h"
#include "core/time.h"
#include "dispatch/duplicate_calls.h"

namespace pingan {

// {id, distance_m, minutes_apart, type, status}
nlohmann::json duplicate_candidate_json(const dispatch::DuplicateCandidate& c);
nlohmann::json duplicate_candidates_json(const std::vector<dispatch::DuplicateCandidate>& candidates);
// [{id, reported_at, type, status}] of the calls merged into an incident, oldest first.
nlohmann::json merged_calls_json(const std::vector<Incident>& calls, const TimeZone& zone);

}  // namespace pingan
