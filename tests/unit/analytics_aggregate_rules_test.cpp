// Worked examples of the aggregation rules (the property tests check them
// at random; these name each rule once, with figures worked by hand).

#include <gtest/gtest.h>

#include "analytics/aggregate.h"
#include "analytics_aggregate_fixture.h"

namespace pingan::testing {
namespace {

using analytics::IncidentIndex;
using analytics::StatsBucket;
using analytics::StatsCompare;
using analytics::StatsGroup;
using analytics::StatsQuery;

class AggregateRules : public ::testing::Test {
 protected:
  void add(const std::string& type, const std::string& unit, Timestamp at) {
    Incident inc;
    inc.id = next_id_++;
    inc.type_code = type;
    inc.class_code = taxonomy_.find_type(type)->class_code;
    inc.unit_code = unit;
    inc.reported_at = at;
    index_.upsert(inc);
  }
  Timestamp at(int y, int m, int d, int h = 0) const { return local_time(zone_, y, m, d, h); }
  StatsQuery period(Timestamp from, Timestamp until) const {
    StatsQuery q;
    q.filter.from = from;
    q.filter.until = until;
    return q;
  }

  Taxonomy taxonomy_ = Taxonomy::load_default().value();
  TimeZone zone_ = TimeZone::locate("Asia/Shanghai").value();
  IncidentIndex index_{taxonomy_, aggregate_test_units(), zone_};
  IncidentId next_id_ = 1;
};

TEST_F(AggregateRules, YearOnYearMaps29FebruaryTo28February) {
  add("theft", "C11", at(2023, 2, 28, 12));
  add("theft", "C11", at(2024, 2, 29, 9));
  add("theft", "C11", at(2024, 2, 29, 23));
  StatsQuery q = period(at(2024, 2, 28), at(2024, 3, 1));
  q.bucket = StatsBucket::kDay;
  q.compare = StatsCompare::kYearOnYear;
  auto r = analytics::run_stats(index_, q);
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(*r->compare_from, at(2023, 2, 28));
  EXPECT_EQ(*r->compare_until, at(2023, 3, 1));
  ASSERT_EQ(r->buckets.size(), 2u);
  // 28 and 29 February 2024 both compare with all of 28 February 2023; the
  // period's comparison counts that day once.
  for (const auto& b : r->buckets) {
    EXPECT_EQ(*b.compare_start, at(2023, 2, 28));
    EXPECT_EQ(*b.compare_end, at(2023, 3, 1));
  }
  EXPECT_EQ(r->cells[0].count, 0);
  EXPECT_EQ(r->cells[0].base, 1);
  EXPECT_DOUBLE_EQ(*r->cells[0].change_pct, -100.0);
  EXPECT_EQ(r->cells[1].count, 2);
  EXPECT_EQ(r->cells[1].base, 1);
  EXPECT_EQ(r->cells[1].change, 1);
  EXPECT_DOUBLE_EQ(*r->cells[1].change_pct, 100.0);
  EXPECT_EQ(r->total, 2);
  EXPECT_EQ(r->compare_total, 1);

  // A period ending with 28 February compares with one ending with it too.
  StatsQuery feb = period(at(2024, 2, 1), at(2024, 2, 29));
  feb.compare = StatsCompare::kYearOnYear;
  r = analytics::run_stats(index_, feb);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r->compare_until, at(2023, 3, 1));
  EXPECT_EQ(r->compare_total, 1);
  // And a comparison without a base has no percentage.
  StatsQuery empty = period(at(2024, 2, 29), at(2024, 3, 1));
  empty.compare = StatsCompare::kPrevious;
  r = analytics::run_stats(index_, empty);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->compare_total, 0);
  EXPECT_FALSE(r->change_pct.has_value());
}

TEST_F(AggregateRules, PreviousPeriodIsTheSameNumberOfDaysOrTheSameDuration) {
  StatsQuery days = period(at(2025, 3, 1), at(2025, 4, 1));  // 31 days
  days.compare = StatsCompare::kPrevious;
  auto r = analytics::run_stats(index_, days);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r->compare_from, at(2025, 1, 29));
  EXPECT_EQ(*r->compare_until, at(2025, 3, 1));

  StatsQuery hours = period(at(2025, 3, 1, 8), at(2025, 3, 1, 20));
  hours.compare = StatsCompare::kPrevious;
  r = analytics::run_stats(index_, hours);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r->compare_from, at(2025, 2, 28, 20));
  EXPECT_EQ(*r->compare_until, at(2025, 3, 1, 8));
}

TEST_F(AggregateRules, TiesShareARankAndTheNextRankSkips) {
  // C11: 3, C12: 1 (in S1); S2 (C21): 2; S3: 2; T1: 0.
  for (int i = 0; i < 3; ++i) add("theft", "C11", at(2025, 5, 2, i));
  add("theft", "C12", at(2025, 5, 2));
  add("robbery", "C21", at(2025, 5, 3));
  add("theft", "S2", at(2025, 5, 3));  // on the station itself, still S2's
  add("fraud", "C31", at(2025, 5, 4));
  add("fraud", "C32", at(2025, 5, 4));
  StatsQuery q = period(at(2025, 5, 1), at(2025, 6, 1));
  q.group_by = StatsGroup::kUnit;
  auto r = analytics::run_stats(index_, q);
  ASSERT_TRUE(r.ok());
  std::map<std::string, std::pair<std::int64_t, int>> by_unit;
  for (const auto& c : r->cells) by_unit[r->groups[static_cast<std::size_t>(c.group)].code] = {c.count, *c.rank};
  using P = std::pair<std::int64_t, int>;
  EXPECT_EQ(by_unit, (std::map<std::string, P>{{"S1", P{4, 1}}, {"S2", P{2, 2}}, {"S3", P{2, 2}}, {"T1", P{0, 4}}}));
}

