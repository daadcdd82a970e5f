#pragma once
// One way for importers to read a table, whether it came as CSV or as an
// .xlsx sheet: header names per column (two header rows joined as
// "上级表头/下级表头"), then the data rows, and bad cells reported as
// (file, sheet, row, column, reason) so an import goes on past them.
//
// An importer maps its fields by header name (column_of / require_columns),
// reads each row's cells with the typed readers below, and turns a failed
// read into a RowProblem for its report of rows not taken.
//
// The whole table is held in memory (ledgers and registry lists are
// thousands of rows, not millions).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "ingest/xlsx_cells.h"
#include "ingest/xlsx_reader.h"

namespace pingan::ingest {

struct TableOptions {
  std::string sheet;            // .xlsx: the sheet's name; empty = the first sheet
  std::int64_t header_row = 1;  // the first header row (1-based; a title row above it is skipped)
  int header_rows = 1;          // 1, or 2 for a two-row header under merged group titles
};

struct TableRow {
  std::int64_t number =
      0;  // .xlsx: the row as Excel shows it; CSV: the line where the record starts
  std::vector<Cell> cells;  // by column; CSV fields are kText

  // The cell at `column`, an empty one beyond the row's end.
  const Cell& at(size_t column) const;
};

// One cell that could not be taken, and why.
struct RowProblem {
  std::string file;
  std::string sheet;  // empty for CSV
  std::int64_t row = 0;
  std::string column;  // "C" for .xlsx, "3" for CSV (1-based field)
  std::string header;  // the column's header name
  std::string reason;
  // "台账.xlsx, sheet '台账', row 7, column C (涉及人数): ..."
  std::string describe() const;
};

class TableSource {
 public:
  // CSV text (UTF-8, BOM allowed). With two header rows, an empty cell of
  // the upper row takes the text to its left, as a merged cell exports.
  static Result<TableSource> from_csv(std::string file_label, std::string_view text,
                                      const TableOptions& options);
  // A sheet of an open workbook, read with merged ranges filled.
  static Result<TableSource> from_xlsx(const XlsxWorkbook& book, const TableOptions& options);
  // By the file's extension (.csv or .xlsx, case-insensitive).
  static Result<TableSource> open(const std::string& path, const TableOptions& options,
                                  const XlsxLimits& limits = {});

  const std::string& file() const { return file_; }
  const std::string& sheet() const { return sheet_; }
  const std::vector<std::string>& headers() const { return headers_; }
  // Data rows below the header, blank rows left out.
  const std::vector<TableRow>& rows() const { return rows_; }

  // The column whose header is `header` (spaces around ignored).
  std::optional<size_t> column_of(std::string_view header) const;
  // The columns of all `headers`, in order; an error naming every one that is missing.
  Result<std::vector<size_t>> require_columns(const std::vector<std::string>& headers) const;

  // A problem at `row`, `column`, worded by the caller or a typed reader.
  RowProblem problem(const TableRow& row, size_t column, std::string reason) const;

  // Typed readers: the value, or an Error whose message is the reason
  // (for problem()). Surrounding spaces are ignored; an empty cell is
  // "is empty".
  static Result<std::string> text_at(const TableRow& row, size_t column);
  static Result<std::int64_t> integer_at(const TableRow& row, size_t column);
  static Result<double> decimal_at(const TableRow& row, size_t column);
  // Yuan with at most two decimals ("1,234.5" or 1234.5) as fen.
  static Result<std::int64_t> money_fen_at(const TableRow& row, size_t column);
  // A date cell, or text "2026-03-01", "2026/3/1", "2026年3月1日".
  static Result<CivilTime> date_at(const TableRow& row, size_t column);

 private:
  std::string file_, sheet_;
  bool xlsx_ = false;
  std::vector<std::string> headers_;
  std::vector<TableRow> rows_;
};

}  // namespace pingan::ingest
