#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>

#include "engine/engine.h"
#include "store/sqlite/sqlite_migrations.h"
#include "store/store.h"
#include "test_support.h"
#include "test_store.h"

namespace pingan {
namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto e = Engine::open(EngineConfig{testing::test_store_location(dir_, "t.db"), "", "Asia/Shanghai"});
    ASSERT_TRUE(e.ok()) << e.error().describe();
    engine_ = std::move(e).value();
    ASSERT_TRUE(engine_->upsert_units({testing::test_unit("PA", "", UnitKind::kBureau),
                                       testing::test_unit("S1", "PA", UnitKind::kStation),
                                       testing::test_unit("S1-C1", "S1", UnitKind::kCommunity, 36.0, 117.0),
                                       testing::test_unit("S2", "PA", UnitKind::kStation, 37.0, 117.0)})
                    .ok());
  }
  Incident incident(std::string type, Timestamp t, std::optional<GeoPoint> where = std::nullopt) {
    Incident inc;
    inc.type_code = std::move(type);
    inc.reported_at = t;
    inc.location = where;
    inc.reporter_phone = "13800138000";
    inc.description = "群众报警称有人打架";
    return inc;
  }
  pingan::testing::TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(StoreTest, CreateFillsUnitFromDeepestContainingBoundaryAndRoundTrips) {
  auto created = engine_->create_incident(incident("theft", 1'700'000'000, GeoPoint{36.05, 117.05}), "tester");
  ASSERT_TRUE(created.ok()) << created.error().describe();
  EXPECT_EQ(created->unit_code, "S1-C1");
  EXPECT_EQ(created->class_code, "criminal");
  auto got = engine_->get_incident(created->id, UnitScope::everything());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->description, "群众报警称有人打架");
  EXPECT_EQ(got->reporter_phone, "13800138000");
  EXPECT_DOUBLE_EQ(got->location->lat, 36.05);
  EXPECT_EQ(got->status, IncidentStatus::kReceived);
}

TEST_F(StoreTest, ScopeHidesIncidentsOutsideTheSubtree) {
  auto a = engine_->create_incident(incident("theft", 1'700'000'000, GeoPoint{36.05, 117.05}), "t");
  auto b = engine_->create_incident(incident("theft", 1'700'000'100, GeoPoint{37.05, 117.05}), "t");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(engine_->get_incident(a->id, UnitScope::subtree("S1")).ok());
  EXPECT_EQ(engine_->get_incident(b->id, UnitScope::subtree("S1")).error().code, ErrorCode::kNotFound);
  IncidentFilter f;
  f.scope = UnitScope::subtree("PA");
  EXPECT_EQ(engine_->list_incidents(f)->total, 2);
  f.scope = UnitScope::subtree("S2");
  auto page = engine_->list_incidents(f);
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->items[0].id, b->id);
}

TEST_F(StoreTest, ListFiltersByClassTypeStatusTimeAndBox) {
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE(engine_->create_incident(incident(i % 2 ? "theft" : "family_dispute", 1'700'000'000 + i * 60,
                                                  GeoPoint{36.01 + i * 0.001, 117.01}), "t").ok());
  IncidentFilter f;
  f.class_codes = {"dispute"};
  EXPECT_EQ(engine_->list_incidents(f)->total, 5);
  f = {};
  f.type_codes = {"theft"};
  f.from = 1'700'000'000 + 3 * 60;
  f.until = 1'700'000'000 + 8 * 60;
  EXPECT_EQ(engine_->list_incidents(f)->total, 3);  // odd i in [3, 8): 3, 5, 7
  f = {};
  f.bbox = BoundingBox{36.0, 117.0, 36.0135, 117.02};  // i = 0..3
  EXPECT_EQ(engine_->list_incidents(f)->total, 4);
  f = {};
  f.limit = 3;
  f.offset = 9;
  auto page = engine_->list_incidents(f);
  EXPECT_EQ(page->total, 10);
  EXPECT_EQ(page->items.size(), 1u);
  f = {};
  f.type_codes = {"no_such_type"};
  EXPECT_EQ(engine_->list_incidents(f).error().field, "type");
}

TEST_F(StoreTest, TransitionsAppendEventsAndIllegalOnesChangeNothing) {
  Timestamp t0 = now_utc() - 3600;
  auto inc = engine_->create_incident(incident("robbery", t0), "接警员");
  ASSERT_TRUE(inc.ok());
  TransitionRequest r;
  r.to = IncidentStatus::kArrived;
  auto bad = engine_->transition(inc->id, UnitScope::everything(), r);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kConflict);
  r.to = IncidentStatus::kDispatched;
  r.at = t0 + 60;
  r.actor = "指挥员";
  ASSERT_TRUE(engine_->transition(inc->id, UnitScope::everything(), r).ok());
  r.to = IncidentStatus::kArrived;
  r.at = t0 + 300;
  auto arrived = engine_->transition(inc->id, UnitScope::everything(), r);
  ASSERT_TRUE(arrived.ok());
  EXPECT_EQ(*arrived->times.arrived_at, t0 + 300);
  auto events = engine_->events(inc->id, UnitScope::everything());
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[1].to, IncidentStatus::kDispatched);
  EXPECT_EQ((*events)[1].actor, "指挥员");
  EXPECT_EQ((*events)[2].from, IncidentStatus::kDispatched);
  EXPECT_EQ((*events)[2].at, t0 + 300);
  auto stored = engine_->get_incident(inc->id, UnitScope::everything());
  EXPECT_EQ(stored->status, IncidentStatus::kArrived);
}

TEST_F(StoreTest, BatchInsertSkipsDuplicatesBySourceId) {
  std::vector<Incident> batch;
  for (int i = 0; i < 5; ++i) {
    Incident inc = incident("theft", 1'700'000'000 + i);
    inc.source = "unit-test";
    inc.source_id = std::to_string(i);
    inc.class_code = "criminal";
    batch.push_back(inc);
  }
  auto first = engine_->insert_batch(batch);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->inserted, 5);
  batch.push_back(batch[0]);
  batch.back().source_id = "new";
  auto second = engine_->insert_batch(batch);
  EXPECT_EQ(second->inserted, 1);
  EXPECT_EQ(second->duplicates, 5);
  EXPECT_EQ(*engine_->count_incidents(), 6);
  Incident dup = batch[1];
  EXPECT_EQ(engine_->create_incident(dup, "t").error().code, ErrorCode::kAlreadyExists);
}

// The store inserts 16 rows per statement: a statement mixing new rows, rows
// present already and a key given twice must still say which rows were new
// and give each its own id.
TEST_F(StoreTest, BatchInsertTellsNewFromPresentRowsInsideOneStatement) {
  auto row = [&](const std::string& key) {
    Incident inc = incident("theft", 1'700'000'000);
    inc.source = "unit-test";
    inc.source_id = key;
    inc.class_code = "criminal";
    return inc;
  };
  std::vector<Incident> first;
  for (int i = 0; i < 40; i += 2) first.push_back(row(fmt::format("k{:02}", i)));
  ASSERT_EQ(engine_->insert_batch(first)->inserted, 20);

  std::vector<Incident> batch;
  for (int i = 0; i < 40; ++i) batch.push_back(row(fmt::format("k{:02}", i)));
  batch[3] = row("k01");  // k01 again inside the first statement's 16 rows
  for (int i = 0; i < 10; ++i) batch.push_back(row(fmt::format("fresh{}", i)));
  auto second = engine_->insert_batch(batch);
  ASSERT_TRUE(second.ok()) << second.error().describe();

  std::vector<size_t> expected_duplicates{3};
  for (size_t i = 0; i < 40; i += 2) expected_duplicates.push_back(i);
  std::sort(expected_duplicates.begin(), expected_duplicates.end());
  EXPECT_EQ(second->duplicate_rows, expected_duplicates);
  ASSERT_EQ(second->inserted, 50 - 21);
  ASSERT_EQ(second->inserted_ids.size(), size_t(29));
  size_t next = 0;
  for (size_t i = 0; i < batch.size(); ++i) {
    if (std::binary_search(expected_duplicates.begin(), expected_duplicates.end(), i)) continue;
    auto stored = engine_->get_incident(second->inserted_ids[next++], UnitScope::everything());
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(stored->source_id, batch[i].source_id) << "row " << i;
  }
  EXPECT_EQ(*engine_->count_incidents(), 49);
}

// Rows without reporter, later lifecycle steps or follow-up go in through a
// narrower statement than the others: both shapes, mixed in one batch and
// inside one 16-row statement's worth, must come back as they went in.
TEST_F(StoreTest, BatchInsertStoresBareAndFullRecordsAlike) {
  std::vector<Incident> batch;
  for (int i = 0; i < 40; ++i) {
    Incident inc = incident("theft", 1'700'000'000 + i, GeoPoint{36.05, 117.05});
    inc.source = "unit-test";
    inc.source_id = fmt::format("r{:02}", i);
    inc.class_code = "criminal";
    inc.description = fmt::format("记录 {}", i);
    inc.unit_code = i % 2 ? "S1" : "S2";
    inc.voided = i % 7 == 0;
    if (inc.voided) inc.void_reason = "cancelled";
    // Rows 0-15 mix both shapes, 16-31 are all bare (one 16-row statement),
    // 32-39 go in one by one.
    if ((i < 16 && i % 5 == 0) || i >= 35) {
      inc.status = IncidentStatus::kClosed;
      inc.times.closed_at = inc.reported_at + 600;
    } else {
      inc.reporter_phone.clear();
    }
    batch.push_back(inc);
  }
  auto r = engine_->insert_batch(batch);
  ASSERT_TRUE(r.ok()) << r.error().describe();
  ASSERT_EQ(r->inserted_ids.size(), batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    auto stored = engine_->get_incident(r->inserted_ids[i], UnitScope::everything());
    ASSERT_TRUE(stored.ok());
    const Incident& want = batch[i];
    EXPECT_EQ(stored->source_id, want.source_id);
    EXPECT_EQ(stored->reporter_phone, want.reporter_phone) << i;
    EXPECT_EQ(stored->description, want.description) << i;
    EXPECT_EQ(stored->voided, want.voided) << i;
    EXPECT_EQ(stored->void_reason, want.void_reason) << i;
    EXPECT_EQ(stored->times.closed_at, want.times.closed_at) << i;
    EXPECT_EQ(stored->status, want.status) << i;
    EXPECT_EQ(stored->reported_at, want.reported_at) << i;
    ASSERT_TRUE(stored->location.has_value());
    EXPECT_DOUBLE_EQ(stored->location->lat, 36.05);
    EXPECT_EQ(stored->unit_code, want.unit_code) << i;
  }
}

// A batch holds new records; only records that exist can be merged.
TEST_F(StoreTest, BatchInsertRefusesANewRecordAlreadyMerged) {
  Incident a = incident("theft", 1'700'000'000);
  a.source = "unit-test";
  a.source_id = "a";
  a.class_code = "criminal";
  Incident b = a;
  b.source_id = "b";
  b.merged_into = 1;
  auto r = engine_->insert_batch(std::vector<Incident>{a, b});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "merged_into");
  EXPECT_EQ(*engine_->count_incidents(), 0);
}

TEST_F(StoreTest, VoidByIdVoidsLiveRecordsThatStillCarryTheirCaseOnce) {
  std::vector<Incident> batch;
  for (int i = 0; i < 2; ++i) {
    Incident inc = incident("theft", 1'700'000'000 + i);
    inc.source = "stl";
    inc.source_id = std::to_string(i);
    inc.class_code = "criminal";
    inc.case_number = "16-000001";
    inc.original_code = "63000";
    batch.push_back(inc);
  }
  auto stored = engine_->insert_batch(batch);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->inserted_ids.size(), 2u);
  auto live = engine_->live_case_records("stl");
  ASSERT_TRUE(live.ok());
  ASSERT_EQ(live->size(), 2u);
  EXPECT_EQ((*live)[0].id, stored->inserted_ids[0]);
  const IncidentId first = stored->inserted_ids[0], second = stored->inserted_ids[1];
  // The second request names a code the record does not carry: refused.
  std::vector<IncidentStore::VoidById> requests{{first, "16-000001", "63000", "Count=-1"},
                                                {second, "16-000001", "99999", "Count=-1"}};
  EXPECT_EQ(*engine_->void_incidents(requests), (std::vector<bool>{true, false}));
  requests[1].original_code = "63000";
  EXPECT_EQ(*engine_->void_incidents(requests), (std::vector<bool>{false, true}));  // the first is void already
  EXPECT_TRUE(engine_->live_case_records("stl")->empty());
  IncidentFilter f;
  EXPECT_EQ(engine_->list_incidents(f)->total, 0);
  f.include_voided = true;
  EXPECT_EQ(engine_->list_incidents(f)->total, 2);
}

TEST_F(StoreTest, UnitsWithUnknownParentOrCycleAreRefusedAndNothingIsWritten) {
  auto st = engine_->upsert_units({testing::test_unit("X1", "NOPE", UnitKind::kStation)});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().field, "parent");
  st = engine_->upsert_units({testing::test_unit("A", "B", UnitKind::kStation), testing::test_unit("B", "A", UnitKind::kStation)});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(engine_->units()->units().size(), 4u);
}

TEST_F(StoreTest, DataSurvivesReopen) {
  auto inc = engine_->create_incident(incident("theft", 1'700'000'000), "t");
  ASSERT_TRUE(inc.ok());
  engine_.reset();
  auto e = Engine::open(EngineConfig{testing::test_store_location(dir_, "t.db"), "", "Asia/Shanghai"});
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE((*e)->get_incident(inc->id, UnitScope::everything()).ok());
  EXPECT_EQ((*e)->units()->units().size(), 4u);
  // Every migration is applied once; the store reports the highest (numbers
  // are reserved per helper and may land out of order).
  int newest = 0;
  for (const auto& m : sqlite::migrations()) newest = std::max(newest, m.version);
  EXPECT_EQ((*e)->schema_version(), newest);
}

}  // namespace
}  // namespace pingan
