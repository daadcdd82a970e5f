#include "core/dissuasion.h"

#include <gtest/gtest.h>

#include <set>

namespace pingan {
namespace {

using S = DissuasionStatus;

constexpr Timestamp kIssued = 1'717'200'000;  // 2024-06-01T00:00:00Z
constexpr Timestamp kNow = kIssued + 86400;

// The legal moves, written out independently of the code.
const std::set<std::pair<S, S>> kLegal = {
    {S::kIssued, S::kContacted},    {S::kIssued, S::kDefrauded},    {S::kContacted, S::kDissuaded},
    {S::kContacted, S::kNotReached}, {S::kContacted, S::kDefrauded}, {S::kDissuaded, S::kDefrauded},
    {S::kNotReached, S::kDefrauded},
};

DissuasionTask task_in(S status) {
  DissuasionTask t;
  t.id = 5;
  t.warning_number = "YJ20240601000123";
  t.unit_code = "S01";
  t.issued_at = kIssued;
  t.target_phone = "13812345678";
  t.status = status;
  return t;
}

DissuasionStepRequest step(S to, Timestamp at) {
  DissuasionStepRequest r;
  r.to = to;
  r.at = at;
  r.actor = "社区民警 王强";
  r.note = "电话三次未接,上门未遇";
  return r;
}

TEST(DissuasionLoop, EveryAllowedStepIsTakenAndEveryOtherRefused) {
  int allowed = 0, refused = 0;
  for (S from : kAllDissuasionStatuses)
    for (S to : kAllDissuasionStatuses) {
      EXPECT_EQ(is_allowed_dissuasion_step(from, to), kLegal.count({from, to}) == 1)
          << dissuasion_status_name(from) << " -> " << dissuasion_status_name(to);
      DissuasionTask t = task_in(from);
      auto r = apply_dissuasion_step(t, step(to, kIssued + 600), kNow);
      if (kLegal.count({from, to})) {
        ++allowed;
        ASSERT_TRUE(r.ok()) << dissuasion_status_name(from) << " -> " << dissuasion_status_name(to) << ": "
                            << r.error().describe();
        EXPECT_EQ(t.status, to);
        EXPECT_EQ(*t.times.slot(to), kIssued + 600);
        EXPECT_EQ(r->from, from);
        EXPECT_EQ(r->actor, "社区民警 王强");
      } else {
        ++refused;
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, ErrorCode::kConflict);
        EXPECT_EQ(r.error().field, "to");
        EXPECT_EQ(t.status, from);
      }
    }
  EXPECT_EQ(allowed, 7);
  EXPECT_EQ(refused, 18);
}

TEST(DissuasionLoop, DefraudedIsFinal) {
  DissuasionTask t = task_in(S::kDefrauded);
  for (S to : kAllDissuasionStatuses) {
    auto r = apply_dissuasion_step(t, step(to, kIssued + 60), kNow);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("none, the task is final"), std::string::npos) << r.error().message;
  }
}

TEST(DissuasionLoop, AClosedLoopWithADefraudedEndLinksItsCase) {
  DissuasionTask t = task_in(S::kIssued);
  ASSERT_TRUE(apply_dissuasion_step(t, step(S::kContacted, kIssued + 300), kNow).ok());
  ASSERT_TRUE(apply_dissuasion_step(t, step(S::kDissuaded, kIssued + 900), kNow).ok());
  DissuasionStepRequest lost = step(S::kDefrauded, kIssued + 7200);
  lost.case_id = 88;
  ASSERT_TRUE(apply_dissuasion_step(t, lost, kNow).ok());
  EXPECT_EQ(t.status, S::kDefrauded);
  EXPECT_EQ(t.case_id, 88);
  EXPECT_EQ(t.times.contacted_at, kIssued + 300);
  EXPECT_EQ(t.times.dissuaded_at, kIssued + 900);
  EXPECT_EQ(t.times.defrauded_at, kIssued + 7200);
}

TEST(DissuasionLoop, StepsAreDatedAttributedAndExplained) {
  DissuasionTask t = task_in(S::kIssued);
  ASSERT_TRUE(apply_dissuasion_step(t, step(S::kContacted, kIssued + 300), kNow).ok());
  auto back = apply_dissuasion_step(t, step(S::kDissuaded, kIssued + 299), kNow);
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.error().field, "at");
  auto future = apply_dissuasion_step(t, step(S::kDissuaded, kNow + 301), kNow);
  ASSERT_FALSE(future.ok());
  EXPECT_EQ(future.error().field, "at");
  DissuasionStepRequest nobody = step(S::kDissuaded, kIssued + 400);
  nobody.actor = " ";
  EXPECT_EQ(apply_dissuasion_step(t, nobody, kNow).error().field, "actor");
  DissuasionStepRequest silent = step(S::kNotReached, kIssued + 400);
  silent.note.clear();
  EXPECT_EQ(apply_dissuasion_step(t, silent, kNow).error().field, "note");
  DissuasionStepRequest case_too_early = step(S::kDissuaded, kIssued + 400);
  case_too_early.case_id = 3;
  EXPECT_EQ(apply_dissuasion_step(t, case_too_early, kNow).error().field, "case_id");
  EXPECT_EQ(t.status, S::kContacted) << "no refused step changed the task";
}

TEST(DissuasionLoop, NewTasksAreIssuedAndChecked) {
  EXPECT_TRUE(validate_new_dissuasion(task_in(S::kIssued), kNow).ok());
  DissuasionTask t = task_in(S::kIssued);
  t.target_phone.clear();
  EXPECT_EQ(validate_new_dissuasion(t, kNow).error().field, "target");
  t.person_id = 4;
  EXPECT_TRUE(validate_new_dissuasion(t, kNow).ok());
  t = task_in(S::kContacted);
  EXPECT_EQ(validate_new_dissuasion(t, kNow).error().field, "status");
  t = task_in(S::kIssued);
  t.unit_code.clear();
  EXPECT_EQ(validate_new_dissuasion(t, kNow).error().field, "unit");
  t = task_in(S::kIssued);
  t.issued_at = kNow + 301;
  EXPECT_EQ(validate_new_dissuasion(t, kNow).error().field, "issued_at");
  for (S s : kAllDissuasionStatuses) EXPECT_EQ(*parse_dissuasion_status(dissuasion_status_name(s)), s);
}

}  // namespace
}  // namespace pingan
