// The statistics and the bulletin's figures as .xlsx over HTTP (issue 22;
// docs/api.md "Statistics" and "Bulletins"): GET /api/stats/export.xlsx,
// GET /api/stats/overview/export.xlsx and GET /api/bulletins?format=xlsx
// answer a workbook (read back with pingan's own .xlsx reader; the
// LibreOffice read-back is StatsWorkbookTest's and FigureWorkbookTest's)
// holding what the JSON routes answer; their parameters are checked as the
// JSON routes check them (400 naming the parameter); another unit's
// workbook is refused (403; the JSON statistics answer it with nothing); a
// role without stats.read is refused.

#include <fmt/format.h>

#include <map>

#include "http_test_support.h"
#include "ingest/xlsx_reader.h"

namespace pingan::testing {
namespace {

using nlohmann::json;

constexpr const char* kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

struct Workbook {
  std::vector<std::string> sheets;
  std::map<std::string, std::vector<std::vector<std::string>>> rows;  // sheet -> rows of cell texts
};

Workbook read_workbook(const std::string& bytes) {
  Workbook out;
  auto book = ingest::XlsxWorkbook::open_bytes(bytes, "export.xlsx");
  EXPECT_TRUE(book.ok()) << book.error().describe();
  if (!book.ok()) return out;
  out.sheets = book->sheet_names();
  for (const std::string& name : out.sheets) {
    auto sheet = book->read_sheet(name);
    EXPECT_TRUE(sheet.ok()) << sheet.error().describe();
    if (!sheet.ok()) continue;
    for (const ingest::SheetRow& row : sheet->rows) {
      std::vector<std::string> cells;
      for (const ingest::Cell& c : row.cells) cells.push_back(c.text);
      out.rows[name].push_back(std::move(cells));
    }
  }
  return out;
}

std::string cell(const std::vector<std::string>& row, std::size_t i) { return i < row.size() ? row[i] : ""; }

class HttpStatsExportTest : public HttpServerTest {
 protected:
  void SetUp() override {
    HttpServerTest::SetUp();
    if (HasFatalFailure()) return;
    load_units();
    report("theft", "2025-07-03T10:00:00", kCommunityLon);
    report("theft", "2025-07-04T10:00:00", kCommunityLon);
    report("fraud", "2025-07-05T23:59:59", kStation2Lon);
    report("theft", "2024-07-10T09:00:00", kStation2Lon);  // a year earlier
    report("theft", "2025-08-01T00:00:00", kStation1Lon);  // just after the period
  }

  void report(const std::string& type, const std::string& local_time, double lon) {
    JsonResponse r = post("/api/incidents", json{{"type", type},
                                                 {"reported_at", local_time},
                                                 {"location", {{"lat", 36.62}, {"lon", lon}}}});
    EXPECT_EQ(r.status, 201) << r.raw;
  }

  // A workbook route's answer: 200, the .xlsx type, a zip, an attachment.
  static Workbook workbook_of(const httplib::Result& r, const std::string& file) {
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), kXlsxType);
    EXPECT_EQ(r->body.rfind("PK", 0), 0u) << "an .xlsx is a zip";
    EXPECT_EQ(r->get_header_value("Content-Disposition"), fmt::format("attachment; filename=\"{}\"", file));
    EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");
    return read_workbook(r->body);
  }

  static constexpr double kCommunityLon = 117.12;  // JN-S01-C01
  static constexpr double kStation1Lon = 117.17;   // JN-S01, outside its community
  static constexpr double kStation2Lon = 117.25;   // JN-S02
};

