// The .xlsx reader (ingest/xlsx_reader.h) and the table source over it
// (ingest/table_source.h): a workbook LibreOffice writes from the committed
// fixture tests/data/ledger_merged_header.fods (merged two-row header, one
// bad row), workbooks written part by part for each cell kind and date rule,
// and hostile files.

#include "ingest/xlsx_reader.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "ingest/table_source.h"
#include "test_support.h"
#include "xlsx_test_support.h"

namespace pingan::ingest {
namespace {

using pingan::testing::TempDir;

const std::string kNs = R"(xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main")";

std::string sheet_xml(const std::string& body, const std::string& after = "") {
  return "<?xml version=\"1.0\"?><worksheet " + kNs + "><sheetData>" + body + "</sheetData>" +
         after + "</worksheet>";
}

// Writes the parts as a zip and opens it.
Result<XlsxWorkbook> open_parts(const TempDir& dir,
                                const std::vector<std::pair<std::string, std::string>>& parts,
                                const XlsxLimits& limits = {}) {
  std::string path = dir.file("book.xlsx");
  std::filesystem::remove(path);
  pingan::testing::write_zip(path, parts);
  return XlsxWorkbook::open_file(path, limits);
}

TEST(XlsxReader, LibreOfficeWorkbookWithMergedHeaderAndBadRow) {
  TempDir dir;
  std::string xlsx = pingan::testing::libreoffice_convert(
      std::string(PINGAN_SOURCE_DIR) + "/tests/data/ledger_merged_header.fods", "xlsx", "xlsx",
      dir.path().string());
  ASSERT_FALSE(xlsx.empty());

  auto book = XlsxWorkbook::open_file(xlsx);
  ASSERT_TRUE(book.ok()) << book.error().describe();
  EXPECT_EQ(book->sheet_names(), std::vector<std::string>{"矛盾纠纷台账"});

  // The sheet as stored: merges listed, values only in their top-left cells.
  auto raw = book->read_sheet("矛盾纠纷台账");
  ASSERT_TRUE(raw.ok()) << raw.error().describe();
  std::vector<std::string> merges;
  for (const auto& m : raw->merges)
    merges.push_back(column_letters(m.first_column) + std::to_string(m.first_row) + ":" +
                     column_letters(m.last_column) + std::to_string(m.last_row));
  std::sort(merges.begin(), merges.end());
  EXPECT_EQ(merges, (std::vector<std::string>{"A1:F1", "A2:A3", "B2:C2", "D2:E2", "F2:F3"}));
  ASSERT_EQ(raw->rows.size(), 7u);
  const SheetRow& first = raw->rows[3];
  EXPECT_EQ(first.number, 4);
  EXPECT_EQ(first.cells[3].kind, CellKind::kDate);
  EXPECT_EQ(first.cells[3].text, "2026-03-01");
  EXPECT_EQ(first.cells[5].kind, CellKind::kNumber);
  EXPECT_EQ(first.cells[5].text, "1200.5");
  EXPECT_EQ(raw->rows[1].cells[2].kind, CellKind::kEmpty);  // C2, covered by 基本信息

  // As a table: the title row skipped, the two header rows joined per column.
  TableOptions options;
  options.header_row = 2;  // row 1 is the title
  options.header_rows = 2;
  auto table = TableSource::open(xlsx, options);
  ASSERT_TRUE(table.ok()) << table.error().describe();
  EXPECT_EQ(table->headers(),
            (std::vector<std::string>{"序号", "基本信息/姓名", "基本信息/身份证号",
                                      "纠纷情况/登记日期", "纠纷情况/涉及人数", "涉及金额(元)"}));
  auto columns = table->require_columns(
      {"序号", "基本信息/姓名", "纠纷情况/登记日期", "纠纷情况/涉及人数", "涉及金额(元)"});
  ASSERT_TRUE(columns.ok()) << columns.error().describe();

  // An importer's loop: a bad cell is reported and the rest goes on.
  std::vector<RowProblem> problems;
  std::vector<std::string> names, dates;
  std::int64_t people = 0, fen = 0;
  for (const TableRow& row : table->rows()) {
    auto name = TableSource::text_at(row, (*columns)[1]);
    auto date = TableSource::date_at(row, (*columns)[2]);
    auto count = TableSource::integer_at(row, (*columns)[3]);
    auto money = TableSource::money_fen_at(row, (*columns)[4]);
    if (!count.ok()) {
      problems.push_back(table->problem(row, (*columns)[3], count.error().message));
      continue;
    }
    ASSERT_TRUE(name.ok() && date.ok() && money.ok()) << "row " << row.number;
    names.push_back(*name);
    dates.push_back(fmt::format("{:04}-{:02}-{:02}", date->year, date->month, date->day));
    people += *count;
    fen += *money;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"张*", "李**", "赵**"}));
  EXPECT_EQ(dates, (std::vector<std::string>{"2026-03-01", "2026-03-15", "2026-04-20"}));
  EXPECT_EQ(people, 3 + 2 + 5);
  EXPECT_EQ(fen, 120050 + 0 + 888888);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].file, "ledger_merged_header.xlsx");
  EXPECT_EQ(problems[0].sheet, "矛盾纠纷台账");
  EXPECT_EQ(problems[0].row, 6);
  EXPECT_EQ(problems[0].column, "E");
  EXPECT_EQ(problems[0].header, "纠纷情况/涉及人数");
  EXPECT_EQ(problems[0].reason, "'三人' is not a whole number");
  EXPECT_EQ(problems[0].describe(),
            "ledger_merged_header.xlsx, sheet '矛盾纠纷台账', row 6, column E (纠纷情况/涉及人数): "
            "'三人' is not a whole number");
}

