#include "core/case_lifecycle.h"

#include <gtest/gtest.h>

#include <set>

#include "core/case_record.h"

namespace pingan {
namespace {

using S = CaseStatus;

constexpr Timestamp kOpened = 1'717'200'000;  // 2024-06-01T00:00:00Z
constexpr Timestamp kNow = kOpened + 30 * 86400;

// The legal moves, written out independently of the code.
const std::set<std::pair<S, S>> kLegal = {
    {S::kOpened, S::kInvestigating},       {S::kOpened, S::kSolved},
    {S::kOpened, S::kWithdrawn},           {S::kInvestigating, S::kSolved},
    {S::kInvestigating, S::kClosedUnsolved}, {S::kInvestigating, S::kWithdrawn},
    {S::kClosedUnsolved, S::kInvestigating},
};

CaseRecord case_in(S status) {
  CaseRecord c;
  c.id = 3;
  c.case_number = "A3701025000002024060001";
  c.type_code = "burglary";
  c.unit_code = "S01";
  c.opened_at = kOpened;
  c.status = status;
  return c;
}

CaseStepRequest step(S to, Timestamp at, std::string note = "") {
  CaseStepRequest r;
  r.to = to;
  r.at = at;
  r.actor = "刑警 李明";
  r.note = std::move(note);
  return r;
}

CaseTypes small_types() {
  auto t = CaseTypes::parse_csv(
      "code,class,name_zh,name_en,groups\n"
      "property,group,侵财,Property crime,\n"
      "burglary,criminal,入室盗窃,Burglary,property\n"
      "admin_theft,administrative,盗窃(治安),Petty theft,property\n",
      "t.csv");
  EXPECT_TRUE(t.ok());
  return *t;
}

TEST(CaseLifecycle, EveryPairIsAllowedExactlyWhenTheTableSaysSo) {
  for (S from : kAllCaseStatuses)
    for (S to : kAllCaseStatuses) {
      EXPECT_EQ(is_allowed_case_step(from, to), kLegal.count({from, to}) == 1)
          << case_status_name(from) << " -> " << case_status_name(to);
      CaseRecord c = case_in(from);
      auto r = apply_case_step(c, step(to, kOpened + 3600, "理由"), kNow);
      if (kLegal.count({from, to})) {
        ASSERT_TRUE(r.ok()) << case_status_name(from) << " -> " << case_status_name(to) << ": "
                            << r.error().describe();
        EXPECT_EQ(c.status, to);
        EXPECT_EQ(r->from, from);
        EXPECT_EQ(r->to, to);
        EXPECT_EQ(r->actor, "刑警 李明");
      } else {
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, ErrorCode::kConflict);
        EXPECT_EQ(r.error().field, "to");
        EXPECT_EQ(c.status, from) << "a refused step changes nothing";
      }
    }
}

TEST(CaseLifecycle, AFullPathIsDatedAndAttributed) {
  CaseRecord c = case_in(S::kOpened);
  auto a = apply_case_step(c, step(S::kInvestigating, kOpened + 600), kNow);
  ASSERT_TRUE(a.ok()) << a.error().describe();
  auto b = apply_case_step(c, step(S::kSolved, kOpened + 5 * 86400), kNow);
  ASSERT_TRUE(b.ok()) << b.error().describe();
  EXPECT_EQ(c.status, S::kSolved);
  EXPECT_TRUE(c.is_solved());
  EXPECT_EQ(c.times.investigating_at, kOpened + 600);
  EXPECT_EQ(c.times.solved_at, kOpened + 5 * 86400);
  EXPECT_EQ(b->at, kOpened + 5 * 86400);
  // A step without a time is taken now.
  CaseRecord d = case_in(S::kOpened);
  CaseStepRequest now_step = step(S::kInvestigating, 0);
  now_step.at.reset();
  ASSERT_TRUE(apply_case_step(d, now_step, kNow).ok());
  EXPECT_EQ(d.times.investigating_at, kNow);
}

TEST(CaseLifecycle, DatesRunForwardAndNotIntoTheFuture) {
  CaseRecord c = case_in(S::kOpened);
  auto before_opening = apply_case_step(c, step(S::kInvestigating, kOpened - 1), kNow);
  ASSERT_FALSE(before_opening.ok());
  EXPECT_EQ(before_opening.error().field, "at");
  ASSERT_TRUE(apply_case_step(c, step(S::kInvestigating, kOpened + 100), kNow).ok());
  auto before_previous = apply_case_step(c, step(S::kSolved, kOpened + 99), kNow);
  ASSERT_FALSE(before_previous.ok());
  EXPECT_EQ(before_previous.error().field, "at");
  EXPECT_NE(before_previous.error().message.find("before the previous step"), std::string::npos);
  // The same second as the previous step is fine; the tolerance bounds the future.
  CaseRecord d = case_in(S::kOpened);
  EXPECT_TRUE(apply_case_step(d, step(S::kInvestigating, kOpened), kNow).ok());
  auto future = apply_case_step(d, step(S::kSolved, kNow + 61), kNow, 60);
  ASSERT_FALSE(future.ok());
  EXPECT_EQ(future.error().field, "at");
  EXPECT_NE(future.error().message.find("in the future"), std::string::npos);
  EXPECT_TRUE(apply_case_step(d, step(S::kSolved, kNow + 60), kNow, 60).ok());
}

TEST(CaseLifecycle, StepsAreAttributed) {
  CaseRecord c = case_in(S::kOpened);
  CaseStepRequest r = step(S::kInvestigating, kOpened + 1);
  r.actor = "  ";
  auto refused = apply_case_step(c, r, kNow);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "actor");
  EXPECT_EQ(c.status, S::kOpened);
}

