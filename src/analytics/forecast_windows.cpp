#include "analytics/forecast_windows.h"

#include <fmt/format.h>

#include <cstdio>
#include <string>

namespace pingan::analytics {
namespace {

constexpr std::int64_t kMaxReplayDays = 50 * 366;

// Days since 1970-01-01 of a civil date, and back.
std::int64_t day_number(const CivilTime& d) {
  return civil_to_utc(CivilTime{d.year, d.month, d.day, 0, 0, 0}) / 86400;
}
CivilTime date_of(std::int64_t day) { return utc_to_civil(day * 86400); }

std::int64_t local_minute(const TimeZone& zone, std::int64_t day, int hour) {
  CivilTime t = date_of(day);
  t.hour = hour;
  return zone.to_utc(t) / 60;
}

}  // namespace

const char* window_kind_name(WindowKind kind) {
  switch (kind) {
    case WindowKind::kDay: return "day";
    case WindowKind::kWeek: return "week";
    case WindowKind::kShift: return "shift";
  }
  return "?";
}

Result<WindowKind> parse_window_kind(std::string_view name) {
  if (name == "day") return WindowKind::kDay;
  if (name == "week") return WindowKind::kWeek;
  if (name == "shift") return WindowKind::kShift;
  return Error::invalid("window", fmt::format("'{}' is not day, week or shift", name));
}

Result<CivilTime> parse_local_date(std::string_view text, const char* field) {
  CivilTime d;
  char tail = 0;
  const std::string s(text);
  if (text.size() != 10 || std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &d.year, &d.month, &d.day, &tail) != 3 ||
      s[4] != '-' || s[7] != '-' || !is_valid_civil(d))
    return Error::invalid(field, fmt::format("'{}' is not a date YYYY-MM-DD", text));
  return d;
}

std::int64_t local_midnight_minute(const TimeZone& zone, const CivilTime& date) {
  return local_minute(zone, day_number(date), 0);
}

Result<std::vector<ForecastWindow>> replay_windows(const TimeZone& zone, const CivilTime& from_date,
                                                   const CivilTime& to_date, WindowKind kind) {
  const std::int64_t first = day_number(from_date), last = day_number(to_date);
  if (last <= first) return Error::invalid("to", "must be a date after from");
  if (last - first > kMaxReplayDays) return Error::invalid("to", "the replay may span at most 50 years");
  std::vector<ForecastWindow> out;
  if (kind == WindowKind::kShift) {
    for (std::int64_t day = first; day < last; ++day)
      for (int h = 0; h < 24; h += kShiftHours)
        out.push_back({local_minute(zone, day, h),
                       h + kShiftHours < 24 ? local_minute(zone, day, h + kShiftHours)
                                            : local_minute(zone, day + 1, 0)});
    return out;
  }
  const int step = kind == WindowKind::kWeek ? 7 : 1;
  for (std::int64_t day = first; day + step <= last; day += step)
    out.push_back({local_minute(zone, day, 0), local_minute(zone, day + step, 0)});
  if (out.empty()) return Error::invalid("to", "the range holds no whole window");
  return out;
}

ForecastWindow next_window(const TimeZone& zone, Timestamp at, WindowKind kind) {
  const std::int64_t at_minute = (at + 59) / 60;  // a start at or after `at`
  const CivilTime local = zone.to_local(at);
  std::int64_t day = day_number(local);
  if (kind == WindowKind::kShift) {
    for (std::int64_t d = day; d <= day + 1; ++d)
      for (int h = 0; h < 24; h += kShiftHours) {
        const std::int64_t start = local_minute(zone, d, h);
        if (start >= at_minute)
          return {start, h + kShiftHours < 24 ? local_minute(zone, d, h + kShiftHours)
                                              : local_minute(zone, d + 1, 0)};
      }
  }
  if (local_minute(zone, day, 0) < at_minute) ++day;
  if (kind == WindowKind::kWeek) {
    // 1970-01-01 was a Thursday: day 4 (mod 7) is a Monday.
    while (((day % 7) + 7) % 7 != 4) ++day;
    return {local_minute(zone, day, 0), local_minute(zone, day + 7, 0)};
  }
  return {local_minute(zone, day, 0), local_minute(zone, day + 1, 0)};
}

}  // namespace pingan::analytics