TEST(XlsxReader, CellKindsSharedStringsAndPositions) {
  TempDir dir;
  std::string shared =
      "<sst " + kNs +
      ">"
      "<si><t>台账</t></si>"
      "<si><r><rPr><b/></rPr><t>城东</t></r><r><t xml:space=\"preserve\">派出所 </t></r>"
      "<rPh sb=\"0\" eb=\"1\"><t>ジョウトウ</t></rPh></si>"
      "<si><t>第一行_x000D_\n第二行</t></si></sst>";
  std::string styles =
      "<styleSheet " + kNs +
      "><numFmts count=\"1\">"
      "<numFmt numFmtId=\"170\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
      "</numFmts><cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf "
      "numFmtId=\"22\"/>"
      "<xf numFmtId=\"170\"/><xf numFmtId=\"20\"/></cellXfs></styleSheet>";
  std::string sheet = sheet_xml(
      // Row 1: A1 and C1 with B1 absent; D1 inline; E1 bool; F1 error.
      R"(<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c>)"
      R"(<c r="D1" t="inlineStr"><is><t>内联</t></is></c><c r="E1" t="b"><v>1</v></c><c r="F1" t="e"><v>#N/A</v></c></row>)"
      // Row 3 (row 2 absent): numbers, formulas' cached values, a styled empty cell.
      R"(<row r="3"><c r="A3"><v>42</v></c><c r="B3"><v>-0.125</v></c><c r="C3"><f>A3*2</f><v>84</v></c>)"
      R"(<c r="D3" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="E3" s="1"/><c r="F3" t="s"><v>2</v></c></row>)"
      // Row 4: dates by built-in and custom styles, a time; cells without r follow on.
      R"(<row r="4"><c s="1"><v>46082</v></c><c s="2"><v>46082.3541666667</v></c><c s="3"><v>46082</v></c>)"
      R"(<c s="4"><v>0.75</v></c></row>)");
  auto book =
      open_parts(dir, pingan::testing::minimal_workbook(
                          sheet, {{"xl/sharedStrings.xml", shared}, {"xl/styles.xml", styles}}));
  ASSERT_TRUE(book.ok()) << book.error().describe();
  auto s = book->read_sheet("Sheet1");
  ASSERT_TRUE(s.ok()) << s.error().describe();
  ASSERT_EQ(s->rows.size(), 3u);

  const auto& r1 = s->rows[0].cells;
  ASSERT_EQ(r1.size(), 6u);
  EXPECT_EQ(r1[0].text, "台账");
  EXPECT_EQ(r1[1].kind, CellKind::kEmpty);  // B1 keeps its place
  EXPECT_EQ(r1[2].text, "城东派出所 ");     // runs joined, phonetic run left out
  EXPECT_EQ(r1[3].text, "内联");
  EXPECT_EQ(r1[4].kind, CellKind::kBool);
  EXPECT_EQ(r1[4].text, "TRUE");
  EXPECT_EQ(r1[5].kind, CellKind::kError);
  EXPECT_EQ(r1[5].text, "#N/A");

  EXPECT_EQ(s->rows[1].number, 3);
  const auto& r3 = s->rows[1].cells;
  EXPECT_EQ(r3[0].text, "42");
  EXPECT_EQ(r3[1].text, "-0.125");
  EXPECT_DOUBLE_EQ(r3[1].number, -0.125);
  EXPECT_TRUE(r3[2].formula);
  EXPECT_EQ(r3[2].text, "84");
  EXPECT_EQ(r3[3].text, "ab");
  EXPECT_EQ(r3[4].kind, CellKind::kEmpty);
  EXPECT_EQ(r3[5].text, "第一行\r\n第二行");

  const auto& r4 = s->rows[2].cells;
  ASSERT_EQ(r4.size(), 4u);
  EXPECT_EQ(r4[0].text, "2026-03-01");
  EXPECT_EQ(r4[1].text, "2026-03-01T08:30:00");
  EXPECT_EQ(r4[2].text, "2026-03-01");
  EXPECT_EQ(r4[3].text, "18:00:00");
  EXPECT_EQ(r4[3].kind, CellKind::kDate);
}

