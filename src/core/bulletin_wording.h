#pragma once
// The wording rules of a generated bulletin (issue 22), in one include:
// - bulletin_wording_amounts.h: money (9900万元, 9.9亿余元, 1245.6万余元) and
//   counts with measure words (363起, 2.3万余份);
// - bulletin_wording_changes.h: changes (同比下降14.93%, 环比持平) and rates
//   (化解率达96.34%);
// - this file: Chinese numerals, ranks (位列全市第一) and the opening of the
//   period (行动开展以来).
// docs/bulletin-wording.md lists every rule, its source in
// /work/shared/DOMAIN.md or the seeds, and the test that holds it. Pure
// functions, no I/O, thread-safe.

#include <string>
#include <string_view>

#include "core/bulletin_wording_amounts.h"
#include "core/bulletin_wording_changes.h"
#include "core/status.h"
#include "core/time.h"

namespace pingan {

// 1..9999 in Chinese numerals as a rank is read: 1 -> "一", 10 -> "十",
// 12 -> "十二", 20 -> "二十", 101 -> "一百零一", 110 -> "一百一十",
// 1010 -> "一千零一十". Error::invalid("number", ...) outside 1..9999.
Result<std::string> chinese_numeral(int number);

// A unit's place in a ranking of `scope` ("全市", "全区"): rank 1 ->
// "位列全市第一"; a rank shared with another unit (competition ranks, core/
// figure_periods.h) -> "并列全市第二". Errors: an empty scope (field
// "scope"), a rank outside 1..9999 (field "rank").
Result<std::string> rank_phrase(std::string_view scope, int rank, bool tied = false);

// How a bulletin opens its period, from the dates alone (the time of day is
// ignored):
// - the period starts on the campaign's start date -> "行动开展以来";
// - else it starts on 1 January of its last day's year -> "今年以来";
// - else the dates: "6月24日至8月29日" within one year,
//   "2023年12月1日至2024年1月31日" across years.
// `last_day` is the last day counted (inclusive). Errors (Error::invalid): a
// date that does not exist (fields "campaign_start", "from", "last_day"), a
// last day before the first (field "last_day").
Result<std::string> period_opening(const CivilTime& campaign_start, const CivilTime& from,
                                   const CivilTime& last_day);

}  // namespace pingan
