// The bulletin's figures as a workbook (report/figure_workbook.h, issue 22),
// from records whose true figures are known (jinan_fixture.h): the sheet
// "通报数字" read back by LibreOffice as CSV holds the numbers the Markdown
// bulletin prints — 363 cases solved, 368 suspects, 止付 990,123,456.00 元
// (the bulletin's "9.9亿余元", its wording applied to the cell gives the same
// words), 刑事警情 同比 -14.93%, 化解率 96.34%. The records take ~20 s to
// write: one fixture for the suite.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>

#include "analytics/incident_index.h"
#include "case/case_attach.h"
#include "core/bulletin_template.h"
#include "core/bulletin_wording_amounts.h"
#include "ingest/csv_reader.h"
#include "jinan_fixture.h"
#include "ledger/ledger_attach.h"
#include "report/figure_workbook.h"
#include "test_store.h"
#include "test_support.h"
#include "xlsx_test_support.h"

namespace pingan::testing {
namespace {

namespace fs = std::filesystem;

// Sheet `number` (1-based) of the workbook at `path` as LibreOffice writes
// it to CSV (filter token 12 picks the sheet; the file is then named
// "<stem>-<sheet name>.csv"). Empty after a test failure.
std::string sheet_csv(const std::string& path, int number, const std::string& sheet_name) {
  const fs::path in(path);
  const std::string out_dir = (in.parent_path() / fmt::format("sheet{}", number)).string();
  fs::create_directories(out_dir);
  const std::string filter =
      fmt::format("csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,{}", number);
  if (std::system("command -v libreoffice >/dev/null 2>&1") != 0) {
    ADD_FAILURE() << "libreoffice is not installed: run scripts/install-deps.sh";
    return "";
  }
  const std::string command = fmt::format(
      "timeout 180 libreoffice -env:UserInstallation=file://{}/lo-profile --headless --norestore --convert-to '{}' "
      "--outdir '{}' '{}' >'{}/libreoffice.log' 2>&1",
      out_dir, filter, out_dir, path, out_dir);
  const int rc = std::system(command.c_str());
  const fs::path out = fs::path(out_dir) / (in.stem().string() + "-" + sheet_name + ".csv");
  if (rc != 0 || !fs::exists(out)) {
    ADD_FAILURE() << "LibreOffice did not write " << out << " (exit " << rc << "); see " << out_dir
                  << "/libreoffice.log";
    return "";
  }
  return out.string();
}

// "990,123,456.00" (a money cell as shown) -> fen.
std::int64_t fen_of(const std::string& shown) {
  std::int64_t fen = 0;
  for (char c : shown)
    if (c >= '0' && c <= '9') fen = fen * 10 + (c - '0');
  return fen;
}

class FigureWorkbookTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto world = open_jinan_world();
    ASSERT_TRUE(world.ok()) << world.error().describe();
    world_ = std::move(world).value().release();
  }
  static void TearDownTestSuite() {
    delete world_;
    world_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(world_, nullptr) << "the Jinan records were not written";
    request_.unit = "JN";
    request_.from = CivilTime{2023, 6, 1};
    request_.to = CivilTime{2023, 8, 31};
    request_.campaign = "夏季治安打击整治行动";
  }

  static report::BulletinSources sources() { return world_->sources(); }

  static JinanWorld* world_;
  report::BulletinRequest request_;
};

JinanWorld* FigureWorkbookTest::world_ = nullptr;

