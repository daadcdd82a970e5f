#pragma once
// JSON of the 1-3-5 response report (analytics/response_stats.h); the
// schema is ResponseReport in docs/openapi.json.

#include <nlohmann/json.hpp>

#include "analytics/response_stats.h"
#include "core/time.h"

namespace pingan {

nlohmann::json response_report_to_json(const analytics::ResponseReport& report, const TimeZone& zone);

}  // namespace pingan
