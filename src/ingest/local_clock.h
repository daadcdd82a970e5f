#pragma once
// Converts local wall-clock times of one zone to UTC, fast: the offset of a
// local day is looked up once and reused for every time that day. Days with
// a DST change fall back to the exact conversion of TimeZone::to_utc, so the
// result is always the same as calling it directly.
//
// Not thread-safe: one LocalClock per importing thread.

#include <array>
#include <cstdint>

#include "core/time.h"

namespace pingan::ingest {

class LocalClock {
 public:
  explicit LocalClock(const TimeZone& zone) : zone_(zone) {}
  Timestamp to_utc(const CivilTime& local);

 private:
  struct DayOffset {
    std::int64_t day = INT64_MIN;  // local days since 1970-01-01
    bool uniform = false;          // the same offset all day
    int offset = 0;                // local - UTC, seconds
  };
  TimeZone zone_;
  std::array<DayOffset, 4096> cache_{};  // direct-mapped by day
};

}  // namespace pingan::ingest