TEST(XlsxReader, DateSystemsAndTheLeapYearBug) {
  EXPECT_EQ(serial_to_iso(1, DateStyle::kDate, false), "1900-01-01");
  EXPECT_EQ(serial_to_iso(59, DateStyle::kDate, false), "1900-02-28");
  EXPECT_EQ(serial_to_iso(60, DateStyle::kDate, false), std::nullopt);  // Excel's 1900-02-29
  EXPECT_EQ(serial_to_iso(61, DateStyle::kDate, false), "1900-03-01");
  EXPECT_EQ(serial_to_iso(45292, DateStyle::kDate, false), "2024-01-01");
  EXPECT_EQ(serial_to_iso(45351.999999, DateStyle::kDateTime, false),
            "2024-03-01T00:00:00");  // rounds to the second
  EXPECT_EQ(serial_to_iso(0, DateStyle::kDate, true), "1904-01-01");
  EXPECT_EQ(serial_to_iso(43830, DateStyle::kDate, true),
            "2024-01-01");  // 1462 days less than in 1900
  EXPECT_EQ(serial_to_iso(-1, DateStyle::kDate, false), std::nullopt);
  EXPECT_EQ(serial_to_iso(45292, DateStyle::kNone, false), std::nullopt);

  EXPECT_EQ(classify_format_code("yyyy-mm-dd"), DateStyle::kDate);
  EXPECT_EQ(classify_format_code("[$-804]yyyy\"年\"m\"月\"d\"日\""), DateStyle::kDate);
  EXPECT_EQ(classify_format_code("yyyy-mm-dd hh:mm:ss"), DateStyle::kDateTime);
  EXPECT_EQ(classify_format_code("h:mm"), DateStyle::kTime);
  EXPECT_EQ(classify_format_code("[h]:mm:ss"), DateStyle::kNone);  // a duration
  EXPECT_EQ(classify_format_code("#,##0.00\"元\""), DateStyle::kNone);
  EXPECT_EQ(classify_format_code("General"), DateStyle::kNone);
  EXPECT_EQ(classify_format_code("0.00E+00"), DateStyle::kNone);
  EXPECT_EQ(classify_format_code("[Red]0.00;[Blue]-0.00"), DateStyle::kNone);
  EXPECT_EQ(classify_builtin_format(14), DateStyle::kDate);
  EXPECT_EQ(classify_builtin_format(31), DateStyle::kDate);  // yyyy"年"m"月"d"日" in zh-CN
  EXPECT_EQ(classify_builtin_format(4), DateStyle::kNone);

  // A workbook in the 1904 system reads its serials from 1904.
  TempDir dir;
  std::string styles = "<styleSheet " + kNs +
                       "><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>";
  auto book = open_parts(dir, pingan::testing::minimal_workbook(
                                  sheet_xml(R"(<row r="1"><c r="A1" s="1"><v>43830</v></c></row>)"),
                                  {{"xl/styles.xml", styles}}, "<workbookPr date1904=\"1\"/>"));
  ASSERT_TRUE(book.ok()) << book.error().describe();
  EXPECT_TRUE(book->date1904());
  auto s = book->read_sheet("Sheet1");
  ASSERT_TRUE(s.ok()) << s.error().describe();
  EXPECT_EQ(s->rows[0].cells[0].text, "2024-01-01");
}

