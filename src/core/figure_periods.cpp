#include "core/figure_periods.h"

#include <algorithm>
#include <numeric>

namespace pingan {
namespace {

constexpr std::int64_t kSecondsPerDay = 86'400;

// Days since 1970-01-01 of a local date (the civil date read as UTC).
std::int64_t day_number(const CivilTime& local) {
  return civil_to_utc(CivilTime{local.year, local.month, local.day, 0, 0, 0}) / kSecondsPerDay;
}

bool is_local_midnight(Timestamp t, const TimeZone& zone) {
  const CivilTime c = zone.to_local(t);
  return c.hour == 0 && c.minute == 0 && c.second == 0;
}

Timestamp year_earlier(Timestamp t, const TimeZone& zone) {
  CivilTime c = zone.to_local(t);
  c.year -= 1;
  if (c.month == 2 && c.day == 29) c.day = 28;
  return zone.to_utc(c);
}

Timestamp days_earlier(Timestamp t, std::int64_t days, const TimeZone& zone) {
  CivilTime c = zone.to_local(t);
  const CivilTime date = utc_to_civil((day_number(c) - days) * kSecondsPerDay);
  c.year = date.year;
  c.month = date.month;
  c.day = date.day;
  return zone.to_utc(c);
}

}  // namespace

StatPeriod year_on_year_period(const StatPeriod& p, const TimeZone& zone) {
  if (p.until <= p.from) return StatPeriod{year_earlier(p.from, zone), year_earlier(p.from, zone)};
  return StatPeriod{year_earlier(p.from, zone), year_earlier(p.until - 1, zone) + 1};
}

StatPeriod previous_period(const StatPeriod& p, const TimeZone& zone) {
  if (is_local_midnight(p.from, zone) && is_local_midnight(p.until, zone)) {
    const std::int64_t days = day_number(zone.to_local(p.until)) - day_number(zone.to_local(p.from));
    return StatPeriod{days_earlier(p.from, days, zone), p.from};
  }
  return StatPeriod{p.from - (p.until - p.from), p.from};
}

std::vector<int> competition_ranks(const std::vector<std::int64_t>& values) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] > values[b]; });
  std::vector<int> rank(values.size(), 0);
  for (std::size_t k = 0; k < order.size(); ++k)
    rank[order[k]] = (k > 0 && values[order[k]] == values[order[k - 1]]) ? rank[order[k - 1]] : static_cast<int>(k) + 1;
  return rank;
}

}  // namespace pingan
