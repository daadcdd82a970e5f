// The engine's door for ledger work items (issue 21, engine/ledger_records.h),
// on SQLite and, in the `pg.` run, on PostgreSQL: the hazard loop to 销号
// only after 验收 by another officer than the one who rectified, a step the
// definition does not allow named with the allowed ones, an inspection's
// finding opening a hazard in the same call, a type that only the test's own
// data folder defines, the caller's unit scope, and the dispute ledger's
// 化解率 counted over the stored items.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/ledger_rates.h"
#include "core/taxonomy.h"
#include "engine/engine.h"
#include "test_store.h"
#include "test_support.h"

namespace pingan::testing {
namespace {

namespace fs = std::filesystem;

constexpr Timestamp kT0 = 1'717'200'000;  // 2024-06-01T00:00:00Z
constexpr Timestamp kDay = 86'400;

std::unique_ptr<Engine> open_engine(const TempDir& dir, const std::string& data_dir = "") {
  auto opened =
      Engine::open(EngineConfig{test_store_location(dir, "ledgers.db"), data_dir, "Asia/Shanghai"});
  EXPECT_TRUE(opened.ok()) << opened.error().describe();
  if (!opened.ok()) return nullptr;
  std::unique_ptr<Engine> engine = std::move(opened).value();
  EXPECT_TRUE(engine
                  ->upsert_units({test_unit("JN", "", UnitKind::kBureau),
                                  test_unit("JN-S1", "JN", UnitKind::kStation),
                                  test_unit("JN-S1-C1", "JN-S1", UnitKind::kCommunity),
                                  test_unit("JN-S2", "JN", UnitKind::kStation)})
                  .ok());
  return engine;
}

NewLedgerItem by(const std::string& unit, const std::string& actor, LedgerGrants grants,
                 Timestamp at, LedgerFields fields) {
  NewLedgerItem r;
  r.unit_code = unit;
  r.actor = actor;
  r.actor_grants = std::move(grants);
  r.at = at;
  r.fields = std::move(fields);
  return r;
}

StepRequest step(const std::string& code, const std::string& actor, LedgerGrants grants,
                 Timestamp at, LedgerFields fields = {}) {
  StepRequest r;
  r.step = code;
  r.actor = actor;
  r.actor_grants = std::move(grants);
  r.at = at;
  r.fields = std::move(fields);
  return r;
}

LedgerFields a_hazard() {
  return {{"kind", std::string("fire")},
          {"level", std::string("major")},
          {"description", std::string("安全出口被杂物堵塞")},
          {"responsible_person", std::string("赵老板")}};
}

LedgerFields a_dispute() {
  return {{"kind", std::string("labour")}, {"summary", std::string("工地拖欠工资")}};
}

class LedgerEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = open_engine(dir_);
    ASSERT_TRUE(engine_);
  }
  LedgerRecords& ledgers() { return engine_->ledgers(); }

  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(LedgerEngineTest, AHazardIsClosedOnlyAfterVerificationByAnotherOfficer) {
  const UnitScope s1 = UnitScope::subtree("JN-S1");
  auto found =
      ledgers().create("hazard", by("JN-S1", "民警 周七", {"station"}, kT0, a_hazard()), s1);
  ASSERT_TRUE(found.ok()) << found.error().describe();
  EXPECT_EQ(found->state, "found");
  const std::int64_t id = found->id;

  StepRequest order = step("order_rectify", "所长 王强", {"leader"}, kT0 + kDay,
                           {{"rectify_measures", std::string("三日内清理安全出口")}});
  order.unit_code = "JN-S1-C1";
  order.officer_id = "P1001";
  auto ordered = ledgers().step(id, order, s1);
  ASSERT_TRUE(ordered.ok()) << ordered.error().describe();
  EXPECT_EQ(ordered->item.state, "rectifying");
  EXPECT_EQ(ordered->item.unit_code, "JN-S1-C1");

  auto rectified = ledgers().step(id,
                                  step("rectify", "社区民警 刘洋", {"community"}, kT0 + 3 * kDay,
                                       {{"rectified_summary", std::string("杂物已清理")}}),
                                  s1);
  ASSERT_TRUE(rectified.ok()) << rectified.error().describe();

  // No 销号 without 验收: close is not allowed from rectified.
  auto early = ledgers().step(id, step("close", "所长 王强", {"leader"}, kT0 + 4 * kDay), s1);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, ErrorCode::kConflict);
  EXPECT_NE(early.error().message.find("verify (验收)"), std::string::npos)
      << early.error().message;
  EXPECT_NE(early.error().message.find("reject (退回整改)"), std::string::npos)
      << early.error().message;

