#pragma once
// Forecast windows on the bureau's local clock: a day runs from local
// midnight to the next, a week from a local midnight seven days on, a shift
// is eight hours starting at 00:00, 08:00 or 16:00 local. DST days are 23 or
// 25 hours long, as the clock on the wall says.

#include <string_view>
#include <vector>

#include "analytics/forecast.h"
#include "core/status.h"
#include "core/time.h"

namespace pingan::analytics {

enum class WindowKind { kDay, kWeek, kShift };
inline constexpr int kShiftHours = 8;

const char* window_kind_name(WindowKind kind);
// "day", "week" or "shift"; errors name "window".
Result<WindowKind> parse_window_kind(std::string_view name);

// Consecutive windows from local midnight of `from_date` while they end at
// or before local midnight of `to_date` (only the date fields are read).
// Errors when to_date is not after from_date or the span exceeds 50 years.
Result<std::vector<ForecastWindow>> replay_windows(const TimeZone& zone, const CivilTime& from_date,
                                                   const CivilTime& to_date, WindowKind kind);

// The first window of the kind that starts at or after `at`: a day at the
// next local midnight, a week on the next Monday 00:00, a shift at the next
// 00:00, 08:00 or 16:00.
ForecastWindow next_window(const TimeZone& zone, Timestamp at, WindowKind kind);

// "2017-01-01" -> the date (time fields 0). Errors name `field`.
Result<CivilTime> parse_local_date(std::string_view text, const char* field);

// Local midnight starting the given date's day, as UTC minutes.
std::int64_t local_midnight_minute(const TimeZone& zone, const CivilTime& date);

}  // namespace pingan::analytics
