#pragma once
// An uploaded spreadsheet (CSV text or an .xlsx workbook) read as a
// TableSource with its header found: the ledger and registry importers both
// take a file whose header may sit below a title row and may be two rows
// under merged group titles, and both find it the same way — by trying the
// first rows and keeping the position that maps the most columns.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "ingest/table_source.h"
#include "ingest/xlsx_reader.h"

namespace pingan::ingest {

// How far down the header is looked for when the caller does not say.
inline constexpr std::int64_t kMaxAutoHeaderRow = 4;

// Whether `bytes` (named `name`) is an .xlsx workbook: the zip signature,
// or the extension when the bytes are not there yet.
bool is_xlsx_upload(const std::string& name, const std::string& bytes);

// The file's table read at any header position, the workbook opened once.
// Holds references to `name` and `bytes`: they outlive the opener.
class UploadedTable {
 public:
  static Result<UploadedTable> open(const std::string& name, const std::string& bytes);
  Result<TableSource> read(const std::string& sheet, std::int64_t header_row, int header_rows) const;

 private:
  UploadedTable(const std::string& name, const std::string& bytes) : name_(name), bytes_(bytes) {}
  const std::string& name_;
  const std::string& bytes_;
  std::optional<XlsxWorkbook> book_;
};

struct HeaderPosition {
  std::int64_t row = 1;  // the first header row, 1-based
  int rows = 1;          // its height: 1, or 2 under merged group titles
};

// The header position whose headers score highest (`score`: how many
// columns an importer maps), the first of equals. `row` / `rows` fix the
// position where the caller knows it; unset, rows 1..kMaxAutoHeaderRow and
// heights 1 and 2 are tried. When no position maps a column, the first
// read error (a missing sheet, a malformed file) is the answer if there
// was one, else the first position.
Result<HeaderPosition> find_table_header(const UploadedTable& table, const std::string& sheet,
                                         std::optional<std::int64_t> row, std::optional<int> rows,
                                         const std::function<size_t(const std::vector<std::string>&)>& score);

}  // namespace pingan::ingest