TEST_F(HttpStatsExportTest, TheStatsWorkbookHoldsTheJsonAnswersRowsAndTotal) {
  const std::string q = "?from=2025-07-01&to=2025-08-01&group_by=unit&compare=yoy";
  JsonResponse answer = get("/api/stats" + q);
  ASSERT_EQ(answer.status, 200) << answer.raw;
  ASSERT_EQ(answer.body["total"], 3);

  const Workbook book = workbook_of(client()->Get(("/api/stats/export.xlsx" + q).c_str()), "stats-20250701-20250731.xlsx");
  EXPECT_EQ(book.sheets, (std::vector<std::string>{"警情统计", "统计条件"}));
  const auto& rows = book.rows.at("警情统计");
  ASSERT_EQ(rows.size(), answer.body["rows"].size() + 2);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"单位", "单位代码", "数量", "去年同期", "同比增减", "同比", "排名"}));
  for (std::size_t i = 0; i < answer.body["rows"].size(); ++i) {
    const json& j = answer.body["rows"][i];
    SCOPED_TRACE(j.dump());
    EXPECT_EQ(cell(rows[i + 1], 1), j["group"]);
    EXPECT_EQ(cell(rows[i + 1], 2), std::to_string(j["count"].get<int>()));
    EXPECT_EQ(cell(rows[i + 1], 3), std::to_string(j["compare_count"].get<int>()));
    // A percent cell holds the fraction: 0 for 0.00 %, empty for null.
    if (j["change_pct"].is_null()) {
      EXPECT_EQ(cell(rows[i + 1], 5), "");
    } else {
      EXPECT_DOUBLE_EQ(std::stod(cell(rows[i + 1], 5)), j["change_pct"].get<double>() / 100.0);
    }
    EXPECT_EQ(cell(rows[i + 1], 6), std::to_string(j["rank"].get<int>()));
  }
  EXPECT_EQ(cell(rows.back(), 0), "合计");
  EXPECT_EQ(cell(rows.back(), 2), "3");
  EXPECT_EQ(cell(rows.back(), 3), "1");

  // The overview the same way: its total line is the JSON's.
  JsonResponse overview = get("/api/stats/overview?from=2025-07-01&to=2025-08-01");
  ASSERT_EQ(overview.status, 200) << overview.raw;
  const Workbook ov = workbook_of(client()->Get("/api/stats/overview/export.xlsx?from=2025-07-01&to=2025-08-01"),
                                  "overview-20250701-20250731.xlsx");
  EXPECT_EQ(ov.sheets, (std::vector<std::string>{"分类别", "分单位", "统计条件"}));
  const auto& classes = ov.rows.at("分类别");
  ASSERT_EQ(classes.size(), overview.body["classes"].size() + 2);
  EXPECT_EQ(cell(classes.back(), 0), "合计");
  EXPECT_EQ(cell(classes.back(), 2), std::to_string(overview.body["total"]["count"].get<int>()));
  EXPECT_EQ(ov.rows.at("分单位").size(), overview.body["units"].size() + 1);
}

TEST_F(HttpStatsExportTest, TheBulletinsFiguresWorkbookCountsWhatTheStatsCount) {
  JsonResponse stats = get("/api/stats?from=2025-07-01&to=2025-08-01&unit=JN");
  ASSERT_EQ(stats.status, 200) << stats.raw;
  const Workbook book = workbook_of(
      client()->Get("/api/bulletins?unit=JN&from=2025-07-01&to=2025-07-31&campaign=%E5%A4%8F%E5%AD%A3%E8%A1%8C%E5%8A%A8&format=xlsx"),
      "bulletin-JN-20250731.xlsx");
  EXPECT_EQ(book.sheets, (std::vector<std::string>{"通报", "通报数字"}));
  std::map<std::string, std::vector<std::string>> figures;
  for (const auto& row : book.rows.at("通报数字")) figures[cell(row, 0)] = row;
  ASSERT_TRUE(figures.count("incidents.total"));
  EXPECT_EQ(cell(figures["incidents.total"], 1), "接报警情");
  EXPECT_EQ(cell(figures["incidents.total"], 3), std::to_string(stats.body["total"].get<int>()));
  EXPECT_EQ(cell(figures["incidents.total"], 3), "3");
  EXPECT_EQ(cell(figures["incidents.total"], 4), "1");  // a year before
  bool campaign = false;
  for (const auto& row : book.rows.at("通报")) campaign = campaign || cell(row, 1) == "夏季行动";
  EXPECT_TRUE(campaign);
}

