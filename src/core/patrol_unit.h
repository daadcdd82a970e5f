#pragma once
// Patrol units (巡逻警力): the cars, motorcycles, e-bikes and foot patrols the
// command centre dispatches, with their live status and last known position.
// Organisational units (stations, communities) are core/unit.h; a patrol unit
// belongs to one station by its code.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/geo.h"
#include "core/incident.h"
#include "core/status.h"
#include "core/time.h"

namespace pingan {

enum class PatrolKind : std::uint8_t { kCar, kMotorcycle, kEbike, kFoot };
inline constexpr int kPatrolKindCount = 4;
const char* patrol_kind_name(PatrolKind kind);  // "car", "motorcycle", "ebike", "foot"
const char* patrol_kind_label_zh(PatrolKind kind);  // 警车, 摩托车, 电动车, 步巡
Result<PatrolKind> parse_patrol_kind(std::string_view name);

enum class PatrolStatus : std::uint8_t { kAvailable, kEnRoute, kOnScene, kOffDuty };
const char* patrol_status_name(PatrolStatus status);  // "available", "en_route", "on_scene", "off_duty"
const char* patrol_status_label_zh(PatrolStatus status);  // 空闲, 途中, 在场, 下勤
Result<PatrolStatus> parse_patrol_status(std::string_view name);

struct PatrolUnit {
  std::string call_sign;     // unique, e.g. "PA-S03-巡1"; the key everywhere
  PatrolKind kind = PatrolKind::kCar;
  std::string station_code;  // the core Unit (派出所) it belongs to
  int crew_size = 2;
  // Capabilities a run card may ask for besides the kind, e.g. "rapid" (快反),
  // "swat" (特警), "traffic" (交警).
  std::vector<std::string> roles;
  PatrolStatus status = PatrolStatus::kOffDuty;
  std::optional<IncidentId> assignment;  // set while en route / on scene
};

// Checks call sign, crew size and station code presence (not that the station exists).
Status validate_patrol_unit(const PatrolUnit& unit);

// One AVL report from a unit's terminal.
struct PositionReport {
  std::string call_sign;
  Timestamp at = 0;  // UTC seconds
  GeoPoint point;
  std::optional<double> speed_kmh;  // as the terminal reports it, if at all
};

// The latest accepted position of a unit.
struct UnitPosition {
  std::string call_sign;
  Timestamp at = 0;
  GeoPoint point;
};

// One unit sent to one incident (派警记录): when it was dispatched, arrived and
// cleared. Response metrics per unit are computed from these records.
struct Assignment {
  IncidentId incident_id = 0;
  std::string call_sign;
  Timestamp dispatched_at = 0;
  std::optional<Timestamp> arrived_at;
  std::optional<Timestamp> cleared_at;
  std::string actor;  // who dispatched
};

}  // namespace pingan
