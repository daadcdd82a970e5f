#pragma once
// Whether one AVL report may update a unit's position: the rules behind the
// refusal reasons of PositionBatchResult. Pure, so tests can state each rule.

#include <optional>
#include <string>

#include "core/geo.h"
#include "core/time.h"
#include "dispatch/dispatch_service.h"

namespace pingan::dispatch {

struct PositionRefusal {
  PositionRejection reason;
  std::string message;
};

// `last`: the unit's latest accepted position (none before its first report).
// `newest_seen`: the newest time of any accepted report (0: none yet).
// `district`: the unit tree's bounding box (empty: no check).
// Checked in this order: invalid coordinates, duplicate (same time as the
// last report), late (before the last report, or more than max_report_lag_s
// behind the newest seen), too fast (implied speed since the last report over
// max_plausible_speed_kmh), outside the district (farther than
// district_margin_m outside its box).
std::optional<PositionRefusal> check_position(const PositionReport& report, const std::optional<UnitPosition>& last,
                                              Timestamp newest_seen, const DispatchConfig& config,
                                              const BoundingBox& district, const TimeZone& zone);

// Whether `p` lies within margin_m of the box (a box with no extent holds everything).
bool near_box(const BoundingBox& box, const GeoPoint& p, double margin_m);

}  // namespace pingan::dispatch
