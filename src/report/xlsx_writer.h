#pragma once
// Writes tables to an .xlsx workbook with libxlsxwriter, one sheet per
// table: a bold header row in Chinese, frozen; an autofilter over the data;
// number formats by column kind; column widths from the display width of
// the text (a Chinese character takes two columns); and an optional totals
// row of SUM formulas whose values are also written as the formulas' cached
// results, so a reader that does not recalculate (or pingan's own reader)
// still sees the numbers.
//
// Personal data: masking is the caller's job. This writer prints the
// strings it is given; pass mask_name() / mask_id_number() ... results
// (core/personal_masks.h) unless the reader is entitled to the clear text.
//
// The file appears whole or not at all: the workbook is written to a
// temporary name in the same folder and renamed over `path` at the end.
// It is created readable by its owner only (it may hold personal data).
// Thread-safe: each call has its own workbook.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace pingan::report {

enum class ColumnKind {
  kText,      // std::string
  kInteger,   // std::int64_t
  kMoney,     // std::int64_t fen, shown in yuan with two decimals
  kPercent,   // double, 0.125 shown as 12.50%
  kDate,      // CivilTime, its day
  kDateTime,  // CivilTime, local wall time to the second
};

struct ColumnSpec {
  std::string header;  // 中文表头
  ColumnKind kind = ColumnKind::kText;
  int width = 0;       // in character columns; 0 = from the widest text
  bool total = false;  // summed in the totals row (integer and money only)
};

// An empty cell, or the value its column's kind takes.
using CellValue = std::variant<std::monostate, std::string, std::int64_t, double, CivilTime>;

struct SheetTable {
  std::string title;  // the sheet's name: at most 31 characters, none of []:*?/\ .
  std::vector<ColumnSpec> columns;
  std::vector<std::vector<CellValue>> rows;  // each as wide as `columns`
  // When set, a last row with this label in the first column and the sums
  // of the columns marked `total`.
  std::optional<std::string> totals_label;
};

// Writes `tables` (at least one) to `path`. Errors: a table that does not
// hold together (names the table, row and column), or a path that cannot
// be written; nothing is left at `path` then.
Status write_xlsx(const std::string& path, const std::vector<SheetTable>& tables);

// The workbook write_xlsx would write, as bytes (an HTTP download).
// libxlsxwriter 1.1.4 writes only to files: the workbook goes through a
// private folder (mode 0700, from mkdtemp in the system's temporary folder)
// that is removed before returning, so no other user can read or replace it.
Result<std::string> xlsx_bytes(const std::vector<SheetTable>& tables);

// Display columns of UTF-8 text: East Asian wide and fullwidth characters
// count two, others one.
int display_width(std::string_view utf8);

}  // namespace pingan::report
