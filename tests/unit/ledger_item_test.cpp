#include "core/ledger_item.h"

#include <gtest/gtest.h>

#include "ledger_test_support.h"

namespace pingan {
namespace {

using namespace pingan::testing;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(LedgerItem, CreationChecksRequiredFieldsAndWhoMayCreate) {
  const LedgerDefinition& d = shipped_ledger("dispute");
  NewLedgerItem n;
  n.unit_code = "S01";
  n.actor = "王芳";
  n.actor_grants = {"community"};
  n.at = kLedgerT0;
  n.fields = {{"kind", std::string("neighbour")}};
  auto missing = create_ledger_item(d, n);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().field, "fields.summary");
  EXPECT_TRUE(has(missing.error().message, "纠纷简要情况 (summary) is required")) << missing.error().message;

  n.fields["summary"] = std::string("楼上漏水引发邻里纠纷");
  n.actor_grants = {"leader", "stats.read"};
  auto denied = create_ledger_item(d, n);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  EXPECT_TRUE(has(denied.error().message, "community, station, command")) << denied.error().message;

  n.actor_grants = {"community"};
  n.unit_code = "";
  EXPECT_EQ(create_ledger_item(d, n).error().field, "unit_code");
  n.unit_code = "S01";
  auto item = create_ledger_item(d, n);
  ASSERT_TRUE(item.ok()) << item.error().describe();
  EXPECT_EQ(item->type_code, "dispute");
  EXPECT_EQ(item->type_version, 1);
  EXPECT_EQ(item->state, "found");
  EXPECT_EQ(item->created_at, kLedgerT0);
  ASSERT_EQ(item->history.size(), 1u);
  EXPECT_EQ(item->history[0].step, kLedgerCreateStep);
  EXPECT_EQ(item->history[0].from_state, "");
  EXPECT_EQ(item->history[0].to_state, "found");
  EXPECT_EQ(item->history[0].changes.size(), 2u);  // kind and summary set
}

TEST(LedgerItem, FieldValuesAreCheckedAgainstTheirDefinition) {
  const LedgerDefinition& d = shipped_ledger("dispute");
  struct Case {
    const char* field;
    LedgerValue value;
    const char* message;
  };
  const Case cases[] = {
      {"kind", std::string("quarrel"), "'quarrel' is not one of marriage_family (婚姻家庭), neighbour (邻里)"},
      {"kind", std::int64_t{3}, "a field of kind enum holds text, not a whole number"},
      {"parties", std::int64_t{-2}, "-2 is negative"},
      {"parties", std::int64_t{0}, "0 is below the least allowed, 1"},
      {"amount_fen", std::int64_t{-100}, "negative"},
      {"summary", std::string("   "), "is blank"},
      {"summary", std::string(2001, 'x'), "is 2001 characters; the limit is 2000"},
      {"summary", std::string("\xff\xfe"), "not valid UTF-8"},
      {"location", GeoPoint{95, 120}, "latitude"},
      {"party_name", GeoPoint{30, 120}, "a field of kind person holds text, not a point"},
  };
  for (const Case& c : cases) {
    LedgerFields fields = {{"kind", std::string("neighbour")}, {"summary", std::string("邻里纠纷")}};
    fields[c.field] = c.value;
    Status s = validate_new_item(d, fields);
    ASSERT_FALSE(s.ok()) << c.field << " " << c.message;
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(s.error().field, std::string("fields.") + c.field);
    EXPECT_TRUE(has(s.error().message, c.message)) << s.error().message;
  }
  Status unknown = validate_new_item(d, {{"kind", std::string("neighbour")}, {"summary", std::string("x")},
                                         {"colour", std::string("red")}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().field, "fields.colour");
  EXPECT_TRUE(has(unknown.error().message, "has no field 'colour'"));
  // Dates are real calendar days.
  const LedgerDefinition& hazard = shipped_ledger("hazard");
  const LedgerField& by = *hazard.field("rectify_by");
  EXPECT_TRUE(check_ledger_value(by, std::string("2024-02-29")).ok());
  EXPECT_FALSE(check_ledger_value(by, std::string("2023-02-29")).ok());
  EXPECT_FALSE(check_ledger_value(by, std::string("2024-6-1")).ok());
}

// 隐患: 发现 → 责令整改 → 整改 → 验收 → 销号, the verifier not the worker.
TEST(LedgerItem, HazardIsClosedOnlyAfterVerificationByAnotherOfficer) {
  const LedgerDefinition& d = shipped_ledger("hazard");
  LedgerItem item = hazard_rectifying(kLedgerT0, kLedgerT0 + kHour);
  EXPECT_EQ(item.state, "rectifying");
  EXPECT_EQ(item.unit_code, "S01");
  EXPECT_EQ(item.officer_id, "张伟");

  item = must_step(d, item, step_request("rectify", "张伟", "community", kLedgerT0 + 2 * kDay,
                                         {{"rectified_summary", std::string("杂物已清理，出口畅通")}}));
  EXPECT_EQ(item.state, "rectified");

  // 销号 straight from 已整改待验收: refused, naming the state and the allowed steps.
  auto early = apply_step(d, item, step_request("close", "李所长", "station", kLedgerT0 + 3 * kDay));
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, ErrorCode::kConflict);
  EXPECT_EQ(early.error().field, "step");
  EXPECT_TRUE(has(early.error().message, "已整改待验收 (rectified)")) << early.error().message;
  EXPECT_TRUE(has(early.error().message, "step close (销号) is not allowed")) << early.error().message;
  EXPECT_TRUE(has(early.error().message, "allowed steps: verify (验收), reject (退回整改)")) << early.error().message;

  // The officer who recorded the rectification cannot verify it.
  auto own = apply_step(d, item, step_request("verify", "张伟", "station", kLedgerT0 + 3 * kDay,
                                              {{"verify_result", std::string("合格")}}));
  ASSERT_FALSE(own.ok());
  EXPECT_EQ(own.error().code, ErrorCode::kConflict);
  EXPECT_EQ(own.error().field, "actor");
  EXPECT_TRUE(has(own.error().message, "verify (验收) must be by someone other than who did rectify (整改完成)"))
      << own.error().message;
  EXPECT_TRUE(has(own.error().message, "the verifier 张伟 is the worker 张伟")) << own.error().message;

  // A community officer may not verify at all.
  auto role = apply_step(d, item, step_request("verify", "赵敏", "community", kLedgerT0 + 3 * kDay,
                                               {{"verify_result", std::string("合格")}}));
  ASSERT_FALSE(role.ok());
  EXPECT_EQ(role.error().code, ErrorCode::kPermissionDenied);
  EXPECT_TRUE(has(role.error().message, "station, leader")) << role.error().message;

  // The step's required field.
  auto bare = apply_step(d, item, step_request("verify", "李所长", "station", kLedgerT0 + 3 * kDay));
  ASSERT_FALSE(bare.ok());
  EXPECT_EQ(bare.error().field, "fields.verify_result");

  item = must_step(d, item, step_request("verify", "李所长", "station", kLedgerT0 + 3 * kDay,
                                         {{"verify_result", std::string("现场验收合格")}}));
  item = must_step(d, item, step_request("close", "李所长", "station", kLedgerT0 + 3 * kDay));
  EXPECT_EQ(item.state, "closed");
  EXPECT_EQ(item.updated_at, kLedgerT0 + 3 * kDay);

  // The full history: who, when, what changed.
  ASSERT_EQ(item.history.size(), 5u);
  const char* steps[] = {"create", "order_rectify", "rectify", "verify", "close"};
  const char* actors[] = {"张伟", "李所长", "张伟", "李所长", "李所长"};
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(item.history[i].step, steps[i]);
    EXPECT_EQ(item.history[i].actor, actors[i]);
  }
  EXPECT_EQ(item.history[1].unit_code, "S01");
  EXPECT_EQ(item.history[1].officer_id, "张伟");
  ASSERT_EQ(item.history[2].changes.size(), 1u);
  EXPECT_EQ(item.history[2].changes[0].field, "rectified_summary");
  EXPECT_FALSE(item.history[2].changes[0].before.has_value());
  EXPECT_EQ(item.history[4].from_state, "verified");
  EXPECT_EQ(item.history[4].to_state, "closed");

