// Property tests of the aggregations: random incidents (edges of months and
// years, 29 February, local midnight, 1916 and 2091 outliers, voided ones),
// random queries (scope, filters, periods, every grouping, bucket and
// comparison), each answer checked against a brute-force count over the raw
// records. Fixed seeds, so a failure repeats.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>

#include "analytics_aggregate_fixture.h"

namespace pingan::testing {
namespace {

using analytics::IncidentIndex;
using analytics::StatsBucket;
using analytics::StatsCompare;
using analytics::StatsGroup;
using analytics::StatsQuery;
using analytics::StatsResult;

constexpr int kIncidents = 4000;
constexpr int kBusy = 3000;  // records of two pairs busy enough for dense cube slots
constexpr int kQueries = 300;

struct World {
  Taxonomy taxonomy = Taxonomy::load_default().value();
  std::shared_ptr<const UnitTree> tree = aggregate_test_units();
};

StatsQuery random_query(RandomIncidents& g, const TimeZone& zone, const Taxonomy& tax) {
  StatsQuery q;
  switch (g.uniform(0, 10)) {
    case 0: case 1: case 2: break;  // everything
    case 3: q.filter.scope = UnitScope::subtree("B"); break;
    case 4: q.filter.scope = UnitScope::subtree("S1"); break;
    case 5: q.filter.scope = UnitScope::subtree("S3"); break;
    case 6: q.filter.scope = UnitScope::subtree("C11"); break;
    case 7: q.filter.scope = UnitScope::subtree("T1"); break;
    case 8: q.filter.scope = UnitScope{false, {"S1", "C21"}}; break;
    case 9: q.filter.scope = UnitScope{false, {"C11", "S1"}}; break;  // nested roots
    default: q.filter.scope = g.chance(0.5) ? UnitScope::subtree("ZZ-OLD") : UnitScope{false, {}}; break;
  }
  if (g.chance(0.25))
    for (int i = g.uniform(1, 2); i > 0; --i) q.filter.class_codes.push_back(g.pick(tax.classes()).code);
  if (g.chance(0.15))
    for (int i = g.uniform(1, 3); i > 0; --i) q.filter.type_codes.push_back(g.pick(tax.types()).code);
  if (g.chance(0.2))
    for (int i = g.uniform(1, 3); i > 0; --i) q.filter.statuses.push_back(kAllStatuses[g.uniform(0, 7)]);
  q.group_by = static_cast<StatsGroup>(g.uniform(0, 4));
  if (q.group_by != StatsGroup::kNone && g.chance(0.3))
    do q.then_by = static_cast<StatsGroup>(g.uniform(1, 4));
    while (q.then_by == q.group_by);
  q.bucket = static_cast<StatsBucket>(g.uniform(0, 6));
  q.compare = static_cast<StatsCompare>(g.uniform(0, 2));

  if (g.chance(0.7)) {  // whole local days, often across a month, year or 29 February
    static const int kStarts[][3] = {{2024, 2, 1},  {2024, 2, 29}, {2024, 2, 28}, {2024, 12, 1}, {2023, 12, 25},
                                     {2024, 3, 1},  {2025, 1, 1},  {2024, 6, 1},  {2025, 2, 28}, {2024, 1, 31}};
    int y, m, d;
    if (g.chance(0.4)) {
      const auto& s = kStarts[g.uniform(0, 9)];
      y = s[0], m = s[1], d = s[2];
    } else {
      y = g.uniform(2023, 2025), m = g.uniform(1, 12), d = g.uniform(1, days_in_month(y, m));
    }
    static const int kLengths[] = {1, 7, 14, 28, 29, 30, 31, 59, 90, 92, 120, 365, 366};
    int days = g.chance(0.6) ? kLengths[g.uniform(0, 12)] : g.uniform(1, 400);
    if (q.bucket == StatsBucket::kHour) days = std::min(days, 10);
    q.filter.from = local_time(zone, y, m, d);
    CivilTime end = utc_to_civil((days_from_civil(y, m, d) + days) * 86400);
    q.filter.until = local_time(zone, end.year, end.month, end.day);
  } else {  // any instants
    q.filter.from = g.random_time();
    if (q.filter.from < local_time(zone, 2000, 1, 1) || q.filter.from > local_time(zone, 2030, 1, 1))
      q.filter.from = local_time(zone, 2024, 2, 27, 13, 17, 29);
    const int max_seconds = q.bucket == StatsBucket::kHour ? 10 * 86400 : 200 * 86400;
    q.filter.until = q.filter.from + g.uniform(1, max_seconds);
  }
  return q;
}

std::string describe(const StatsQuery& q) {
  return fmt::format("scope={}{} classes={} types={} statuses={} from={} until={} group={}/{} bucket={} compare={}",
                     q.filter.scope.all ? "*" : "", fmt::join(q.filter.scope.root_codes, "+"),
                     fmt::join(q.filter.class_codes, "+"), fmt::join(q.filter.type_codes, "+"),
                     q.filter.statuses.size(), format_utc(q.filter.from), format_utc(q.filter.until),
                     analytics::stats_group_name(q.group_by), analytics::stats_group_name(q.then_by),
                     analytics::stats_bucket_name(q.bucket),
                     analytics::stats_compare_name(q.compare));
}

// The groups the answer must show, besides the optional ones (a root's own
// records, records outside the tree) that it shows when they hold records.
std::set<std::string> required_groups(const StatsQuery& q, StatsGroup by, const Taxonomy& tax,
                                      const UnitTree& tree, const BruteStats& brute,
                                      std::set<std::string>* optional) {
  std::set<std::string> out;
  auto type_passes = [&](const IncidentType& t) {
    const auto& c = q.filter.class_codes;
    const auto& ty = q.filter.type_codes;
    return (c.empty() || std::find(c.begin(), c.end(), t.class_code) != c.end()) &&
           (ty.empty() || std::find(ty.begin(), ty.end(), t.code) != ty.end());
  };
  switch (by) {
    case StatsGroup::kNone:
      out.insert("");
      break;
    case StatsGroup::kClass:
      for (const IncidentType& t : tax.types())
        if (type_passes(t)) out.insert(t.class_code);
      break;
    case StatsGroup::kType:
      for (const IncidentType& t : tax.types())
        if (type_passes(t)) out.insert(t.code);
      break;
    case StatsGroup::kStatus:
      for (IncidentStatus s : kAllStatuses)
        if (q.filter.statuses.empty() ||
            std::find(q.filter.statuses.begin(), q.filter.statuses.end(), s) != q.filter.statuses.end())
          out.insert(status_name(s));
      break;
    case StatsGroup::kUnit: {
      std::vector<std::string> roots;
      if (q.filter.scope.all) {
        roots = {"B"};
        optional->insert("");
      }
      for (const std::string& r : q.filter.scope.root_codes) {
        if (!tree.find(r)) continue;
        bool nested = false;  // inside another root of the scope
        for (const std::string& other : q.filter.scope.root_codes)
          if (other != r && brute.scope_root(UnitScope::subtree(other), r) == other) nested = true;
        if (!nested) roots.push_back(r);
      }
      for (const std::string& r : roots) {
        std::vector<std::string> children = brute.children(r);
        if (children.empty()) {
          out.insert(r);
        } else {
          out.insert(children.begin(), children.end());
          optional->insert(r);
        }
      }
      break;
    }
  }
  return out;
}

void check_buckets(const StatsQuery& q, const StatsResult& r, const BruteStats& brute) {
  if (q.bucket == StatsBucket::kNone || q.bucket == StatsBucket::kHourOfDay || q.bucket == StatsBucket::kWeekday) {
    const std::size_t bins = q.bucket == StatsBucket::kNone ? 1 : q.bucket == StatsBucket::kHourOfDay ? 24 : 7;
    ASSERT_EQ(r.buckets.size(), bins);
    for (std::size_t b = 0; b < bins; ++b) {
      EXPECT_EQ(r.buckets[b].start, q.filter.from);
      EXPECT_EQ(r.buckets[b].end, q.filter.until);
      if (q.bucket != StatsBucket::kNone) {
        EXPECT_EQ(r.buckets[b].bin, static_cast<int>(q.bucket == StatsBucket::kWeekday ? b + 1 : b));
      }
    }
    return;
  }
  // Calendar buckets partition the period exactly: contiguous, each inside
  // one local hour/day/week/month, each interior bound starting one.
  ASSERT_FALSE(r.buckets.empty());
  EXPECT_EQ(r.buckets.front().start, q.filter.from);
  EXPECT_EQ(r.buckets.back().end, q.filter.until);
  for (std::size_t b = 0; b < r.buckets.size(); ++b) {
    const auto& k = r.buckets[b];
    ASSERT_LT(k.start, k.end);
    if (b > 0) {
      ASSERT_EQ(k.start, r.buckets[b - 1].end);
      EXPECT_NE(brute.calendar_key(q.bucket, k.start), brute.calendar_key(q.bucket, k.start - 1))
          << "bucket " << b << " does not start a calendar " << analytics::stats_bucket_name(q.bucket);
    }
    EXPECT_EQ(brute.calendar_key(q.bucket, k.start), brute.calendar_key(q.bucket, k.end - 1)) << "bucket " << b;
    if (q.compare != StatsCompare::kNone) {
      ASSERT_TRUE(k.compare_start && k.compare_end);
      EXPECT_EQ(*k.compare_start, brute.image_start(q, k.start));
      EXPECT_EQ(*k.compare_end, brute.image_end(q, k.end));
    }
  }
}

// Returns whether the cube answered.
bool check_query(const IncidentIndex& index, const StatsQuery& q, const BruteStats& brute,
                 const Taxonomy& tax, const UnitTree& tree) {
  SCOPED_TRACE(describe(q));
  auto answer = analytics::run_stats(index, q);
  EXPECT_TRUE(answer.ok()) << answer.error().describe();
  if (!answer.ok()) return false;
  const StatsResult& r = *answer;
  EXPECT_EQ(r.from, q.filter.from);
  EXPECT_EQ(r.until, q.filter.until);
  if (q.compare != StatsCompare::kNone) {
    EXPECT_TRUE(r.compare_from && r.compare_until);
    if (!r.compare_from || !r.compare_until) return false;
    EXPECT_EQ(*r.compare_from, brute.image_start(q, q.filter.from));
    EXPECT_EQ(*r.compare_until, brute.image_end(q, q.filter.until));
  } else {
    EXPECT_FALSE(r.compare_from.has_value());
  }
  check_buckets(q, r, brute);
  if (::testing::Test::HasFatalFailure()) return false;

  const auto expected = brute.counts(q, r, false);
  const auto expected_base = q.compare != StatsCompare::kNone ? brute.counts(q, r, true)
                                                              : std::map<std::pair<int, std::string>, std::int64_t>{};
  // Groups and subgroups: the required ones, and the optional ones that hold records.
  for (int level = 0; level < 2; ++level) {
    std::set<std::string> optional;
    std::set<std::string> groups =
        required_groups(q, level == 0 ? q.group_by : q.then_by, tax, tree, brute, &optional);
    for (const auto* m : {&expected, &expected_base})
      for (const auto& [key, n] : *m) {
        const std::string& both = key.second;
        const std::string part = level == 0 ? both.substr(0, both.find('|')) : both.substr(both.find('|') + 1);
        if (n > 0 && optional.count(part)) groups.insert(part);
      }
    std::set<std::string> shown;
    for (const auto& g : level == 0 ? r.groups : r.subgroups)
      EXPECT_TRUE(shown.insert(g.code).second) << "group twice: " << g.code;
    EXPECT_EQ(shown, groups) << (level == 0 ? "groups" : "subgroups");
  }
  // Counts of each (bucket, subgroup) column, for the ranks.
  std::map<std::pair<int, int>, std::vector<std::int64_t>> columns;
  for (const auto& cell : r.cells) columns[{cell.bucket, cell.subgroup}].push_back(cell.count);
  for (auto& [key, column] : columns) std::sort(column.begin(), column.end());

  auto lookup = [](const std::map<std::pair<int, std::string>, std::int64_t>& m, int b, const std::string& code) {
    auto it = m.find({b, code});
    return it == m.end() ? std::int64_t{0} : it->second;
  };
  EXPECT_EQ(r.cells.size(), r.buckets.size() * r.groups.size() * r.subgroups.size());
  std::int64_t total = 0;
  for (const auto& [key, n] : expected) total += n;
  const std::int64_t base_total =
      q.compare != StatsCompare::kNone ? brute.total(q, *r.compare_from, *r.compare_until) : 0;
  EXPECT_EQ(r.total, total);
  for (const auto& cell : r.cells) {
    const std::string code = r.groups[static_cast<std::size_t>(cell.group)].code + "|" +
                             r.subgroups[static_cast<std::size_t>(cell.subgroup)].code;
    SCOPED_TRACE(fmt::format("bucket {} group '{}'", cell.bucket, code));
    EXPECT_EQ(cell.count, lookup(expected, cell.bucket, code));
    if (q.compare != StatsCompare::kNone) {
      const std::int64_t base = lookup(expected_base, cell.bucket, code);
      EXPECT_EQ(cell.base, base);
      EXPECT_EQ(cell.change, cell.count - base);
      if (base == 0) {
        EXPECT_FALSE(cell.change_pct.has_value());
      } else {
        EXPECT_TRUE(cell.change_pct.has_value());
        EXPECT_NEAR(cell.change_pct.value_or(0), 100.0 * static_cast<double>(cell.count - base) / static_cast<double>(base), 1e-9);
      }
    } else {
      EXPECT_FALSE(cell.base.has_value());
    }
    if (q.group_by == StatsGroup::kNone) {
      EXPECT_FALSE(cell.rank.has_value());
    } else {
      const auto& column = columns[{cell.bucket, cell.subgroup}];
      const auto higher = column.end() - std::upper_bound(column.begin(), column.end(), cell.count);
      EXPECT_EQ(cell.rank, static_cast<int>(higher) + 1);
    }
  }
  if (q.compare != StatsCompare::kNone) {
    EXPECT_EQ(r.compare_total, base_total);
    EXPECT_EQ(r.change, total - base_total);
  }
  return r.from_cube;
}

// The final state of each incident goes in through a history of upserts:
// first a random earlier status (voided ones live at first), then for some a
// different type (an edit that moves the record), then the final state.
void feed_with_history(IncidentIndex& index, const std::vector<Incident>& incidents, RandomIncidents& g,
                       const Taxonomy& tax) {
  std::vector<const Incident*> order;
  for (const Incident& inc : incidents) order.push_back(&inc);
  std::shuffle(order.begin(), order.end(), g.rng());
  for (std::size_t i = 0; i < order.size(); ++i) {
    Incident first = *order[i];
    first.voided = false;
    first.status = IncidentStatus::kReceived;
    if (g.chance(0.1)) first.type_code = g.pick(tax.types()).code;
    index.upsert(first);
    if (i == order.size() / 2) index.compact();  // half sorted runs, half tail
  }
  for (const Incident* inc : order) index.upsert(*inc);
}

class AggregateProperty : public ::testing::TestWithParam<const char*> {};

TEST_P(AggregateProperty, EveryAnswerEqualsTheBruteForceCount) {
  World w;
  const TimeZone zone = TimeZone::locate(GetParam()).value();
  RandomIncidents gen(20240229, w.taxonomy, zone);
  const std::vector<Incident> incidents = gen.make(kIncidents, kBusy);
  BruteStats brute(incidents, *w.tree, zone);

  // Two indexes over the same final state: one filled in bulk and merged,
  // one grown by single upserts with a history of status changes and edits.
  IncidentIndex bulk(w.taxonomy, w.tree, zone);
  bulk.upsert_all(incidents);
  bulk.compact();
  IncidentIndex grown(w.taxonomy, w.tree, zone);
  feed_with_history(grown, incidents, gen, w.taxonomy);

  std::int64_t live = 0;
  for (const Incident& inc : incidents) live += !inc.voided;
  EXPECT_EQ(bulk.size(), live);
  EXPECT_EQ(grown.size(), live);
  EXPECT_GT(bulk.shape().cube_slots, 100);
  EXPECT_EQ(bulk.shape().cube_dense_slots, 2);  // both kinds of slot are tried

  int from_cube = 0, scanned = 0;
  for (int i = 0; i < kQueries; ++i) {
    StatsQuery q = random_query(gen, zone, w.taxonomy);
    SCOPED_TRACE(fmt::format("query #{}", i));
    bool cube = check_query(bulk, q, brute, w.taxonomy, *w.tree);
    check_query(grown, q, brute, w.taxonomy, *w.tree);
    (cube ? from_cube : scanned) += 1;
    if (::testing::Test::HasFailure()) break;  // one query's story is enough to read
  }
  // Both counting paths must have been tried on many queries.
  EXPECT_GT(from_cube, kQueries / 10);
  EXPECT_GT(scanned, kQueries / 10);
}

TEST_P(AggregateProperty, CountAndPointsEqualTheBruteForce) {
  World w;
  const TimeZone zone = TimeZone::locate(GetParam()).value();
  RandomIncidents gen(7, w.taxonomy, zone);
  const std::vector<Incident> incidents = gen.make(kIncidents);
  BruteStats brute(incidents, *w.tree, zone);
  IncidentIndex index(w.taxonomy, w.tree, zone);
  feed_with_history(index, incidents, gen, w.taxonomy);

  for (int i = 0; i < kQueries; ++i) {
    StatsQuery q = random_query(gen, zone, w.taxonomy);
    if (gen.chance(0.1)) q.filter.from = std::numeric_limits<Timestamp>::min();  // unbounded
    if (gen.chance(0.1)) q.filter.until = std::numeric_limits<Timestamp>::max();
    SCOPED_TRACE(describe(q));
    std::int64_t expected = 0;
    std::multiset<std::pair<std::int32_t, std::string>> expected_points;
    for (const Incident& inc : incidents) {
      if (!brute.passes(q.filter, inc) || inc.reported_at < q.filter.from || inc.reported_at >= q.filter.until)
        continue;
      ++expected;
      expected_points.emplace(static_cast<std::int32_t>(inc.reported_at >= 0 ? inc.reported_at / 60 : -((59 - inc.reported_at) / 60)),
                              inc.type_code + "@" + inc.unit_code + (inc.location ? "+xy" : ""));
    }
    EXPECT_EQ(index.count(q.filter), expected);
    std::multiset<std::pair<std::int32_t, std::string>> points;
    index.for_each_point(q.filter, [&](const analytics::PointRow& p) {
      const std::string unit = p.unit == analytics::kNoUnit ? "" : index.unit_at(p.unit).code;
      EXPECT_EQ(p.x == analytics::kNoPoint, p.y == analytics::kNoPoint);
      points.emplace(p.minute, index.type_at(p.type).code + "@" + unit + (p.x != analytics::kNoPoint ? "+xy" : ""));
    });
    EXPECT_EQ(points, expected_points);
    if (::testing::Test::HasFailure()) break;
  }
}

INSTANTIATE_TEST_SUITE_P(Zones, AggregateProperty, ::testing::Values("Asia/Shanghai", "America/Chicago"),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '/', '_');
                           return name;
                         });

}  // namespace
}  // namespace pingan::testing
