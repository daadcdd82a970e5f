#pragma once
// Old and new fugitives caught (抓获历年逃犯 41 人, 抓获新增逃犯 345 人,
// Wenzhou Lucheng 2022).
//
// The rule: a fugitive caught is OLD (历年逃犯) when listed before 1 January,
// local time, of the year of the capture, and NEW (新增逃犯) when listed in
// that year. Why the calendar year and not the start of the period asked for:
//  - 历年 means "of past years": police statistics of 追逃 count the stock of
//    fugitives carried over from past years apart from the year's new
//    listings, and the seed's figures fit it (a two-month campaign caught 41
//    old ones, the hard cases of past years, and 345 listed this year);
//  - a capture is old or new once and for all, whatever window is asked
//    for: the counts of June and of July add up to those of June-July, the
//    same week a year earlier (同比) is classified by the same rule, and a
//    bulletin's figure does not change when someone widens the window. With
//    the period's start as the line, a fugitive listed in June and caught in
//    July would be old in July's count and new in the campaign's.
// The line is exact: listed one second before local midnight of 1 January
// is old, listed at that midnight is new.

#include <optional>

#include "core/fugitive.h"
#include "core/time.h"

namespace pingan {

// The half-open interval a statistic counts: from <= t < until.
struct StatPeriod {
  Timestamp from = 0;
  Timestamp until = 0;
  bool holds(Timestamp t) const { return from <= t && t < until; }
};

enum class FugitiveAge : std::uint8_t {
  kOld,  // 历年逃犯
  kNew,  // 新增逃犯
};

const char* fugitive_age_name(FugitiveAge a);     // "old", "new"
const char* fugitive_age_name_zh(FugitiveAge a);  // "历年逃犯", "新增逃犯"

// The instant local 1 January 00:00 of the year `t` falls in, in `zone`.
Timestamp local_year_start(Timestamp t, const TimeZone& zone);

// Old or new when the fugitive was caught within the period (status caught,
// caught_at in [from, until)); nullopt otherwise (still listed, revoked, or
// caught outside the period). `zone` is the bureau's: it says when its year
// begins.
std::optional<FugitiveAge> classify_caught(const Fugitive& fugitive, const StatPeriod& period,
                                           const TimeZone& zone);

}  // namespace pingan
