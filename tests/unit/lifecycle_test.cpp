#include "core/lifecycle.h"

#include <gtest/gtest.h>

#include <set>

#include "core/incident.h"

namespace pingan {
namespace {

using S = IncidentStatus;

// The complete table of legal moves, written out independently of the code.
const std::set<std::pair<S, S>> kLegal = {
    {S::kReceived, S::kDispatched}, {S::kReceived, S::kHandled},   {S::kDispatched, S::kArrived},
    {S::kArrived, S::kHandled},     {S::kHandled, S::kClosed},     {S::kHandled, S::kFollowUp},
    {S::kFollowUp, S::kFedBack},    {S::kFedBack, S::kVerified},   {S::kFedBack, S::kFollowUp},
    {S::kVerified, S::kClosed},
};

Incident incident_in(S status, Timestamp reported = 1'700'000'000) {
  Incident inc;
  inc.id = 7;
  inc.reported_at = reported;
  inc.status = status;
  return inc;
}

TransitionRequest to(S target, Timestamp at) {
  TransitionRequest r;
  r.to = target;
  r.at = at;
  r.assignee = "社区民警 王强";
  r.deadline = at + 86400;
  return r;
}

TEST(Lifecycle, EveryPairIsAllowedExactlyWhenTheTableSaysSo) {
  for (S from : kAllStatuses)
    for (S target : kAllStatuses)
      EXPECT_EQ(is_allowed_transition(from, target), kLegal.count({from, target}) == 1)
          << status_name(from) << " -> " << status_name(target);
}

TEST(Lifecycle, EveryIllegalTransitionIsRefusedWithConflictAndLeavesTheIncidentUnchanged) {
  const Timestamp now = 1'700'100'000;
  int refused = 0;
  for (S from : kAllStatuses)
    for (S target : kAllStatuses) {
      if (kLegal.count({from, target})) continue;
      Incident inc = incident_in(from);
      Incident before = inc;
      Status st = apply_transition(inc, to(target, now - 10), now);
      ASSERT_FALSE(st.ok()) << status_name(from) << " -> " << status_name(target);
      EXPECT_EQ(st.error().code, ErrorCode::kConflict);
      EXPECT_NE(st.error().message.find(status_name(from)), std::string::npos) << st.error().message;
      EXPECT_EQ(inc.status, before.status);
      EXPECT_FALSE(inc.times.slot(target) && inc.times.slot(target)->has_value());
      ++refused;
    }
  EXPECT_EQ(refused, 64 - int(kLegal.size()));
}

TEST(Lifecycle, FullLifeWithFollowUpLoopRecordsEveryStepTime) {
  const Timestamp t0 = 1'700'000'000, now = t0 + 10 * 86400;
  Incident inc = incident_in(S::kReceived, t0);
  S path[] = {S::kDispatched, S::kArrived, S::kHandled, S::kFollowUp, S::kFedBack,
              S::kFollowUp,   S::kFedBack, S::kVerified, S::kClosed};
  Timestamp t = t0;
  for (S step : path) {
    t += 60;
    ASSERT_TRUE(apply_transition(inc, to(step, t), now).ok()) << status_name(step);
    EXPECT_EQ(inc.status, step);
    EXPECT_EQ(*inc.times.slot(step), t);
  }
  ASSERT_TRUE(inc.followup.has_value());
  EXPECT_EQ(inc.followup->assignee, "社区民警 王强");
  EXPECT_EQ(*inc.times.dispatched_at, t0 + 60);
  EXPECT_EQ(*inc.times.closed_at, t);
}

TEST(Lifecycle, FollowUpNeedsAssigneeAndALaterDeadline) {
  const Timestamp t0 = 1'700'000'000, now = t0 + 86400;
  Incident inc = incident_in(S::kHandled, t0);
  TransitionRequest r = to(S::kFollowUp, t0 + 100);
  r.assignee.clear();
  Status st = apply_transition(inc, r, now);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().field, "assignee");
  r = to(S::kFollowUp, t0 + 100);
  r.deadline.reset();
  EXPECT_EQ(apply_transition(inc, r, now).error().field, "deadline");
  r = to(S::kFollowUp, t0 + 100);
  r.deadline = t0 + 50;
  EXPECT_EQ(apply_transition(inc, r, now).error().field, "deadline");
  EXPECT_EQ(inc.status, S::kHandled);
}

TEST(Lifecycle, StepTimesMayNotRunBackwardsOrIntoTheFuture) {
  const Timestamp t0 = 1'700'000'000, now = t0 + 3600;
  Incident inc = incident_in(S::kReceived, t0);
  Status st = apply_transition(inc, to(S::kDispatched, t0 - 1), now);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().field, "at");
  st = apply_transition(inc, to(S::kDispatched, now + 3600), now);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().field, "at");
  ASSERT_TRUE(apply_transition(inc, to(S::kDispatched, t0 + 120), now).ok());
  EXPECT_EQ(apply_transition(inc, to(S::kArrived, t0 + 60), now).error().field, "at");
}

TEST(Lifecycle, VoidedIncidentCannotMove) {
  Incident inc = incident_in(S::kReceived);
  inc.voided = true;
  inc.void_reason = "merged";
  EXPECT_EQ(apply_transition(inc, to(S::kDispatched, inc.reported_at + 1), inc.reported_at + 100).error().code,
            ErrorCode::kConflict);
}

TEST(Lifecycle, StatusNamesRoundTrip) {
  for (S s : kAllStatuses) EXPECT_EQ(*parse_status(status_name(s)), s);
  EXPECT_FALSE(parse_status("teleported").ok());
}

}  // namespace
}  // namespace pingan