  // Closed is final: nothing more, and the message says so.
  auto after = apply_step(d, item, step_request("reject", "李所长", "station", kLedgerT0 + 4 * kDay));
  ASSERT_FALSE(after.ok());
  EXPECT_TRUE(has(after.error().message, "allowed steps: none (已销号 is final)")) << after.error().message;
}

TEST(LedgerItem, ARejectedRectificationIsVerifiedAgainstItsLatestWorker) {
  const LedgerDefinition& d = shipped_ledger("hazard");
  LedgerItem item = hazard_rectifying(kLedgerT0, kLedgerT0 + kHour);
  item = must_step(d, item, step_request("rectify", "张伟", "community", kLedgerT0 + kDay,
                                         {{"rectified_summary", std::string("已清理")}}));
  item = must_step(d, item, step_request("reject", "李所长", "station", kLedgerT0 + 2 * kDay,
                                         {{"verify_result", std::string("消防通道仍有堆放")}}));
  EXPECT_EQ(item.state, "rectifying");
  // The second rectification is recorded by 李所长; now 张伟 (a station officer too) may verify it, 李所长 not.
  item = must_step(d, item, step_request("rectify", "李所长", "station", kLedgerT0 + 3 * kDay,
                                         {{"rectified_summary", std::string("彻底清理")}}));
  EXPECT_EQ(apply_step(d, item, step_request("verify", "李所长", "leader", kLedgerT0 + 4 * kDay,
                                             {{"verify_result", std::string("合格")}}))
                .error()
                .field,
            "actor");
  item = must_step(d, item, step_request("verify", "张伟", "station", kLedgerT0 + 4 * kDay,
                                         {{"verify_result", std::string("合格")}}));
  EXPECT_EQ(item.state, "verified");
  // The changed field keeps its earlier value in the history.
  const LedgerHistoryEntry& second = item.history[4];
  ASSERT_EQ(second.changes.size(), 1u);
  EXPECT_EQ(std::get<std::string>(*second.changes[0].before), "已清理");
  EXPECT_EQ(std::get<std::string>(second.changes[0].after), "彻底清理");
}

