#pragma once
// Instants are stored as UTC seconds since the Unix epoch. Local clock times
// from real datasets are converted with the IANA time-zone database (the
// system's tzdata through Howard Hinnant's date library), so DST is right.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace pingan {

using Timestamp = std::int64_t;  // UTC seconds since 1970-01-01T00:00:00Z

// Wall-clock fields with no zone attached.
struct CivilTime {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
};

bool is_valid_civil(const CivilTime& t);

// UTC seconds of a civil time read as UTC.
Timestamp civil_to_utc(const CivilTime& t);
CivilTime utc_to_civil(Timestamp ts);

// A time zone resolved once; conversions are then cheap and thread-safe.
class TimeZone {
 public:
  // Errors if the name is not in the tz database (e.g. "America/Chicago").
  static Result<TimeZone> locate(std::string_view name);
  const std::string& name() const { return name_; }
  // Local wall time to UTC. In the repeated hour at the end of DST the earlier
  // instant is taken; in the skipped hour the time is moved forward an hour,
  // as a clock read by a person would be.
  Timestamp to_utc(const CivilTime& local) const;
  CivilTime to_local(Timestamp ts) const;
  // Offset from UTC in seconds at the given instant.
  int offset_at(Timestamp ts) const;

 private:
  const void* zone_ = nullptr;  // const date::time_zone*, owned by the tz database
  std::string name_;
};

// Parses RFC 3339 / ISO 8601 "2024-06-01T08:30:00Z", "...+08:00", with or
// without seconds and fractional seconds (dropped). A time with no offset is
// read in `zone_for_naive` and refused when that is null.
Result<Timestamp> parse_iso8601(std::string_view text, const TimeZone* zone_for_naive = nullptr);

// "2024-06-01T00:30:00Z"
std::string format_utc(Timestamp ts);
// "2024-06-01T08:30:00+08:00"
std::string format_local(Timestamp ts, const TimeZone& zone);

Timestamp now_utc();

}  // namespace pingan
