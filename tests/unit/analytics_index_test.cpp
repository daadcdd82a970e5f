// The incident index as the engine feeds it: built from the store, kept
// current by Engine events (bulk inserts with ids, transitions), unit tree
// changes, the cube's bounded window, and its memory per incident.

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "analytics/aggregate.h"
#include "analytics/incident_index.h"
#include "analytics_aggregate_fixture.h"
#include "analytics_index_fixture.h"
#include "engine/engine.h"
#include "ingest/demo_district.h"
#include "test_support.h"
#include "test_store.h"

namespace pingan::testing {
namespace {

using analytics::IncidentIndex;
using analytics::RowFilter;
using analytics::StatsBucket;
using analytics::StatsCompare;
using analytics::StatsGroup;
using analytics::StatsQuery;
using ingest::demo_units;
using ingest::DemoOptions;
using ingest::generate_demo_incidents;
using ingest::write_demo_district;

std::unique_ptr<Engine> open_engine(const TempDir& dir) {
  auto engine = Engine::open(EngineConfig{testing::test_store_location(dir, "index.db"), "", "Asia/Shanghai"});
  EXPECT_TRUE(engine.ok()) << engine.error().describe();
  return engine.ok() ? std::move(engine).value() : nullptr;
}

TEST(AnalyticsIndex, BulkInsertPublishesOnlyInsertedRowsWithTheirIds) {
  TempDir dir;
  auto engine = open_engine(dir);
  ASSERT_TRUE(engine);
  std::vector<IncidentChange> seen;
  engine->subscribe([&](const IncidentChange& c) { seen.push_back(c); });
  std::vector<Incident> batch;
  for (int i = 0; i < 3; ++i) {
    Incident inc;
    inc.source = "test";
    inc.source_id = std::to_string(i);
    inc.type_code = "theft";
    inc.reported_at = local_time(engine->time_zone(), 2025, 3, 1, 10 + i);
    ASSERT_TRUE(validate_new_incident(inc, engine->taxonomy(), now_utc()).ok());
    batch.push_back(inc);
  }
  auto first = engine->insert_batch(std::span(batch).subspan(1, 1));
  ASSERT_TRUE(first.ok()) << first.error().describe();
  ASSERT_EQ(seen.size(), 1u);
  const IncidentId id1 = seen[0].incident.id;
  EXPECT_GT(id1, 0);
  auto got = engine->get_incident(id1, UnitScope::everything());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->source_id, "1");

  seen.clear();
  auto second = engine->insert_batch(batch);  // row 1 is a duplicate now
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->inserted, 2);
  ASSERT_EQ(second->inserted_ids.size(), 2u);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].incident.source_id, "0");
  EXPECT_EQ(seen[1].incident.source_id, "2");
  for (const auto& change : seen) {
    auto stored = engine->get_incident(change.incident.id, UnitScope::everything());
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(stored->source_id, change.incident.source_id);
    EXPECT_FALSE(change.event.has_value());
  }
}

TEST(AnalyticsIndex, LiveIndexEqualsOneBuiltFromTheStoreAndTheStoreCounts) {
  TempDir dir;
  auto engine = open_engine(dir);
  ASSERT_TRUE(engine);
  auto live = analytics::attach_index(*engine);
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ((*live)->size(), 0);

  auto written = write_demo_district(*engine, small_demo(), nullptr);
  ASSERT_TRUE(written.ok()) << written.error().describe();
  ASSERT_GT(written->incidents, 4000);
  EXPECT_EQ((*live)->size(), written->incidents);
  // Moving some incidents on changes the status counts at once.
  for (IncidentId id = 1; id <= 40; ++id) {
    auto current = engine->get_incident(id, UnitScope::everything());
    ASSERT_TRUE(current.ok());
    auto next = allowed_next(current->status);
    if (next.empty()) continue;
    TransitionRequest req;
    req.to = next.front();
    req.actor = "test";
    if (req.to == IncidentStatus::kFollowUp) {
      req.assignee = "张三";
      req.deadline = now_utc() + 86400;
    }
    ASSERT_TRUE(engine->transition(id, UnitScope::everything(), req).ok());
  }
  // A rerun inserts nothing and must not count anything twice.
  auto again = write_demo_district(*engine, small_demo(), nullptr);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->incidents, 0);
  EXPECT_EQ((*live)->size(), written->incidents);

  IncidentIndex rebuilt(engine->taxonomy(), engine->units(), engine->time_zone());
  std::int64_t last_progress = 0;
  ASSERT_TRUE(rebuilt.build_from(*engine, [&](std::int64_t n) { last_progress = n; }).ok());
  EXPECT_EQ(last_progress, written->incidents);
  EXPECT_EQ(rebuilt.size(), (*live)->size());
  const std::string expected = answers(rebuilt, engine->time_zone());
  EXPECT_FALSE(expected.empty());
  EXPECT_EQ(answers(**live, engine->time_zone()), expected);

  // And both agree with the store's own SQL counts, station by station.
  for (const std::string station : {"PA-S01", "PA-S04", "PA-S08"})
    for (IncidentStatus status : {IncidentStatus::kClosed, IncidentStatus::kReceived}) {
      IncidentFilter f;
      f.scope = UnitScope::subtree(station);
      f.statuses = {status};
      f.from = local_time(engine->time_zone(), 2025, 1, 10);
      f.until = local_time(engine->time_zone(), 2025, 2, 3, 12);
      f.limit = 1;
      auto page = engine->list_incidents(f);
      ASSERT_TRUE(page.ok());
      RowFilter rf;
      rf.scope = f.scope;
      rf.statuses = f.statuses;
      rf.from = *f.from;
      rf.until = *f.until;
      EXPECT_EQ((*live)->count(rf), page->total) << station << " " << status_name(status);
      EXPECT_EQ(rebuilt.count(rf), page->total);
    }
}