TEST(LedgerItem, UnknownStepsAssignmentsAndTimesAreRefused) {
  const LedgerDefinition& d = shipped_ledger("dispute");
  NewLedgerItem n;
  n.unit_code = "S01";
  n.actor = "王芳";
  n.actor_grants = {"community"};
  n.at = kLedgerT0;
  n.fields = {{"kind", std::string("debt")}, {"summary", std::string("借款纠纷")}};
  LedgerItem item = *create_ledger_item(d, n);

  auto unknown = apply_step(d, item, step_request("archive", "王芳", "community", kLedgerT0 + 10));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kConflict);
  EXPECT_TRUE(has(unknown.error().message, "'archive' is no step of dispute"));
  EXPECT_TRUE(has(unknown.error().message, "allowed steps: assign (指派), escalate (移交)")) << unknown.error().message;

  // An assigning step needs a unit and an officer; another step may not name them.
  StepRequest assign = step_request("assign", "李所长", "station", kLedgerT0 + 10);
  assign.unit_code = "S01";
  EXPECT_EQ(apply_step(d, item, assign).error().field, "officer_id");
  assign.officer_id = "王芳";
  item = must_step(d, item, assign);
  StepRequest mediate = step_request("mediate", "王芳", "community", kLedgerT0 + 20);
  mediate.unit_code = "S02";
  EXPECT_EQ(apply_step(d, item, mediate).error().field, "unit_code");

  // Not before the last step; equal is fine; not far ahead of now when now is given.
  EXPECT_EQ(apply_step(d, item, step_request("mediate", "王芳", "community", kLedgerT0 + 9)).error().field, "at");
  StepRequest future = step_request("mediate", "王芳", "community", kLedgerT0 + 10 + 3600);
  future.now = kLedgerT0 + 10;
  EXPECT_EQ(apply_step(d, item, future).error().field, "at");
  item = must_step(d, item, step_request("mediate", "王芳", "community", kLedgerT0 + 10));
  EXPECT_EQ(item.state, "mediating");

  // A blank actor, a note too long.
  EXPECT_EQ(apply_step(d, item, step_request("resolve", " ", "community", kLedgerT0 + 30)).error().field, "actor");
  StepRequest resolve = step_request("resolve", "王芳", "community", kLedgerT0 + 30,
                                     {{"resolution", std::string("agreement")},
                                      {"mediation_summary", std::string("双方达成还款协议")}});
  resolve.note = std::string(2001, 'n');
  EXPECT_EQ(apply_step(d, item, resolve).error().field, "note");
  resolve.note = "分三期还款";
  item = must_step(d, item, resolve);
  EXPECT_EQ(item.state, "resolved");
  EXPECT_EQ(item.history.back().note, "分三期还款");

  // An item of another type.
  LedgerItem other = item;
  other.type_code = "hazard";
  EXPECT_EQ(apply_step(d, other, step_request("assign", "a", "station", kLedgerT0 + 40)).error().field, "type");
}

}  // namespace
}  // namespace pingan
