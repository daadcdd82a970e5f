#include "analytics/index_clock.h"

#include <date/tz.h>

#include <algorithm>
#include <chrono>

namespace pingan::analytics {
namespace {

using SysSeconds = std::chrono::time_point<std::chrono::system_clock, std::chrono::seconds>;

// The table spans every plausible record: St. Louis has placeholder dates of
// 1900-01-01, and a typo can put a record far in the future.
constexpr Timestamp kTableBegin = -2'208'988'800;  // 1900-01-01T00:00:00Z
constexpr Timestamp kTableEnd = 4'102'444'800;     // 2100-01-01T00:00:00Z

const date::time_zone* tz_of(const TimeZone& zone) { return date::locate_zone(zone.name()); }

Timestamp seconds_of(date::sys_seconds t) { return t.time_since_epoch().count(); }

}  // namespace

CivilTime civil_of_day(DayNumber day) { return utc_to_civil(day * kSecondsPerDay); }

DayNumber day_of_civil(int year, int month, int day) {
  return floor_div(civil_to_utc(CivilTime{year, month, day, 0, 0, 0}), kSecondsPerDay);
}

int iso_weekday(DayNumber day) { return static_cast<int>(((day % 7) + 7 + 3) % 7) + 1; }

LocalClock::LocalClock(const TimeZone& zone) : zone_(zone) {
  const date::time_zone* tz = tz_of(zone_);
  Timestamp t = kTableBegin;
  while (t < kTableEnd) {
    date::sys_info info = tz->get_info(SysSeconds{std::chrono::seconds{t}});
    starts_.push_back(t);
    offsets_.push_back(static_cast<int>(info.offset.count()));
    Timestamp end = seconds_of(info.end);
    if (end <= t) break;  // the zone has no further change
    t = end;
  }
}

void LocalClock::locate(Timestamp t, Timestamp* begin, Timestamp* end, int* offset) const {
  if (t < kTableBegin || t >= kTableEnd || starts_.empty()) {
    date::sys_info info = tz_of(zone_)->get_info(SysSeconds{std::chrono::seconds{t}});
    *begin = seconds_of(info.begin);
    *end = seconds_of(info.end);
    *offset = static_cast<int>(info.offset.count());
    if (*end <= t) *end = t + 1;  // guards a cursor against an empty interval
    return;
  }
  auto it = std::upper_bound(starts_.begin(), starts_.end(), t);
  std::size_t i = static_cast<std::size_t>(it - starts_.begin()) - 1;
  *begin = starts_[i];
  *end = i + 1 < starts_.size() ? starts_[i + 1] : kTableEnd;
  *offset = offsets_[i];
}

int LocalClock::offset_seconds(Timestamp t) const {
  Timestamp begin, end;
  int offset;
  locate(t, &begin, &end, &offset);
  return offset;
}

Timestamp LocalClock::day_start(DayNumber day) const {
  CivilTime c = civil_of_day(day);
  return zone_.to_utc(c);
}

}  // namespace pingan::analytics