TEST_F(FigureWorkbookTest, TheFiguresSheetHoldsTheNumbersTheBulletinPrints) {
  const std::string path = world_->dir.file("figures.xlsx");
  Status written = report::write_bulletin_figures_xlsx(sources(), "", world_->engine->time_zone(), request_, path);
  ASSERT_TRUE(written.ok()) << written.error().describe();
  EXPECT_EQ(fs::status(path).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);

  const std::string csv = sheet_csv(path, 2, "通报数字");
  ASSERT_FALSE(csv.empty());
  const auto rows = read_csv(csv);
  ASSERT_GE(rows.size(), 2u);
  const std::vector<std::string> header = {"数字名", "名称",   "计量单位", "本期",   "去年同期",
                                           "上期",   "本期金额(元)", "去年同期金额(元)", "上期金额(元)",
                                           "比率",   "同比",   "环比",     "说明",   "记录数", "记录"};
  ASSERT_EQ(rows[0], header);
  std::map<std::string, std::vector<std::string>> by_name;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), header.size()) << rows[i][0];
    by_name[rows[i][0]] = rows[i];
  }
  for (const char* name : {"cases.solved", "suspects.caught", "incidents.criminal", "incidents.public_order",
                           "money.stopped", "money.frozen", "disputes.rate", "people.dissuaded", "sweeps.officers",
                           "hazards.rectified"})
    ASSERT_TRUE(by_name.count(name)) << name << " is not in the sheet";
  // Every figure the provider answers, in its order (the Jinan data folder has every ledger type).
  EXPECT_EQ(rows.size() - 1, report::bulletin_figure_names().size());
  EXPECT_EQ(rows[1][0], report::bulletin_figure_names().front());

  const auto& solved = by_name["cases.solved"];
  ASSERT_EQ(solved.size(), header.size());
  EXPECT_EQ(solved[1], "破获刑事案件");
  EXPECT_EQ(solved[2], "起");
  EXPECT_EQ(solved[3], "363");
  EXPECT_EQ(solved[4], "320");
  EXPECT_EQ(solved[10], "13.44%");  // 43 more than 320
  EXPECT_EQ(solved[13], "363");
  EXPECT_EQ(solved[14].rfind("/#/cases?figure=cases_solved", 0), 0u) << solved[14];

  EXPECT_EQ(by_name["suspects.caught"][3], "368");
  EXPECT_EQ(by_name["suspects.caught"][1], "抓获刑事犯罪嫌疑人");

  const auto& criminal = by_name["incidents.criminal"];
  EXPECT_EQ(criminal[3], "1618");
  EXPECT_EQ(criminal[4], "1902");
  EXPECT_EQ(criminal[5], "1700");
  EXPECT_EQ(criminal[10], "-14.93%");
  EXPECT_EQ(criminal[11], "-4.82%");
  EXPECT_EQ(by_name["incidents.public_order"][10], "-17.57%");

  const auto& stopped = by_name["money.stopped"];
  EXPECT_EQ(stopped[2], "元");
  EXPECT_EQ(stopped[3], "");  // money is not a count
  EXPECT_EQ(stopped[6], "990,123,456.00");
  EXPECT_EQ(fen_of(stopped[6]), kJinan.money_stopped_fen);
  auto words = money_text(fen_of(stopped[6]));
  ASSERT_TRUE(words.ok());
  EXPECT_EQ(*words, "9.9亿余元");
  EXPECT_EQ(by_name["money.frozen"][6], "12,456,789.00");

  const auto& rate = by_name["disputes.rate"];
  EXPECT_EQ(rate[9], "96.34%");
  EXPECT_EQ(rate[12], "369/383");
  EXPECT_EQ(rate[10], "");  // a rate has no 同比 base

  EXPECT_EQ(by_name["people.dissuaded"][3], "44065");
  EXPECT_EQ(by_name["sweeps.officers"][3], "2961");
  EXPECT_EQ(by_name["hazards.rectified"][3], "0");  // answered, no records: listed as 0 with 0 records
  EXPECT_EQ(by_name["hazards.rectified"][13], "0");

  // The Markdown bulletin of the same request prints the same numbers.
  auto doc = report::make_bulletin(sources(), "", world_->engine->time_zone(), request_);
  ASSERT_TRUE(doc.ok()) << doc.error().describe();
  const std::string md = bulletin_markdown(*doc);
  for (const std::string& phrase : {std::string("[") + solved[3] + "起](", "[" + by_name["suspects.caught"][3] + "人](",
                                    std::string("9.9亿余元"), std::string("下降14.93%"), std::string("96.34%")})
    EXPECT_NE(md.find(phrase), std::string::npos) << phrase << " not in:\n" << md;
}

TEST_F(FigureWorkbookTest, TheBulletinSheetNamesTheUnitPeriodAndTemplate) {
  report::FigureWorkbookOptions options;
  options.base_url = "https://pingan.example";
  auto tables = report::bulletin_figure_tables(sources(), "", world_->engine->time_zone(), request_, options);
  ASSERT_TRUE(tables.ok()) << tables.error().describe();
  ASSERT_EQ(tables->size(), 2u);
  const report::SheetTable& head = (*tables)[0];
  EXPECT_EQ(head.title, "通报");
  std::map<std::string, std::string> lines;
  for (const auto& row : head.rows) lines[std::get<std::string>(row[0])] = std::get<std::string>(row[1]);
  auto doc = report::make_bulletin(sources(), "", world_->engine->time_zone(), request_);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(lines["标题"], doc->title);
  EXPECT_NE(lines["标题"].find("夏季治安打击整治行动战果通报"), std::string::npos);
  EXPECT_NE(lines["单位"].find("（JN）"), std::string::npos) << lines["单位"];
  EXPECT_EQ(lines["期间"], "2023-06-01至2023-08-31（含）");
  EXPECT_EQ(lines["模板"], "campaign");
  EXPECT_EQ(lines["行动名称"], "夏季治安打击整治行动");
  // The links carry the base.
  const report::SheetTable& figures = (*tables)[1];
  EXPECT_EQ(figures.title, "通报数字");
  ASSERT_FALSE(figures.rows.empty());
  EXPECT_EQ(std::get<std::string>(figures.rows[0].back()).rfind("https://pingan.example/#/incidents?", 0), 0u);
}

TEST_F(FigureWorkbookTest, ABadRequestIsRefusedNamingItsFieldAndWritesNoFile) {
  const std::string path = world_->dir.file("refused.xlsx");
  report::BulletinRequest unknown_unit = request_;
  unknown_unit.unit = "NOPE";
  report::BulletinRequest inverted = request_;
  inverted.to = CivilTime{2023, 5, 1};
  report::BulletinRequest no_template = request_;
  no_template.template_name = "annual";
  for (const auto& [request, field] : {std::pair{unknown_unit, "unit"}, std::pair{inverted, "to"},
                                       std::pair{no_template, "template"}}) {
    Status st = report::write_bulletin_figures_xlsx(sources(), "", world_->engine->time_zone(), request, path);
    ASSERT_FALSE(st.ok()) << field;
    EXPECT_EQ(st.error().field, field) << st.error().describe();
    EXPECT_FALSE(fs::exists(path)) << field;
  }
}

}  // namespace
}  // namespace pingan::testing
