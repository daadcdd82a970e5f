// The incident list as .xlsx (issue 22, report/incident_export.h), on SQLite
// and, in the `pg.` run, on PostgreSQL: incidents recorded and moved through
// the engine, exported, read back by LibreOffice as CSV, and every row and
// cell compared with what GET /api/incidents's JSON (incident_to_json) says
// of the same records; the reporter masked unless revealed; the filters;
// and the cap refused with the count.

#include "report/incident_export.h"

#include <gtest/gtest.h>

#include "engine/engine.h"
#include "ingest/csv_reader.h"
#include "json/incident_json.h"
#include "test_store.h"
#include "test_support.h"
#include "xlsx_test_support.h"

namespace pingan::testing {
namespace {

constexpr Timestamp kT0 = 1'780'272'000;  // 2026-06-01T00:00:00Z, 08:00 in Asia/Shanghai
constexpr Timestamp kHour = 3'600;

Unit named_unit(std::string code, std::string name, std::string parent, UnitKind kind) {
  Unit u = test_unit(std::move(code), std::move(parent), kind);
  u.name = std::move(name);
  return u;
}

// "2026-06-01T08:00:00+08:00" as a spreadsheet shows the local time; null: "".
std::string local_text(const nlohmann::json& iso) {
  if (iso.is_null()) return "";
  std::string s = iso.get<std::string>().substr(0, 19);
  s[10] = ' ';
  return s;
}

class IncidentExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Engine::open(EngineConfig{test_store_location(dir_, "incidents.db"), "", "Asia/Shanghai"});
    ASSERT_TRUE(opened.ok()) << opened.error().describe();
    engine_ = std::move(opened).value();
    ASSERT_TRUE(engine_
                    ->upsert_units({named_unit("JN", "示范分局", "", UnitKind::kBureau),
                                    named_unit("JN-S1", "城东派出所", "JN", UnitKind::kStation),
                                    named_unit("JN-S2", "城西派出所", "JN", UnitKind::kStation)})
                    .ok());
    Incident a;
    a.type_code = "theft";
    a.reported_at = kT0;
    a.unit_code = "JN-S1";
    a.address = "解放路 12 号";
    a.reporter_name = "张三";
    a.reporter_phone = "13812345678";
    a.reporter_id_number = "11010519491231002X";
    a.description = "电动车被盗";
    a.case_number = "110-0001";
    Incident b;
    b.type_code = "neighbour_dispute";
    b.reported_at = kT0 + 2 * kHour;
    b.unit_code = "JN-S2";
    b.address = "文化路 3 号";
    b.reporter_name = "欧阳娜娜";
    b.description = "楼上噪音纠纷";
    Incident c;
    c.type_code = "theft";
    c.reported_at = kT0 + 5 * kHour;
    c.unit_code = "JN-S1";
    for (Incident* inc : {&a, &b, &c}) {
      auto created = engine_->create_incident(*inc, "接警员 李");
      ASSERT_TRUE(created.ok()) << created.error().describe();
      ids_.push_back(created->id);
    }
    // The first one dispatched and on scene: its times are exported.
    TransitionRequest dispatch;
    dispatch.to = IncidentStatus::kDispatched;
    dispatch.at = kT0 + 600;
    ASSERT_TRUE(engine_->transition(ids_[0], UnitScope::everything(), dispatch).ok());
    TransitionRequest arrive;
    arrive.to = IncidentStatus::kArrived;
    arrive.at = kT0 + 900;
    ASSERT_TRUE(engine_->transition(ids_[0], UnitScope::everything(), arrive).ok());
  }

  // The list's JSON for the filter, as GET /api/incidents serialises it.
  std::vector<nlohmann::json> list_json(IncidentFilter filter) {
    filter.limit = 1000;
    auto page = engine_->list_incidents(filter);
    EXPECT_TRUE(page.ok()) << page.error().describe();
    std::vector<nlohmann::json> out;
    if (!page.ok()) return out;
    auto units = engine_->units();
    const IncidentJsonContext jc{engine_->taxonomy(), engine_->time_zone(), units.get()};
    for (const Incident& inc : page->items) out.push_back(incident_to_json(inc, jc));
    return out;
  }

  // The workbook of `options` as LibreOffice reads it.
  std::vector<std::vector<std::string>> exported(const report::IncidentExportOptions& options) {
    auto sheet = report::incident_sheet(*engine_, options);
    EXPECT_TRUE(sheet.ok()) << sheet.error().describe();
    if (!sheet.ok()) return {};
    const std::string path = dir_.file(fmt::format("incidents-{}.xlsx", ++files_));
    Status written = report::write_xlsx(path, {*sheet});
    EXPECT_TRUE(written.ok()) << written.error().describe();
    const std::string csv =
        libreoffice_convert(path, "csv:Text - txt - csv (StarCalc):44,34,76,1", "csv", dir_.path().string());
    return csv.empty() ? std::vector<std::vector<std::string>>{} : read_csv(csv);
  }

  TempDir dir_;
  std::unique_ptr<Engine> engine_;
  std::vector<IncidentId> ids_;
  int files_ = 0;
};

