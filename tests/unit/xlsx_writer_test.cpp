// The .xlsx writer (report/xlsx_writer.h): LibreOffice reads our export
// back to CSV with the same numbers and texts, our own reader reads the same
// values, the file's header is frozen and filtered, and a failed export
// leaves nothing behind.

#include "report/xlsx_writer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <numeric>
#include <string>
#include <vector>

#include "ingest/csv_reader.h"
#include "ingest/table_source.h"
#include "ingest/xlsx_reader.h"
#include "ingest/xlsx_zip.h"
#include "test_support.h"
#include "xlsx_test_support.h"

namespace pingan::report {
namespace {

using pingan::testing::read_csv;
using pingan::testing::TempDir;

// A ledger of the kind issue 21 exports: personal data already masked by
// the caller, money in fen, a totals row.
SheetTable sample_ledger() {
  SheetTable t;
  t.title = "矛盾纠纷台账";
  t.columns = {
      {"序号", ColumnKind::kInteger},
      {"责任单位", ColumnKind::kText},
      {"当事人", ColumnKind::kText},
      {"登记日期", ColumnKind::kDate},
      {"化解时间", ColumnKind::kDateTime},
      {"涉及金额(元)", ColumnKind::kMoney, 0, true},
      {"涉及人数", ColumnKind::kInteger, 0, true},
      {"化解率", ColumnKind::kPercent},
  };
  t.rows = {
      {std::int64_t{1}, std::string("城东派出所"), std::string("张*"), CivilTime{2026, 3, 1},
       CivilTime{2026, 3, 2, 8, 30, 5}, std::int64_t{123456}, std::int64_t{3}, 0.125},
      {std::int64_t{2}, std::string("城西派出所社区警务室"), std::string("欧阳**"),
       CivilTime{2026, 3, 15}, CivilTime{2026, 3, 20, 17, 0, 0}, std::int64_t{99999999},
       std::int64_t{12}, 1.0},
      {std::int64_t{3}, std::string("Riverside 派出所"), std::monostate{}, CivilTime{2026, 4, 2},
       std::monostate{}, std::int64_t{5}, std::int64_t{0}, 0.0},
  };
  t.totals_label = "合计";
  return t;
}

TEST(XlsxWriter, LibreOfficeReadsTheExport) {
  TempDir dir;
  std::string path = dir.file("ledger.xlsx");
  Status written = write_xlsx(path, {sample_ledger()});
  ASSERT_TRUE(written.ok()) << written.error().describe();
  // UTF-8 CSV (76), comma-separated (44), quoted by " (34), cells as shown.
  std::string csv = pingan::testing::libreoffice_convert(
      path, "csv:Text - txt - csv (StarCalc):44,34,76,1", "csv", dir.path().string());
  ASSERT_FALSE(csv.empty());
  auto rows = read_csv(csv);
  ASSERT_EQ(rows.size(), 5u);  // header, three rows, totals
  EXPECT_EQ(rows[0], (std::vector<std::string>{"序号", "责任单位", "当事人", "登记日期", "化解时间",
                                               "涉及金额(元)", "涉及人数", "化解率"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"1", "城东派出所", "张*", "2026-03-01",
                                               "2026-03-02 08:30:05", "1,234.56", "3", "12.50%"}));
  EXPECT_EQ(rows[2],
            (std::vector<std::string>{"2", "城西派出所社区警务室", "欧阳**", "2026-03-15",
                                      "2026-03-20 17:00:00", "999,999.99", "12", "100.00%"}));
  EXPECT_EQ(rows[3], (std::vector<std::string>{"3", "Riverside 派出所", "", "2026-04-02", "",
                                               "0.05", "0", "0.00%"}));
  // The totals: 1234.56 + 999999.99 + 0.05 = 1001234.60 yuan; 3 + 12 + 0 people.
  EXPECT_EQ(rows[4], (std::vector<std::string>{"合计", "", "", "", "", "1,001,234.60", "15", ""}));
}

TEST(XlsxWriter, OwnReaderReadsTheSameValues) {
  TempDir dir;
  std::string path = dir.file("ledger.xlsx");
  SheetTable ledger = sample_ledger();
  ASSERT_TRUE(write_xlsx(path, {ledger}).ok());
  auto book = ingest::XlsxWorkbook::open_file(path);
  ASSERT_TRUE(book.ok()) << book.error().describe();
  EXPECT_EQ(book->sheet_names(), std::vector<std::string>{"矛盾纠纷台账"});
  auto sheet = book->read_sheet("矛盾纠纷台账");
  ASSERT_TRUE(sheet.ok()) << sheet.error().describe();
  ASSERT_EQ(sheet->rows.size(), 5u);
  const auto& r2 = sheet->rows[1].cells;
  EXPECT_EQ(r2[1].text, "城东派出所");
  EXPECT_EQ(r2[3].kind, ingest::CellKind::kDate);
  EXPECT_EQ(r2[3].text, "2026-03-01");
  EXPECT_EQ(r2[4].text, "2026-03-02T08:30:05");
  EXPECT_EQ(r2[5].text, "1234.56");
  EXPECT_DOUBLE_EQ(r2[7].number, 0.125);
  // The totals are formulas with their values cached.
  const auto& totals = sheet->rows[4].cells;
  EXPECT_EQ(sheet->rows[4].number, 5);
  EXPECT_EQ(totals[0].text, "合计");
  EXPECT_TRUE(totals[5].formula);
  EXPECT_EQ(totals[5].text, "1001234.6");
  EXPECT_TRUE(totals[6].formula);
  EXPECT_EQ(totals[6].text, "15");

  // Through the table source: money back to the fen, row by row.
  auto table = ingest::TableSource::from_xlsx(*book, {});
  ASSERT_TRUE(table.ok()) << table.error().describe();
  ASSERT_EQ(table->rows().size(), 4u);
  auto money = *table->column_of("涉及金额(元)");
  std::int64_t sum = 0;
  for (size_t i = 0; i < 3; ++i) {
    auto fen = ingest::TableSource::money_fen_at(table->rows()[i], money);
    ASSERT_TRUE(fen.ok()) << fen.error().message;
    EXPECT_EQ(*fen, std::get<std::int64_t>(ledger.rows[i][5]));
    sum += *fen;
  }
  EXPECT_EQ(*ingest::TableSource::money_fen_at(table->rows()[3], money), sum);

  // The sheet's own XML: header frozen, autofilter over the data, the CJK
  // column wider than its character count.
  auto zip = ingest::ZipArchive::open(*ingest::read_whole_file(path), "ledger.xlsx");
  ASSERT_TRUE(zip.ok());
  auto xml = zip->read_part("xl/worksheets/sheet1.xml", 1 << 20);
  ASSERT_TRUE(xml.ok());
  EXPECT_NE(
      xml->find(R"(<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>)"),
      std::string::npos)
      << *xml;
  EXPECT_NE(xml->find(R"(<autoFilter ref="A1:H4"/>)"), std::string::npos);
  // 城西派出所社区警务室: 10 characters, 20 columns, + 2 of margin.
  EXPECT_NE(xml->find(R"(<col min="2" max="2" width="22.7109375")"), std::string::npos) << *xml;
}

TEST(XlsxWriter, DisplayWidth) {
  EXPECT_EQ(display_width("abc"), 3);
  EXPECT_EQ(display_width("合计"), 4);
  EXPECT_EQ(display_width("张三abc"), 7);
  EXPECT_EQ(display_width("（全角）"), 8);
  EXPECT_EQ(display_width(""), 0);
}

TEST(XlsxWriter, FailedExportLeavesNothingBehind) {
  TempDir dir;
  std::string path = dir.file("ledger.xlsx");
  // A folder that does not exist.
  Status missing_dir = write_xlsx(dir.file("no/such/folder/ledger.xlsx"), {sample_ledger()});
  ASSERT_FALSE(missing_dir.ok());
  EXPECT_NE(missing_dir.error().message.find("cannot write"), std::string::npos);

  // An earlier export stays whole when a later one fails.
  ASSERT_TRUE(write_xlsx(path, {sample_ledger()}).ok());
  auto before = ingest::read_whole_file(path);
  SheetTable bad = sample_ledger();
  bad.rows[1][6] = std::string("十二");
  Status failed = write_xlsx(path, {bad});
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().describe(),
            "rows: table '矛盾纠纷台账', row 2, column '涉及人数': the value does not fit a "
            "integer column");
  EXPECT_EQ(*ingest::read_whole_file(path), *before);
  size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path()))
    ++files;
  EXPECT_EQ(files, 1u);  // no temporary file left

  // A failure inside libxlsxwriter (a string over Excel's cell limit is
  // caught before it) and the rules of a table.
  SheetTable text_total = sample_ledger();
  text_total.columns[1].total = true;
  EXPECT_FALSE(write_xlsx(path, {text_total}).ok());
  SheetTable bad_title = sample_ledger();
  bad_title.title = "台账[2026]";
  EXPECT_FALSE(write_xlsx(path, {bad_title}).ok());
  SheetTable short_row = sample_ledger();
  short_row.rows[0].pop_back();
  EXPECT_EQ(write_xlsx(path, {short_row}).error().describe(),
            "rows: table '矛盾纠纷台账', row 1: 7 cells for 8 columns");
  EXPECT_FALSE(
      write_xlsx(path, {sample_ledger(), sample_ledger()}).ok());  // two sheets of one name
  EXPECT_EQ(*ingest::read_whole_file(path), *before);
}

TEST(XlsxWriter, SeveralTablesAndEmptyTotals) {
  TempDir dir;
  std::string path = dir.file("stats.xlsx");
  SheetTable empty;
  empty.title = "空表";
  empty.columns = {{"单位", ColumnKind::kText}, {"警情数", ColumnKind::kInteger, 12, true}};
  empty.totals_label = "合计";
  ASSERT_TRUE(write_xlsx(path, {sample_ledger(), empty}).ok());
  auto book = ingest::XlsxWorkbook::open_file(path);
  ASSERT_TRUE(book.ok());
  EXPECT_EQ(book->sheet_names(), (std::vector<std::string>{"矛盾纠纷台账", "空表"}));
  auto sheet = book->read_sheet("空表");
  ASSERT_TRUE(sheet.ok());
  ASSERT_EQ(sheet->rows.size(), 2u);
  EXPECT_EQ(sheet->rows[1].cells[1].text, "0");
}

}  // namespace
}  // namespace pingan::report
