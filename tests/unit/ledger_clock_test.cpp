#include "core/ledger_clock.h"

#include <gtest/gtest.h>

#include "ledger_test_support.h"

namespace pingan {
namespace {

using namespace pingan::testing;

// The hazard's 整改期限: 15 days from entering 整改中, a reminder 3 days
// before, 督办 as soon as it is overdue and 挂牌督办 15 days after that.
const LedgerDue* rectify_due(const std::vector<LedgerDue>& dues) {
  for (const LedgerDue& d : dues)
    if (d.deadline->code == "rectify") return &d;
  return nullptr;
}

TEST(LedgerClock, RemindsThenEscalatesAsTheTestClockMoves) {
  const LedgerDefinition& d = shipped_ledger("hazard");
  const Timestamp start = kLedgerT0 + kHour;
  LedgerItem item = hazard_rectifying(kLedgerT0, start);
  const Timestamp due = start + 15 * kDay;

  struct Tick {
    Timestamp now;
    LedgerDueState state;
    int level;
    const char* escalation;
    std::optional<Timestamp> next;
  };
  const Tick ticks[] = {
      {start, LedgerDueState::kRunning, 0, "", due - 3 * kDay},
      {due - 3 * kDay - 1, LedgerDueState::kRunning, 0, "", due - 3 * kDay},
      {due - 3 * kDay, LedgerDueState::kRemind, 0, "", due + 1},
      {due, LedgerDueState::kRemind, 0, "", due + 1},  // due at that instant, not yet late
      {due + 1, LedgerDueState::kOverdue, 1, "督办", due + 15 * kDay},
      {due + 15 * kDay - 1, LedgerDueState::kOverdue, 1, "督办", due + 15 * kDay},
      {due + 15 * kDay, LedgerDueState::kOverdue, 2, "挂牌督办", std::nullopt},
      {due + 400 * kDay, LedgerDueState::kOverdue, 2, "挂牌督办", std::nullopt},
  };
  for (const Tick& t : ticks) {
    auto dues = ledger_dues(d, item, t.now);
    const LedgerDue* r = rectify_due(dues);
    ASSERT_NE(r, nullptr);
    std::string at = std::to_string(t.now - start) + " s after the order";
    EXPECT_EQ(r->started_at, start) << at;
    EXPECT_EQ(r->due_at, due) << at;
    EXPECT_EQ(r->remind_at, due - 3 * kDay) << at;
    EXPECT_EQ(ledger_due_state_name(r->state), std::string(ledger_due_state_name(t.state))) << at;
    EXPECT_EQ(r->escalation_level, t.level) << at;
    EXPECT_EQ(r->escalation ? r->escalation->label : "", std::string(t.escalation)) << at;
    EXPECT_EQ(r->next_change_at, t.next) << at;
    EXPECT_EQ(next_ledger_check(dues), t.next) << at;
  }
  // The verification deadline has not started: the item never reached 已整改.
  EXPECT_EQ(ledger_dues(d, item, due).size(), 1u);
}

TEST(LedgerClock, StopsWhenDoneAndRestartsWhenSentBack) {
  const LedgerDefinition& d = shipped_ledger("hazard");
  const Timestamp start = kLedgerT0;
  LedgerItem item = hazard_rectifying(kLedgerT0, start);
  // Rectified on day 16: late, and the clock no longer runs.
  LedgerItem late = must_step(d, item, step_request("rectify", "张伟", "community", start + 16 * kDay,
                                                    {{"rectified_summary", std::string("已整改")}}));
  auto late_dues = ledger_dues(d, late, start + 40 * kDay);
  const LedgerDue* r = rectify_due(late_dues);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->state, LedgerDueState::kMetLate);
  EXPECT_EQ(r->stopped_at, start + 16 * kDay);
  EXPECT_EQ(r->escalation, nullptr);
  EXPECT_FALSE(r->next_change_at.has_value());
  // ... and the verification clock (3 days) started at the rectification.
  auto dues = ledger_dues(d, late, start + 16 * kDay + 3 * kDay + 1);
  ASSERT_EQ(dues.size(), 2u);
  EXPECT_EQ(dues[1].deadline->code, "verify");
  EXPECT_EQ(dues[1].state, LedgerDueState::kOverdue);
  EXPECT_EQ(dues[1].escalation->label, "督办");

  // Rectified on day 10: met. Sent back on day 11: a fresh 15 days from then.
  LedgerItem on_time = must_step(d, item, step_request("rectify", "张伟", "community", start + 10 * kDay,
                                                       {{"rectified_summary", std::string("已整改")}}));
  auto on_time_dues = ledger_dues(d, on_time, start + 10 * kDay);
  EXPECT_EQ(rectify_due(on_time_dues)->state, LedgerDueState::kMet);
  LedgerItem back = must_step(d, on_time, step_request("reject", "李所长", "station", start + 11 * kDay,
                                                       {{"verify_result", std::string("不合格")}}));
  auto back_dues = ledger_dues(d, back, start + 20 * kDay);
  const LedgerDue* again = rectify_due(back_dues);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->started_at, start + 11 * kDay);
  EXPECT_EQ(again->due_at, start + 26 * kDay);
  EXPECT_EQ(again->state, LedgerDueState::kRunning);
  // The verification deadline stopped when the item went back to 整改中.
  ASSERT_EQ(back_dues.size(), 2u);
  EXPECT_EQ(back_dues[1].state, LedgerDueState::kMet);
}

TEST(LedgerClock, DisputeAssignmentDeadlineStartsAtCreation) {
  const LedgerDefinition& d = shipped_ledger("dispute");
  NewLedgerItem n;
  n.unit_code = "S01";
  n.actor = "王芳";
  n.actor_grants = {"community"};
  n.at = kLedgerT0;
  n.fields = {{"kind", std::string("labour")}, {"summary", std::string("拖欠工资")}};
  LedgerItem item = *create_ledger_item(d, n);
  auto dues = ledger_dues(d, item, kLedgerT0 + 25 * kHour);
  ASSERT_EQ(dues.size(), 2u);
  EXPECT_EQ(dues[0].deadline->label, "指派期限");
  EXPECT_EQ(dues[0].state, LedgerDueState::kOverdue);
  EXPECT_EQ(dues[0].escalation->code, "supervise");
  EXPECT_EQ(dues[1].deadline->label, "化解期限");
  EXPECT_EQ(dues[1].state, LedgerDueState::kRunning);
  EXPECT_EQ(dues[1].next_change_at, kLedgerT0 + 12 * kDay);  // the reminder, 3 days before day 15
  EXPECT_EQ(next_ledger_check(dues), kLedgerT0 + 12 * kDay);  // the assignment deadline is at its top level
}

}  // namespace
}  // namespace pingan