TEST(XlsxReader, CellReferences) {
  EXPECT_EQ(column_letters(0), "A");
  EXPECT_EQ(column_letters(25), "Z");
  EXPECT_EQ(column_letters(26), "AA");
  EXPECT_EQ(column_letters(16383), "XFD");
  auto ref = parse_cell_ref("AB12");
  ASSERT_TRUE(ref);
  EXPECT_EQ(ref->column, 27);
  EXPECT_EQ(ref->row, 12);
  EXPECT_FALSE(parse_cell_ref("XFE1"));      // past Excel's last column
  EXPECT_FALSE(parse_cell_ref("A1048577"));  // past its last row
  EXPECT_FALSE(parse_cell_ref("A0"));
  EXPECT_FALSE(parse_cell_ref("12"));
  auto range = parse_range_ref("C3:A1");
  ASSERT_TRUE(range);
  EXPECT_EQ(range->first_row, 1);
  EXPECT_EQ(range->last_column, 2);
}

TEST(XlsxReader, MergedRangesFilled) {
  TempDir dir;
  std::string sheet =
      sheet_xml(R"(<row r="1"><c r="A1" t="inlineStr"><is><t>单位</t></is></c></row>)"
                R"(<row r="2"><c r="B2"><v>7</v></c></row>)",
                R"(<mergeCells count="1"><mergeCell ref="A1:A3"/></mergeCells>)");
  auto book = open_parts(dir, pingan::testing::minimal_workbook(sheet));
  ASSERT_TRUE(book.ok()) << book.error().describe();
  auto s = book->read_sheet("Sheet1", SheetReadOptions{.fill_merged = true});
  ASSERT_TRUE(s.ok()) << s.error().describe();
  ASSERT_EQ(s->rows.size(), 3u);  // row 3 exists only through the merge
  for (const auto& row : s->rows) EXPECT_EQ(row.cells[0].text, "单位") << row.number;
  EXPECT_EQ(s->rows[1].cells[1].text, "7");
}

