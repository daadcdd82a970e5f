#include "ingest/table_source.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "core/text.h"
#include "ingest/csv_reader.h"
#include "ingest/field_parsers.h"

namespace pingan::ingest {

namespace {

const Cell kEmptyCell{};

bool blank_row(const std::vector<Cell>& cells) {
  return std::all_of(cells.begin(), cells.end(),
                     [](const Cell& c) { return trim(c.text).empty(); });
}

// Joins the header rows per column: distinct texts top to bottom, so a cell
// merged down over both rows ("序号") reads once and a group over two
// columns reads "基本信息/姓名".
std::vector<std::string> join_headers(const std::vector<std::vector<Cell>>& header_rows,
                                      size_t width) {
  std::vector<std::string> headers(width);
  for (size_t c = 0; c < width; ++c) {
    std::string_view previous;
    for (const auto& row : header_rows) {
      std::string_view text = c < row.size() ? trim(row[c].text) : std::string_view();
      if (text.empty() || text == previous) continue;
      if (!headers[c].empty()) headers[c] += '/';
      headers[c] += text;
      previous = text;
    }
  }
  return headers;
}

Status check_options(const std::string& label, const TableOptions& options) {
  if (options.header_row < 1 || options.header_row > kMaxRows || options.header_rows < 1 ||
      options.header_rows > 10)
    return Error::invalid(label, "the header starts at row 1 .. 1048576 and has 1 to 10 rows");
  return Status();
}

Error reason(std::string message) { return Error::invalid("", std::move(message)); }

// Quotes a cell's text for a reason, cut at 40 bytes on a UTF-8 boundary.
std::string quote_text(std::string_view text) {
  if (text.size() <= 40) return fmt::format("'{}'", text);
  size_t cut = 40;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return fmt::format("'{}...'", text.substr(0, cut));
}

}  // namespace

const Cell& TableRow::at(size_t column) const {
  return column < cells.size() ? cells[column] : kEmptyCell;
}

std::string RowProblem::describe() const {
  std::string where =
      sheet.empty() ? fmt::format("{}, line {}, field {}", file, row, column)
                    : fmt::format("{}, sheet '{}', row {}, column {}", file, sheet, row, column);
  if (!header.empty()) where += fmt::format(" ({})", header);
  return where + ": " + reason;
}

Result<TableSource> TableSource::from_csv(std::string file_label, std::string_view text,
                                          const TableOptions& options) {
  PINGAN_RETURN_IF_ERROR(check_options(file_label, options));
  TableSource table;
  table.file_ = std::move(file_label);
  CsvReader reader(text);
  CsvRecord record;
  std::vector<std::vector<Cell>> header_rows;
  std::int64_t ordinal = 0, last_header = options.header_row + options.header_rows - 1;
  size_t width = 0;
  while (reader.next(record)) {
    ++ordinal;
    if (ordinal < options.header_row) continue;
    std::vector<Cell> cells;
    cells.reserve(record.size());
    for (std::string_view f : record.fields) {
      Cell cell;
      cell.kind = f.empty() ? CellKind::kEmpty : CellKind::kText;
      cell.text = std::string(f);
      cells.push_back(std::move(cell));
    }
    width = std::max(width, cells.size());
    if (ordinal <= last_header) {
      header_rows.push_back(std::move(cells));
      continue;
    }
    if (blank_row(cells)) continue;
    table.rows_.push_back(TableRow{record.line, std::move(cells)});
  }
  // CSV keeps no merges: an upper header cell left empty continues the
  // group to its left, as a merged cell exports.
  for (size_t r = 0; r + 1 < header_rows.size(); ++r)
    for (size_t c = 1; c < header_rows[r].size(); ++c)
      if (trim(header_rows[r][c].text).empty()) header_rows[r][c] = header_rows[r][c - 1];
  table.headers_ = join_headers(header_rows, width);
  return table;
}

Result<TableSource> TableSource::from_xlsx(const XlsxWorkbook& book, const TableOptions& options) {
  PINGAN_RETURN_IF_ERROR(check_options(book.label(), options));
  std::string sheet_name = options.sheet;
  if (sheet_name.empty())
    sheet_name = book.sheet_names().front();  // a workbook has at least one sheet
  PINGAN_ASSIGN_OR_RETURN(Sheet sheet,
                          book.read_sheet(sheet_name, SheetReadOptions{.fill_merged = true}));
  TableSource table;
  table.file_ = book.label();
  table.sheet_ = sheet.name;
  table.xlsx_ = true;
  std::int64_t last_header = options.header_row + options.header_rows - 1;
  std::vector<std::vector<Cell>> header_rows(static_cast<size_t>(options.header_rows));
  size_t width = 0;
  for (auto& row : sheet.rows) {
    if (row.number < options.header_row) continue;
    width = std::max(width, row.cells.size());
    if (row.number <= last_header) {
      header_rows[static_cast<size_t>(row.number - options.header_row)] = std::move(row.cells);
      continue;
    }
    if (blank_row(row.cells)) continue;
    table.rows_.push_back(TableRow{row.number, std::move(row.cells)});
  }
  table.headers_ = join_headers(header_rows, width);
  return table;
}

Result<TableSource> TableSource::open(const std::string& path, const TableOptions& options,
                                      const XlsxLimits& limits) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  std::string label = std::filesystem::path(path).filename().string();
  if (ext == ".xlsx") {
    PINGAN_ASSIGN_OR_RETURN(XlsxWorkbook book, XlsxWorkbook::open_file(path, limits));
    return from_xlsx(book, options);
  }
  if (ext == ".csv") {
    PINGAN_ASSIGN_OR_RETURN(std::string text, read_whole_file(path));
    return from_csv(label, text, options);
  }
  return Error::invalid(label, "a table must be a .csv or .xlsx file");
}

