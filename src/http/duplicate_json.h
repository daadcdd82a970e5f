#pragma once
// JSON of duplicate calls: the candidates offered for a new call and the
// calls merged into an incident (docs/api.md, "Duplicate calls").

#include <nlohmann/json.hpp>

#include "dispatch/duplicate_calls.h"
#include "http/api_routes.h"

namespace pingan {

nlohmann::json duplicate_candidate_json(const dispatch::DuplicateCandidate& c);
// The candidates for `call` under the rules in force; an empty array (and a
// logged warning) when they cannot be looked for, so that recording a call
// never fails for want of a suggestion.
nlohmann::json possible_duplicates_json(const ApiContext& ctx, const Incident& call, const UnitScope& scope);
// [{id, reported_at, type, status}] of the calls merged into `id`.
Result<nlohmann::json> merged_calls_json(const ApiContext& ctx, IncidentId id, const UnitScope& scope);

}  // namespace pingan
