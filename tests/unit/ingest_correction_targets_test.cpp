// Corrections matched in memory (ingest/correction_targets.h) and the store
// calls behind them: the earliest live record of a (case number, code) in id
// order, each record taken once, and a void that checks the record again.

#include <gtest/gtest.h>

#include "ingest/correction_targets.h"
#include "store/sqlite/sqlite_store.h"
#include "test_support.h"

namespace pingan {
namespace {

using ingest::CorrectionTargets;

Incident row(int n, std::string case_number, std::string code, bool voided = false) {
  Incident inc;
  inc.source = "stl";
  inc.source_id = std::to_string(n);
  inc.case_number = std::move(case_number);
  inc.original_code = std::move(code);
  inc.type_code = "theft";
  inc.class_code = "criminal";
  inc.status = IncidentStatus::kClosed;
  inc.reported_at = 1'600'000'000 + n;
  inc.voided = voided;
  if (voided) inc.void_reason = "unfounded";
  return inc;
}

TEST(CorrectionTargetsTest, EachWantTakesTheEarliestRecordNotTakenBefore) {
  CorrectionTargets t;
  t.add(3, "15-1", "31111");
  t.add(5, "15-2", "31111");
  t.add(8, "15-1", "31111");
  t.add(9, "15-1", "63000");  // same case, other code
  t.add(12, "", "31111");     // no case number: never a target
  std::vector<CorrectionTargets::Want> wants{
      {"15-1", "31111"}, {"15-1", "31111"}, {"15-1", "31111"}, {"15-1", "63000"}, {"", "31111"}, {"15-9", "1"}};
  EXPECT_EQ(t.take_earliest(wants), (std::vector<IncidentId>{3, 8, 0, 9, 0, 0}));
  // Taken records stay taken; the untouched key is still there.
  std::vector<CorrectionTargets::Want> again{{"15-1", "31111"}, {"15-2", "31111"}};
  EXPECT_EQ(t.take_earliest(again), (std::vector<IncidentId>{0, 5}));
}

TEST(CorrectionTargetsTest, LoadsLiveRecordsWithACaseNumberInIdOrderAndTheStoreChecksBeforeVoiding) {
  auto store = Engine::open(EngineConfig{":memory:", "", "Asia/Shanghai"});
  ASSERT_TRUE(store.ok()) << store.error().describe();
  std::vector<Incident> rows{row(1, "15-1", "31111"), row(2, "15-1", "31111", /*voided=*/true),
                             row(3, "", "31111"), row(4, "15-1", "31111"), row(5, "15-2", "63000")};
  auto inserted = (*store)->insert_batch(rows);
  ASSERT_TRUE(inserted.ok());
  ASSERT_EQ(inserted->inserted_ids.size(), 5u);
  const auto& id = inserted->inserted_ids;

  auto records = (*store)->live_case_records("stl");
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 3u);  // not the unfounded one, not the one without a case number
  EXPECT_EQ((*records)[0].id, id[0]);
  EXPECT_EQ((*records)[1].id, id[3]);
  EXPECT_EQ((*records)[2].case_number, "15-2");
  EXPECT_TRUE((*store)->live_case_records("other")->empty());

  CorrectionTargets t;
  ASSERT_TRUE(t.load(**store, "stl").ok());
  std::vector<CorrectionTargets::Want> wants{{"15-1", "31111"}};
  EXPECT_EQ(t.take_earliest(wants), (std::vector<IncidentId>{id[0]}));

  // The store voids only a live record that still has the case number and code.
  std::vector<IncidentStore::VoidById> requests{{id[0], "15-1", "31111", "cancelled by row 7"},
                                        {id[1], "15-1", "31111", "already voided"},
                                        {id[4], "15-1", "31111", "another case number"},
                                        {id[0], "15-1", "31111", "twice"}};
  auto voided = (*store)->void_incidents(requests);
  ASSERT_TRUE(voided.ok()) << voided.error().describe();
  EXPECT_EQ(*voided, (std::vector<bool>{true, false, false, false}));
  auto first = (*store)->get_incident(id[0], UnitScope::everything());
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->voided);
  EXPECT_EQ(first->void_reason, "cancelled by row 7");
  EXPECT_EQ((*store)->get_incident(id[1], UnitScope::everything())->void_reason, "unfounded");
  EXPECT_FALSE((*store)->get_incident(id[4], UnitScope::everything())->voided);
  EXPECT_EQ((*store)->live_case_records("stl")->size(), 2u);
}

}  // namespace
}  // namespace pingan
