// GET /api/incidents/export.xlsx and GET /api/cases/export.xlsx (issue 22;
// docs/api.md "Exports"): the lists' workbooks downloaded over HTTP and read
// back with pingan's own .xlsx reader (the LibreOffice read-back of the same
// sheets is IncidentExportTest's and CaseExportTest's). The filters of the
// JSON lists narrow the rows alike; a bad filter is 400 naming it; another
// unit 403; a reveal needs personal.reveal and is audited; the cap refused.

#include "http/list_export_routes.h"

#include "http/api_routes.h"
#include "http_test_support.h"
#include "ingest/xlsx_reader.h"

namespace pingan::testing {
namespace {

using nlohmann::json;

constexpr const char* kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// Every cell's text of the workbook's only sheet, row by row.
std::vector<std::vector<std::string>> sheet_text(const std::string& bytes, const std::string& title) {
  std::vector<std::vector<std::string>> out;
  auto book = ingest::XlsxWorkbook::open_bytes(bytes, "export.xlsx");
  EXPECT_TRUE(book.ok()) << book.error().describe();
  if (!book.ok()) return out;
  const std::vector<std::string> names = book->sheet_names();
  EXPECT_EQ(names, std::vector<std::string>{title});
  if (names.empty()) return out;
  auto sheet = book->read_sheet(names[0]);
  EXPECT_TRUE(sheet.ok()) << sheet.error().describe();
  if (!sheet.ok()) return out;
  for (const ingest::SheetRow& row : sheet->rows) {
    std::vector<std::string> cells;
    for (const ingest::Cell& c : row.cells) cells.push_back(c.text);
    out.push_back(std::move(cells));
  }
  return out;
}

bool contains_text(const std::vector<std::vector<std::string>>& rows, const std::string& text) {
  for (const auto& row : rows)
    for (const std::string& cell : row)
      if (cell.find(text) != std::string::npos) return true;
  return false;
}

class HttpListExportTest : public HttpServerTest {
 protected:
  void SetUp() override {
    HttpServerTest::SetUp();
    if (HasFatalFailure()) return;
    load_units();
    if (HasFatalFailure()) return;
    station_ = role_client("li.s", "JN-S01", "station");
    command_ = role_client("sun.c", "JN", "command");
    // Three calls in JN-S01 (two thefts), one in JN-S02.
    const json calls[] = {
        {{"type", "theft"}, {"unit", "JN-S01"}, {"reported_at", "2026-06-01T09:00:00+08:00"}, {"reporter_name", "张三"},
         {"reporter_phone", "13812345678"}, {"address", "泉城路 1 号"}},
        {{"type", "theft"}, {"unit", "JN-S01-C01"}, {"reported_at", "2026-06-02T09:00:00+08:00"}},
        {{"type", "neighbour_dispute"}, {"unit", "JN-S01"}, {"reported_at", "2026-06-03T09:00:00+08:00"}},
        {{"type", "theft"}, {"unit", "JN-S02"}, {"reported_at", "2026-06-03T10:00:00+08:00"}, {"reporter_name", "赵六"}}};
    for (const json& call : calls) {
      JsonResponse r = post("/api/incidents", call);
      ASSERT_EQ(r.status, 201) << r.raw;
    }
    const json cases[] = {
        {{"case_number", "S01-AJ1"}, {"type", "other_theft"}, {"unit", "JN-S01"}, {"summary", "电瓶被盗"},
         {"opened_at", "2026-06-01T10:00:00+08:00"}},
        {{"case_number", "S01-AJ2"}, {"type", "admin_theft"}, {"unit", "JN-S01"}, {"summary", "超市小额盗窃"},
         {"opened_at", "2026-06-02T10:00:00+08:00"}},
        {{"case_number", "S02-AJ1"}, {"type", "other_theft"}, {"unit", "JN-S02"}, {"summary", "邻站的案件"},
         {"opened_at", "2026-06-02T11:00:00+08:00"}}};
    for (const json& c : cases) {
      JsonResponse r = post("/api/cases", c);
      ASSERT_EQ(r.status, 201) << r.raw;
      if (c["case_number"] == "S01-AJ1") {
        const std::string parties = fmt::format("/api/cases/{}/parties", r.body["id"].get<long long>());
        JsonResponse p = post(parties, json{{"person", {{"name", "钱七"}}}, {"role", "suspect"}});
        ASSERT_EQ(p.status, 201) << p.raw;
      }
    }
  }

  // The export as `client` sees it: status, type and rows.
  struct Download {
    int status = 0;
    std::string content_type, disposition, body;
  };
  static Download download(httplib::Client& client, const std::string& url) {
    auto r = client.Get(url.c_str());
    if (!r) return {};
    return {r->status, r->get_header_value("Content-Type"), r->get_header_value("Content-Disposition"), r->body};
  }