std::optional<size_t> TableSource::column_of(std::string_view header) const {
  header = trim(header);
  for (size_t i = 0; i < headers_.size(); ++i)
    if (headers_[i] == header) return i;
  return std::nullopt;
}

Result<std::vector<size_t>> TableSource::require_columns(
    const std::vector<std::string>& headers) const {
  std::vector<size_t> columns;
  std::string missing;
  for (const auto& h : headers) {
    if (auto c = column_of(h)) {
      columns.push_back(*c);
    } else {
      missing += (missing.empty() ? "'" : ", '") + h + "'";
    }
  }
  if (!missing.empty()) {
    std::string found;
    for (const auto& h : headers_) found += (found.empty() ? "'" : ", '") + h + "'";
    std::string where = sheet_.empty() ? file_ : fmt::format("{}, sheet '{}'", file_, sheet_);
    return Error::invalid(
        file_, fmt::format("{}: no column headed {} (the headers are {})", where, missing, found));
  }
  return columns;
}

RowProblem TableSource::problem(const TableRow& row, size_t column, std::string why) const {
  RowProblem p;
  p.file = file_;
  p.sheet = sheet_;
  p.row = row.number;
  p.column = xlsx_ ? column_letters(static_cast<int>(column)) : std::to_string(column + 1);
  p.header = column < headers_.size() ? headers_[column] : "";
  p.reason = std::move(why);
  return p;
}

Result<std::string> TableSource::text_at(const TableRow& row, size_t column) {
  std::string_view text = trim(row.at(column).text);
  if (text.empty()) return reason("is empty");
  return std::string(text);
}

Result<std::int64_t> TableSource::integer_at(const TableRow& row, size_t column) {
  const Cell& cell = row.at(column);
  if (cell.kind == CellKind::kNumber) {
    if (cell.number != std::floor(cell.number) || std::fabs(cell.number) > 9.0e15)
      return reason(fmt::format("{} is not a whole number", cell.text));
    return static_cast<std::int64_t>(cell.number);
  }
  PINGAN_ASSIGN_OR_RETURN(std::string text, text_at(row, column));
  if (cell.kind == CellKind::kDate)
    return reason(fmt::format("{} is a date, not a whole number", quote_text(text)));
  auto v = parse_integer(text);
  if (!v) return reason(fmt::format("{} is not a whole number", quote_text(text)));
  return static_cast<std::int64_t>(*v);
}

