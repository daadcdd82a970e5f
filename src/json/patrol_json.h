#pragma once
// JSON <-> dispatch values: patrol units with their positions, position
// report batches, recommendations and track points. Times go out as ISO 8601
// in the bureau's zone (as incident_json.h) and come in with an offset or as
// naive local times.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "core/unit.h"
#include "dispatch/dispatch_service.h"

namespace pingan {

// {call_sign, kind, kind_zh, station, station_name?, crew_size, roles, status,
//  status_zh, assignment (incident id or null), position ({at, lat, lon} or null)}
nlohmann::json unit_change_to_json(const dispatch::UnitChange& change, const TimeZone& zone,
                                   const UnitTree* units);

// One unit of an upsert: {call_sign, kind, station, crew_size?, roles?,
// status? ("available" or "off_duty")}. `status_given` tells whether the
// body named a status (an existing unit keeps its own otherwise).
Result<PatrolUnit> patrol_unit_from_json(const nlohmann::json& value, const std::string& path,
                                                   bool* status_given);

// {"reports":[{call_sign, at, lat, lon, speed_kmh?}]}. A report that is not
// well formed is not dropped: its index lands in `malformed` with the reason
// (answered as refused, "invalid"). Errors only when the envelope is wrong.
struct ParsedReports {
  std::vector<PositionReport> reports;
  std::vector<std::pair<std::size_t, std::string>> malformed;  // (index, message)
};
Result<ParsedReports> position_reports_from_json(const nlohmann::json& body, const TimeZone& zone);

nlohmann::json position_result_to_json(const dispatch::PositionBatchResult& result);
nlohmann::json candidate_to_json(const dispatch::Candidate& candidate);
nlohmann::json recommendation_to_json(const dispatch::Recommendation& rec, const dispatch::RunCard& card);
nlohmann::json track_point_to_json(const UnitPosition& point, const TimeZone& zone);

}  // namespace pingan
