// XlsxWorkbook (ingest/xlsx_reader.h) over arbitrary bytes as a workbook:
// opening, listing sheets and reading each (raw and with merged ranges
// filled, then as a table with a two-row header) must end in a value or an
// error, never a crash, and what is read must keep its promises: rows
// ascending and within Excel's limits, no more cells than the limit.
// Seeds: a workbook of our writer and one LibreOffice wrote
// (fuzz/corpus/xlsx_reader/).

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "ingest/table_source.h"
#include "ingest/xlsx_reader.h"

namespace {

using pingan::fuzz::check;
using namespace pingan::ingest;

void check_sheet(const Sheet& sheet, const XlsxLimits& limits) {
  std::int64_t previous = 0, cells = 0;
  for (const SheetRow& row : sheet.rows) {
    check(row.number > previous && row.number <= kMaxRows, "rows ascend within Excel's limits");
    previous = row.number;
    check(row.cells.size() <= static_cast<size_t>(kMaxColumns), "no more columns than Excel has");
    cells += static_cast<std::int64_t>(row.cells.size());
    for (const Cell& c : row.cells)
      check(c.kind != CellKind::kEmpty || c.text.empty(), "an empty cell has no text");
  }
  check(cells <= limits.max_cells, "cells within the limit");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  XlsxLimits limits;
  limits.max_file_bytes = 1 << 20;
  limits.max_part_bytes = 4 << 20;
  limits.max_cells = 200'000;
  limits.max_text_bytes = 8 << 20;
  auto book =
      XlsxWorkbook::open_bytes(std::string(pingan::fuzz::as_text(data, size)), "fuzz.xlsx", limits);
  if (!book.ok()) return 0;
  auto names = book->sheet_names();
  check(!names.empty(), "an open workbook has a sheet");
  // A workbook may list one part under many sheet names; three are enough
  // to cover the code and keep an input's time bounded.
  if (names.size() > 3) names.resize(3);
  for (const std::string& name : names) {
    if (auto raw = book->read_sheet(name); raw.ok()) check_sheet(*raw, limits);
    if (auto filled = book->read_sheet(name, SheetReadOptions{.fill_merged = true}); filled.ok())
      check_sheet(*filled, limits);
    TableOptions options;
    options.sheet = name;
    options.header_rows = 2;
    auto table = TableSource::from_xlsx(*book, options);
    if (!table.ok()) continue;
    for (const TableRow& row : table->rows()) {
      for (size_t c = 0; c < row.cells.size(); ++c) {
        (void)TableSource::integer_at(row, c);
        (void)TableSource::money_fen_at(row, c);
        (void)TableSource::date_at(row, c);
        (void)table->problem(row, c, "fuzz").describe();
      }
    }
  }
  return 0;
}
