#pragma once
// Reads .xlsx workbooks (Office Open XML spreadsheets) for the importers:
// the zip with minizip, the XML with expat (no C++ xlsx reader is packaged
// in Debian). What it understands:
//   - sheets by name, in workbook order (xl/workbook.xml and its rels);
//   - shared strings (rich-text runs joined), inline strings, numbers,
//     booleans, errors, and formulas' cached values (nothing is recalculated);
//   - dates: a number whose style is a date or time format becomes ISO 8601
//     text, in the 1900 system (with Excel's fictitious 1900-02-29) or 1904;
//   - empty cells keep column positions (cells are placed by their r="C7");
//   - merged ranges, listed, and optionally filled: the top-left value copied
//     into every cell of the range, so that a header merged over two columns
//     heads both.
// Limits (XlsxLimits) refuse zip bombs and huge sheets with a clear error.
// Every error names the file; cell errors add the sheet, the row (1-based, as
// Excel shows it) and the column letter; broken XML adds the part and line.
//
// A workbook is read once at open (workbook, rels, shared strings, styles);
// sheets are parsed on demand. Not thread-safe; one thread per workbook.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "ingest/xlsx_cells.h"
#include "ingest/xlsx_styles.h"
#include "ingest/xlsx_zip.h"

namespace pingan::ingest {

struct SheetReadOptions {
  bool fill_merged = false;  // copy each merged range's top-left value into the whole range
};

class XlsxWorkbook {
 public:
  // Reads the file (at most limits.max_file_bytes). Errors name the file by
  // its file name.
  static Result<XlsxWorkbook> open_file(const std::string& path, const XlsxLimits& limits = {});
  // The same from bytes in memory; `label` names them in errors.
  static Result<XlsxWorkbook> open_bytes(std::string bytes, std::string label,
                                         const XlsxLimits& limits = {});

  const std::string& label() const { return zip_.label(); }
  // Worksheet names in workbook order (chart sheets included: reading one
  // is an error saying what it is).
  std::vector<std::string> sheet_names() const;
  bool date1904() const { return date1904_; }

  // Reads the sheet called `name` (exact match).
  Result<Sheet> read_sheet(std::string_view name, const SheetReadOptions& options = {}) const;

 private:
  struct SheetEntry {
    std::string name;
    std::string part;  // resolved zip path; empty when the relationship is missing
    bool worksheet = true;
  };
  XlsxWorkbook(ZipArchive zip, XlsxLimits limits) : zip_(std::move(zip)), limits_(limits) {}
  Status load();

  ZipArchive zip_;
  XlsxLimits limits_;
  std::vector<SheetEntry> sheets_;
  std::vector<std::string> shared_strings_;
  CellStyles styles_;
  bool date1904_ = false;
};

// Copies each merged range's top-left value into all its cells, adding rows
// and cells as needed; refused when that passes limits.max_cells.
Status fill_merged_ranges(Sheet& sheet, std::string_view label, const XlsxLimits& limits);

}  // namespace pingan::ingest