TEST_F(IncidentExportTest, LibreOfficeReadsEveryRowAndCellAsTheListGivesIt) {
  report::IncidentExportOptions options;
  const std::vector<nlohmann::json> list = list_json(options.filter);
  ASSERT_EQ(list.size(), 3u);
  const auto rows = exported(options);
  ASSERT_EQ(rows.size(), 5u);  // header, three incidents, totals
  EXPECT_EQ(rows[0], (std::vector<std::string>{"警情编号", "接警时间", "警情类别", "警情类型", "管辖单位", "状态",
                                               "地址", "报警人", "报警电话", "报警人身份证号", "简要警情", "派警时间",
                                               "到场时间", "办结时间", "来源", "原始编号", "备注"}));
  for (size_t i = 0; i < list.size(); ++i) {
    SCOPED_TRACE(list[i].dump());
    const nlohmann::json& j = list[i];
    const std::vector<std::string>& row = rows[i + 1];
    ASSERT_EQ(row.size(), 17u);
    EXPECT_EQ(row[0], std::to_string(j["id"].get<long long>()));
    EXPECT_EQ(row[1], local_text(j["reported_at"]));
    EXPECT_EQ(row[2], j["class"]["name_zh"]);
    EXPECT_EQ(row[3], j["type"]["name_zh"]);
    EXPECT_EQ(row[4], j.value("unit_name", ""));
    EXPECT_EQ(row[5], j["status_zh"]);
    EXPECT_EQ(row[6], j["address"]);
    EXPECT_EQ(row[7], j["reporter_name"]);
    EXPECT_EQ(row[8], j["reporter_phone"]);
    EXPECT_EQ(row[9], j["reporter_id_number"]);
    EXPECT_EQ(row[10], j["description"]);
    EXPECT_EQ(row[11], local_text(j["times"]["dispatched_at"]));
    EXPECT_EQ(row[12], local_text(j["times"]["arrived_at"]));
    EXPECT_EQ(row[13], local_text(j["times"]["closed_at"]));
    EXPECT_EQ(row[14], j["source"]);
    EXPECT_EQ(row[15], j["case_number"]);
    EXPECT_EQ(row[16], "");
  }
  // Known values: newest call first; the first call's row is the last.
  EXPECT_EQ(rows[3][0], std::to_string(ids_[0]));
  EXPECT_EQ(rows[3][1], "2026-06-01 08:00:00");
  EXPECT_EQ(rows[3][2], "刑事");
  EXPECT_EQ(rows[3][3], "盗窃");
  EXPECT_EQ(rows[3][4], "城东派出所");
  EXPECT_EQ(rows[3][5], "到场");
  EXPECT_EQ(rows[3][7], "张*");
  EXPECT_EQ(rows[3][8], "138****5678");
  EXPECT_EQ(rows[3][11], "2026-06-01 08:10:00");
  EXPECT_EQ(rows[3][12], "2026-06-01 08:15:00");
  EXPECT_EQ(rows[2][4], "城西派出所");
  EXPECT_EQ(rows[2][3], "邻里纠纷");
  EXPECT_EQ(rows[2][7], "欧***");
  EXPECT_EQ(rows[4][0], "合计 3 起");
  for (const auto& row : rows)
    for (const std::string& cell : row)
      for (const char* clear : {"张三", "欧阳娜娜", "13812345678", "11010519491231002X"})
        EXPECT_EQ(cell.find(clear), std::string::npos) << cell;
}

TEST_F(IncidentExportTest, FiltersNarrowTheRowsAndRevealShowsTheClearText) {
  report::IncidentExportOptions options;
  options.filter.scope = UnitScope::subtree("JN-S1");
  options.filter.type_codes = {"theft"};
  options.filter.until = kT0 + 3 * kHour;
  const std::vector<nlohmann::json> list = list_json(options.filter);
  ASSERT_EQ(list.size(), 1u);
  options.reveal = true;
  const auto rows = exported(options);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1][0], std::to_string(ids_[0]));
  EXPECT_EQ(rows[1][7], "张三");
  EXPECT_EQ(rows[1][8], "13812345678");
  EXPECT_EQ(rows[1][9], "11010519491231002X");
  EXPECT_EQ(rows[2][0], "合计 1 起");
}

TEST_F(IncidentExportTest, MoreRowsThanTheCapAreRefusedWithTheCount) {
  report::IncidentExportOptions options;
  options.max_rows = 2;
  auto sheet = report::incident_sheet(*engine_, options);
  ASSERT_FALSE(sheet.ok());
  EXPECT_EQ(sheet.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(sheet.error().field, "rows");
  EXPECT_NE(sheet.error().message.find("holds 3 incidents, more than the 2 one workbook takes"), std::string::npos)
      << sheet.error().message;
  options.max_rows = 3;
  auto fits = report::incident_sheet(*engine_, options);
  ASSERT_TRUE(fits.ok()) << fits.error().describe();
  EXPECT_EQ(fits->rows.size(), 3u);
}

}  // namespace
}  // namespace pingan::testing