Result<double> TableSource::decimal_at(const TableRow& row, size_t column) {
  const Cell& cell = row.at(column);
  if (cell.kind == CellKind::kNumber) return cell.number;
  PINGAN_ASSIGN_OR_RETURN(std::string text, text_at(row, column));
  auto v = cell.kind == CellKind::kDate ? std::nullopt : parse_decimal(text);
  if (!v || !std::isfinite(*v)) return reason(fmt::format("{} is not a number", quote_text(text)));
  return *v;
}

Result<std::int64_t> TableSource::money_fen_at(const TableRow& row, size_t column) {
  const Cell& cell = row.at(column);
  if (cell.kind == CellKind::kNumber) {
    double fen = cell.number * 100.0;
    if (std::fabs(fen) > 1e17) return reason(fmt::format("{} yuan is out of range", cell.text));
    double rounded = std::round(fen);
    // A double holds 1234.56 as 1234.5599999...: a fen within 1e-6 is exact.
    if (std::fabs(fen - rounded) > 1e-6 * std::max(1.0, std::fabs(fen) / 1e9))
      return reason(fmt::format("{} has more than two decimals (yuan to the fen)", cell.text));
    return static_cast<std::int64_t>(rounded);
  }
  // Kept as a Result (not moved out): g++ 12 misreads the move as an
  // uninitialised read under -O2.
  Result<std::string> read = text_at(row, column);
  if (!read.ok()) return read.error();
  const std::string& text = read.value();
  std::string_view s = text;
  bool negative = !s.empty() && s.front() == '-';
  if (negative) s.remove_prefix(1);
  std::int64_t yuan = 0, fen = 0;
  int int_digits = 0, frac_digits = 0;
  bool point = false, ok = !s.empty() && cell.kind != CellKind::kDate;
  for (size_t i = 0; ok && i < s.size(); ++i) {
    char c = s[i];
    if (c == ',' && !point && int_digits > 0) continue;  // thousands separators
    if (c == '.' && !point) {
      point = true;
      continue;
    }
    if (c < '0' || c > '9') {
      ok = false;
    } else if (point) {
      if (++frac_digits > 2) ok = false;
      fen = fen * 10 + (c - '0');
    } else {
      if (++int_digits > 15) ok = false;
      yuan = yuan * 10 + (c - '0');
    }
  }
  if (!ok || int_digits == 0)
    return reason(
        fmt::format("{} is not an amount in yuan with at most two decimals", quote_text(text)));
  if (frac_digits == 1) fen *= 10;
  std::int64_t total = yuan * 100 + fen;
  return negative ? -total : total;
}

Result<CivilTime> TableSource::date_at(const TableRow& row, size_t column) {
  const Cell& cell = row.at(column);
  PINGAN_ASSIGN_OR_RETURN(std::string text, text_at(row, column));
  if (cell.kind == CellKind::kNumber)
    return reason(fmt::format("{} is a number, not a date", text));
  // YYYY sep M sep D, sep one of - / . or 年 月 (日 after the day).
  std::string_view s = text;
  CivilTime t;
  auto digits = [&](size_t min, size_t max, int& out) {
    size_t n = 0;
    int v = 0;
    while (n < s.size() && n < max && s[n] >= '0' && s[n] <= '9') v = v * 10 + (s[n++] - '0');
    if (n < min) return false;
    out = v;
    s.remove_prefix(n);
    return true;
  };
  auto separator = [&](std::string_view cjk) {
    if (!s.empty() && (s[0] == '-' || s[0] == '/' || s[0] == '.')) {
      s.remove_prefix(1);
      return true;
    }
    if (s.substr(0, cjk.size()) == cjk) {
      s.remove_prefix(cjk.size());
      return true;
    }
    return false;
  };
  bool ok = digits(4, 4, t.year) && separator("年") && digits(1, 2, t.month) && separator("月") &&
            digits(1, 2, t.day);
  if (ok && s.substr(0, 3) == "日") s.remove_prefix(3);
  // A date cell with a time ("2026-03-01T08:30:00") is a date at its day.
  if (ok && cell.kind == CellKind::kDate && !s.empty() && s[0] == 'T') s = {};
  if (!ok || !s.empty() || !is_valid_civil(t))
    return reason(fmt::format("{} is not a date (2026-03-01)", quote_text(text)));
  return t;
}

}  // namespace pingan::ingest
