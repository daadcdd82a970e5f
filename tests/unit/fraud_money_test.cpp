#include "core/fraud_money.h"

#include <gtest/gtest.h>

namespace pingan {
namespace {

using K = FraudMoneyKind;

constexpr Timestamp kT0 = 1'717'200'000;  // 2024-06-01T00:00:00Z
constexpr Timestamp kNow = kT0 + 10 * 86400;
constexpr CaseId kCase = 12;

FraudMoneyEntry entry(K kind, Fen fen, CaseId in_case = kCase) {
  FraudMoneyEntry e;
  e.case_id = in_case;
  e.kind = kind;
  e.amount_fen = fen;
  e.at = kT0;
  e.unit_code = "FZ01";
  e.actor = "反诈民警 赵敏";
  return e;
}

// 止付 3,000 元 and 冻结 2,000.50 元 on the case.
std::vector<FraudMoneyEntry> stopped_and_frozen() {
  return {entry(K::kStopped, 300'000), entry(K::kFrozen, 200'050)};
}

TEST(FraudMoney, ReturnsUpToStoppedPlusFrozenAreAccepted) {
  auto recorded = stopped_and_frozen();
  EXPECT_TRUE(check_fraud_money_entry(recorded, entry(K::kReturned, 500'050), kNow).ok()) << "exactly the sum";
  recorded.push_back(entry(K::kReturned, 400'000));
  EXPECT_TRUE(check_fraud_money_entry(recorded, entry(K::kReturned, 100'050), kNow).ok()) << "a second tranche";
  FraudMoneyTotals t = fraud_money_totals(recorded, kCase);
  EXPECT_EQ(t.stopped, 300'000);
  EXPECT_EQ(t.frozen, 200'050);
  EXPECT_EQ(t.returned, 400'000);
}

TEST(FraudMoney, AReturnAboveStoppedPlusFrozenIsRefusedNamingTheAmount) {
  auto recorded = stopped_and_frozen();
  recorded.push_back(entry(K::kReturned, 400'000));
  Status s = check_fraud_money_entry(recorded, entry(K::kReturned, 100'051), kNow);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.error().field, "amount_fen");
  EXPECT_NE(s.error().message.find("500051 fen"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("override"), std::string::npos);
  // A return with nothing stopped or frozen at all.
  EXPECT_EQ(check_fraud_money_entry({}, entry(K::kReturned, 1), kNow).error().field, "amount_fen");
}

TEST(FraudMoney, AnOverrideWithAReasonLetsAReturnExceedTheLimit) {
  auto recorded = stopped_and_frozen();
  FraudMoneyEntry r = entry(K::kReturned, 900'000);
  r.override_limit = true;
  r.override_reason = "嫌疑人退赔 4,000 元";
  EXPECT_TRUE(check_fraud_money_entry(recorded, r, kNow).ok());
}

TEST(FraudMoney, AnOverrideWithoutAReasonIsRefused) {
  auto recorded = stopped_and_frozen();
  FraudMoneyEntry r = entry(K::kReturned, 900'000);
  r.override_limit = true;
  r.override_reason = "  ";
  Status s = check_fraud_money_entry(recorded, r, kNow);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "override_reason");
  // A reason without the override is a mistake too, not a silent no-op.
  FraudMoneyEntry reason_only = entry(K::kReturned, 1000);
  reason_only.override_reason = "嫌疑人退赔";
  EXPECT_EQ(check_fraud_money_entry(recorded, reason_only, kNow).error().field, "override_reason");
  // Only a return can be overridden.
  FraudMoneyEntry frozen = entry(K::kFrozen, 1000);
  frozen.override_limit = true;
  frozen.override_reason = "?";
  EXPECT_EQ(check_fraud_money_entry(recorded, frozen, kNow).error().field, "override_limit");
}

TEST(FraudMoney, NegativeZeroAndHugeAmountsAreRefused) {
  for (K k : kAllFraudMoneyKinds) {
    Status negative = check_fraud_money_entry({}, entry(k, -1), kNow);
    ASSERT_FALSE(negative.ok());
    EXPECT_EQ(negative.error().field, "amount_fen");
    EXPECT_NE(negative.error().message.find("negative"), std::string::npos);
    EXPECT_EQ(check_fraud_money_entry({}, entry(k, 0), kNow).error().field, "amount_fen");
    EXPECT_EQ(check_fraud_money_entry({}, entry(k, kMaxAmountFen + 1), kNow).error().field, "amount_fen");
  }
  EXPECT_TRUE(check_fraud_money_entry({}, entry(K::kStopped, kMaxAmountFen), kNow).ok());
  EXPECT_EQ(check_amount("money_involved_fen", -5).error().field, "money_involved_fen");
}

TEST(FraudMoney, OtherCasesMoneyDoesNotCount) {
  std::vector<FraudMoneyEntry> recorded = {entry(K::kFrozen, 1'000'000, kCase + 1)};
  EXPECT_EQ(check_fraud_money_entry(recorded, entry(K::kReturned, 100), kNow).error().field, "amount_fen");
  EXPECT_EQ(fraud_money_totals(recorded, kCase).frozen, 0);
}

TEST(FraudMoney, EntriesAreDatedAndAttributed) {
  FraudMoneyEntry e = entry(K::kStopped, 100);
  e.at = kNow + 301;
  EXPECT_EQ(check_fraud_money_entry({}, e, kNow).error().field, "at");
  e = entry(K::kStopped, 100);
  e.actor = "";
  EXPECT_EQ(check_fraud_money_entry({}, e, kNow).error().field, "actor");
  e = entry(K::kStopped, 100, 0);
  EXPECT_EQ(check_fraud_money_entry({}, e, kNow).error().field, "case_id");
  e = entry(K::kStopped, 100);
  e.unit_code.clear();
  EXPECT_EQ(check_fraud_money_entry({}, e, kNow).error().field, "unit");
}

TEST(FraudMoney, SeedSizedSumsStayExactInFen) {
  // 止付 9.9 亿元 in 99,000 stops of 10,000 元 each: exact to the fen.
  std::vector<FraudMoneyEntry> stops(99'000, entry(K::kStopped, 1'000'000));
  EXPECT_EQ(fraud_money_totals(stops, kCase).stopped, 99'000'000'000);
  for (K k : kAllFraudMoneyKinds) EXPECT_EQ(*parse_fraud_money_kind(fraud_money_kind_name(k)), k);
  EXPECT_STREQ(fraud_money_kind_name_zh(K::kFrozen), "冻结");
}

}  // namespace
}  // namespace pingan
