// 1-3-5 response metrics against hand-computed cases: durations, the 60 s
// boundary, medians and p90, denominators, per-unit overrides, unit and
// time groups, 同比 and 环比 (analytics/response_stats.h, docs/response.md).

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "analytics/response_index.h"
#include "analytics/response_stats.h"
#include "shipped_settings.h"

namespace pingan::analytics {
namespace {

const TimeZone& shanghai() {
  static const TimeZone zone = *TimeZone::locate("Asia/Shanghai");
  return zone;
}
Timestamp local(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  return shanghai().to_utc(CivilTime{y, mo, d, h, mi, s});
}

UnitTree test_units() {
  std::vector<Unit> units;
  auto add = [&](std::string code, std::string name, UnitKind kind, std::string parent) {
    Unit u;
    u.code = std::move(code);
    u.name = std::move(name);
    u.kind = kind;
    u.parent_code = std::move(parent);
    units.push_back(std::move(u));
  };
  add("B", "分局", UnitKind::kBureau, "");
  add("S1", "城区派出所", UnitKind::kStation, "B");
  add("S1-C1", "社区", UnitKind::kCommunity, "S1");
  add("S2", "郊区派出所", UnitKind::kStation, "B");
  return *UnitTree::build(std::move(units));
}

ResponseStandard test_standard() {
  auto s = parse_response_standard(nlohmann::json::parse(R"({
    "name": "1-3-5",
    "marks": [
      {"code": "1min", "label": "1分钟响应", "metric": "call_to_dispatch", "seconds": 60},
      {"code": "3min", "label": "3分钟到场", "metric": "call_to_arrival", "seconds": 180},
      {"code": "5min", "label": "5分钟到场", "metric": "call_to_arrival", "seconds": 300}],
    "overrides": [{"unit": "S2", "reason": "郊区", "seconds": {"5min": 600}}]})"));
  EXPECT_TRUE(s.ok()) << s.error().describe();
  return *s;
}

Incident call(IncidentId id, std::string unit, Timestamp at, std::optional<int> dispatch_after,
              std::optional<int> arrival_after) {
  Incident inc;
  inc.id = id;
  inc.unit_code = std::move(unit);
  inc.type_code = "theft";
  inc.class_code = "criminal";
  inc.reported_at = at;
  if (dispatch_after) inc.times.dispatched_at = at + *dispatch_after;
  if (arrival_after) inc.times.arrived_at = at + *arrival_after;
  return inc;
}

// The worked example of docs/response.md.
class ResponseMetrics : public ::testing::Test {
 protected:
  void SetUp() override {
    const Timestamp t = local(2026, 6, 1, 10);
    index_.upsert(call(1, "S1", t, 60, 180));        // a: both exactly on the limit: met
    index_.upsert(call(2, "S1-C1", t + 60, 61, 400)); // b: one second late, arrives late
    index_.upsert(call(3, "S2", t + 120, 30, 500));   // c: suburban 5-minute mark is 600 s
    index_.upsert(call(4, "S2", t + 180, 120, {}));   // d: dispatched, never arrived
    index_.upsert(call(5, "S1", t + 240, {}, {}));    // e: never dispatched: outside the denominator
    index_.upsert(call(6, "S1", t + 300, {}, 30));    // f: on view, arrived without a dispatch
    Incident voided = call(7, "S1", t + 360, 10, 20);
    voided.voided = true;
    index_.upsert(voided);                                        // g: counts nowhere
    index_.upsert(call(8, "S1", local(2026, 6, 2), 10, 20));      // the period's end is exclusive
    index_.upsert(call(9, "S1", local(2025, 6, 1, 12), 10, 100)); // 同比 period
    index_.upsert(call(10, "S2", local(2026, 5, 31, 23, 59, 59), {}, {}));  // 环比 period, not responded
  }
  ResponseReport run(ResponseGroup group = ResponseGroup::kNone, UnitScope scope = UnitScope::everything(),
                     Timestamp from = local(2026, 6, 1), Timestamp until = local(2026, 6, 2)) {
    ResponseQuery q;
    q.scope = std::move(scope);
    q.from = from;
    q.until = until;
    q.group_by = group;
    auto r = response_report(index_, standard_, units_, shanghai(), q);
    EXPECT_TRUE(r.ok()) << r.error().describe();
    return *r;
  }
  static const DurationSummary& metric(const ResponseFigures& f, ResponseMetric m) {
    return f.durations[static_cast<std::size_t>(m)];
  }