TEST_F(HttpStatsExportTest, BadParametersAre400NamingThem) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"/api/stats/export.xlsx?group_by=colour", "group_by"},
      {"/api/stats/export.xlsx?bucket=fortnight", "bucket"},
      {"/api/stats/export.xlsx?status=lost", "status"},
      {"/api/stats/export.xlsx?from=2025-08-01&to=2025-07-01", ""},
      {"/api/stats/export.xlsx?unit=NOPE", "unit"},
      {"/api/stats/export.xlsx?colour=red", ""},
      {"/api/stats/overview/export.xlsx?group_by=unit", ""},
      {"/api/stats/overview/export.xlsx?from=yesterday", "from"},
      {"/api/bulletins?unit=JN&from=2025-07-01&to=2025-07-31&format=xls", "format"},
      {"/api/bulletins?unit=JN&from=2025-07-01&to=2025-06-30&format=xlsx", "to"},
  };
  for (const auto& [path, field] : bad) {
    JsonResponse r = get(path);
    EXPECT_EQ(r.status, 400) << path << ": " << r.raw;
    if (!field.empty()) {
      EXPECT_EQ(r.body.value("/error/field"_json_pointer, std::string()), field) << path << ": " << r.raw;
    }
    // The JSON route refuses the same request alike.
    std::string json_path = path;
    if (auto at = json_path.find("/export.xlsx"); at != std::string::npos) json_path.erase(at, 12);
    EXPECT_EQ(get(json_path).status, 400) << json_path;
  }
}

TEST_F(HttpStatsExportTest, AnotherUnitsBulletinIs403AndNoPermissionIs403) {
  auto station = role_client("li.s", "JN-S01", "station");
  JsonResponse other = to_json_response(
      station->Get("/api/bulletins?unit=JN-S02&from=2025-07-01&to=2025-07-31&format=xlsx"));
  EXPECT_EQ(other.status, 403) << other.raw;
  // Its own: a workbook.
  auto own = station->Get("/api/bulletins?unit=JN-S01&from=2025-07-01&to=2025-07-31&format=xlsx");
  ASSERT_TRUE(own);
  EXPECT_EQ(own->status, 200) << own->body;
  // GET /api/stats answers another unit with nothing; its workbook, a file
  // handed on where zeros would read as a quiet period, is refused.
  JsonResponse json_other = to_json_response(station->Get("/api/stats?from=2025-07-01&to=2025-08-01&unit=JN-S02"));
  ASSERT_EQ(json_other.status, 200) << json_other.raw;
  EXPECT_EQ(json_other.body["total"], 0);
  for (const char* path : {"/api/stats/export.xlsx?from=2025-07-01&to=2025-08-01&unit=JN-S02",
                           "/api/stats/overview/export.xlsx?unit=JN-S02"}) {
    JsonResponse r = to_json_response(station->Get(path));
    EXPECT_EQ(r.status, 403) << path << ": " << r.raw;
  }
  // The caller's own subtree, and the bureau above it (narrowed to theirs), are answered.
  const Workbook own_stats = workbook_of(station->Get("/api/stats/export.xlsx?from=2025-07-01&to=2025-08-01&unit=JN"),
                                         "stats-20250701-20250731.xlsx");
  ASSERT_FALSE(own_stats.rows.at("警情统计").empty());
  EXPECT_EQ(cell(own_stats.rows.at("警情统计").back(), 0), "合计");
  EXPECT_EQ(cell(own_stats.rows.at("警情统计").back(), 1), "2") << "JN-S01's two thefts, not JN-S02's fraud";

  auto machine = role_client("avl", "JN-S01", "machine");
  for (const char* path : {"/api/stats/export.xlsx", "/api/stats/overview/export.xlsx",
                           "/api/bulletins?unit=JN-S01&from=2025-07-01&to=2025-07-31&format=xlsx"}) {
    JsonResponse r = to_json_response(machine->Get(path));
    EXPECT_EQ(r.status, 403) << path << ": " << r.raw;
  }
  auto anonymous = anonymous_client()->Get("/api/stats/export.xlsx");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
}

}  // namespace
}  // namespace pingan::testing
