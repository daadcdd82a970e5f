#pragma once
// The bureau's local calendar as statistics need it: local days, local
// midnights and UTC offsets, answered from a table of the zone's offset
// changes so that millions of rows can be bucketed without asking the tz
// database for each one.
//
// Thread safety: immutable after construction; LocalClock::Cursor is a
// per-thread helper that remembers the last offset interval.

#include <cstdint>
#include <vector>

#include "core/time.h"

namespace pingan::analytics {

// Days since 1970-01-01 in a calendar (local or UTC).
using DayNumber = std::int64_t;

inline constexpr std::int64_t kSecondsPerDay = 86'400;

// floor(a / b) for b > 0, also for negative a (times before 1970).
inline std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

// Civil date of a day number and back (proleptic Gregorian).
CivilTime civil_of_day(DayNumber day);
DayNumber day_of_civil(int year, int month, int day);
// 1 = Monday .. 7 = Sunday.
int iso_weekday(DayNumber day);

class LocalClock {
 public:
  explicit LocalClock(const TimeZone& zone);

  const TimeZone& zone() const { return zone_; }
  // Seconds east of UTC at instant t.
  int offset_seconds(Timestamp t) const;
  DayNumber local_day(Timestamp t) const { return floor_div(t + offset_seconds(t), kSecondsPerDay); }
  // The UTC instant at which local day `day` begins (its midnight, or the
  // first instant of the day when the clock skips midnight).
  Timestamp day_start(DayNumber day) const;
  // Whether t is the first instant of its local day.
  bool is_day_start(Timestamp t) const { return day_start(local_day(t)) == t; }
  CivilTime to_local(Timestamp t) const { return utc_to_civil(t + offset_seconds(t)); }
  Timestamp to_utc(const CivilTime& local) const { return zone_.to_utc(local); }

  // Remembers the offset interval of the last instant asked, so that rows
  // read in time order cost one comparison each.
  class Cursor {
   public:
    explicit Cursor(const LocalClock& clock) : clock_(clock) {}
    int offset_seconds(Timestamp t) {
      if (t < begin_ || t >= end_) clock_.locate(t, &begin_, &end_, &offset_);
      return offset_;
    }
    Timestamp local_seconds(Timestamp t) { return t + offset_seconds(t); }

   private:
    const LocalClock& clock_;
    Timestamp begin_ = 1, end_ = 0;  // empty until the first call
    int offset_ = 0;
  };

 private:
  // The interval [begin, end) around t in which the offset is constant.
  void locate(Timestamp t, Timestamp* begin, Timestamp* end, int* offset) const;

  TimeZone zone_;
  // Offset changes between kTableBegin and kTableEnd: offsets_[i] holds from
  // starts_[i] until starts_[i + 1]. Outside the table the tz database is asked.
  std::vector<Timestamp> starts_;
  std::vector<int> offsets_;
};

}  // namespace pingan::analytics
