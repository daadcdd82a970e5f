// GET /api/ledgers/{type}/export.xlsx (issue 21; docs/api.md "Ledgers"): the
// workbook a bureau hands on, downloaded over HTTP and read back with
// pingan's own .xlsx reader (the LibreOffice read-back of the same sheet is
// LedgerExportTest's). Only the caller's units, personal values masked unless
// a holder of personal.reveal asks, and that reveal audited.

#include <set>

#include "http_test_support.h"
#include "ingest/xlsx_reader.h"

namespace pingan::testing {
namespace {

using nlohmann::json;

constexpr const char* kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// Every cell's text of the workbook's only sheet, row by row.
std::vector<std::vector<std::string>> sheet_text(const std::string& bytes) {
  std::vector<std::vector<std::string>> out;
  auto book = ingest::XlsxWorkbook::open_bytes(bytes, "export.xlsx");
  EXPECT_TRUE(book.ok()) << book.error().describe();
  if (!book.ok()) return out;
  const std::vector<std::string> names = book->sheet_names();
  EXPECT_EQ(names.size(), 1u);
  if (names.empty()) return out;
  EXPECT_EQ(names[0], "矛盾纠纷台账");
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

json a_dispute(const std::string& unit, const std::string& summary) {
  return {{"unit_code", unit},
          {"fields",
           {{"kind", "debt"},
            {"summary", summary},
            {"parties", 2},
            {"party_name", "王小明"},
            {"party_phone", "13912345678"},
            {"amount_fen", 5720050}}}};
}

class HttpLedgerExportTest : public HttpServerTest {
 protected:
  void SetUp() override {
    HttpServerTest::SetUp();
    if (HasFatalFailure()) return;
    load_units();
    if (HasFatalFailure()) return;
    community_ = role_client("zhang.c", "JN-S01", "community");
    station_ = role_client("li.s", "JN-S01", "station");
    command_ = role_client("sun.c", "JN", "command");
    neighbour_ = role_client("qian.s2", "JN-S02", "community");
    for (const char* summary : {"欠款三万元未还", "装修款结算纠纷"}) {
      auto r = to_json_response(community_->Post("/api/ledgers/dispute", a_dispute("JN-S01", summary).dump(),
                                                 "application/json"));
      ASSERT_EQ(r.status, 201) << r.raw;
    }
    auto r = to_json_response(neighbour_->Post("/api/ledgers/dispute", a_dispute("JN-S02", "邻站的纠纷").dump(),
                                               "application/json"));
    ASSERT_EQ(r.status, 201) << r.raw;
  }

  std::unique_ptr<httplib::Client> community_, station_, command_, neighbour_;
};

TEST_F(HttpLedgerExportTest, TheWorkbookHoldsTheCallersItemsMaskedWithATotalsRow) {
  auto r = station_->Get("/api/ledgers/dispute/export.xlsx");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), kXlsxType);
  EXPECT_EQ(r->get_header_value("Content-Disposition"), "attachment; filename=\"dispute.xlsx\"");
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");
  const auto rows = sheet_text(r->body);
  ASSERT_EQ(rows.size(), 4u);  // header, two items, totals
  EXPECT_TRUE(contains_text({rows[0]}, "纠纷类别"));
  EXPECT_TRUE(contains_text(rows, "欠款三万元未还"));
  EXPECT_TRUE(contains_text(rows, "装修款结算纠纷"));
  EXPECT_FALSE(contains_text(rows, "邻站的纠纷"));  // JN-S02's, outside the caller's units
  EXPECT_TRUE(contains_text(rows, "139****5678"));
  EXPECT_TRUE(contains_text(rows, "王**"));
  EXPECT_FALSE(contains_text(rows, "13912345678"));
  EXPECT_FALSE(contains_text(rows, "王小明"));
  EXPECT_EQ(rows[3][0], "合计 2 条");
  EXPECT_TRUE(contains_text({rows[3]}, "114401")) << "two times 57,200.50 yuan";
}

TEST_F(HttpLedgerExportTest, ARevealNeedsThePermissionAndIsAudited) {
  auto refused = to_json_response(station_->Get("/api/ledgers/dispute/export.xlsx?reveal=true"));
  EXPECT_EQ(refused.status, 403) << refused.raw;

  auto r = command_->Get("/api/ledgers/dispute/export.xlsx?reveal=true&unit=JN-S01");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const auto rows = sheet_text(r->body);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_TRUE(contains_text(rows, "13912345678"));
  EXPECT_TRUE(contains_text(rows, "王小明"));

  JsonResponse audit = get("/api/audit?record=ledger:dispute&action=reveal");
  ASSERT_EQ(audit.status, 200) << audit.raw;
  ASSERT_EQ(audit.body["entries"].size(), 1u) << audit.raw;
  EXPECT_EQ(audit.body["entries"][0]["user"], "sun.c");
  EXPECT_EQ(audit.body["entries"][0]["reason"], "export.xlsx of 2 items");
}

TEST_F(HttpLedgerExportTest, AnotherUnitGivesAnEmptyWorkbookAndBadParametersAre400) {
  auto r = station_->Get("/api/ledgers/dispute/export.xlsx?unit=JN-S02");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const auto rows = sheet_text(r->body);
  ASSERT_EQ(rows.size(), 2u);  // header and totals
  EXPECT_EQ(rows[1][0], "合计 0 条");

  for (const char* bad : {"/api/ledgers/dispute/export.xlsx?reveal=maybe",
                          "/api/ledgers/dispute/export.xlsx?from=2026-05-02&to=2026-05-01",
                          "/api/ledgers/dispute/export.xlsx?unit=NOPE",
                          "/api/ledgers/dispute/export.xlsx?colour=red"}) {
    JsonResponse answer = to_json_response(station_->Get(bad));
    EXPECT_EQ(answer.status, 400) << bad << ": " << answer.raw;
  }
  JsonResponse unknown = to_json_response(station_->Get("/api/ledgers/no_such_type/export.xlsx"));
  EXPECT_EQ(unknown.status, 404) << unknown.raw;
}

}  // namespace
}  // namespace pingan::testing