TEST(XlsxReader, HostileAndBrokenFiles) {
  TempDir dir;
  // Not a zip.
  auto not_zip = XlsxWorkbook::open_bytes("just some text, not a workbook", "notes.xlsx");
  ASSERT_FALSE(not_zip.ok());
  EXPECT_EQ(not_zip.error().describe(),
            "notes.xlsx: not an .xlsx workbook: the file is not a zip archive (or it is damaged)");
  // An old .xls.
  auto xls = XlsxWorkbook::open_bytes(
      std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(512, '\0'), "old.xlsx");
  ASSERT_FALSE(xls.ok());
  EXPECT_NE(xls.error().message.find("Excel 97-2003 .xls"), std::string::npos);
  // A zip without a workbook part.
  auto no_workbook = open_parts(dir, {{"hello.txt", "hello"}});
  ASSERT_FALSE(no_workbook.ok());
  EXPECT_EQ(no_workbook.error().describe(),
            "book.xlsx: not an .xlsx workbook: the zip has no workbook part (xl/workbook.xml)");
  // A sheet over the part limit: 30 MB of spaces deflate to a few tens of KB
  // (a zip bomb in small); refused at 1 MB read, whatever the header says.
  std::string padded = sheet_xml(std::string(30 << 20, ' '));
  XlsxLimits small;
  small.max_part_bytes = 1 << 20;
  auto bomb = open_parts(dir, pingan::testing::minimal_workbook(padded), small);
  ASSERT_TRUE(bomb.ok()) << bomb.error().describe();
  EXPECT_LT(std::filesystem::file_size(dir.file("book.xlsx")), 200'000u);
  auto too_big = bomb->read_sheet("Sheet1");
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().code, ErrorCode::kPayloadTooLarge);
  EXPECT_EQ(too_big.error().describe(),
            "book.xlsx: part 'xl/worksheets/sheet1.xml' is larger than the limit of 1048576 bytes "
            "uncompressed; refused");
  // Broken XML names the part and the line.
  auto broken = open_parts(
      dir, pingan::testing::minimal_workbook(
               "<worksheet " + kNs + ">\n<sheetData>\n<row r=\"1\"><c r=\"A1\"><v>1</v></row>\n"));
  ASSERT_TRUE(broken.ok()) << broken.error().describe();
  auto mismatched = broken->read_sheet("Sheet1");
  ASSERT_FALSE(mismatched.ok());
  EXPECT_EQ(mismatched.error().describe(),
            "book.xlsx: xl/worksheets/sheet1.xml, XML line 3: mismatched tag");
  // A DOCTYPE (the door to entity expansion) is refused.
  auto doctype = open_parts(
      dir, pingan::testing::minimal_workbook(
               "<?xml version=\"1.0\"?>\n<!DOCTYPE w [<!ENTITY a \"aaaa\">]>\n<worksheet/>"));
  ASSERT_TRUE(doctype.ok());
  auto refused = doctype->read_sheet("Sheet1");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().describe(),
            "book.xlsx: xl/worksheets/sheet1.xml, XML line 2: a DOCTYPE is not allowed in a "
            "workbook part");
  // A cell far to the right counts every column before it.
  XlsxLimits few;
  few.max_cells = 1000;
  auto wide = open_parts(
      dir,
      pingan::testing::minimal_workbook(sheet_xml(R"(<row r="1"><c r="XFD1"><v>1</v></c></row>)")),
      few);
  ASSERT_TRUE(wide.ok());
  auto wide_sheet = wide->read_sheet("Sheet1");
  ASSERT_FALSE(wide_sheet.ok());
  EXPECT_EQ(wide_sheet.error().describe(),
            "book.xlsx: sheet 'Sheet1', row 1: more than 1000 cells; refused");
  // A merge over the whole sheet is refused when filled, listed when not.
  auto merge =
      open_parts(dir, pingan::testing::minimal_workbook(sheet_xml(
                          R"(<row r="1"><c r="A1"><v>1</v></c></row>)",
                          R"(<mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells>)")));
  ASSERT_TRUE(merge.ok());
  EXPECT_TRUE(merge->read_sheet("Sheet1").ok());
  auto filled = merge->read_sheet("Sheet1", SheetReadOptions{.fill_merged = true});
  ASSERT_FALSE(filled.ok());
  EXPECT_EQ(filled.error().code, ErrorCode::kPayloadTooLarge);
  // Cell errors carry the sheet, row and column.
  auto bad_cells = open_parts(dir, pingan::testing::minimal_workbook(sheet_xml(
                                       R"(<row r="7"><c r="C7" t="s"><v>912</v></c></row>)")));
  ASSERT_TRUE(bad_cells.ok());
  auto missing_string = bad_cells->read_sheet("Sheet1");
  ASSERT_FALSE(missing_string.ok());
  EXPECT_EQ(missing_string.error().describe(),
            "book.xlsx: sheet 'Sheet1', row 7, column C: shared string 912 does not exist");
  auto no_sheet = bad_cells->read_sheet("台账");
  ASSERT_FALSE(no_sheet.ok());
  EXPECT_EQ(no_sheet.error().describe(),
            "book.xlsx: no sheet named '台账' (the workbook has 'Sheet1')");
}

TEST(XlsxReader, CsvTableWithTwoHeaderRows) {
  std::string csv =
      "序号,基本信息,,涉及金额(元)\n"
      ",姓名,登记日期,\n"
      "1,张*,2026/3/1,\"1,200.50\"\n"
      "\n"
      "2,李**,2026年3月15日,12.345\n";
  TableOptions options;
  options.header_rows = 2;
  auto table = TableSource::from_csv("台账.csv", csv, options);
  ASSERT_TRUE(table.ok()) << table.error().describe();
  EXPECT_EQ(table->headers(), (std::vector<std::string>{"序号", "基本信息/姓名",
                                                        "基本信息/登记日期", "涉及金额(元)"}));
  ASSERT_EQ(table->rows().size(), 2u);  // the blank line is skipped
  const TableRow& first = table->rows()[0];
  EXPECT_EQ(*TableSource::money_fen_at(first, 3), 120050);
  auto date = TableSource::date_at(first, 2);
  ASSERT_TRUE(date.ok());
  EXPECT_EQ(date->month, 3);
  const TableRow& second = table->rows()[1];
  EXPECT_EQ(second.number, 5);  // the line of the record
  EXPECT_EQ(TableSource::date_at(second, 2)->day, 15);
  auto money = TableSource::money_fen_at(second, 3);
  ASSERT_FALSE(money.ok());
  EXPECT_EQ(table->problem(second, 3, money.error().message).describe(),
            "台账.csv, line 5, field 4 (涉及金额(元)): '12.345' is not an amount in yuan with at "
            "most two decimals");
  auto missing = table->require_columns({"序号", "身份证号"});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("no column headed '身份证号'"), std::string::npos);
}

}  // namespace
}  // namespace pingan::ingest
