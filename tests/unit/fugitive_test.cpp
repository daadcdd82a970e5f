#include "core/fugitive.h"

#include <gtest/gtest.h>

#include "core/fugitive_age.h"

namespace pingan {
namespace {

using S = FugitiveStatus;

const TimeZone& shanghai() {
  static const TimeZone zone = *TimeZone::locate("Asia/Shanghai");
  return zone;
}

Timestamp local(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  return shanghai().to_utc(CivilTime{y, mo, d, h, mi, s});
}

// The 2024 campaign, 1 June to 1 September local time.
const StatPeriod kCampaign{local(2024, 6, 1), local(2024, 9, 1)};
const Timestamp kYear2024 = local(2024, 1, 1);  // 2023-12-31T16:00:00Z

Fugitive caught(Timestamp listed_at, Timestamp caught_at) {
  Fugitive f;
  f.id = 1;
  f.listing_number = "T3701025000002023120001";
  f.person_id = 9;
  f.listed_at = listed_at;
  f.listing_unit = "S01";
  f.status = S::kCaught;
  f.caught_at = caught_at;
  f.caught_by_unit = "S02";
  return f;
}

TEST(FugitiveAge, TheLineIsLocalMidnightOfFirstJanuaryOfTheCaptureYear) {
  EXPECT_EQ(kYear2024, 1'704'038'400);  // 2023-12-31T16:00:00Z
  EXPECT_EQ(local_year_start(local(2024, 7, 15, 9), shanghai()), kYear2024);
  EXPECT_EQ(local_year_start(kYear2024, shanghai()), kYear2024);
  EXPECT_EQ(local_year_start(kYear2024 - 1, shanghai()), local(2023, 1, 1));
  const Timestamp in_july = local(2024, 7, 10, 14, 30);
  // Listed one second before the year began: old (历年逃犯).
  EXPECT_EQ(classify_caught(caught(kYear2024 - 1, in_july), kCampaign, shanghai()), FugitiveAge::kOld);
  // Listed at the very start of the year: new (新增逃犯).
  EXPECT_EQ(classify_caught(caught(kYear2024, in_july), kCampaign, shanghai()), FugitiveAge::kNew);
  // Listed during the campaign itself: new too.
  EXPECT_EQ(classify_caught(caught(local(2024, 6, 20), in_july), kCampaign, shanghai()), FugitiveAge::kNew);
  EXPECT_STREQ(fugitive_age_name_zh(FugitiveAge::kOld), "历年逃犯");
}

TEST(FugitiveAge, ThePeriodIsHalfOpen) {
  const Timestamp listed = local(2020, 3, 1);
  EXPECT_EQ(classify_caught(caught(listed, kCampaign.from), kCampaign, shanghai()), FugitiveAge::kOld);
  EXPECT_EQ(classify_caught(caught(listed, kCampaign.from - 1), kCampaign, shanghai()), std::nullopt);
  EXPECT_EQ(classify_caught(caught(listed, kCampaign.until - 1), kCampaign, shanghai()), FugitiveAge::kOld);
  EXPECT_EQ(classify_caught(caught(listed, kCampaign.until), kCampaign, shanghai()), std::nullopt);
}

TEST(FugitiveAge, ACaptureIsOldOrNewWhateverWindowIsAskedFor) {
  // Listed in June, caught in July: new in July's count and in the campaign's,
  // so the months add up to the campaign.
  Fugitive f = caught(local(2024, 6, 5), local(2024, 7, 2));
  const StatPeriod july{local(2024, 7, 1), local(2024, 8, 1)};
  EXPECT_EQ(classify_caught(f, july, shanghai()), FugitiveAge::kNew);
  EXPECT_EQ(classify_caught(f, kCampaign, shanghai()), FugitiveAge::kNew);
  // Across a New Year: listed on 31 December, caught on 2 January is old.
  Fugitive g = caught(local(2023, 12, 31, 23, 59, 59), local(2024, 1, 2));
  EXPECT_EQ(classify_caught(g, StatPeriod{local(2023, 12, 1), local(2024, 2, 1)}, shanghai()), FugitiveAge::kOld);
  // Caught the second before the New Year, listed the same year: new.
  Fugitive h = caught(local(2023, 6, 1), kYear2024 - 1);
  EXPECT_EQ(classify_caught(h, StatPeriod{local(2023, 12, 1), local(2024, 2, 1)}, shanghai()), FugitiveAge::kNew);
}

TEST(FugitiveAge, OnlyCapturesCount) {
  Fugitive still_listed = caught(local(2020, 1, 1), local(2024, 7, 1));
  still_listed.status = S::kListed;
  still_listed.caught_at.reset();
  EXPECT_EQ(classify_caught(still_listed, kCampaign, shanghai()), std::nullopt);
  Fugitive revoked = still_listed;
  revoked.status = S::kRevoked;
  revoked.revoked_at = local(2024, 7, 1);
  EXPECT_EQ(classify_caught(revoked, kCampaign, shanghai()), std::nullopt);
}

Fugitive listed() {
  Fugitive f = caught(local(2023, 12, 1), 0);
  f.status = S::kListed;
  f.caught_at.reset();
  f.caught_by_unit.clear();
  return f;
}

FugitiveStepRequest request(S to, Timestamp at) {
  FugitiveStepRequest r;
  r.to = to;
  r.at = at;
  r.actor = "民警 张伟";
  r.unit = to == S::kCaught ? "S02" : "";
  r.note = to == S::kRevoked ? "案件撤销" : "";
  return r;
}

TEST(FugitiveSteps, ListedEndsCaughtOrRevokedAndNothingElse) {
  const Timestamp now = local(2024, 7, 1);
  for (S from : kAllFugitiveStatuses)
    for (S to : kAllFugitiveStatuses) {
      bool legal = from == S::kListed && to != S::kListed;
      Fugitive f = listed();
      f.status = from;
      auto r = apply_fugitive_step(f, request(to, local(2024, 6, 1)), now);
      EXPECT_EQ(r.ok(), legal) << fugitive_status_name(from) << " -> " << fugitive_status_name(to);
      if (!legal) {
        EXPECT_EQ(r.error().field, "to");
      }
    }
  Fugitive f = listed();
  auto c = apply_fugitive_step(f, request(S::kCaught, local(2024, 6, 1, 8)), now);
  ASSERT_TRUE(c.ok()) << c.error().describe();
  EXPECT_EQ(f.status, S::kCaught);
  EXPECT_EQ(f.caught_at, local(2024, 6, 1, 8));
  EXPECT_EQ(f.caught_by_unit, "S02");
  EXPECT_EQ(c->from, S::kListed);
  EXPECT_TRUE(validate_new_fugitive(f, now).ok()) << "a record after its step is a valid import";
}

TEST(FugitiveSteps, StepsAreDatedAttributedAndExplained) {
  const Timestamp now = local(2024, 7, 1);
  struct Bad {
    const char* what;
    FugitiveStepRequest req;
    const char* field;
  };
  FugitiveStepRequest before = request(S::kCaught, local(2023, 11, 30));
  FugitiveStepRequest future = request(S::kCaught, now + 301);
  FugitiveStepRequest no_unit = request(S::kCaught, now);
  no_unit.unit.clear();
  FugitiveStepRequest no_reason = request(S::kRevoked, now);
  no_reason.note = " ";
  FugitiveStepRequest nobody = request(S::kCaught, now);
  nobody.actor.clear();
  const Bad bad[] = {{"caught before listed", before, "at"},
                     {"caught in the future", future, "at"},
                     {"caught by no unit", no_unit, "unit"},
                     {"revoked without reason", no_reason, "note"},
                     {"no actor", nobody, "actor"}};
  for (const Bad& b : bad) {
    Fugitive f = listed();
    auto r = apply_fugitive_step(f, b.req, now);
    ASSERT_FALSE(r.ok()) << b.what;
    EXPECT_EQ(r.error().field, b.field) << b.what << ": " << r.error().describe();
    EXPECT_EQ(f.status, S::kListed);
  }
}

TEST(FugitiveSteps, NewListingsAreChecked) {
  const Timestamp now = local(2024, 7, 1);
  EXPECT_TRUE(validate_new_fugitive(listed(), now).ok());
  struct Bad {
    const char* what;
    void (*spoil)(Fugitive&);
    const char* field;
  } bad[] = {
      {"no number", [](Fugitive& f) { f.listing_number = ""; }, "listing_number"},
      {"no person", [](Fugitive& f) { f.person_id = 0; }, "person_id"},
      {"no unit", [](Fugitive& f) { f.listing_unit = ""; }, "listing_unit"},
      {"caught without a time", [](Fugitive& f) { f.status = S::kCaught; }, "caught_at"},
      {"a capture time while listed", [](Fugitive& f) { f.caught_at = f.listed_at + 1; }, "caught_at"},
      {"caught before listed",
       [](Fugitive& f) {
         f.status = S::kCaught;
         f.caught_at = f.listed_at - 1;
         f.caught_by_unit = "S02";
       },
       "caught_at"},
      {"revoked without reason",
       [](Fugitive& f) {
         f.status = S::kRevoked;
         f.revoked_at = f.listed_at + 1;
       },
       "revoke_reason"},
  };
  for (const Bad& b : bad) {
    Fugitive f = listed();
    b.spoil(f);
    Status s = validate_new_fugitive(f, now);
    ASSERT_FALSE(s.ok()) << b.what;
    EXPECT_EQ(s.error().field, b.field) << b.what << ": " << s.error().describe();
  }
}

}  // namespace
}  // namespace pingan
