// The case list as .xlsx (issue 22, report/case_export.h), on SQLite and, in
// the `pg.` run, on PostgreSQL: cases opened, stepped, given suspects and
// fraud money through the engine, exported, read back by LibreOffice as CSV,
// and every row and cell compared with what GET /api/cases (case_to_json)
// and GET /api/cases/{id} (case_detail_json: the parties and the money) say
// of the same records; the suspects masked unless revealed; the totals; the
// filters; and the cap refused with the count.

#include "report/case_export.h"

#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include "engine/engine.h"
#include "ingest/csv_reader.h"
#include "json/case_json.h"
#include "test_store.h"
#include "test_support.h"
#include "xlsx_test_support.h"

namespace pingan::testing {
namespace {

constexpr Timestamp kT0 = 1'780'272'000;  // 2026-06-01T00:00:00Z, 08:00 in Asia/Shanghai
constexpr Timestamp kDay = 86'400;

Unit named_unit(std::string code, std::string name, std::string parent, UnitKind kind) {
  Unit u = test_unit(std::move(code), std::move(parent), kind);
  u.name = std::move(name);
  return u;
}

std::string local_text(const nlohmann::json& iso) {
  if (iso.is_null()) return "";
  std::string s = iso.get<std::string>().substr(0, 19);
  s[10] = ' ';
  return s;
}

// Fen as LibreOffice shows the money format: 123456.78 yuan is "123,456.78".
std::string yuan_text(std::int64_t fen) {
  std::string whole = std::to_string(fen / 100);
  for (int at = static_cast<int>(whole.size()) - 3; at > 0; at -= 3) whole.insert(static_cast<size_t>(at), ",");
  return fmt::format("{}.{:02}", whole, fen % 100);
}

class CaseExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Engine::open(EngineConfig{test_store_location(dir_, "cases.db"), "", "Asia/Shanghai"});
    ASSERT_TRUE(opened.ok()) << opened.error().describe();
    engine_ = std::move(opened).value();
    ASSERT_TRUE(engine_
                    ->upsert_units({named_unit("JN", "示范分局", "", UnitKind::kBureau),
                                    named_unit("JN-S1", "城东派出所", "JN", UnitKind::kStation),
                                    named_unit("JN-S2", "城西派出所", "JN", UnitKind::kStation)})
                    .ok());
    const UnitScope all = UnitScope::everything();
    CaseRecord fraud;
    fraud.case_number = "A2026-001";
    fraud.type_code = "telecom_fraud_case";
    fraud.fraud_method = "brushing_rebate";
    fraud.unit_code = "JN-S1";
    fraud.summary = "刷单返利被骗";
    fraud.opened_at = kT0;
    fraud.money_involved_fen = 12'345'678;
    fraud.flags.major = true;
    fraud.flags.gang = true;
    auto a = engine_->cases().open_case(fraud, all, "民警 周七");
    ASSERT_TRUE(a.ok()) << a.error().describe();
    for (const char* name : {"张三", "李四"}) {
      Person p;
      p.name = name;
      ASSERT_TRUE(engine_->cases().add_party(a->id, all, p, PersonRole::kSuspect, "民警 周七").ok());
    }
    Person victim;
    victim.name = "王五";
    ASSERT_TRUE(engine_->cases().add_party(a->id, all, victim, PersonRole::kVictim, "民警 周七").ok());
    for (auto [kind, fen] : {std::pair{FraudMoneyKind::kStopped, 500'000}, std::pair{FraudMoneyKind::kFrozen, 300'050},
                             std::pair{FraudMoneyKind::kReturned, 200'000}}) {
      FraudMoneyEntry e;
      e.case_id = a->id;
      e.kind = kind;
      e.amount_fen = fen;
      e.at = kT0 + kDay;
      e.unit_code = "JN-S1";
      e.actor = "民警 周七";
      auto added = engine_->cases().add_money(e, all);
      ASSERT_TRUE(added.ok()) << added.error().describe();
    }
    for (auto [to, at] : {std::pair{CaseStatus::kInvestigating, kT0 + kDay}, std::pair{CaseStatus::kSolved, kT0 + 2 * kDay}}) {
      CaseStepRequest step;
      step.to = to;
      step.at = at;
      step.actor = "民警 周七";
      auto stepped = engine_->cases().step_case(a->id, all, step);
      ASSERT_TRUE(stepped.ok()) << stepped.error().describe();
    }
    CaseRecord theft;
    theft.case_number = "B2026-002";
    theft.type_code = "admin_theft";
    theft.unit_code = "JN-S2";
    theft.summary = "超市小额盗窃";
    theft.opened_at = kT0 + kDay;
    theft.money_involved_fen = 9'900;
    auto b = engine_->cases().open_case(theft, all, "民警 吴八");
    ASSERT_TRUE(b.ok()) << b.error().describe();
    ids_ = {a->id, b->id};
  }

  // What the list and the detail routes say of the cases of `filter`, in the list's order.
  std::vector<nlohmann::json> list_json(CaseFilter filter) {
    filter.limit = 1000;
    auto page = engine_->cases().list_cases(filter);
    EXPECT_TRUE(page.ok()) << page.error().describe();
    std::vector<nlohmann::json> out;
    if (!page.ok()) return out;
    for (const CaseRecord& c : page->cases) {
      auto bundle = engine_->cases().case_detail(c.id, filter.scope);
      EXPECT_TRUE(bundle.ok());
      std::map<PersonId, Person> persons;
      for (const CaseParty& p : bundle->parties) persons.emplace(p.person_id, engine_->cases().get_person(p.person_id).value());
      nlohmann::json j = case_to_json(c, engine_->cases().rules(), engine_->time_zone());
      const nlohmann::json detail = case_detail_json(*bundle, persons, engine_->cases().rules(), engine_->time_zone());
      j["parties"] = detail["parties"];
      j["money"] = detail["money"];
      out.push_back(std::move(j));
    }
    return out;
  }

  std::vector<std::vector<std::string>> exported(const report::CaseExportOptions& options) {
    auto units = engine_->units();
    auto sheet = report::case_sheet(engine_->cases(), units.get(), engine_->time_zone(), options);
    EXPECT_TRUE(sheet.ok()) << sheet.error().describe();
    if (!sheet.ok()) return {};
    const std::string path = dir_.file(fmt::format("cases-{}.xlsx", ++files_));
    Status written = report::write_xlsx(path, {*sheet});
    EXPECT_TRUE(written.ok()) << written.error().describe();
    const std::string csv =
        libreoffice_convert(path, "csv:Text - txt - csv (StarCalc):44,34,76,1", "csv", dir_.path().string());
    return csv.empty() ? std::vector<std::vector<std::string>>{} : read_csv(csv);
  }

  TempDir dir_;
  std::unique_ptr<Engine> engine_;
  std::vector<CaseId> ids_;
  int files_ = 0;
};

TEST_F(CaseExportTest, LibreOfficeReadsEveryRowAndCellAsTheListGivesIt) {
  report::CaseExportOptions options;
  const std::vector<nlohmann::json> list = list_json(options.filter);
  ASSERT_EQ(list.size(), 2u);
  const auto rows = exported(options);
  ASSERT_EQ(rows.size(), 4u);  // header, two cases, totals
  EXPECT_EQ(rows[0], (std::vector<std::string>{"案件编号", "立案时间", "破案时间", "案件类别", "案件类型", "作案手段",
                                               "立案单位", "状态", "简要案情", "嫌疑人数", "犯罪嫌疑人",
                                               "涉案金额(元)", "止付(元)", "冻结(元)", "返还(元)", "案件标记",
                                               "关联警情"}));
  const std::map<std::string, std::string> unit_names = {{"JN-S1", "城东派出所"}, {"JN-S2", "城西派出所"}};
  for (size_t i = 0; i < list.size(); ++i) {
    SCOPED_TRACE(list[i].dump());
    const nlohmann::json& j = list[i];
    const std::vector<std::string>& row = rows[i + 1];
    ASSERT_EQ(row.size(), 17u);
    EXPECT_EQ(row[0], j["case_number"]);
    EXPECT_EQ(row[1], local_text(j["times"]["opened_at"]));
    EXPECT_EQ(row[2], local_text(j["times"]["solved_at"]));
    EXPECT_EQ(row[3], j["class_zh"]);
    EXPECT_EQ(row[4], j["type_zh"]);
    EXPECT_EQ(row[5], j["fraud_method_zh"].is_null() ? "" : j["fraud_method_zh"].get<std::string>());
    EXPECT_EQ(row[6], unit_names.at(j["unit"].get<std::string>()));
    EXPECT_EQ(row[7], j["status_zh"]);
    EXPECT_EQ(row[8], j["summary"]);
    std::vector<std::string> suspects;
    for (const auto& p : j["parties"])
      if (p["role"] == "suspect") suspects.push_back(p["person"]["name"].get<std::string>());
    EXPECT_EQ(row[9], std::to_string(suspects.size()));
    EXPECT_EQ(row[10], fmt::format("{}", fmt::join(suspects, "、")));
    EXPECT_EQ(row[11], yuan_text(j["money_involved_fen"]));
    EXPECT_EQ(row[12], yuan_text(j["money"]["stopped_fen"]));
    EXPECT_EQ(row[13], yuan_text(j["money"]["frozen_fen"]));
    EXPECT_EQ(row[14], yuan_text(j["money"]["returned_fen"]));
  }
  // Known values: latest opened first.
  EXPECT_EQ(rows[1][0], "B2026-002");
  EXPECT_EQ(rows[1][3], "行政");  // case_class_name_zh: 行政 (治安) cases
  EXPECT_EQ(rows[1][4], "盗窃(治安)");
  EXPECT_EQ(rows[1][6], "城西派出所");
  EXPECT_EQ(rows[1][9], "0");
  EXPECT_EQ(rows[1][11], "99.00");
  EXPECT_EQ(rows[2][0], "A2026-001");
  EXPECT_EQ(rows[2][1], "2026-06-01 08:00:00");
  EXPECT_EQ(rows[2][2], "2026-06-03 08:00:00");
  EXPECT_EQ(rows[2][3], "刑事");
  EXPECT_EQ(rows[2][4], "电信网络诈骗");
  EXPECT_EQ(rows[2][5], "刷单返利");
  EXPECT_EQ(rows[2][7], "破案");
  EXPECT_EQ(rows[2][9], "2");  // the victim is not a suspect
  EXPECT_EQ(rows[2][10], "张*、李*");
  EXPECT_EQ(rows[2][11], "123,456.78");
  EXPECT_EQ(rows[2][12], "5,000.00");
  EXPECT_EQ(rows[2][13], "3,000.50");
  EXPECT_EQ(rows[2][14], "2,000.00");
  EXPECT_EQ(rows[2][15], "大案要案、团伙");
  // The totals: two cases, two suspects, the sums of the money.
  EXPECT_EQ(rows[3][0], "合计 2 起");
  EXPECT_EQ(rows[3][9], "2");
  EXPECT_EQ(rows[3][11], "123,555.78");
  EXPECT_EQ(rows[3][12], "5,000.00");
  for (const auto& row : rows)
    for (const std::string& cell : row)
      for (const char* clear : {"张三", "李四", "王五"}) EXPECT_EQ(cell.find(clear), std::string::npos) << cell;
}

TEST_F(CaseExportTest, FiltersNarrowTheRowsAndRevealShowsTheNames) {
  report::CaseExportOptions options;
  options.filter.scope = UnitScope::subtree("JN-S1");
  options.filter.case_class = CaseClass::kCriminal;
  ASSERT_EQ(list_json(options.filter).size(), 1u);
  options.reveal = true;
  const auto rows = exported(options);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1][0], "A2026-001");
  EXPECT_EQ(rows[1][10], "张三、李四");
  EXPECT_EQ(rows[2][0], "合计 1 起");

  report::CaseExportOptions later;
  later.filter.opened_from = kT0 + kDay;
  ASSERT_EQ(list_json(later.filter).size(), 1u);
  const auto rows_later = exported(later);
  ASSERT_EQ(rows_later.size(), 3u);
  EXPECT_EQ(rows_later[1][0], "B2026-002");
}

TEST_F(CaseExportTest, MoreRowsThanTheCapAreRefusedWithTheCount) {
  report::CaseExportOptions options;
  options.max_rows = 1;
  auto rows = report::cases_for_export(engine_->cases(), options);
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(rows.error().message.find("holds 2 cases, more than the 1 one workbook takes"), std::string::npos)
      << rows.error().message;
  options.max_rows = 2;
  auto fits = report::cases_for_export(engine_->cases(), options);
  ASSERT_TRUE(fits.ok()) << fits.error().describe();
  EXPECT_EQ(fits->size(), 2u);
}

}  // namespace
}  // namespace pingan::testing