  // The officer who rectified may not verify it: 409 naming both.
  auto self = ledgers().step(id,
                             step("verify", "社区民警 刘洋", {"station"}, kT0 + 4 * kDay,
                                  {{"verify_result", std::string("合格")}}),
                             s1);
  ASSERT_FALSE(self.ok());
  EXPECT_EQ(self.error().code, ErrorCode::kConflict);
  EXPECT_EQ(self.error().field, "actor");
  EXPECT_NE(self.error().message.find("社区民警 刘洋"), std::string::npos) << self.error().message;
  EXPECT_EQ(ledgers().get(id, s1)->state, "rectified");

  auto verified = ledgers().step(id,
                                 step("verify", "所长 王强", {"leader"}, kT0 + 4 * kDay,
                                      {{"verify_result", std::string("复查合格")}}),
                                 s1);
  ASSERT_TRUE(verified.ok()) << verified.error().describe();
  auto closed = ledgers().step(id, step("close", "所长 王强", {"leader"}, kT0 + 5 * kDay), s1);
  ASSERT_TRUE(closed.ok()) << closed.error().describe();

  auto got = ledgers().get(id, UnitScope::everything());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->state, "closed");
  std::vector<std::string> steps;
  for (const LedgerHistoryEntry& e : got->history) steps.push_back(e.step);
  EXPECT_EQ(steps,
            (std::vector<std::string>{"create", "order_rectify", "rectify", "verify", "close"}));
  EXPECT_EQ(ledger_value_text(got->fields.at("responsible_person")),
            "赵老板");  // opened, not sealed

  // The rectification ran from day 1 to day 3 of its 15: met.
  auto dues = ledgers().dues(id, s1, kT0 + 30 * kDay);
  ASSERT_TRUE(dues.ok()) << dues.error().describe();
  ASSERT_GE(dues->size(), 1u);
  EXPECT_EQ((*dues)[0].deadline->code, "rectify");
  EXPECT_EQ((*dues)[0].state, LedgerDueState::kMet);
  EXPECT_EQ((*dues)[0].stopped_at.value_or(0), kT0 + 3 * kDay);
}

TEST_F(LedgerEngineTest, AStepTheDefinitionDoesNotAllowIsAConflictNamingTheAllowedSteps) {
  auto made =
      ledgers().create("dispute", by("JN-S1", "社区民警 刘洋", {"community"}, kT0, a_dispute()),
                       UnitScope::everything());
  ASSERT_TRUE(made.ok()) << made.error().describe();
  auto refused = ledgers().step(made->id, step("mediate", "社区民警 刘洋", {"community"}, kT0 + 60),
                                UnitScope::everything());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_NE(refused.error().message.find("assign (指派)"), std::string::npos)
      << refused.error().message;
  EXPECT_NE(refused.error().message.find("escalate (移交)"), std::string::npos)
      << refused.error().message;
  EXPECT_EQ(ledgers().get(made->id, UnitScope::everything())->history.size(), 1u);
  // A type no file defines is not found, naming the known ones.
  auto unknown = ledgers().create("parking", by("JN-S1", "x", {"community"}, kT0, {}),
                                  UnitScope::everything());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_NE(unknown.error().message.find("hazard"), std::string::npos);
}

