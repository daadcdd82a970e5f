#pragma once
// The XML parts behind a sheet's cells: the shared strings table and the
// worksheet part itself. Internal to xlsx_reader; separate so that each
// part's state machine reads on its own.

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "ingest/xlsx_cells.h"
#include "ingest/xlsx_styles.h"

namespace pingan::ingest {

// xl/sharedStrings.xml: one string per <si>, rich-text runs joined, phonetic
// runs (<rPh>) left out, _xHHHH_ escapes decoded. At most `max_strings`.
Result<std::vector<std::string>> parse_shared_strings(std::string_view label, std::string_view part,
                                                      std::string_view xml,
                                                      std::int64_t max_strings);

struct SheetContext {
  std::string_view label;  // the file, for errors
  std::string_view sheet;  // the sheet's name, for errors
  std::string_view part;   // "xl/worksheets/sheet1.xml"
  const std::vector<std::string>* shared_strings = nullptr;
  const CellStyles* styles = nullptr;
  bool date1904 = false;
  XlsxLimits limits;
};

// Reads the cells and merged ranges of a worksheet part. Errors name the
// file, the sheet, the row and the column ("sheet '台账', row 7, column C:
// shared string 912 does not exist"), or the part and XML line when the
// XML itself is broken.
Result<Sheet> parse_sheet_xml(const SheetContext& context, std::string_view xml);

}  // namespace pingan::ingest
