#pragma once
// The comparison periods of a figure and the ranking of units, by the
// conventions of the incident statistics (docs/analytics.md), so that a
// bulletin's 同比 reads the same for incidents, cases and ledgers (used by
// case/case_figures.cpp and ledger/ledger_figures.cpp):
// - 同比 (year on year) maps every instant to the same local clock time a
//   year earlier (29 February to 28 February): [from, until) ->
//   [yoy(from), yoy(until - 1) + 1), so a period ending at midnight maps to
//   whole days;
// - 环比 (previous) is the period of equal length just before: for a period
//   of whole local days the same number of local days before `from`,
//   otherwise [from - (until - from), from);
// - rank: 1 for the largest value, ties share a rank (1, 2, 2, 4).
//
// analytics/aggregate_plan.cpp and aggregate.cpp still hold their own
// copy of these rules for incidents (inside their query planning); moving
// them onto this file is open.

#include <cstdint>
#include <vector>

#include "core/fugitive_age.h"
#include "core/time.h"

namespace pingan {

StatPeriod year_on_year_period(const StatPeriod& period, const TimeZone& zone);
StatPeriod previous_period(const StatPeriod& period, const TimeZone& zone);

// Competition ranks of values[0..n): 1 for the largest, ties share.
std::vector<int> competition_ranks(const std::vector<std::int64_t>& values);

}  // namespace pingan