TEST(AnalyticsIndex, TransitionsShowInTheCountsImmediately) {
  TempDir dir;
  auto engine = open_engine(dir);
  ASSERT_TRUE(engine);
  auto index = analytics::attach_index(*engine);
  ASSERT_TRUE(index.ok());
  Incident inc;
  inc.type_code = "simple_assault";
  inc.reported_at = now_utc() - 3600;
  inc.location = GeoPoint{36.65, 117.12};
  auto created = engine->create_incident(inc, "test");
  ASSERT_TRUE(created.ok()) << created.error().describe();

  auto count_in = [&](IncidentStatus s) {
    RowFilter f;
    f.statuses = {s};
    return (*index)->count(f);
  };
  EXPECT_EQ(count_in(IncidentStatus::kReceived), 1);
  TransitionRequest req;
  req.to = IncidentStatus::kDispatched;
  ASSERT_TRUE(engine->transition(created->id, UnitScope::everything(), req).ok());
  EXPECT_EQ(count_in(IncidentStatus::kReceived), 0);
  EXPECT_EQ(count_in(IncidentStatus::kDispatched), 1);
  EXPECT_EQ((*index)->size(), 1);
}

TEST(AnalyticsIndex, VoidedIncidentsLeaveTheCountsAndMayComeBack) {
  Taxonomy taxonomy = Taxonomy::load_default().value();
  TimeZone zone = TimeZone::locate("Asia/Shanghai").value();
  IncidentIndex index(taxonomy, aggregate_test_units(), zone);
  RandomIncidents gen(3, taxonomy, zone);
  std::vector<Incident> incidents = gen.make(200);
  for (Incident& inc : incidents) inc.voided = false;
  index.upsert_all(incidents);
  const RowFilter all;
  EXPECT_EQ(index.count(all), 200);
  StatsQuery q;
  q.filter.from = local_time(zone, 2020, 1, 1);
  q.filter.until = local_time(zone, 2026, 1, 1);
  const std::int64_t before = analytics::run_stats(index, q)->total;

  Incident gone = incidents[17];
  gone.voided = true;
  index.upsert(gone);
  EXPECT_EQ(index.count(all), 199);
  const bool in_period = gone.reported_at >= q.filter.from && gone.reported_at < q.filter.until;
  EXPECT_EQ(analytics::run_stats(index, q)->total, before - (in_period ? 1 : 0));
  index.upsert(gone);  // the same event twice changes nothing
  EXPECT_EQ(index.count(all), 199);
  index.compact();     // the dead row is dropped
  EXPECT_EQ(index.shape().dead_rows, 0);
  gone.voided = false;
  index.upsert(gone);
  EXPECT_EQ(index.count(all), 200);
  EXPECT_EQ(analytics::run_stats(index, q)->total, before);
}

TEST(AnalyticsIndex, UnitTreeChangesRegroupTheRows) {
  Taxonomy taxonomy = Taxonomy::load_default().value();
  TimeZone zone = TimeZone::locate("Asia/Shanghai").value();
  auto tree = aggregate_test_units();
  IncidentIndex index(taxonomy, tree, zone);
  Incident a;
  a.id = 1;
  a.type_code = "simple_assault";
  a.class_code = "public_order";
  a.unit_code = "C11";
  a.reported_at = local_time(zone, 2025, 5, 1, 12);
  Incident b = a;
  b.id = 2;
  b.unit_code = "NEW";  // not a unit yet
  index.upsert_all({a, b});
  RowFilter s1;
  s1.scope = UnitScope::subtree("S1");
  EXPECT_EQ(index.count(s1), 1);
  EXPECT_EQ(index.count(RowFilter{}), 2);  // the unrestricted scope sees records outside the tree

  // NEW becomes a community of S1, and C11 moves to S2.
  std::vector<Unit> units = tree->units();
  for (Unit& u : units)
    if (u.code == "C11") u.parent_code = "S2";
  Unit fresh;
  fresh.code = "NEW";
  fresh.name = "新社区";
  fresh.kind = UnitKind::kCommunity;
  fresh.parent_code = "S1";
  units.push_back(fresh);
  index.set_units(std::make_shared<const UnitTree>(UnitTree::build(units).value()));
  EXPECT_EQ(index.count(s1), 1);
  RowFilter s2;
  s2.scope = UnitScope::subtree("S2");
  EXPECT_EQ(index.count(s2), 1);
  RowFilter only_new;
  only_new.scope = UnitScope::subtree("NEW");
  EXPECT_EQ(index.count(only_new), 1);
  StatsQuery q;
  q.filter.scope = UnitScope::subtree("S1");
  q.filter.from = local_time(zone, 2025, 5, 1);
  q.filter.until = local_time(zone, 2025, 5, 2);
  q.group_by = StatsGroup::kUnit;
  auto r = analytics::run_stats(index, q);
  ASSERT_TRUE(r.ok());
  std::map<std::string, std::int64_t> by_unit;
  for (const auto& c : r->cells) by_unit[r->groups[static_cast<std::size_t>(c.group)].code] = c.count;
  EXPECT_EQ(by_unit, (std::map<std::string, std::int64_t>{{"C12", 0}, {"NEW", 1}}));
}

