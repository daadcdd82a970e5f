#include "ingest/local_clock.h"

namespace pingan::ingest {

Timestamp LocalClock::to_utc(const CivilTime& local) {
  Timestamp naive = civil_to_utc(local);
  std::int64_t day = naive >= 0 ? naive / 86400 : -((-naive + 86399) / 86400);
  DayOffset& slot = cache_[static_cast<size_t>(day & 4095)];
  if (slot.day != day) {
    CivilTime start = utc_to_civil(day * 86400);
    CivilTime end = start;
    end.hour = 23;
    end.minute = 59;
    int offset_start = static_cast<int>(day * 86400 - zone_.to_utc(start));
    int offset_end = static_cast<int>(day * 86400 + 86340 - zone_.to_utc(end));
    slot = DayOffset{day, offset_start == offset_end, offset_start};
  }
  if (slot.uniform) return naive - slot.offset;
  return zone_.to_utc(local);
}

}  // namespace pingan::ingest
