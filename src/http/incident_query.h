#pragma once
// The query string of GET /api/incidents turned into an IncidentFilter.
// Parameters: unit, class, type, status (comma lists allowed), from, to
// (ISO 8601; naive times and bare dates in the bureau's zone; `to` is
// exclusive), bbox=minLon,minLat,maxLon,maxLat, source, include_voided,
// reporter_phone (an exact look-up through the keyed hash, issue 17),
// limit (1..1000, default 100), offset. An unknown parameter is refused so
// that a misspelt filter does not silently return everything. Only syntax is
// checked here; the engine checks codes, ranges and the order of from/to.

#include <map>
#include <string>

#include "core/status.h"
#include "core/time.h"
#include "core/incident_filter.h"

namespace pingan {

inline constexpr int kDefaultPageSize = 100;
inline constexpr int kMaxPageSize = 1000;  // enforced by the engine

struct IncidentListQuery {
  IncidentFilter filter;  // scope left at everything(): the caller narrows it
  std::string unit_code;  // the `unit` parameter, empty when absent
};

// `params` as the HTTP library hands them (a key may repeat; repeated list
// parameters are joined).
Result<IncidentListQuery> incident_query_from_params(
    const std::multimap<std::string, std::string>& params, const TimeZone& zone);

// "on", "1", "true", "yes" / "off", "0", "false", "no"; `field` names it in errors.
Result<bool> parse_flag(const std::string& text, const std::string& field);

}  // namespace pingan
