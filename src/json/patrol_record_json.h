#pragma once
// JSON <-> posts and shifts (core/patrol_post.h). Hours of a post go out
// and come in as local "HH:MM"; shift times as ISO 8601 in the bureau's zone.

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/time.h"
#include "core/patrol_post.h"
#include "analytics/patrol_stats.h"

namespace pingan {

nlohmann::json post_to_json(const PatrolPost& post);
// {code, name, kind, station, location:{lat,lon}, hours:{start:"HH:MM", end:"HH:MM"}}
Result<PatrolPost> post_from_json(const nlohmann::json& body, const std::string& path);

nlohmann::json shift_to_json(const PatrolShift& shift, const TimeZone& zone);
// {call_sign, start, end, crew, post?}
Result<PatrolShift> shift_from_json(const nlohmann::json& body, const TimeZone& zone);

nlohmann::json patrol_stats_to_json(const analytics::PatrolStats& stats, const TimeZone& zone);

}  // namespace pingan
