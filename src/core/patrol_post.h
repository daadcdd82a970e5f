#pragma once
// Posts (执勤点位: night posts, school posts, checkpoints) and shifts (勤务班次:
// a patrol unit on duty from a start to an end with its crew, optionally
// manning a post). The records behind officer-shifts (警力人次),
// vehicle-shifts (警车辆次) and posts staffed.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/geo.h"
#include "core/status.h"
#include "core/time.h"
#include "core/patrol_unit.h"

namespace pingan {

// Post kinds the bulletins count separately.
inline constexpr std::string_view kPostKinds[] = {"night", "school", "checkpoint", "traffic", "other"};
const char* post_kind_label_zh(std::string_view kind);  // 夜巡点位, 护学岗, 检查站, 交通岗, 其他; "" when unknown

struct PatrolPost {
  std::string code;          // unique, e.g. "PA-S03-N01"
  std::string name;          // e.g. "文昌夜市巡防点"
  std::string kind;          // one of kPostKinds
  std::string station_code;  // the station that mans it
  GeoPoint location;
  // Local hours of duty as minutes after midnight; end <= start runs past
  // midnight (a night post 20:00-02:00 is 1200..120).
  int start_minute = 0;
  int end_minute = 0;
};

struct PatrolShift {
  std::int64_t id = 0;       // assigned by the store
  std::string call_sign;     // the patrol unit on duty
  std::string station_code;  // the unit's station when recorded
  PatrolKind kind = PatrolKind::kCar;  // the unit's kind when recorded
  Timestamp starts_at = 0, ends_at = 0;  // UTC, ends_at > starts_at
  int crew = 0;              // officers on the shift (警力)
  std::string post_code;     // empty: free patrol
};

// Field-named errors: code, name, kind, station, location, start/end.
Status validate_post(const PatrolPost& post);
// call_sign, start/end (positive, at most 24 h), crew 1..50.
Status validate_shift(const PatrolShift& shift);

// Whether the shift covers the post's hours on the local day the hours
// start (a night post's hours run into the next day).
bool shift_covers_post_on(const PatrolShift& shift, const PatrolPost& post, const CivilTime& local_day,
                          const TimeZone& zone);

}  // namespace pingan
