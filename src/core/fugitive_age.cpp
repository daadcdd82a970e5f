#include "core/fugitive_age.h"

namespace pingan {

const char* fugitive_age_name(FugitiveAge a) { return a == FugitiveAge::kOld ? "old" : "new"; }
const char* fugitive_age_name_zh(FugitiveAge a) { return a == FugitiveAge::kOld ? "历年逃犯" : "新增逃犯"; }

Timestamp local_year_start(Timestamp t, const TimeZone& zone) {
  CivilTime local = zone.to_local(t);
  return zone.to_utc(CivilTime{local.year, 1, 1, 0, 0, 0});
}

std::optional<FugitiveAge> classify_caught(const Fugitive& f, const StatPeriod& period, const TimeZone& zone) {
  if (f.status != FugitiveStatus::kCaught || !f.caught_at || !period.holds(*f.caught_at)) return std::nullopt;
  return f.listed_at < local_year_start(*f.caught_at, zone) ? FugitiveAge::kOld : FugitiveAge::kNew;
}

}  // namespace pingan
