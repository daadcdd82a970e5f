#pragma once
// What bench_bulletin checks pingan's bulletin figures against: the figures
// as the reference computed them (one value per period: the period asked,
// the same period a year earlier, the period of equal length before), the
// periods themselves, and the comparison.

#include <fmt/format.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/bulletin_document.h"
#include "core/time.h"

namespace pingan::bench {

// The period asked and its 同比 and 环比 periods, [from, to) in UTC, as
// analytics/aggregate.h, case_figures.h and ledger_figures.h define them
// for whole local days: a year earlier on the calendar, and the same number
// of days just before.
struct BulletinPeriods {
  Timestamp from = 0, to = 0;
  Timestamp year_ago_from = 0, year_ago_to = 0;
  Timestamp previous_from = 0, previous_to = 0;
};

inline CivilTime a_year_earlier(CivilTime day) {
  --day.year;
  if (day.month == 2 && day.day == 29) day.day = 28;
  return day;
}

// `first` and `last` are local days, `last` counted (as BulletinRequest).
inline BulletinPeriods bulletin_periods(const TimeZone& zone, const CivilTime& first, const CivilTime& last) {
  const CivilTime from{first.year, first.month, first.day, 0, 0, 0};
  const CivilTime after_last = utc_to_civil(civil_to_utc(CivilTime{last.year, last.month, last.day, 0, 0, 0}) + 86400);
  const std::int64_t days = (civil_to_utc(after_last) - civil_to_utc(from)) / 86400;
  const CivilTime previous_from = utc_to_civil(civil_to_utc(from) - days * 86400);
  BulletinPeriods p;
  p.from = zone.to_utc(from);
  p.to = zone.to_utc(after_last);
  p.year_ago_from = zone.to_utc(a_year_earlier(from));
  p.year_ago_to = zone.to_utc(a_year_earlier(after_last));
  p.previous_from = zone.to_utc(previous_from);
  p.previous_to = p.from;
  return p;
}

// One figure as the reference has it; `whole` for a rate (its denominator),
// year_ago and previous absent where the bulletin has none (rates).
struct ReferenceFigure {
  std::int64_t value = 0;
  std::int64_t whole = 0;
  std::optional<std::int64_t> year_ago, previous;
};

using ReferenceFigures = std::map<std::string, ReferenceFigure>;

// Every figure of the reference must be in pingan's answer with the same
// value, whole, year_ago and previous. Prints each difference; returns
// whether there was none. `checked` counts the numbers compared.
inline bool same_figures(const char* district, const ReferenceFigures& reference,
                         const std::map<std::string, BulletinFigureValue>& pingan, int* checked) {
  bool same = true;
  auto differ = [&](const std::string& name, const char* what, std::optional<std::int64_t> theirs,
                    std::optional<std::int64_t> ours) {
    if (theirs == ours) return;
    fmt::print("MISMATCH {} {} {}: reference {} vs pingan {}\n", district, name, what,
               theirs ? std::to_string(*theirs) : "none", ours ? std::to_string(*ours) : "none");
    same = false;
  };
  for (const auto& [name, ref] : reference) {
    const auto it = pingan.find(name);
    if (it == pingan.end()) {
      fmt::print("MISMATCH {} {}: the reference has it, pingan's bulletin does not\n", district, name);
      same = false;
      continue;
    }
    const BulletinFigureValue& v = it->second;
    differ(name, "value", ref.value, v.value);
    *checked += 1;
    if (v.kind == BulletinFigureValue::Kind::kRate) {
      differ(name, "whole", ref.whole, v.whole);
      *checked += 1;
    }
    if (ref.year_ago || v.year_ago) {
      differ(name, "year_ago", ref.year_ago, v.year_ago);
      *checked += 1;
    }
    if (ref.previous || v.previous) {
      differ(name, "previous", ref.previous, v.previous);
      *checked += 1;
    }
  }
  return same;
}

}  // namespace pingan::bench
