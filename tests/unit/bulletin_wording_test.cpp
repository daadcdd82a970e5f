// The wording rules of bulletins (issue 22): one test per rule, the issue's
// examples verbatim and the seeds' own phrases produced from their numbers.
// docs/bulletin-wording.md maps each rule to its source and to these tests.
#include "core/bulletin_wording.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace pingan {
namespace {

using MW = MeasureWord;
constexpr auto kYoY = ChangeBasis::kYearOnYear;
constexpr auto kPoP = ChangeBasis::kPeriodOnPeriod;
constexpr auto kApprox = CountStyle::kApproximate;
constexpr std::int64_t kMax64 = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin64 = std::numeric_limits<std::int64_t>::min();

// The text of an ok Result, or the error (so a failure shows why).
template <typename T>
std::string text(const Result<T>& r) {
  return r.ok() ? fmt::format("{}", *r) : "error: " + r.error().describe();
}
template <typename T>
std::string error_field(const Result<T>& r) {
  return r.ok() ? "(ok)" : r.error().field;
}

std::string yuan(std::int64_t y) { return text(money_text_yuan(y)); }

// ---- money -------------------------------------------------------------

TEST(BulletinWordingMoney, IssueExamplesVerbatim) {
  EXPECT_EQ(yuan(99'000'000), "9900万元");
  EXPECT_EQ(yuan(990'123'456), "9.9亿余元");
  EXPECT_EQ(yuan(12'456'000), "1245.6万元");  // 1,245.6 万元 exactly
}

TEST(BulletinWordingMoney, SeedFiguresFromTheirAmounts) {
  // Jinan 2023: 止付涉案金额9.9亿余元, 冻结涉案金额1245.6万余元.
  EXPECT_EQ(yuan(993'456'789), "9.9亿余元");
  EXPECT_EQ(yuan(12'456'789), "1245.6万余元");
  // Wenzhou 2022: 涉案资金达2000万元; Liaocheng 2024: 领回被骗的5万元现金.
  EXPECT_EQ(yuan(20'000'000), "2000万元");
  EXPECT_EQ(yuan(50'000), "5万元");
  // DOMAIN.md: "3 million yuan returned" (seeds: 300余万元) from exactly 3,000,000.
  EXPECT_EQ(yuan(3'000'000), "300万元");
}

TEST(BulletinWordingMoney, YuIsAfterTheUnitAndOnlyWhenSomethingWasDropped) {
  // The seeds' hand-written "300余万元" (余 before 万) is coarser than one
  // decimal; a record total of 3,045,678 元 reads 304.5万余元.
  EXPECT_EQ(yuan(3'045'678), "304.5万余元");
  EXPECT_EQ(yuan(3'040'000), "304万元");
  EXPECT_EQ(yuan(3'040'001), "304万余元");
  // One fen above a round figure is still "something dropped".
  EXPECT_EQ(text(money_text(1'000'000 + 1)), "1万余元");
  EXPECT_EQ(text(money_text(10'000'000'000 + 1)), "1亿余元");
}

TEST(BulletinWordingMoney, SmallAmountsAreExactYuanWithFen) {
  EXPECT_EQ(yuan(0), "0元");
  EXPECT_EQ(yuan(1), "1元");
  EXPECT_EQ(yuan(9'999), "9999元");
  EXPECT_EQ(text(money_text(123'450)), "1234.5元");
  EXPECT_EQ(text(money_text(123'456)), "1234.56元");
  EXPECT_EQ(text(money_text(1)), "0.01元");
  EXPECT_EQ(text(money_text(999'999)), "9999.99元");  // one fen below 1万元
}

TEST(BulletinWordingMoney, BoundariesOfWanAndYiRoundDown) {
  EXPECT_EQ(yuan(10'000), "1万元");
  EXPECT_EQ(yuan(10'999), "1万余元");  // 1.0999万: the decimal is 0
  EXPECT_EQ(yuan(11'000), "1.1万元");
  EXPECT_EQ(yuan(99'999'999), "9999.9万余元");  // never rounded up to 1亿
  EXPECT_EQ(yuan(100'000'000), "1亿元");
  EXPECT_EQ(yuan(999'999'999), "9.9亿余元");
  EXPECT_EQ(yuan(1'234'567'890), "12.3亿余元");
  EXPECT_EQ(text(money_text(kMaxAmountFen)), "100000亿元");
}

TEST(BulletinWordingMoney, OutOfRangeIsAnErrorValue) {
  EXPECT_EQ(error_field(money_text(-1)), "amount");
  EXPECT_EQ(error_field(money_text(kMaxAmountFen + 1)), "amount");
  EXPECT_EQ(error_field(money_text(kMin64)), "amount");
  EXPECT_EQ(error_field(money_text_yuan(-1)), "amount");
  EXPECT_EQ(error_field(money_text_yuan(kMin64)), "amount");  // no overflow on * 100
  EXPECT_EQ(error_field(money_text_yuan(kMax64)), "amount");
  EXPECT_EQ(yuan(kMaxAmountFen / 100), "100000亿元");
}

// ---- counts ------------------------------------------------------------

TEST(BulletinWordingCounts, SeedExactCountsWithTheirMeasureWords) {
  // Jinan 2023.
  EXPECT_EQ(text(count_text(363, MW::kCases)), "363起");
  EXPECT_EQ(text(count_text(368, MW::kPeople)), "368人");
  EXPECT_EQ(text(count_text(44'065, MW::kPeople)), "44065人");  // exact, no comma, no 万
  EXPECT_EQ(text(count_text(42, MW::kTimes)), "42次");
  EXPECT_EQ(text(count_text(1'126, MW::kHouseholds)), "1126户");
  EXPECT_EQ(text(count_text(987, MW::kFirmVisits)), "987家次");
  EXPECT_EQ(text(count_text(15, MW::kPersonsNamed)), "15名");
  // Liaocheng 2024, Wenzhou 2022, Zaozhuang 2024.
  EXPECT_EQ(text(count_text(753, MW::kPlaces)), "753处");
  EXPECT_EQ(text(count_text(413, MW::kFirms)), "413家");
  EXPECT_EQ(text(count_text(2'600, MW::kPersonShifts)), "2600人次");
  EXPECT_EQ(text(count_text(96, MW::kPlaces)), "96处");
  EXPECT_EQ(text(count_text(0, MW::kCases)), "0起");
  EXPECT_EQ(text(count_text(1, MW::kPeople)), "1人");
  EXPECT_EQ(text(count_text(123'456'789, MW::kPeople)), "123456789人");  // exact stays exact
}

TEST(BulletinWordingCounts, SeedApproximateCountsInWan) {
  EXPECT_EQ(text(count_text(23'456, MW::kCopies, kApprox)), "2.3万余份");          // Zaozhuang
  EXPECT_EQ(text(count_text(20'456, MW::kPeople, kApprox)), "2万余人");            // Zaozhuang
  EXPECT_EQ(text(count_text(12'345, MW::kPersonShifts, kApprox)), "1.2万余人次");  // Zaozhuang
  EXPECT_EQ(text(count_text(42'345, MW::kPersonShifts, kApprox)), "4.2万余人次");  // Liaocheng
  EXPECT_EQ(text(count_text(13'210, MW::kVehicleShifts, kApprox)), "1.3万余辆次");
  EXPECT_EQ(text(count_text(50'321, MW::kPersonShifts, kApprox)), "5万余人次");
  EXPECT_EQ(text(count_text(49'012, MW::kFirms, kApprox)), "4.9万余家");
  EXPECT_EQ(text(count_text(10'234, MW::kCases, kApprox)), "1万余起");  // 查处交通违法行为1万余起
  EXPECT_EQ(text(count_text(10'000, MW::kCases, kApprox)), "1万起");  // 查处重点违法1万起
}

TEST(BulletinWordingCounts, SeedApproximateCountsBelowWan) {
  EXPECT_EQ(text(count_text(765, MW::kPeople, kApprox)), "760余人");    // 抓获…760余人
  EXPECT_EQ(text(count_text(503, MW::kCases, kApprox)), "500余起");     // 破案500余起
  EXPECT_EQ(text(count_text(157, MW::kEntries, kApprox)), "150余条");   // 专题信息150余条
  EXPECT_EQ(text(count_text(2'436, MW::kItems, kApprox)), "2400余个");  // 出租房屋2400余个
  EXPECT_EQ(text(count_text(1'850, MW::kPersonShifts, kApprox)), "1800余人次");
  EXPECT_EQ(text(count_text(305, MW::kPersonsNamed, kApprox)), "300余名");  // 300余名巡防警力
  EXPECT_EQ(text(count_text(85, MW::kTimes, kApprox)), "80余次");           // 亮屏行动80余次
}

TEST(BulletinWordingCounts, YuBoundariesOfTheApproximateStyle) {
  EXPECT_EQ(text(count_text(0, MW::kPlaces, kApprox)), "0处");
  EXPECT_EQ(text(count_text(9, MW::kPlaces, kApprox)), "9处");   // below 10: exact
  EXPECT_EQ(text(count_text(10, MW::kTimes, kApprox)), "10次");  // round: no 余
  EXPECT_EQ(text(count_text(12, MW::kCases, kApprox)), "10余起");
  EXPECT_EQ(text(count_text(999, MW::kCases, kApprox)), "990余起");
  EXPECT_EQ(text(count_text(1'000, MW::kCases, kApprox)), "1000起");
  EXPECT_EQ(text(count_text(1'099, MW::kCases, kApprox)), "1000余起");
  EXPECT_EQ(text(count_text(9'999, MW::kCases, kApprox)), "9900余起");
  EXPECT_EQ(text(count_text(10'999, MW::kCases, kApprox)), "1万余起");
  EXPECT_EQ(text(count_text(99'999'999, MW::kPeople, kApprox)), "9999.9万余人");
  EXPECT_EQ(text(count_text(100'000'000, MW::kPeople, kApprox)), "1亿人");
  EXPECT_EQ(text(count_text(kMax64, MW::kPeople, kApprox)), "92233720368.5亿余人");
}

TEST(BulletinWordingCounts, NegativeCountIsAnErrorValue) {
  EXPECT_EQ(error_field(count_text(-1, MW::kCases)), "count");
  EXPECT_EQ(error_field(count_text(kMin64, MW::kCases, kApprox)), "count");
}

TEST(BulletinWordingCounts, MeasureWordsRoundTrip) {
  for (MW w : {MW::kCases, MW::kPeople, MW::kPersonsNamed, MW::kPlaces, MW::kFirms, MW::kFirmVisits,
               MW::kTimes, MW::kPersonShifts, MW::kVehicleShifts, MW::kCopies, MW::kHouseholds,
               MW::kItems, MW::kEntries}) {
    auto parsed = parse_measure_word(measure_word_text(w));
    ASSERT_TRUE(parsed.ok()) << measure_word_text(w);
    EXPECT_EQ(*parsed, w);
  }
  EXPECT_EQ(measure_word_text(MW::kFirmVisits), "家次");
  auto bad = parse_measure_word("吨");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("'吨'"), std::string::npos);
}

// ---- changes -----------------------------------------------------------

TEST(BulletinWordingChanges, IssueExampleFromAPercent) {
  EXPECT_EQ(text(direction_text(-14.934)), "下降14.93%");
  EXPECT_EQ(text(change_phrase_from_percent(kYoY, -14.934)), "同比下降14.93%");
  EXPECT_EQ(text(change_phrase_from_percent(kYoY, 12.5)), "同比上升12.50%");
}

TEST(BulletinWordingChanges, JinanIncidentChangesFromCounts) {
  // 1,618 criminal incidents against 1,902 a year earlier: -14.9316%;
  // 4,039 public-order incidents against 4,900: -17.5714%.
  EXPECT_EQ(text(change_phrase(kYoY, 1'618, 1'902, MW::kCases)), "同比下降14.93%");
  EXPECT_EQ(text(change_phrase(kYoY, 4'039, 4'900, MW::kCases)), "同比下降17.57%");
  // The seed's sentence: 刑事警情、治安警情同比分别下降14.93%、17.57%.
  EXPECT_EQ(text(joint_change_phrase(kYoY, {{1'618, 1'902}, {4'039, 4'900}})),
            "同比分别下降14.93%、17.57%");
}

TEST(BulletinWordingChanges, WenzhouAndNationalChangesAlwaysWithTwoDecimals) {
  EXPECT_EQ(text(change_phrase(kYoY, 85, 100, MW::kCases)), "同比下降15.00%");  // 总警情同比下降15%
  EXPECT_EQ(text(change_phrase(kYoY, 151, 100, MW::kPeople)), "同比上升51.00%");  // 同比上升51%
  EXPECT_EQ(text(change_phrase(kYoY, 138, 100, MW::kPeople)), "同比上升38.00%");
  EXPECT_EQ(text(change_phrase(kYoY, 95, 100, MW::kCases)), "同比下降5.00%");  // 接报警情同比下降5%
  EXPECT_EQ(text(change_phrase(kYoY, 9, 8, MW::kCases)), "同比上升12.50%");
  EXPECT_EQ(text(change_phrase(kPoP, 300, 100, MW::kCases)), "环比上升200.00%");
  EXPECT_EQ(text(change_phrase(kYoY, 0, 100, MW::kCases)), "同比下降100.00%");
}

TEST(BulletinWordingChanges, NoChangeAndChangesThatRoundToZeroReadChiPing) {
  EXPECT_EQ(text(change_phrase(kPoP, 100, 100, MW::kCases)), "环比持平");
  EXPECT_EQ(text(change_phrase_from_percent(kYoY, -0.004)), "同比持平");  // never 下降0.00%
  EXPECT_EQ(text(change_phrase_from_percent(kYoY, 0.004)), "同比持平");
  // -0.0005% from counts: 199,999 against 200,000.
  EXPECT_EQ(text(change_phrase(kPoP, 199'999, 200'000, MW::kCases)), "环比持平");
}

TEST(BulletinWordingChanges, HalvesRoundAwayFromZero) {
  // Exactly -0.005% and +0.005% from counts.
  EXPECT_EQ(text(change_phrase(kYoY, 19'999, 20'000, MW::kCases)), "同比下降0.01%");
  EXPECT_EQ(text(change_phrase(kYoY, 20'001, 20'000, MW::kCases)), "同比上升0.01%");
  // Exactly 12.345% (2,469 more than 20,000) and -12.345%.
  EXPECT_EQ(change_hundredths(22'469, 20'000).value(), 1235);
  EXPECT_EQ(change_hundredths(17'531, 20'000).value(), -1235);
  EXPECT_EQ(text(direction_text(-0.005)), "下降0.01%");
  EXPECT_EQ(text(direction_text(12.345)), "上升12.35%");  // the double is 12.3449999...
  EXPECT_EQ(text(direction_text(-12.345)), "下降12.35%");
  EXPECT_EQ(text(direction_text(12.344999)), "上升12.34%");
}

TEST(BulletinWordingChanges, ZeroBaseGivesTheAbsoluteChange) {
  EXPECT_EQ(text(change_phrase(kYoY, 0, 0, MW::kCases)), "同比持平");
  EXPECT_EQ(text(change_phrase(kYoY, 5, 0, MW::kCases)), "同比增加5起(上年同期为0)");
  EXPECT_EQ(text(change_phrase(kPoP, 12, 0, MW::kPeople)), "环比增加12人(上期为0)");
  EXPECT_EQ(text(money_change_phrase(kYoY, 3'000'000, 0)), "同比增加3万元(上年同期为0)");
  EXPECT_EQ(text(money_change_phrase(kYoY, 0, 0)), "同比持平");
  EXPECT_EQ(error_field(change_hundredths(5, 0)), "base");
}

TEST(BulletinWordingChanges, MoneyChanges) {
  // Fraud losses -34% (Wenzhou 2022): 6.6万元 against 10万元.
  EXPECT_EQ(text(money_change_phrase(kYoY, 6'600'000, 10'000'000)), "同比下降34.00%");
  EXPECT_EQ(error_field(money_change_phrase(kYoY, -1, 100)), "amount");
  EXPECT_EQ(error_field(money_change_phrase(kYoY, 100, -1)), "base");
}

TEST(BulletinWordingChanges, JointPhraseWithMixedDirections) {
  EXPECT_EQ(text(joint_change_phrase(kYoY, {{1'618, 1'902}, {102, 100}})),
            "同比分别下降14.93%、上升2.00%");
  EXPECT_EQ(text(joint_change_phrase(kPoP, {{100, 100}, {90, 100}, {110, 100}})),
            "环比分别持平、下降10.00%、上升10.00%");
  EXPECT_EQ(text(joint_change_phrase(kYoY, {{110, 100}, {125, 100}})),
            "同比分别上升10.00%、25.00%");
  EXPECT_EQ(error_field(joint_change_phrase(kYoY, {{1, 2}})), "changes");
  EXPECT_EQ(error_field(joint_change_phrase(kYoY, {{1, 2}, {3, 0}})), "changes[1].base");
  EXPECT_EQ(error_field(joint_change_phrase(kYoY, {{-1, 2}, {3, 4}})), "changes[0].current");
}

TEST(BulletinWordingChanges, OutOfRangeIsAnErrorValue) {
  EXPECT_EQ(error_field(direction_text(std::nan(""))), "percent");
  EXPECT_EQ(error_field(direction_text(std::numeric_limits<double>::infinity())), "percent");
  EXPECT_EQ(error_field(direction_text(-std::numeric_limits<double>::infinity())), "percent");
  EXPECT_EQ(error_field(direction_text(1e13)), "percent");
  EXPECT_EQ(error_field(change_phrase(kYoY, -1, 10, MW::kCases)), "current");
  EXPECT_EQ(error_field(change_phrase(kYoY, 1, -10, MW::kCases)), "base");
  EXPECT_EQ(error_field(change_hundredths(kMax64, 1)), "current");  // beyond 10^13 %
  EXPECT_EQ(change_hundredths(kMax64, kMax64).value(), 0);          // no overflow inside
  EXPECT_EQ(percent_text(kMin64), "92233720368547758.08%");
}

// ---- rates -------------------------------------------------------------

TEST(BulletinWordingRates, JinanResolutionRate) {
  // 排查矛盾纠纷383起, 化解369起, 化解率达96.34% (369/383 = 96.3446...%).
  EXPECT_EQ(text(rate_phrase("化解率", 369, 383)), "化解率达96.34%");
  EXPECT_EQ(text(rate_text(369, 383)), "96.34%");
}

TEST(BulletinWordingRates, HalfRoundsAwayFromZeroComputedExactly) {
  // 19,267 of 20,000 is exactly 96.335%: 96.34%, where the double 96.335
  // printed with two decimals gives 96.33 (it is 96.33499999...).
  EXPECT_EQ(text(rate_text(19'267, 20'000)), "96.34%");
  EXPECT_EQ(fmt::format("{:.2f}", 96.335), "96.33");
  // 96.345% exactly: half away from zero gives 96.35 (half to even would give 96.34).
  EXPECT_EQ(text(rate_text(19'269, 20'000)), "96.35%");
  EXPECT_EQ(text(rate_text(19'266, 20'000)), "96.33%");  // 96.330
  EXPECT_EQ(text(rate_text(0, 383)), "0.00%");
  EXPECT_EQ(text(rate_text(383, 383)), "100.00%");
  EXPECT_EQ(text(rate_text(1, 3)), "33.33%");
  EXPECT_EQ(text(rate_text(2, 3)), "66.67%");
  EXPECT_EQ(text(rate_text(6, 5)), "120.00%");  // a part above the whole is allowed
}

TEST(BulletinWordingRates, OutOfRangeIsAnErrorValue) {
  EXPECT_EQ(error_field(rate_text(1, 0)), "whole");
  EXPECT_EQ(error_field(rate_text(-1, 3)), "part");
  EXPECT_EQ(error_field(rate_text(1, -3)), "whole");
  EXPECT_EQ(error_field(rate_text(kMax64, 1)), "part");
  EXPECT_EQ(error_field(rate_phrase("", 1, 2)), "name");
}

// ---- ranks and numerals --------------------------------------------------

TEST(BulletinWordingRanks, SeedRankPhrase) {
  // DOMAIN.md, Wenzhou 2022: 全市排名第一; the brief's 位列全市第一.
  EXPECT_EQ(text(rank_phrase("全市", 1)), "位列全市第一");
  EXPECT_EQ(text(rank_phrase("全区", 3)), "位列全区第三");
  EXPECT_EQ(text(rank_phrase("全市", 2, true)), "并列全市第二");
  EXPECT_EQ(error_field(rank_phrase("", 1)), "scope");
  EXPECT_EQ(error_field(rank_phrase("全市", 0)), "rank");
  EXPECT_EQ(error_field(rank_phrase("全市", -1)), "rank");
}

TEST(BulletinWordingRanks, ChineseNumerals) {
  EXPECT_EQ(text(chinese_numeral(1)), "一");
  EXPECT_EQ(text(chinese_numeral(9)), "九");
  EXPECT_EQ(text(chinese_numeral(10)), "十");
  EXPECT_EQ(text(chinese_numeral(12)), "十二");
  EXPECT_EQ(text(chinese_numeral(16)), "十六");  // 第十六次集中统一清查行动
  EXPECT_EQ(text(chinese_numeral(20)), "二十");
  EXPECT_EQ(text(chinese_numeral(21)), "二十一");
  EXPECT_EQ(text(chinese_numeral(100)), "一百");
  EXPECT_EQ(text(chinese_numeral(101)), "一百零一");
  EXPECT_EQ(text(chinese_numeral(110)), "一百一十");
  EXPECT_EQ(text(chinese_numeral(1001)), "一千零一");
  EXPECT_EQ(text(chinese_numeral(1010)), "一千零一十");
  EXPECT_EQ(text(chinese_numeral(2024)), "二千零二十四");
  EXPECT_EQ(text(chinese_numeral(9999)), "九千九百九十九");
  EXPECT_EQ(error_field(chinese_numeral(10'000)), "number");
  EXPECT_EQ(error_field(chinese_numeral(0)), "number");
}

// ---- the opening of the period -------------------------------------------

CivilTime day(int y, int m, int d) { return CivilTime{y, m, d, 0, 0, 0}; }

TEST(BulletinWordingPeriod, CampaignStartReadsXingDongKaiZhanYiLai) {
  // Jinan 2023: 行动开展以来, for a period that starts with the campaign.
  EXPECT_EQ(text(period_opening(day(2023, 6, 1), day(2023, 6, 1), day(2023, 8, 24))),
            "行动开展以来");
  CivilTime start_with_time = day(2023, 6, 1);
  start_with_time.hour = 9;  // the time of day is ignored
  EXPECT_EQ(text(period_opening(start_with_time, day(2023, 6, 1), day(2023, 6, 1))),
            "行动开展以来");
}

TEST(BulletinWordingPeriod, OtherPeriods) {
  // Zaozhuang 2024: 今年以来.
  EXPECT_EQ(text(period_opening(day(2024, 6, 1), day(2024, 1, 1), day(2024, 8, 29))), "今年以来");
  EXPECT_EQ(text(period_opening(day(2024, 5, 5), day(2024, 6, 24), day(2024, 8, 29))),
            "6月24日至8月29日");
  EXPECT_EQ(text(period_opening(day(2024, 5, 5), day(2023, 12, 1), day(2024, 1, 31))),
            "2023年12月1日至2024年1月31日");
}

TEST(BulletinWordingPeriod, BadDatesAreErrorValues) {
  EXPECT_EQ(error_field(period_opening(day(2023, 2, 29), day(2023, 6, 1), day(2023, 6, 2))),
            "campaign_start");
  EXPECT_EQ(error_field(period_opening(day(2023, 6, 1), day(2023, 13, 1), day(2023, 6, 2))),
            "from");
  EXPECT_EQ(error_field(period_opening(day(2023, 6, 1), day(2023, 6, 1), day(2023, 6, 31))),
            "last_day");
  EXPECT_EQ(error_field(period_opening(day(2023, 6, 1), day(2023, 6, 2), day(2023, 6, 1))),
            "last_day");
}

}  // namespace
}  // namespace pingan
