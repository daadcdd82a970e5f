#pragma once
// JSON for "what is rising" (analytics/rising.h), shared by
// GET /api/stats/rising and `pingan analyze rising --json`.

#include <nlohmann/json.hpp>

#include "analytics/rising.h"
#include "core/time.h"

namespace pingan {

// {window: {from, to}, history: [{from, to}], dropped_windows, by, baseline,
//  alpha, tested, flagged, items: [{rank, unit?, type?, class?, observed,
//  expected, ratio, z, p, q, test, dispersion, rising, history}]} with the
// `limit` most significant series (all when limit <= 0). Times are local ISO
// 8601 with offset; ratio is null when nothing was expected.
nlohmann::json rising_to_json(const analytics::RisingReport& report, const TimeZone& zone, int limit);

}  // namespace pingan