  ResponseIndex index_;
  ResponseStandard standard_ = test_standard();
  UnitTree units_ = test_units();
};

TEST_F(ResponseMetrics, DurationsOfOneIncident) {
  const Timestamp t = local(2026, 6, 1, 10);
  ResponseDurations d = response_durations(call(1, "S1", t, 45, 200));
  EXPECT_EQ(d.call_to_dispatch, 45u);
  EXPECT_EQ(d.dispatch_to_arrival, 155u);
  EXPECT_EQ(d.call_to_arrival, 200u);
  d = response_durations(call(1, "S1", t, {}, 30));  // arrival stops the dispatch clock too
  EXPECT_EQ(d.call_to_dispatch, 30u);
  EXPECT_EQ(d.dispatch_to_arrival, kNoDuration);
  d = response_durations(call(1, "S1", t, 90, {}));
  EXPECT_EQ(d.call_to_arrival, kNoDuration);
  EXPECT_TRUE(d.responded());
  EXPECT_FALSE(response_durations(call(1, "S1", t, {}, {})).responded());
}

TEST_F(ResponseMetrics, WorkedExampleTotals) {
  const ResponseReport r = run();
  const ResponseFigures& f = r.total.current;
  EXPECT_EQ(f.incidents, 6);  // a-f; the voided one and the one at the end are out
  EXPECT_EQ(f.responded, 5);  // e was never dispatched nor reached
  ASSERT_EQ(f.marks.size(), 3u);
  EXPECT_EQ(f.marks[0].met, 3);  // a (60 s exactly), c (30 s), f (arrived at 30 s)
  EXPECT_DOUBLE_EQ(*f.marks[0].share_pct, 60.0);
  EXPECT_EQ(f.marks[1].met, 2);  // a (180 s exactly), f
  EXPECT_DOUBLE_EQ(*f.marks[1].share_pct, 40.0);
  EXPECT_EQ(f.marks[2].met, 3);  // a, f and c under the suburban 600 s; b (400 s) and d (no arrival) miss
  EXPECT_DOUBLE_EQ(*f.marks[2].share_pct, 60.0);
  // call->dispatch: 30 30 60 61 120 -> median 60, p90 at rank 3.6: 61 + 0.6 * 59
  EXPECT_EQ(metric(f, ResponseMetric::kCallToDispatch).count, 5);
  EXPECT_DOUBLE_EQ(*metric(f, ResponseMetric::kCallToDispatch).median_s, 60.0);
  EXPECT_NEAR(*metric(f, ResponseMetric::kCallToDispatch).p90_s, 96.4, 1e-9);
  // call->arrival: 30 180 400 500 -> median 290, p90 at rank 2.7: 400 + 0.7 * 100
  EXPECT_EQ(metric(f, ResponseMetric::kCallToArrival).count, 4);
  EXPECT_DOUBLE_EQ(*metric(f, ResponseMetric::kCallToArrival).median_s, 290.0);
  EXPECT_NEAR(*metric(f, ResponseMetric::kCallToArrival).p90_s, 470.0, 1e-9);
  // dispatch->arrival: 120 339 470
  EXPECT_EQ(metric(f, ResponseMetric::kDispatchToArrival).count, 3);
  EXPECT_DOUBLE_EQ(*metric(f, ResponseMetric::kDispatchToArrival).median_s, 339.0);
}

// The distribution behind the medians: durations per bucket of
// kResponseHistogramEdgesS, a duration on an edge in the bucket it starts.
TEST_F(ResponseMetrics, HistogramsCountEachDurationInOneBucket) {
  const ResponseFigures& f = run().total.current;
  using H = std::array<std::int64_t, kResponseHistogramEdgesS.size()>;
  // call->dispatch 30 30 60 61 120: 0-1 min twice, 60 and 61 in 1-2, 120 in 2-3.
  EXPECT_EQ(metric(f, ResponseMetric::kCallToDispatch).histogram, (H{2, 2, 1, 0, 0, 0, 0, 0, 0, 0}));
  // call->arrival 30 180 400 500: 0-1, 3-5 (180 on its edge), 5-10 twice.
  EXPECT_EQ(metric(f, ResponseMetric::kCallToArrival).histogram, (H{1, 0, 0, 1, 2, 0, 0, 0, 0, 0}));
  // dispatch->arrival 120 339 470: 2-3, 5-10 twice.
  EXPECT_EQ(metric(f, ResponseMetric::kDispatchToArrival).histogram, (H{0, 0, 1, 0, 2, 0, 0, 0, 0, 0}));
  for (const DurationSummary& d : f.durations) {
    std::int64_t sum = 0;
    for (std::int64_t n : d.histogram) sum += n;
    EXPECT_EQ(sum, d.count);
  }
}

TEST_F(ResponseMetrics, YearOnYearAndPreviousPeriod) {
  const ResponseReport r = run();
  const ResponseComparison& yoy = r.total.yoy;
  EXPECT_EQ(yoy.from, local(2025, 6, 1));
  EXPECT_EQ(yoy.until, local(2025, 6, 2));
  EXPECT_EQ(yoy.base.incidents, 1);
  EXPECT_EQ(yoy.base.responded, 1);
  EXPECT_EQ(yoy.incidents_change, 5);
  EXPECT_DOUBLE_EQ(*yoy.incidents_change_pct, 500.0);
  EXPECT_DOUBLE_EQ(*yoy.share_change_pp[0], -40.0);  // 60% against 100%
  EXPECT_DOUBLE_EQ(*yoy.share_change_pp[1], -60.0);
  EXPECT_DOUBLE_EQ(*yoy.median_change_s[static_cast<std::size_t>(ResponseMetric::kCallToArrival)], 190.0);
  const ResponseComparison& prev = r.total.previous;
  EXPECT_EQ(prev.from, local(2026, 5, 31));
  EXPECT_EQ(prev.until, local(2026, 6, 1));
  EXPECT_EQ(prev.base.incidents, 1);
  EXPECT_EQ(prev.base.responded, 0);
  EXPECT_FALSE(prev.base.marks[0].share_pct.has_value());  // no denominator: no share, no change
  EXPECT_FALSE(prev.share_change_pp[0].has_value());
  EXPECT_FALSE(prev.median_change_s[0].has_value());
}

TEST_F(ResponseMetrics, GroupsByChildUnitWithSubtrees) {
  const ResponseReport r = run(ResponseGroup::kUnit);
  ASSERT_EQ(r.groups.size(), 2u);  // the bureau's own level holds nothing and is left out
  EXPECT_EQ(r.groups[0].code, "S1");
  EXPECT_EQ(r.groups[0].current.incidents, 4);  // a, b (in S1-C1), e, f
  EXPECT_EQ(r.groups[0].current.responded, 3);
  EXPECT_EQ(r.groups[0].current.marks[2].met, 2);  // a, f
  EXPECT_EQ(r.groups[1].code, "S2");
  EXPECT_EQ(r.groups[1].current.incidents, 2);
  EXPECT_EQ(r.groups[1].current.marks[2].met, 1);  // c under its own 600 s limit
  EXPECT_EQ(r.groups[1].previous.base.incidents, 1);
  EXPECT_EQ(r.total.current.incidents, 6);

  const ResponseReport s1 = run(ResponseGroup::kUnit, UnitScope::subtree("S1"));
  ASSERT_EQ(s1.groups.size(), 2u);
  EXPECT_EQ(s1.groups[0].code, "S1-C1");
  EXPECT_EQ(s1.groups[0].current.incidents, 1);
  EXPECT_EQ(s1.groups[1].code, "S1");  // the station's own records
  EXPECT_EQ(s1.groups[1].current.incidents, 3);
  EXPECT_EQ(s1.total.current.incidents, 4);
  EXPECT_EQ(s1.total.yoy.base.incidents, 1);
}

TEST_F(ResponseMetrics, GroupsByDayCompareEachBucket) {
  const ResponseReport r = run(ResponseGroup::kDay, UnitScope::everything(), local(2026, 5, 31), local(2026, 6, 2));
  ASSERT_EQ(r.groups.size(), 2u);
  EXPECT_EQ(r.groups[0].name, "2026-05-31");
  EXPECT_EQ(r.groups[0].current.incidents, 1);
  EXPECT_EQ(r.groups[1].name, "2026-06-01");
  EXPECT_EQ(r.groups[1].current.incidents, 6);
  EXPECT_EQ(r.groups[1].yoy.from, local(2025, 6, 1));
  EXPECT_EQ(r.groups[1].yoy.base.incidents, 1);
  // 环比 of a two-day period moves each day two days back.
  EXPECT_EQ(r.groups[1].previous.from, local(2026, 5, 30));
  EXPECT_EQ(r.total.current.incidents, 7);
}

TEST_F(ResponseMetrics, RowsAreRewrittenAndDropped) {
  // d arrives at last (200 s): the 5-minute mark is met under S2's 600 s.
  index_.upsert(call(4, "S2", local(2026, 6, 1, 10) + 180, 120, 200));
  ResponseReport r = run();
  EXPECT_EQ(r.total.current.marks[2].met, 4);
  EXPECT_EQ(r.total.current.incidents, 6);
  // b is merged into a: it leaves every count.
  Incident merged = call(2, "S1-C1", local(2026, 6, 1, 10) + 60, 61, 400);
  merged.merged_into = 1;
  index_.upsert(merged);
  r = run();
  EXPECT_EQ(r.total.current.incidents, 5);
  EXPECT_EQ(r.total.current.responded, 4);
  EXPECT_EQ(index_.size(), 8);  // 10 upserted, the voided one never counted, b merged
}

TEST(ResponseStandardConfig, ShippedStandardAndBadFiles) {
  auto shipped = Result<analytics::ResponseStandard>(testing::shipped_settings().response_standard);
  ASSERT_TRUE(shipped.ok()) << shipped.error().describe();
  ASSERT_EQ(shipped->marks.size(), 3u);
  EXPECT_EQ(shipped->marks[0].seconds, 60u);
  EXPECT_EQ(shipped->marks[2].seconds, 300u);
  auto bad = parse_response_standard(nlohmann::json::parse(
      R"({"marks": [{"code": "1min", "metric": "call_to_lunch", "seconds": 60}]})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "marks[0].metric");
  bad = parse_response_standard(nlohmann::json::parse(
      R"({"marks": [{"code": "1min", "metric": "call_to_dispatch", "seconds": 60}],
          "overrides": [{"unit": "S2", "seconds": {"9min": 60}}]})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "overrides[0].seconds.9min");
  const ResponseStandard s = test_standard();
  const UnitTree units = test_units();
  EXPECT_EQ(s.limits_for("S2", units), (std::vector<std::uint32_t>{60, 180, 600}));
  EXPECT_EQ(s.limits_for("S1-C1", units), (std::vector<std::uint32_t>{60, 180, 300}));
  EXPECT_EQ(s.limits_for("PN9", units), (std::vector<std::uint32_t>{60, 180, 300}));
}

TEST(ResponseQuantile, InterpolatesBetweenRanks) {
  EXPECT_FALSE(interpolated_quantile({}, 0.5).has_value());
  EXPECT_DOUBLE_EQ(*interpolated_quantile({60, 120}, 0.5), 90.0);
  EXPECT_DOUBLE_EQ(*interpolated_quantile({7}, 0.9), 7.0);
  EXPECT_DOUBLE_EQ(*interpolated_quantile({10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110}, 0.9), 100.0);
}

}  // namespace
}  // namespace pingan::analytics
