#include "core/patrol_unit.h"

#include <fmt/format.h>

#include "core/text_limits.h"

namespace pingan {
namespace {

constexpr const char* kKindNames[] = {"car", "motorcycle", "ebike", "foot"};
constexpr const char* kKindLabels[] = {"警车", "摩托车", "电动车", "步巡"};
constexpr const char* kStatusNames[] = {"available", "en_route", "on_scene", "off_duty"};
constexpr const char* kStatusLabels[] = {"空闲", "途中", "在场", "下勤"};

}  // namespace

const char* patrol_kind_name(PatrolKind kind) { return kKindNames[static_cast<int>(kind)]; }
const char* patrol_kind_label_zh(PatrolKind kind) { return kKindLabels[static_cast<int>(kind)]; }

Result<PatrolKind> parse_patrol_kind(std::string_view name) {
  for (int i = 0; i < kPatrolKindCount; ++i)
    if (name == kKindNames[i]) return static_cast<PatrolKind>(i);
  return Error::invalid("kind", fmt::format("unknown patrol unit kind '{}' (car, motorcycle, ebike, foot)", name));
}

const char* patrol_status_name(PatrolStatus status) { return kStatusNames[static_cast<int>(status)]; }
const char* patrol_status_label_zh(PatrolStatus status) { return kStatusLabels[static_cast<int>(status)]; }

Result<PatrolStatus> parse_patrol_status(std::string_view name) {
  for (int i = 0; i < 4; ++i)
    if (name == kStatusNames[i]) return static_cast<PatrolStatus>(i);
  return Error::invalid(
      "status", fmt::format("unknown patrol unit status '{}' (available, en_route, on_scene, off_duty)", name));
}

Status validate_patrol_unit(const PatrolUnit& unit) {
  if (unit.call_sign.empty()) return Error::invalid("call_sign", "is empty");
  PINGAN_RETURN_IF_ERROR(check_length("call_sign", unit.call_sign, kMaxCodeChars));
  // A call sign is a path segment of the API: no slash, no control characters.
  for (unsigned char c : unit.call_sign)
    if (c == '/' || c < 0x20 || c == 0x7f)
      return Error::invalid("call_sign", fmt::format("'{}' holds a slash or a control character", unit.call_sign));
  if (unit.station_code.empty()) return Error::invalid("station", "is empty");
  PINGAN_RETURN_IF_ERROR(check_length("station", unit.station_code, kMaxCodeChars));
  if (unit.crew_size < 1 || unit.crew_size > 20)
    return Error::invalid("crew_size", fmt::format("{} is outside 1..20", unit.crew_size));
  for (std::size_t i = 0; i < unit.roles.size(); ++i) {
    const std::string field = fmt::format("roles[{}]", i);
    if (unit.roles[i].empty()) return Error::invalid(field, "is empty");
    PINGAN_RETURN_IF_ERROR(check_length(field, unit.roles[i], kMaxRoleChars));
  }
  const bool assigned = unit.assignment.has_value();
  const bool busy = unit.status == PatrolStatus::kEnRoute || unit.status == PatrolStatus::kOnScene;
  if (busy != assigned)
    return Error::invalid("status", busy ? fmt::format("a unit {} needs an assignment", patrol_status_name(unit.status))
                                         : fmt::format("a unit {} cannot hold an assignment",
                                                       patrol_status_name(unit.status)));
  return {};
}

}  // namespace pingan