TEST_F(LedgerEngineTest, AnInspectionsFindingOpensAHazardInTheSameCall) {
  auto inspection = ledgers().create("inspection",
                                     by("JN-S1", "民警 周七", {"station"}, kT0,
                                        {{"place_ref", std::string("P-0001")},
                                         {"place_name", std::string("如家酒店")},
                                         {"place_kind", std::string("hotel")},
                                         {"inspection_kind", std::string("routine")},
                                         {"location", GeoPoint{36.65, 117.0}}}),
                                     UnitScope::everything());
  ASSERT_TRUE(inspection.ok()) << inspection.error().describe();
  auto stepped = ledgers().step(inspection->id,
                                step("open_hazard", "民警 周七", {"station"}, kT0 + 600,
                                     {{"hazard_kind", std::string("fire")},
                                      {"hazard_level", std::string("general")},
                                      {"hazard_description", std::string("灭火器过期")}}),
                                UnitScope::everything());
  ASSERT_TRUE(stepped.ok()) << stepped.error().describe();
  ASSERT_TRUE(stepped->opened.has_value());
  auto hazard = ledgers().get(stepped->opened->id, UnitScope::everything());
  ASSERT_TRUE(hazard.ok()) << hazard.error().describe();
  EXPECT_EQ(hazard->type_code, "hazard");
  EXPECT_EQ(hazard->state, "found");
  EXPECT_EQ(hazard->unit_code, "JN-S1");
  EXPECT_EQ(hazard->created_at, kT0 + 600);
  EXPECT_EQ(ledger_value_text(hazard->fields.at("kind")), "fire");
  EXPECT_EQ(ledger_value_text(hazard->fields.at("level")), "general");
  EXPECT_EQ(ledger_value_text(hazard->fields.at("description")), "灭火器过期");
  EXPECT_EQ(ledger_value_text(hazard->fields.at("place_name")), "如家酒店");
  EXPECT_EQ(ledger_value_text(hazard->fields.at("source")), "inspection");
  EXPECT_EQ(ledger_value_text(hazard->fields.at("source_item")), std::to_string(inspection->id));
  EXPECT_EQ(hazard->history[0].actor, "民警 周七");

  // The step may be taken once per hazard found.
  auto second = ledgers().step(inspection->id,
                               step("open_hazard", "辅警", {"community"}, kT0 + 900,
                                    {{"hazard_kind", std::string("fire")},
                                     {"hazard_level", std::string("general")},
                                     {"hazard_description", std::string("疏散指示灯损坏")}}),
                               UnitScope::everything());
  ASSERT_TRUE(second.ok()) << second.error().describe();
  ASSERT_TRUE(second->opened.has_value());
  EXPECT_NE(second->opened->id, stepped->opened->id);
  auto archived = ledgers().step(
      inspection->id,
      step("archive", "所长", {"leader"}, kT0 + 1200, {{"result", std::string("hazards_found")}}),
      UnitScope::everything());
  ASSERT_TRUE(archived.ok()) << archived.error().describe();
  LedgerFilter hazards;
  hazards.type_code = "hazard";
  EXPECT_EQ(ledgers().list(hazards)->items.size(), 2u);
}

TEST_F(LedgerEngineTest, AnotherUnitsScopeIsRefusedAndItsItemsAreNotFound) {
  const UnitScope s1 = UnitScope::subtree("JN-S1");
  auto outside =
      ledgers().create("dispute", by("JN-S2", "民警", {"station"}, kT0, a_dispute()), s1);
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(outside.error().message.find("JN-S2"), std::string::npos);
  auto unknown =
      ledgers().create("dispute", by("JN-S9", "民警", {"station"}, kT0, a_dispute()), s1);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(unknown.error().field, "unit_code");

  auto theirs = ledgers().create("dispute", by("JN-S2", "民警", {"station"}, kT0, a_dispute()),
                                 UnitScope::subtree("JN-S2"));
  ASSERT_TRUE(theirs.ok()) << theirs.error().describe();
  EXPECT_EQ(ledgers().get(theirs->id, s1).error().code, ErrorCode::kNotFound);
  StepRequest assign = step("assign", "所长", {"leader"}, kT0 + 60);
  assign.unit_code = "JN-S2";
  assign.officer_id = "P9";
  EXPECT_EQ(ledgers().step(theirs->id, assign, s1).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(ledgers().dues(theirs->id, s1, kT0).error().code, ErrorCode::kNotFound);
  // Assigning one's own item to another unit's subtree is refused as well.
  auto mine = ledgers().create("dispute", by("JN-S1", "民警", {"station"}, kT0, a_dispute()), s1);
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(ledgers().step(mine->id, assign, s1).error().code, ErrorCode::kPermissionDenied);
  LedgerFilter f;
  f.type_code = "dispute";
  f.scope = s1;
  EXPECT_EQ(ledgers().list(f)->items.size(), 1u);
}

TEST_F(LedgerEngineTest, ATypeOnlyTheDataFolderDefinesWorksEndToEnd) {
  TempDir data;
  fs::copy(shipped_data_dir(), data.path(), fs::copy_options::recursive);
  std::ofstream(data.file("ledgers/lost_property.json")) << R"({
  "code": "lost_property",
  "label": "拾遗物品",
  "version": 2,
  "who_may_create": ["community"],
  "fields": [
    {"code": "item", "label": "物品", "kind": "text", "required": true, "max_chars": 200},
    {"code": "owner", "label": "失主", "kind": "person", "personal": "name"}
  ],
  "states": [
    {"code": "held", "label": "保管中", "initial": true, "counts_as": ["received"]},
    {"code": "returned", "label": "已发还", "final": true, "counts_as": ["received", "returned"]}
  ],
  "steps": [
    {"code": "return", "label": "发还", "from": ["held"], "to": "returned", "who": ["community"], "fields": ["owner"]}
  ]
})";
  TempDir store_dir;
  std::unique_ptr<Engine> engine = open_engine(store_dir, data.path().string());
  ASSERT_TRUE(engine);
  auto made = engine->ledgers().create(
      "lost_property",
      by("JN-S1", "社区民警", {"community"}, kT0, {{"item", std::string("黑色钱包")}}),
      UnitScope::everything());
  ASSERT_TRUE(made.ok()) << made.error().describe();
  EXPECT_EQ(made->type_version, 2);
  auto returned = engine->ledgers().step(
      made->id,
      step("return", "社区民警", {"community"}, kT0 + kDay, {{"owner", std::string("钱多多")}}),
      UnitScope::everything());
  ASSERT_TRUE(returned.ok()) << returned.error().describe();
  auto got = engine->ledgers().get(made->id, UnitScope::everything());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->state, "returned");
  EXPECT_EQ(ledger_value_text(got->fields.at("owner")), "钱多多");
  // The shipped engine does not know the type.
  EXPECT_EQ(ledgers()
                .create("lost_property", by("JN-S1", "x", {"community"}, kT0, {}),
                        UnitScope::everything())
                .error()
                .code,
            ErrorCode::kNotFound);

  // A broken file stops the engine from opening, naming the file.
  std::ofstream(data.file("ledgers/broken.json")) << R"({"code": "broken", "label": "坏"})";
  TempDir other;
  auto refused = Engine::open(
      EngineConfig{test_store_location(other, "x.db"), data.path().string(), "Asia/Shanghai"});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("broken.json"), std::string::npos)
      << refused.error().describe();
}

