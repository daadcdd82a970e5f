#pragma once
// The comparison periods of a ledger figure and the ranking of units, by
// the conventions of the incident and case statistics, so that a bulletin's
// 同比 reads the same for incidents, cases and ledgers:
// - 同比 (year on year) maps every instant to the same local clock time a
//   year earlier (29 February to 28 February): [from, until) ->
//   [yoy(from), yoy(until - 1) + 1);
// - 环比 (previous) is the period of equal length just before: for a period
//   of whole local days the same number of local days before `from`,
//   otherwise [from - (until - from), from);
// - rank: 1 for the largest value, ties share a rank (1, 2, 2, 4).
//
// A copy of case/case_periods.h (itself of analytics/aggregate_plan.cpp):
// ledger/ may include neither case/ nor analytics/ (docs/layers.txt). The
// three belong in core/ as one; until then a change here is a change there.

#include <cstdint>
#include <vector>

#include "core/fugitive_age.h"
#include "core/time.h"

namespace pingan::ledger {

StatPeriod year_on_year_period(const StatPeriod& period, const TimeZone& zone);
StatPeriod previous_period(const StatPeriod& period, const TimeZone& zone);

// Competition ranks of values[0..n): 1 for the largest, ties share.
std::vector<int> competition_ranks(const std::vector<std::int64_t>& values);

}  // namespace pingan::ledger