  std::unique_ptr<httplib::Client> station_, command_;
};

TEST_F(HttpListExportTest, TheIncidentWorkbookHoldsTheRowsTheListGivesForTheSameFilters) {
  for (const std::string filters : {"", "?type=theft", "?unit=JN-S01-C01", "?from=2026-06-02&to=2026-06-03",
                                    "?status=received&class=criminal"}) {
    SCOPED_TRACE(filters);
    JsonResponse list = to_json_response(station_->Get(("/api/incidents" + filters).c_str()));
    ASSERT_EQ(list.status, 200) << list.raw;
    Download d = download(*station_, "/api/incidents/export.xlsx" + filters);
    ASSERT_EQ(d.status, 200) << d.body;
    EXPECT_EQ(d.content_type, kXlsxType);
    EXPECT_EQ(d.disposition, "attachment; filename=\"incidents.xlsx\"");
    EXPECT_EQ(d.body.substr(0, 2), "PK");
    const auto rows = sheet_text(d.body, "警情列表");
    ASSERT_EQ(rows.size(), list.body["items"].size() + 2) << "header, the list's rows, totals";
    EXPECT_EQ(list.body["total"], list.body["items"].size());
    for (size_t i = 0; i < list.body["items"].size(); ++i)
      EXPECT_EQ(rows[i + 1][0], std::to_string(list.body["items"][i]["id"].get<long long>()));
    EXPECT_EQ(rows.back()[0], fmt::format("合计 {} 起", list.body["items"].size()));
  }
  // Known counts: the station sees its three calls, two of them thefts; JN-S02's call never.
  Download all = download(*station_, "/api/incidents/export.xlsx");
  const auto rows = sheet_text(all.body, "警情列表");
  EXPECT_EQ(rows.size(), 5u);
  EXPECT_FALSE(contains_text(rows, "赵"));
  EXPECT_TRUE(contains_text(rows, "张*"));
  EXPECT_TRUE(contains_text(rows, "138****5678"));
  EXPECT_FALSE(contains_text(rows, "张三"));
  EXPECT_FALSE(contains_text(rows, "13812345678"));
  EXPECT_EQ(sheet_text(download(*station_, "/api/incidents/export.xlsx?type=theft").body, "警情列表").size(), 4u);
}

TEST_F(HttpListExportTest, TheCaseWorkbookHoldsTheRowsTheListGivesForTheSameFilters) {
  for (const std::string filters : {"", "?class=administrative", "?type=theft", "?from=2026-06-02", "?status=opened"}) {
    SCOPED_TRACE(filters);
    const std::string list_url = "/api/cases" + (filters.empty() ? "?limit=1000" : filters + "&limit=1000");
    JsonResponse list = to_json_response(station_->Get(list_url.c_str()));
    ASSERT_EQ(list.status, 200) << list.raw;
    Download d = download(*station_, "/api/cases/export.xlsx" + filters);
    ASSERT_EQ(d.status, 200) << d.body;
    EXPECT_EQ(d.content_type, kXlsxType);
    EXPECT_EQ(d.disposition, "attachment; filename=\"cases.xlsx\"");
    EXPECT_EQ(d.body.substr(0, 2), "PK");
    const auto rows = sheet_text(d.body, "案件台账");
    ASSERT_EQ(rows.size(), list.body["items"].size() + 2);
    for (size_t i = 0; i < list.body["items"].size(); ++i) EXPECT_EQ(rows[i + 1][0], list.body["items"][i]["case_number"]);
  }
  const auto rows = sheet_text(download(*station_, "/api/cases/export.xlsx").body, "案件台账");
  ASSERT_EQ(rows.size(), 4u);  // S01-AJ2, S01-AJ1, totals
  EXPECT_EQ(rows[2][0], "S01-AJ1");
  EXPECT_TRUE(contains_text({rows[2]}, "钱*"));
  EXPECT_FALSE(contains_text(rows, "钱七"));
  EXPECT_FALSE(contains_text(rows, "邻站的案件"));
}

TEST_F(HttpListExportTest, BadFiltersAre400NamingThemAndAnotherUnitIs403) {
  const std::pair<const char*, const char*> bad[] = {
      {"/api/incidents/export.xlsx?type=no_such_type", "type"},
      {"/api/incidents/export.xlsx?status=asleep", "status"},
      {"/api/incidents/export.xlsx?from=yesterday", "from"},
      {"/api/incidents/export.xlsx?colour=red", "colour"},
      {"/api/incidents/export.xlsx?limit=10", "limit"},
      {"/api/incidents/export.xlsx?reveal=maybe", "reveal"},
      {"/api/incidents/export.xlsx?unit=NOPE", "unit"},
      {"/api/cases/export.xlsx?type=no_such_type", "type"},
      {"/api/cases/export.xlsx?class=felony", "class"},
      {"/api/cases/export.xlsx?before=1:1", "before"},
      {"/api/cases/export.xlsx?colour=red", "colour"},
  };
  for (const auto& [url, field] : bad) {
    JsonResponse r = to_json_response(station_->Get(url));
    EXPECT_EQ(r.status, 400) << url << ": " << r.raw;
    EXPECT_EQ(r.body.value("/error/field"_json_pointer, std::string()), field) << url << ": " << r.raw;
  }
  for (const char* url : {"/api/incidents/export.xlsx?unit=JN-S02", "/api/cases/export.xlsx?unit=JN-S02"}) {
    JsonResponse r = to_json_response(station_->Get(url));
    EXPECT_EQ(r.status, 403) << url << ": " << r.raw;
    EXPECT_NE(r.raw.find("unit 'JN-S02' is outside your unit's subtree"), std::string::npos) << r.raw;
  }
  // A unit above the caller's own narrows to it, as the list does.
  Download up = download(*station_, "/api/incidents/export.xlsx?unit=JN");
  EXPECT_EQ(up.status, 200);
  EXPECT_EQ(sheet_text(up.body, "警情列表").size(), 5u);
}

TEST_F(HttpListExportTest, ARevealNeedsThePermissionAndIsAudited) {
  JsonResponse refused = to_json_response(station_->Get("/api/incidents/export.xlsx?reveal=true"));
  EXPECT_EQ(refused.status, 403) << refused.raw;
  refused = to_json_response(station_->Get("/api/cases/export.xlsx?reveal=true"));
  EXPECT_EQ(refused.status, 403) << refused.raw;

  Download d = download(*command_, "/api/incidents/export.xlsx?reveal=true&unit=JN-S01");
  ASSERT_EQ(d.status, 200) << d.body;
  const auto rows = sheet_text(d.body, "警情列表");
  EXPECT_TRUE(contains_text(rows, "张三"));
  EXPECT_TRUE(contains_text(rows, "13812345678"));
  Download c = download(*command_, "/api/cases/export.xlsx?reveal=true");
  ASSERT_EQ(c.status, 200) << c.body;
  EXPECT_TRUE(contains_text(sheet_text(c.body, "案件台账"), "钱七"));

  JsonResponse audit = get("/api/audit?record=incidents&action=reveal");
  ASSERT_EQ(audit.status, 200) << audit.raw;
  ASSERT_EQ(audit.body["entries"].size(), 1u) << audit.raw;
  EXPECT_EQ(audit.body["entries"][0]["user"], "sun.c");
  EXPECT_EQ(audit.body["entries"][0]["reason"], "export.xlsx of 3 incidents");
  audit = get("/api/audit?record=cases&action=reveal");
  ASSERT_EQ(audit.body["entries"].size(), 1u) << audit.raw;
  EXPECT_EQ(audit.body["entries"][0]["reason"], "export.xlsx of 3 cases");
  // A masked export leaves no reveal entry.
  ASSERT_EQ(download(*command_, "/api/incidents/export.xlsx").status, 200);
  EXPECT_EQ(get("/api/audit?record=incidents&action=reveal").body["entries"].size(), 1u);
}

TEST_F(HttpListExportTest, ASelectionAboveTheCapIsRefusedNamingTheCapAndTheCount) {
  // The served routes with a cap of 2 rows (the server's is 100,000), called
  // as the server calls them.
  ApiContext ctx{*engine_, nullptr, ""};
  const std::vector<Route> routes = list_export_routes(ctx, 2);
  ASSERT_EQ(routes.size(), 2u);
  for (const Route& route : routes) {
    SCOPED_TRACE(route.path);
    HttpRequest http;
    http.method = "GET";
    http.path = route.path;
    RouteRequest request{http, "", {}, UnitScope::everything(), "tester"};
    Result<Reply> refused = route.handler(request);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
    const bool incidents = route.path == "/api/incidents/export.xlsx";
    EXPECT_NE(refused.error().message.find(incidents ? "holds 4 incidents, more than the 2 one workbook takes"
                                                     : "holds 3 cases, more than the 2 one workbook takes"),
              std::string::npos)
        << refused.error().message;
    // Narrowed under the cap, the same route answers the workbook.
    http.params.emplace("unit", "JN-S02");
    Result<Reply> narrowed = route.handler(request);
    ASSERT_TRUE(narrowed.ok()) << narrowed.error().describe();
    EXPECT_EQ(narrowed->raw_content_type, kXlsxType);
  }
  // Over HTTP the error is a 400 with the message (here: an unknown parameter, the same path).
  JsonResponse r = get("/api/incidents/export.xlsx?offset=5");
  EXPECT_EQ(r.status, 400);
}

}  // namespace
}  // namespace pingan::testing
