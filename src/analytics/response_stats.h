#pragma once
// 1-3-5 compliance (1-3-5 分钟快速反应) for a scope and period, from the
// response index: per group (child units, or days, weeks, months) the
// incidents counted, the median and 90th percentile of each response
// duration, and the share meeting each mark of the configured standard,
// each with its 同比 (year on year) and 环比 (previous period) comparison.
//
// Definitions (docs/response.md):
// - incidents: counted incidents (not voided, not merged) reported in the
//   period, in the scope.
// - responded: those a unit was committed to (a dispatch or an arrival is
//   recorded): the denominator of every mark. Incidents never dispatched
//   and never reached (settled by phone, abandoned calls) are outside it.
// - A mark is met when the incident's duration of the mark's metric is at
//   most the limit (exactly 60 s meets a 60 s mark) under the limits of the
//   incident's unit (overrides); a responded incident missing that duration
//   (dispatched but never arrived) misses the mark.
// - Median and p90 are over the incidents with that duration, linearly
//   interpolated between the closest ranks (the median of 60 and 120 is 90).
// - Periods and comparison periods follow aggregate.h: local calendar,
//   同比 the same local clock times a year earlier, 环比 the period of equal
//   length before; a calendar bucket compares with its own image.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/response_index.h"
#include "analytics/response_standard.h"
#include "core/time.h"
#include "core/unit.h"

namespace pingan::analytics {

enum class ResponseGroup : std::uint8_t { kNone, kUnit, kDay, kWeek, kMonth };
const char* response_group_name(ResponseGroup g);  // "none", "unit", "day", "week", "month"
Result<ResponseGroup> parse_response_group(std::string_view text);

struct ResponseQuery {
  UnitScope scope = UnitScope::everything();
  Timestamp from = 0, until = 0;  // required, from < until
  ResponseGroup group_by = ResponseGroup::kNone;
};

// The distribution's buckets, by their lower edges in seconds: 0-1, 1-2,
// 2-3, 3-5, 5-10, 10-15, 15-20, 20-30, 30-60 minutes and 60 minutes or more
// (the marks of 1-3-5 fall on edges). A duration on an edge is in the
// bucket that starts there.
inline constexpr std::array<std::uint32_t, 10> kResponseHistogramEdgesS = {0,   60,   120,  180,  300,
                                                                           600, 900, 1200, 1800, 3600};

struct DurationSummary {
  std::int64_t count = 0;  // incidents with this duration
  std::optional<double> median_s, p90_s;  // null when count is 0
  // Incidents per bucket of kResponseHistogramEdgesS; they sum to count.
  std::array<std::int64_t, kResponseHistogramEdgesS.size()> histogram{};
};

struct MarkShare {
  std::int64_t met = 0;
  std::optional<double> share_pct;  // 100 * met / responded; null when responded is 0
};

struct ResponseFigures {
  std::int64_t incidents = 0;
  std::int64_t responded = 0;
  std::array<DurationSummary, kResponseMetricCount> durations;  // by ResponseMetric
  std::vector<MarkShare> marks;  // the standard's order
};

// The figures of a comparison period and the current ones' change against them.
struct ResponseComparison {
  Timestamp from = 0, until = 0;
  ResponseFigures base;
  std::int64_t incidents_change = 0;
  std::optional<double> incidents_change_pct;            // null when base.incidents is 0
  std::vector<std::optional<double>> share_change_pp;    // percentage points; null when either share is
  std::array<std::optional<double>, kResponseMetricCount> median_change_s;
};

struct ResponseLine {
  std::string code;  // unit code, or "" for the total and time buckets
  std::string name;
  Timestamp from = 0, until = 0;  // the line's own period (a bucket is clipped to the query's)
  ResponseFigures current;
  ResponseComparison yoy, previous;
};

struct ResponseReport {
  ResponseStandard standard;
  ResponseGroup group_by = ResponseGroup::kNone;
  Timestamp from = 0, until = 0;
  ResponseLine total;
  std::vector<ResponseLine> groups;  // empty for kNone
};

// Errors: missing or reversed period ("from"/"to"), more time buckets than
// CostBudgets::response_lines (request_cost.h; the server's budget, for the
// CLI too: it bounds the answer's size), naming "group_by" and by how much.
Result<ResponseReport> response_report(const ResponseIndex& index, const ResponseStandard& standard,
                                       const UnitTree& units, const TimeZone& zone, const ResponseQuery& query);

// Linear-interpolation quantile of sorted values (q in 0..1); null when empty.
std::optional<double> interpolated_quantile(const std::vector<std::uint32_t>& sorted, double q);

}  // namespace pingan::analytics
