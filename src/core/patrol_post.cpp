#include "core/patrol_post.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/text_limits.h"

namespace pingan {

const char* post_kind_label_zh(std::string_view kind) {
  if (kind == "night") return "夜巡点位";
  if (kind == "school") return "护学岗";
  if (kind == "checkpoint") return "检查站";
  if (kind == "traffic") return "交通岗";
  if (kind == "other") return "其他点位";
  return "";
}

Status validate_post(const PatrolPost& post) {
  if (post.code.empty()) return Error::invalid("code", "is empty");
  PINGAN_RETURN_IF_ERROR(check_length("code", post.code, kMaxCodeChars));
  if (post.name.empty()) return Error::invalid("name", "is empty");
  PINGAN_RETURN_IF_ERROR(check_length("name", post.name, kMaxNameChars));
  if (std::find(std::begin(kPostKinds), std::end(kPostKinds), post.kind) == std::end(kPostKinds))
    return Error::invalid("kind", fmt::format("'{}' is not night, school, checkpoint, traffic or other", post.kind));
  if (post.station_code.empty()) return Error::invalid("station", "is empty");
  PINGAN_RETURN_IF_ERROR(check_length("station", post.station_code, kMaxCodeChars));
  PINGAN_RETURN_IF_ERROR(validate_point(post.location, "location"));
  for (auto [field, minute] : {std::pair{"start", post.start_minute}, std::pair{"end", post.end_minute}})
    if (minute < 0 || minute >= 24 * 60)
      return Error::invalid(field, fmt::format("minute {} is outside 0..1439", minute));
  if (post.start_minute == post.end_minute) return Error::invalid("end", "the hours are empty (start = end)");
  return {};
}

Status validate_shift(const PatrolShift& shift) {
  if (shift.call_sign.empty()) return Error::invalid("call_sign", "is empty");
  PINGAN_RETURN_IF_ERROR(check_length("call_sign", shift.call_sign, kMaxCodeChars));
  PINGAN_RETURN_IF_ERROR(check_length("post", shift.post_code, kMaxCodeChars));
  if (shift.ends_at <= shift.starts_at) return Error::invalid("end", "must be after the start");
  if (shift.ends_at - shift.starts_at > 24 * 3600) return Error::invalid("end", "a shift lasts at most 24 hours");
  if (shift.crew < 1 || shift.crew > 50) return Error::invalid("crew", fmt::format("{} is outside 1..50", shift.crew));
  return {};
}

bool shift_covers_post_on(const PatrolShift& shift, const PatrolPost& post, const CivilTime& local_day,
                          const TimeZone& zone) {
  CivilTime start = local_day;
  start.hour = post.start_minute / 60;
  start.minute = post.start_minute % 60;
  start.second = 0;
  const Timestamp from = zone.to_utc(start);
  const int minutes = (post.end_minute - post.start_minute + 24 * 60) % (24 * 60);
  const Timestamp until = from + std::int64_t(minutes) * 60;
  return shift.starts_at <= from && shift.ends_at >= until;
}

}  // namespace pingan