TEST(CaseLifecycle, WithdrawnIsFinalAndNeedsItsReason) {
  CaseRecord c = case_in(S::kInvestigating);
  auto no_reason = apply_case_step(c, step(S::kWithdrawn, kOpened + 10), kNow);
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(no_reason.error().field, "note");
  ASSERT_TRUE(apply_case_step(c, step(S::kWithdrawn, kOpened + 10, "经查不构成犯罪"), kNow).ok());
  EXPECT_EQ(c.times.withdrawn_at, kOpened + 10);
  for (S to : kAllCaseStatuses) {
    auto r = apply_case_step(c, step(to, kOpened + 20, "再议"), kNow);
    ASSERT_FALSE(r.ok()) << case_status_name(to);
    EXPECT_EQ(r.error().code, ErrorCode::kConflict);
    EXPECT_NE(r.error().message.find("none, the case is final"), std::string::npos) << r.error().message;
  }
}

TEST(CaseLifecycle, AColdCaseIsReopenedAndSolvedLater) {
  CaseRecord c = case_in(S::kInvestigating);
  c.times.investigating_at = kOpened;
  ASSERT_TRUE(apply_case_step(c, step(S::kClosedUnsolved, kOpened + 86400, "线索用尽"), kNow).ok());
  auto no_reason = apply_case_step(c, step(S::kInvestigating, kOpened + 2 * 86400), kNow);
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(no_reason.error().field, "note");
  auto before_closing = apply_case_step(c, step(S::kInvestigating, kOpened + 86399, "DNA 比中"), kNow);
  ASSERT_FALSE(before_closing.ok());
  EXPECT_EQ(before_closing.error().field, "at");
  ASSERT_TRUE(apply_case_step(c, step(S::kInvestigating, kOpened + 2 * 86400, "DNA 比中"), kNow).ok());
  EXPECT_FALSE(c.times.closed_unsolved_at.has_value());
  EXPECT_EQ(c.times.investigating_at, kOpened + 2 * 86400);
  ASSERT_TRUE(apply_case_step(c, step(S::kSolved, kOpened + 3 * 86400), kNow).ok());
  EXPECT_EQ(c.times.solved_at, kOpened + 3 * 86400);
}

TEST(CaseLifecycle, StatusNamesRoundTrip) {
  for (S s : kAllCaseStatuses) {
    auto back = parse_case_status(case_status_name(s));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, s);
  }
  EXPECT_STREQ(case_status_name_zh(S::kSolved), "破案");
  EXPECT_EQ(parse_case_status("closed").error().field, "status");
}

