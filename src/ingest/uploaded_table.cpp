#include "ingest/uploaded_table.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace pingan::ingest {

bool is_xlsx_upload(const std::string& name, const std::string& bytes) {
  std::string ext = std::filesystem::path(name).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return bytes.rfind("PK\x03\x04", 0) == 0 || ext == ".xlsx";
}

Result<UploadedTable> UploadedTable::open(const std::string& name, const std::string& bytes) {
  UploadedTable table(name, bytes);
  if (is_xlsx_upload(name, bytes)) {
    PINGAN_ASSIGN_OR_RETURN(XlsxWorkbook book, XlsxWorkbook::open_bytes(bytes, name));
    table.book_.emplace(std::move(book));
  }
  return table;
}

Result<TableSource> UploadedTable::read(const std::string& sheet, std::int64_t header_row, int header_rows) const {
  TableOptions o{sheet, header_row, header_rows};
  if (book_) return TableSource::from_xlsx(*book_, o);
  return TableSource::from_csv(name_, bytes_, o);
}

Result<HeaderPosition> find_table_header(const UploadedTable& table, const std::string& sheet,
                                         std::optional<std::int64_t> row, std::optional<int> rows,
                                         const std::function<size_t(const std::vector<std::string>&)>& score) {
  std::vector<std::int64_t> starts;
  if (row) starts = {*row};
  else for (std::int64_t r = 1; r <= kMaxAutoHeaderRow; ++r) starts.push_back(r);
  const std::vector<int> heights = rows ? std::vector<int>{*rows} : std::vector<int>{1, 2};
  std::optional<Error> first_error;
  HeaderPosition best{starts.front(), heights.front()};
  size_t best_score = 0;
  for (std::int64_t r : starts)
    for (int h : heights) {
      auto read = table.read(sheet, r, h);
      if (!read.ok()) {
        if (!first_error) first_error = read.error();
        continue;
      }
      const size_t s = score(read->headers());
      if (s > best_score) {
        best_score = s;
        best = {r, h};
      }
    }
  if (best_score == 0 && first_error) return *first_error;
  return best;
}

}  // namespace pingan::ingest