TEST_F(AggregateRules, WeeksStartOnMondayAndEdgeBucketsAreClipped) {
  // 2025-05-01 is a Thursday.
  StatsQuery q = period(at(2025, 5, 1), at(2025, 5, 20));
  q.bucket = StatsBucket::kWeek;
  auto r = analytics::run_stats(index_, q);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->buckets.size(), 4u);
  EXPECT_EQ(r->buckets[0].start, at(2025, 5, 1));
  EXPECT_EQ(r->buckets[1].start, at(2025, 5, 5));
  EXPECT_EQ(r->buckets[2].start, at(2025, 5, 12));
  EXPECT_EQ(r->buckets[3].start, at(2025, 5, 19));
  EXPECT_EQ(r->buckets[3].end, at(2025, 5, 20));
}

TEST_F(AggregateRules, UnitByTypeRanksUnitsWithinEachType) {
  add("theft", "C11", at(2025, 5, 2));
  add("theft", "C21", at(2025, 5, 2));
  add("theft", "C21", at(2025, 5, 2));
  add("fraud", "C11", at(2025, 5, 2));
  StatsQuery q = period(at(2025, 5, 1), at(2025, 6, 1));
  q.filter.type_codes = {"theft", "fraud"};
  q.group_by = StatsGroup::kUnit;
  q.then_by = StatsGroup::kType;
  auto r = analytics::run_stats(index_, q);
  ASSERT_TRUE(r.ok()) << r.error().describe();
  ASSERT_EQ(r->subgroups.size(), 2u);
  std::map<std::string, std::pair<std::int64_t, int>> cells;
  for (const auto& c : r->cells)
    cells[r->groups[static_cast<std::size_t>(c.group)].code + "/" + r->subgroups[static_cast<std::size_t>(c.subgroup)].code] = {
        c.count, *c.rank};
  using P = std::pair<std::int64_t, int>;
  EXPECT_EQ(cells["S1/fraud"], (P{1, 1}));
  EXPECT_EQ(cells["S2/fraud"], (P{0, 2}));
  EXPECT_EQ(cells["S2/theft"], (P{2, 1}));
  EXPECT_EQ(cells["S1/theft"], (P{1, 2}));
}

TEST_F(AggregateRules, BadQueriesAreRefusedNamingTheField) {
  auto field_of = [&](const StatsQuery& q) {
    auto r = analytics::run_stats(index_, q);
    return r.ok() ? std::string("ok") : r.error().field;
  };
  StatsQuery q = period(at(2025, 1, 1), at(2025, 2, 1));
  EXPECT_EQ(field_of(q), "ok");
  StatsQuery no_from = q;
  no_from.filter.from = std::numeric_limits<Timestamp>::min();
  EXPECT_EQ(field_of(no_from), "from");
  StatsQuery reversed = period(at(2025, 2, 1), at(2025, 1, 1));
  EXPECT_EQ(field_of(reversed), "to");
  StatsQuery bad_class = q;
  bad_class.filter.class_codes = {"felony"};
  EXPECT_EQ(field_of(bad_class), "class");
  StatsQuery bad_type = q;
  bad_type.filter.type_codes = {"theft_other"};
  EXPECT_EQ(field_of(bad_type), "type");
  StatsQuery lonely = q;
  lonely.then_by = StatsGroup::kType;
  EXPECT_EQ(field_of(lonely), "then_by");
  StatsQuery same = q;
  same.group_by = same.then_by = StatsGroup::kUnit;
  EXPECT_EQ(field_of(same), "then_by");
  StatsQuery huge = period(at(2000, 1, 1), at(2025, 1, 1));
  huge.bucket = StatsBucket::kHour;
  huge.group_by = StatsGroup::kType;
  EXPECT_EQ(field_of(huge), "bucket");
}

TEST_F(AggregateRules, NamesParseBackToTheirValues) {
  for (auto g : {StatsGroup::kNone, StatsGroup::kClass, StatsGroup::kType, StatsGroup::kUnit, StatsGroup::kStatus})
    EXPECT_EQ(analytics::parse_stats_group(analytics::stats_group_name(g)).value(), g);
  for (auto b : {StatsBucket::kNone, StatsBucket::kHour, StatsBucket::kDay, StatsBucket::kWeek, StatsBucket::kMonth,
                 StatsBucket::kHourOfDay, StatsBucket::kWeekday})
    EXPECT_EQ(analytics::parse_stats_bucket(analytics::stats_bucket_name(b)).value(), b);
  for (auto c : {StatsCompare::kNone, StatsCompare::kYearOnYear, StatsCompare::kPrevious})
    EXPECT_EQ(analytics::parse_stats_compare(analytics::stats_compare_name(c)).value(), c);
  auto bad = analytics::parse_stats_bucket("fortnight");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "bucket");
  EXPECT_NE(bad.error().message.find("hour_of_day"), std::string::npos);
}

}  // namespace
}  // namespace pingan::testing