TEST(AnalyticsIndex, TheCubeCoversTheBulkOfTheDataNotACentury) {
  Taxonomy taxonomy = Taxonomy::load_default().value();
  TimeZone zone = TimeZone::locate("America/Chicago").value();
  IncidentIndex index(taxonomy, aggregate_test_units(), zone);
  std::vector<Incident> rows;
  for (int i = 0; i < 5000; ++i) {
    Incident inc;
    inc.id = i + 1;
    // Two types in two units: four pairs with a record most days (dense slots).
    inc.type_code = taxonomy.types()[static_cast<std::size_t>(i / 2) % 2].code;
    inc.class_code = taxonomy.types()[static_cast<std::size_t>(i / 2) % 2].class_code;
    inc.unit_code = i % 2 ? "C11" : "C32";
    // St. Louis style: a few placeholder dates a century back, the rest recent.
    inc.reported_at = i % 500 == 0 ? local_time(zone, 1901, 1, 1, 1)
                                   : local_time(zone, 2016, 1, 1) + static_cast<Timestamp>(i) * 20'000;
    rows.push_back(inc);
  }
  index.upsert_all(rows);
  auto shape = index.shape();
  ASSERT_FALSE(shape.cube_first_day.empty());
  EXPECT_GE(shape.cube_first_day, "2015-12-01");
  EXPECT_LE(shape.cube_last_day, "2019-06-01");  // the data ends in March 2019
  EXPECT_EQ(shape.cube_dense_slots, 4);
  EXPECT_LT(shape.cube_bytes, std::size_t{1} << 20);
  // A period of the placeholders is answered by a scan, and right.
  StatsQuery old;
  old.filter.from = local_time(zone, 1900, 12, 1);
  old.filter.until = local_time(zone, 1901, 2, 1);
  old.compare = StatsCompare::kYearOnYear;
  auto r = analytics::run_stats(index, old);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->from_cube);
  EXPECT_EQ(r->total, 10);
  // A recent whole-day period comes from the cube.
  StatsQuery recent;
  recent.filter.from = local_time(zone, 2016, 6, 1);
  recent.filter.until = local_time(zone, 2016, 9, 1);
  recent.group_by = StatsGroup::kClass;
  recent.compare = StatsCompare::kPrevious;
  auto fast = analytics::run_stats(index, recent);
  ASSERT_TRUE(fast.ok());
  EXPECT_TRUE(fast->from_cube);
  std::int64_t expected = 0;
  for (const Incident& inc : rows) expected += inc.reported_at >= recent.filter.from && inc.reported_at < recent.filter.until;
  EXPECT_EQ(fast->total, expected);
}

TEST(AnalyticsIndex, ColumnsTakeUnder32BytesPerIncident) {
  Taxonomy taxonomy = Taxonomy::load_default().value();
  TimeZone zone = TimeZone::locate("Asia/Shanghai").value();
  DemoOptions options = small_demo();
  options.incidents_per_day = 2000;
  IncidentIndex index(taxonomy, std::make_shared<const UnitTree>(UnitTree::build(demo_units(options)).value()), zone);
  std::vector<Incident> batch;
  IncidentId next_id = 1;
  generate_demo_incidents(options, taxonomy, [&](Incident&& inc) {
    inc.id = next_id++;
    batch.push_back(std::move(inc));
    if (batch.size() == 20'000) {
      index.upsert_all(batch);
      batch.clear();
    }
  });
  index.upsert_all(batch);
  index.compact();
  auto shape = index.shape();
  ASSERT_GT(shape.rows, 80'000);
  const double column_bytes = static_cast<double>(shape.memory_bytes - shape.cube_bytes) / static_cast<double>(shape.rows);
  EXPECT_LT(column_bytes, 32.0) << "bytes per incident without the cube";
  EXPECT_GT(shape.cube_slots, 100);
  // Sparse slots cost 4 bytes a record, dense ones stay within the budget.
  EXPECT_LT(static_cast<double>(shape.cube_bytes) / static_cast<double>(shape.rows), 16.0);
}

}  // namespace
}  // namespace pingan::testing