TEST(CaseRecord, ANewCaseTakesItsClassFromItsType) {
  CaseTypes types = small_types();
  CaseRecord c = case_in(S::kOpened);
  c.type_code = "admin_theft";
  c.incident_ids = {11, 12};
  c.money_involved_fen = 350'000;  // 3,500 元
  ASSERT_TRUE(validate_new_case(c, types, kNow).ok());
  EXPECT_EQ(c.case_class, CaseClass::kAdministrative);
  EXPECT_EQ(c.source, "api");
}

TEST(CaseRecord, BadNewCasesAreRefusedNamingTheField) {
  CaseTypes types = small_types();
  struct Bad {
    const char* what;
    void (*spoil)(CaseRecord&);
    const char* field;
  } bad[] = {
      {"no number", [](CaseRecord& c) { c.case_number = " "; }, "case_number"},
      {"no unit", [](CaseRecord& c) { c.unit_code.clear(); }, "unit"},
      {"no type", [](CaseRecord& c) { c.type_code.clear(); }, "type"},
      {"unknown type", [](CaseRecord& c) { c.type_code = "robbery"; }, "type"},
      {"placeholder date", [](CaseRecord& c) { c.opened_at = -2208988800; }, "opened_at"},
      {"future", [](CaseRecord& c) { c.opened_at = kNow + 3600; }, "opened_at"},
      {"negative money", [](CaseRecord& c) { c.money_involved_fen = -1; }, "money_involved_fen"},
      {"a bad incident id", [](CaseRecord& c) { c.incident_ids = {0}; }, "incident_ids"},
      {"an incident twice", [](CaseRecord& c) { c.incident_ids = {5, 6, 5}; }, "incident_ids"},
      {"under investigation without its time", [](CaseRecord& c) { c.status = S::kInvestigating; },
       "investigating_at"},
      {"solved without its time", [](CaseRecord& c) { c.status = S::kSolved; }, "solved_at"},
      {"closed without investigation",
       [](CaseRecord& c) {
         c.status = S::kClosedUnsolved;
         c.times.closed_unsolved_at = kOpened + 10;
       },
       "status"},
      {"a time off the walk",
       [](CaseRecord& c) {
         c.status = S::kInvestigating;
         c.times.investigating_at = kOpened + 10;
         c.times.solved_at = kOpened + 20;
       },
       "solved_at"},
      {"solved before investigated",
       [](CaseRecord& c) {
         c.status = S::kSolved;
         c.times.investigating_at = kOpened + 20;
         c.times.solved_at = kOpened + 10;
       },
       "solved_at"},
      {"investigated before opened",
       [](CaseRecord& c) {
         c.status = S::kInvestigating;
         c.times.investigating_at = kOpened - 10;
       },
       "investigating_at"},
  };
  for (const Bad& b : bad) {
    CaseRecord c = case_in(S::kOpened);
    b.spoil(c);
    Status s = validate_new_case(c, types, kNow);
    ASSERT_FALSE(s.ok()) << b.what;
    EXPECT_EQ(s.error().field, b.field) << b.what << ": " << s.error().describe();
  }
}

TEST(CaseRecord, AnImportedCaseMayArriveFinishedAlongAnAllowedWalk) {
  CaseTypes types = small_types();
  CaseRecord caught_in_the_act = case_in(S::kSolved);
  caught_in_the_act.times.solved_at = kOpened;
  EXPECT_TRUE(validate_new_case(caught_in_the_act, types, kNow).ok());
  CaseRecord closed = case_in(S::kClosedUnsolved);
  closed.times.investigating_at = kOpened + 1;
  closed.times.closed_unsolved_at = kOpened + 2;
  EXPECT_TRUE(validate_new_case(closed, types, kNow).ok());
  CaseRecord withdrawn = case_in(S::kWithdrawn);
  withdrawn.times.withdrawn_at = kOpened + 5;
  EXPECT_TRUE(validate_new_case(withdrawn, types, kNow).ok());
}

}  // namespace
}  // namespace pingan