TEST_F(LedgerEngineTest, TheDisputeLedgersResolutionRateIsCountedOverTheStoredItems) {
  // 383 disputes found, 369 of them resolved (化解), the others still open
  // or handed on (移交): 369 / 383 = 96.34 %.
  const UnitScope all = UnitScope::everything();
  int resolved = 0;
  for (int i = 0; i < 383; ++i) {
    const Timestamp at = kT0 + i * 60;
    auto made = ledgers().create(
        "dispute", by(i % 3 ? "JN-S1" : "JN-S2", "社区民警", {"community"}, at, a_dispute()), all);
    ASSERT_TRUE(made.ok()) << made.error().describe();
    StepRequest assign = step("assign", "所长", {"leader"}, at + 10);
    assign.unit_code = made->unit_code;
    assign.officer_id = fmt::format("P{}", i % 7);
    if (i % 50 == 7) continue;  // 8 left found
    ASSERT_TRUE(ledgers().step(made->id, assign, all).ok());
    if (i % 60 == 11 && i < 360) {  // 6 handed on
      ASSERT_TRUE(ledgers()
                      .step(made->id,
                            step("escalate", "所长", {"leader"}, at + 20,
                                 {{"escalated_to", std::string("judicial_office")},
                                  {"escalation_reason", std::string("涉及土地确权")}}),
                            all)
                      .ok());
      continue;
    }
    ASSERT_TRUE(
        ledgers().step(made->id, step("mediate", "社区民警", {"community"}, at + 20), all).ok());
    auto done = ledgers().step(made->id,
                               step("resolve", "社区民警", {"community"}, at + 30,
                                    {{"resolution", std::string("agreement")},
                                     {"mediation_summary", std::string("双方签订调解协议")}}),
                               all);
    ASSERT_TRUE(done.ok()) << done.error().describe();
    ++resolved;
  }
  ASSERT_EQ(resolved, 369);

  std::vector<LedgerItem> items;
  ASSERT_TRUE(
      ledgers().scan("dispute", [&](const LedgerItem& item) { items.push_back(item); }).ok());
  ASSERT_EQ(items.size(), 383u);
  auto counts = count_ledger_items(*ledgers().type("dispute").value(), items);
  ASSERT_TRUE(counts.ok()) << counts.error().describe();
  EXPECT_EQ(counts->tag("found"), 383);
  EXPECT_EQ(counts->tag("resolved"), 369);
  EXPECT_EQ(counts->by_state.at("found"), 8);
  EXPECT_EQ(counts->by_state.at("escalated"), 6);
  auto rate = ledger_tag_rate(*counts, "resolved", "found");
  ASSERT_TRUE(rate.ok());
  EXPECT_EQ(rate->percent, "96.34");
}

}  // namespace
}  // namespace pingan::testing
