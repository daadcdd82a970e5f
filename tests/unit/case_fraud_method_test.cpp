// Fraud methods (电诈手法, issue 20: "reported fraud cases with amounts and
// method"): the method list as data, the rule that only fraud types carry
// one, and the case figures by method, from constructed cases whose true
// values are known.

#include <gtest/gtest.h>

#include <deque>
#include <fstream>
#include <sstream>

#include "case/case_figures.h"
#include "case/case_index.h"
#include "core/fraud_methods.h"
#include "core/taxonomy.h"
#include "engine/engine.h"
#include "test_store.h"
#include "test_support.h"

namespace pingan {
namespace {

std::string shipped(const char* file) {
  std::ifstream in(shipped_data_dir() + "/" + file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

CaseTypes shipped_types() { return CaseTypes::parse_csv(shipped(kCaseTypesFile), kCaseTypesFile).value(); }
FraudMethods shipped_methods() {
  return FraudMethods::parse_csv(shipped(kFraudMethodsFile), kFraudMethodsFile).value();
}

TEST(FraudMethodsFile, TheShippedListLoadsWithTheMethodsBulletinsName) {
  const FraudMethods methods = shipped_methods();
  ASSERT_NE(methods.find("brushing_rebate"), nullptr);
  EXPECT_EQ(methods.find("brushing_rebate")->name_zh, "刷单返利");
  EXPECT_EQ(methods.find("fake_customer_service")->name_zh, "冒充电商物流客服");
  EXPECT_EQ(methods.find("fake_authorities")->name_zh, "冒充公检法");
  EXPECT_NE(methods.find("other"), nullptr);
  EXPECT_EQ(methods.find("pickpocketing"), nullptr);
}

TEST(FraudMethodsFile, BadRowsNameTheLineAndColumn) {
  const std::string header = "code,name_zh,name_en\n";
  auto err = [](const std::string& text) { return FraudMethods::parse_csv(text, "m.csv").error(); };
  EXPECT_EQ(err("code,name\n").field, "header");
  Error twice = err(header + "a,甲,A\na,乙,B\n");
  EXPECT_EQ(twice.field, "code");
  EXPECT_NE(twice.message.find("m.csv:3:"), std::string::npos) << twice.message;
  EXPECT_NE(twice.message.find("named twice"), std::string::npos);
  EXPECT_EQ(err(header + "Bad-Code,甲,A\n").field, "code");
  EXPECT_EQ(err(header + "a,,A\n").field, "name_zh");
  EXPECT_EQ(err(header + "a,甲\n").field, "header");
  EXPECT_EQ(err("").field, "header");
}

TEST(FraudMethodsRule, OnlyAFraudTypeTakesAMethodAndOnlyAKnownOne) {
  const CaseTypes types = shipped_types();
  const FraudMethods methods = shipped_methods();
  CaseRecord c;
  c.type_code = "telecom_fraud_case";
  EXPECT_TRUE(check_fraud_method(c, types, methods).ok()) << "a fraud case may not know its method yet";
  c.fraud_method = "brushing_rebate";
  EXPECT_TRUE(check_fraud_method(c, types, methods).ok());
  c.type_code = "elderly_fraud_case";
  EXPECT_TRUE(check_fraud_method(c, types, methods).ok());
  c.fraud_method = "crystal_ball";
  Error unknown = check_fraud_method(c, types, methods).error();
  EXPECT_EQ(unknown.field, "fraud_method");
  EXPECT_NE(unknown.message.find("crystal_ball"), std::string::npos);
  c.type_code = "burglary";
  c.fraud_method = "brushing_rebate";
  Error theft = check_fraud_method(c, types, methods).error();
  EXPECT_EQ(theft.field, "fraud_method");
  EXPECT_NE(theft.message.find("burglary"), std::string::npos) << theft.message;
}

// 60 telecom fraud cases in June 2024 at station S1: 21 刷单返利 (loss
// 1,000 元 each), 9 冒充客服 (5,000 元 each), 30 without a method yet (200 元
// each); distractors: a 刷单返利 case in May, a withdrawn one in June, and a
// burglary in June with money involved.
class CaseFiguresByMethod : public ::testing::Test {
 protected:
  CaseFiguresByMethod() : index(shipped_types(), units(), zone(), shipped_methods()) {
    const Timestamp june = at(2024, 6, 1);
    for (int i = 0; i < 60; ++i) {
      const char* method = i < 21 ? "brushing_rebate" : i < 30 ? "fake_customer_service" : "";
      const Fen loss = i < 21 ? 100'000 : i < 30 ? 500'000 : 20'000;
      add("telecom_fraud_case", method, june + i * 3600, loss);
    }
    add("telecom_fraud_case", "brushing_rebate", at(2024, 5, 20), 100'000);
    add("telecom_fraud_case", "brushing_rebate", june + 7200, 100'000).record.status = CaseStatus::kWithdrawn;
    add("burglary", "", june + 3600, 300'000);
  }

  static const TimeZone& zone() {
    static const TimeZone z = *TimeZone::locate("Asia/Shanghai");
    return z;
  }
  static Timestamp at(int y, int m, int d) { return zone().to_utc(CivilTime{y, m, d, 0, 0, 0}); }
  static std::shared_ptr<const UnitTree> units() {
    Unit c, s;
    c.code = "C";
    c.name = "市局";
    c.kind = UnitKind::kBureau;
    s.code = "S1";
    s.name = "一所";
    s.kind = UnitKind::kStation;
    s.parent_code = "C";
    return std::make_shared<const UnitTree>(UnitTree::build({c, s}).value());
  }
  CaseBundle& add(const char* type, const char* method, Timestamp opened, Fen loss) {
    CaseBundle& b = bundles.emplace_back();
    b.record.id = static_cast<CaseId>(bundles.size());
    b.record.case_number = "A" + std::to_string(b.record.id);
    b.record.type_code = type;
    b.record.fraud_method = method;
    b.record.unit_code = "S1";
    b.record.opened_at = opened;
    b.record.money_involved_fen = loss;
    return b;
  }
  cases::FigureAnswer ask(const char* figure, std::vector<std::string> methods, bool by_method = false) {
    for (const CaseBundle& b : bundles) index.apply(b);
    cases::FigureQuery q;
    q.name = figure;
    q.unit = "C";
    q.groups = {"telecom_fraud"};
    q.fraud_methods = std::move(methods);
    q.by_method = by_method;
    q.from = at(2024, 6, 1);
    q.to = at(2024, 7, 1);
    auto a = cases::query_figure(index, q);
    EXPECT_TRUE(a.ok()) << (a.ok() ? "" : a.error().describe());
    return a.ok() ? *a : cases::FigureAnswer{};
  }

  std::deque<CaseBundle> bundles;
  cases::CaseIndex index;
};

TEST_F(CaseFiguresByMethod, CountsAndLossesOfOneMethod) {
  EXPECT_EQ(ask("cases_opened", {}).value, 60);
  EXPECT_EQ(ask("cases_opened", {"brushing_rebate"}).value, 21);
  EXPECT_EQ(ask("cases_opened", {"brushing_rebate", "fake_customer_service"}).value, 30);
  EXPECT_EQ(ask("case_money_involved_fen", {}).value, 21 * 100'000 + 9 * 500'000 + 30 * 20'000);
  EXPECT_EQ(ask("case_money_involved_fen", {"fake_customer_service"}).value, 9 * 500'000);
  // 同比 and 环比 go by method too: one 刷单返利 case in May.
  EXPECT_EQ(ask("cases_opened", {"brushing_rebate"}).previous.value, 1);
}

TEST_F(CaseFiguresByMethod, SplitByMethodLargestFirstWithTheCasesOfNoMethod) {
  const cases::FigureAnswer a = ask("cases_opened", {}, /*by_method=*/true);
  ASSERT_EQ(a.methods.size(), 3u);
  EXPECT_EQ(a.methods[0].code, "");
  EXPECT_EQ(a.methods[0].value, 30);
  EXPECT_EQ(a.methods[1].code, "brushing_rebate");
  EXPECT_EQ(a.methods[1].name_zh, "刷单返利");
  EXPECT_EQ(a.methods[1].value, 21);
  EXPECT_EQ(a.methods[2].code, "fake_customer_service");
  EXPECT_EQ(a.methods[2].value, 9);
  const cases::FigureAnswer money = ask("case_money_involved_fen", {}, true);
  ASSERT_EQ(money.methods.size(), 3u);
  EXPECT_EQ(money.methods[0].code, "fake_customer_service");
  EXPECT_EQ(money.methods[0].value, 4'500'000);
}

TEST_F(CaseFiguresByMethod, AnUnknownMethodOrAMethodOnAFigureOfNoCasesIsRefused) {
  for (const CaseBundle& b : bundles) index.apply(b);
  cases::FigureQuery q;
  q.name = "cases_opened";
  q.fraud_methods = {"crystal_ball"};
  q.from = at(2024, 6, 1);
  q.to = at(2024, 7, 1);
  auto unknown = cases::query_figure(index, q);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().field, "method");
  q.name = "dissuaded";
  q.fraud_methods = {"brushing_rebate"};
  auto no_cases = cases::query_figure(index, q);
  ASSERT_FALSE(no_cases.ok());
  EXPECT_EQ(no_cases.error().field, "method");
}

// Through the engine and the store (both backends): the method is kept and
// read back; a wrong one is a 400 on the field with nothing stored.
TEST(CaseFraudMethodEngine, TheMethodIsStoredAndAWrongOneStoresNothing) {
  testing::TempDir dir;
  auto opened = Engine::open(EngineConfig{testing::test_store_location(dir, "fraud.db"), "", "Asia/Shanghai"});
  ASSERT_TRUE(opened.ok()) << opened.error().describe();
  std::unique_ptr<Engine> engine = std::move(opened).value();
  Unit bureau;
  bureau.code = "JN";
  bureau.name = "济南市公安局";
  bureau.kind = UnitKind::kBureau;
  ASSERT_TRUE(engine->upsert_units({bureau}).ok());
  auto make = [](const char* number, const char* type, const char* method) {
    CaseRecord c;
    c.source = "api";
    c.case_number = number;
    c.source_id = number;
    c.type_code = type;
    c.unit_code = "JN";
    c.opened_at = now_utc() - 3600;
    c.fraud_method = method;
    return c;
  };
  auto stored = engine->cases().open_case(make("F1", "telecom_fraud_case", "fake_authorities"), UnitScope::everything(),
                                          "张警官");
  ASSERT_TRUE(stored.ok()) << stored.error().describe();
  auto read = engine->cases().get_case(stored->id, UnitScope::everything());
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->fraud_method, "fake_authorities");
  for (auto [number, type, method] : {std::tuple{"F2", "burglary", "brushing_rebate"},
                                      std::tuple{"F3", "telecom_fraud_case", "crystal_ball"}}) {
    auto refused = engine->cases().open_case(make(number, type, method), UnitScope::everything(), "张警官");
    ASSERT_FALSE(refused.ok()) << number;
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(refused.error().field, "fraud_method");
    EXPECT_FALSE(engine->cases().get_case_by_number(number, UnitScope::everything()).ok()) << number << " was stored";
  }
}

}  // namespace
}  // namespace pingan
