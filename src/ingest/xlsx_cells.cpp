#include "ingest/xlsx_cells.h"

#include <algorithm>

namespace pingan::ingest {

std::string column_letters(int column) {
  std::string out;
  for (int n = column + 1; n > 0; n = (n - 1) / 26) out += static_cast<char>('A' + (n - 1) % 26);
  std::reverse(out.begin(), out.end());
  return out;
}

std::optional<CellRef> parse_cell_ref(std::string_view ref) {
  size_t i = 0;
  if (i < ref.size() && ref[i] == '$') ++i;
  std::int64_t column = 0;
  size_t letters = 0;
  for (; i < ref.size() && letters < 4; ++i, ++letters) {
    char c = ref[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') break;
    column = column * 26 + (c - 'A' + 1);
  }
  if (letters == 0 || column > kMaxColumns) return std::nullopt;
  if (i < ref.size() && ref[i] == '$') ++i;
  std::int64_t row = 0;
  size_t digits = 0;
  for (; i < ref.size(); ++i, ++digits) {
    char c = ref[i];
    if (c < '0' || c > '9' || digits >= 8) return std::nullopt;
    row = row * 10 + (c - '0');
  }
  if (digits == 0 || row < 1 || row > kMaxRows) return std::nullopt;
  return CellRef{static_cast<int>(column - 1), row};
}

std::optional<CellRange> parse_range_ref(std::string_view ref) {
  size_t colon = ref.find(':');
  auto first = parse_cell_ref(ref.substr(0, colon));
  auto last = colon == std::string_view::npos ? first : parse_cell_ref(ref.substr(colon + 1));
  if (!first || !last) return std::nullopt;
  CellRange range;
  range.first_row = std::min(first->row, last->row);
  range.last_row = std::max(first->row, last->row);
  range.first_column = std::min(first->column, last->column);
  range.last_column = std::max(first->column, last->column);
  return range;
}

}  // namespace pingan::ingest
