#pragma once
// The values an .xlsx sheet reads into, and the A1 reference helpers.
// Rows are numbered from 1 as Excel shows them; columns are indexes from 0
// in vectors and letters ("A", "AB") in messages.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pingan::ingest {

enum class CellKind {
  kEmpty,
  kText,    // a shared or inline string, or a formula's text result
  kNumber,  // a number without a date style
  kBool,
  kError,  // "#N/A", "#DIV/0!" ... as cached
  kDate,   // a number with a date or time style, converted to ISO 8601 text
};

struct Cell {
  CellKind kind = CellKind::kEmpty;
  // What an importer reads: the text; a number in its shortest exact form
  // ("12", "1234.5"); a date as "2026-03-01", a time as "08:30:00", both as
  // "2026-03-01T08:30:00"; "TRUE"/"FALSE"; the error's code.
  std::string text;
  double number = 0;     // numbers, date serials, booleans (0 or 1)
  bool formula = false;  // the value is a formula's cached result

  bool empty() const {
    return kind == CellKind::kEmpty || (kind == CellKind::kText && text.empty());
  }
};

struct SheetRow {
  std::int64_t number = 0;  // 1-based, as Excel shows it
  std::vector<Cell> cells;  // by column index; missing cells are kEmpty
};

// A rectangle of cells, inclusive: rows 1-based, columns 0-based.
struct CellRange {
  std::int64_t first_row = 1, last_row = 1;
  int first_column = 0, last_column = 0;
};

struct Sheet {
  std::string name;
  std::vector<SheetRow> rows;     // ascending by number; rows with no cell are absent
  std::vector<CellRange> merges;  // as listed in mergeCells
};

// Bounds against hostile workbooks; each refusal is a clear error.
struct XlsxLimits {
  std::int64_t max_file_bytes = std::int64_t{256} << 20;  // the .xlsx file itself
  std::int64_t max_part_bytes = std::int64_t{200} << 20;  // any part, uncompressed
  std::int64_t max_cells = 5'000'000;  // cell slots of one sheet (merges filled included)
  std::int64_t max_text_bytes = std::int64_t{512}
                                << 20;  // cell text of one sheet (shared strings repeat)
};

inline constexpr int kMaxColumns = 16384;            // XFD
inline constexpr std::int64_t kMaxRows = 1'048'576;  // Excel's limit

// "A" for 0, "Z" for 25, "AA" for 26 ... "XFD" for 16383.
std::string column_letters(int column);
// "C7" -> column 2, row 7; nothing when malformed or beyond Excel's limits.
struct CellRef {
  int column = 0;
  std::int64_t row = 0;
};
std::optional<CellRef> parse_cell_ref(std::string_view ref);
// "A1:C2" (or one cell "B3") -> the range; nothing when malformed.
std::optional<CellRange> parse_range_ref(std::string_view ref);

}  // namespace pingan::ingest
