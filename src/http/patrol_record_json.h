#pragma once
// JSON <-> posts and shifts (dispatch/patrol_post.h). Hours of a post go out
// and come in as local "HH:MM"; shift times as ISO 8601 in the bureau's zone.

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/time.h"
#include "dispatch/patrol_post.h"
#include "dispatch/patrol_stats.h"

namespace pingan {

nlohmann::json post_to_json(const dispatch::PatrolPost& post);
// {code, name, kind, station, location:{lat,lon}, hours:{start:"HH:MM", end:"HH:MM"}}
Result<dispatch::PatrolPost> post_from_json(const nlohmann::json& body, const std::string& path);

nlohmann::json shift_to_json(const dispatch::PatrolShift& shift, const TimeZone& zone);
// {call_sign, start, end, crew, post?}
Result<dispatch::PatrolShift> shift_from_json(const nlohmann::json& body, const TimeZone& zone);

nlohmann::json patrol_stats_to_json(const dispatch::PatrolStats& stats, const TimeZone& zone);

}  // namespace pingan
