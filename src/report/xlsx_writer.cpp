#include "report/xlsx_writer.h"

#include <fmt/format.h>
#include <stdlib.h>
#include <strings.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

#include "core/text.h"

namespace pingan::report {

namespace {

constexpr int kMinWidth = 6, kMaxWidth = 60;
constexpr std::int64_t kMaxDataRows = 1'048'576 - 2;  // Excel's rows less the header and totals

const char* kind_name(ColumnKind kind) {
  switch (kind) {
    case ColumnKind::kText:
      return "text";
    case ColumnKind::kInteger:
      return "integer";
    case ColumnKind::kMoney:
      return "money";
    case ColumnKind::kPercent:
      return "percent";
    case ColumnKind::kDate:
      return "date";
    case ColumnKind::kDateTime:
      return "datetime";
  }
  return "?";
}

bool value_fits(ColumnKind kind, const CellValue& v) {
  if (std::holds_alternative<std::monostate>(v)) return true;
  switch (kind) {
    case ColumnKind::kText:
      return std::holds_alternative<std::string>(v);
    case ColumnKind::kInteger:
    case ColumnKind::kMoney:
      return std::holds_alternative<std::int64_t>(v);
    case ColumnKind::kPercent:
      return std::holds_alternative<double>(v);
    case ColumnKind::kDate:
    case ColumnKind::kDateTime:
      return std::holds_alternative<CivilTime>(v);
  }
  return false;
}

size_t utf8_chars(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// "1,234,567.89" for 123456789 fen: what Excel shows with #,##0.00.
std::string money_display(std::int64_t fen) {
  bool negative = fen < 0;
  std::uint64_t abs =
      negative ? 0 - static_cast<std::uint64_t>(fen) : static_cast<std::uint64_t>(fen);
  std::string yuan = std::to_string(abs / 100);
  for (int i = static_cast<int>(yuan.size()) - 3; i > 0; i -= 3)
    yuan.insert(static_cast<size_t>(i), ",");
  return fmt::format("{}{}.{:02}", negative ? "-" : "", yuan, abs % 100);
}

std::string display_text(ColumnKind kind, const CellValue& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v))
    return kind == ColumnKind::kMoney ? money_display(*i) : std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return fmt::format("{:.2f}%", *d * 100);
  if (std::holds_alternative<CivilTime>(v))
    return kind == ColumnKind::kDate ? "2026-01-01" : "2026-01-01 00:00:00";
  return "";
}

Status check_table(const SheetTable& t, size_t index) {
  std::string name =
      t.title.empty() ? fmt::format("table {}", index + 1) : fmt::format("table '{}'", t.title);
  if (t.title.empty() || utf8_chars(t.title) > 31 ||
      t.title.find_first_of("[]:*?/\\") != std::string::npos || t.title.front() == '\'' ||
      t.title.back() == '\'' || !is_valid_utf8(t.title))
    return Error::invalid(
        "title",
        fmt::format("{}: a sheet name has 1 to 31 characters, none of []:*?/\\ and no ' at "
                    "either end",
                    name));
  if (t.columns.empty() || t.columns.size() > 16384)
    return Error::invalid("columns", fmt::format("{}: needs 1 to 16384 columns", name));
  if (static_cast<std::int64_t>(t.rows.size()) > kMaxDataRows)
    return Error::invalid("rows",
                          fmt::format("{}: {} rows, more than a sheet holds", name, t.rows.size()));
  for (size_t c = 0; c < t.columns.size(); ++c) {
    const ColumnSpec& col = t.columns[c];
    if (!is_valid_utf8(col.header))
      return Error::invalid("columns",
                            fmt::format("{}, column {}: the header is not UTF-8", name, c + 1));
    if (col.total && col.kind != ColumnKind::kInteger && col.kind != ColumnKind::kMoney)
      return Error::invalid(
          "columns", fmt::format("{}, column '{}': only integer and money columns are summed", name,
                                 col.header));
    if (col.width < 0 || col.width > 255)
      return Error::invalid("columns",
                            fmt::format("{}, column '{}': width {} is not 0 (auto) to 255", name,
                                        col.header, col.width));
  }
  if (t.totals_label && t.columns[0].total)
    return Error::invalid(
        "totals_label",
        fmt::format("{}: the totals label goes in the first column, which is summed", name));
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    if (row.size() != t.columns.size())
      return Error::invalid("rows", fmt::format("{}, row {}: {} cells for {} columns", name, r + 1,
                                                row.size(), t.columns.size()));
    for (size_t c = 0; c < row.size(); ++c) {
      const ColumnSpec& col = t.columns[c];
      if (!value_fits(col.kind, row[c]))
        return Error::invalid(
            "rows", fmt::format("{}, row {}, column '{}': the value does not fit a {} column", name,
                                r + 1, col.header, kind_name(col.kind)));
      if (const auto* s = std::get_if<std::string>(&row[c]);
          s && (!is_valid_utf8(*s) || utf8_chars(*s) > 32767))
        return Error::invalid(
            "rows", fmt::format("{}, row {}, column '{}': text is not UTF-8 or longer than 32767 "
                                "characters",
                                name, r + 1, col.header));
      if (const auto* d = std::get_if<CivilTime>(&row[c]);
          d && (!is_valid_civil(*d) || d->year < 1900))
        return Error::invalid(
            "rows", fmt::format("{}, row {}, column '{}': not a valid date from 1900 on", name,
                                r + 1, col.header));
      if (const auto* p = std::get_if<double>(&row[c]); p && !std::isfinite(*p))
        return Error::invalid("rows", fmt::format("{}, row {}, column '{}': not a finite number",
                                                  name, r + 1, col.header));
    }
  }
  return Status();
}

struct Formats {
  lxw_format* header;
  lxw_format* body[6];
  lxw_format* totals[6];
};

void set_number_format(lxw_format* f, ColumnKind kind) {
  switch (kind) {
    case ColumnKind::kText:
      break;
    case ColumnKind::kInteger:
      format_set_num_format(f, "0");
      break;
    case ColumnKind::kMoney:
      format_set_num_format(f, "#,##0.00");
      break;
    case ColumnKind::kPercent:
      format_set_num_format(f, "0.00%");
      break;
    case ColumnKind::kDate:
      format_set_num_format(f, "yyyy-mm-dd");
      break;
    case ColumnKind::kDateTime:
      format_set_num_format(f, "yyyy-mm-dd hh:mm:ss");
      break;
  }
}

Formats make_formats(lxw_workbook* book) {
  Formats f{};
  f.header = workbook_add_format(book);
  format_set_bold(f.header);
  format_set_bg_color(f.header, 0xD9E1F2);
  format_set_border(f.header, LXW_BORDER_THIN);
  format_set_align(f.header, LXW_ALIGN_CENTER);
  format_set_align(f.header, LXW_ALIGN_VERTICAL_CENTER);
  for (int k = 0; k < 6; ++k) {
    f.body[k] = workbook_add_format(book);
    set_number_format(f.body[k], static_cast<ColumnKind>(k));
    f.totals[k] = workbook_add_format(book);
    set_number_format(f.totals[k], static_cast<ColumnKind>(k));
    format_set_bold(f.totals[k]);
    format_set_top(f.totals[k], LXW_BORDER_THIN);
  }
  return f;
}

lxw_datetime to_lxw(const CivilTime& t) {
  return lxw_datetime{t.year, t.month, t.day, t.hour, t.minute, static_cast<double>(t.second)};
}

Status write_error(const std::string& title, lxw_row_t row, lxw_col_t col, lxw_error err) {
  char cell[32];
  lxw_rowcol_to_cell(cell, row, col);
  return Error::internal(
      fmt::format("table '{}', cell {}: libxlsxwriter: {}", title, cell, lxw_strerror(err)));
}

Status write_table(lxw_workbook* book, const Formats& formats, const SheetTable& t) {
  lxw_worksheet* sheet = workbook_add_worksheet(book, t.title.c_str());
  if (sheet == nullptr)
    return Error::invalid("title", fmt::format("table '{}': the sheet name is refused", t.title));
  const auto ncols = static_cast<lxw_col_t>(t.columns.size());
  const auto nrows = static_cast<lxw_row_t>(t.rows.size());

  for (lxw_col_t c = 0; c < ncols; ++c) {
    const ColumnSpec& col = t.columns[c];
    lxw_error err = worksheet_write_string(sheet, 0, c, col.header.c_str(), formats.header);
    if (err != LXW_NO_ERROR) return write_error(t.title, 0, c, err);
    int width = col.width;
    if (width == 0) {
      width = display_width(col.header);
      for (const auto& row : t.rows)
        width = std::max(width, display_width(display_text(col.kind, row[c])));
      if (t.totals_label && c == 0) width = std::max(width, display_width(*t.totals_label));
      width = std::clamp(width + 2, kMinWidth, kMaxWidth);
    }
    worksheet_set_column(sheet, c, c, width, nullptr);
  }

  for (lxw_row_t r = 0; r < nrows; ++r) {
    const auto& row = t.rows[r];
    for (lxw_col_t c = 0; c < ncols; ++c) {
      const ColumnKind kind = t.columns[c].kind;
      lxw_format* format = formats.body[static_cast<int>(kind)];
      const CellValue& v = row[c];
      lxw_error err = LXW_NO_ERROR;
      if (const auto* s = std::get_if<std::string>(&v)) {
        err = worksheet_write_string(sheet, r + 1, c, s->c_str(), format);
      } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
        double number =
            kind == ColumnKind::kMoney ? static_cast<double>(*i) / 100.0 : static_cast<double>(*i);
        err = worksheet_write_number(sheet, r + 1, c, number, format);
      } else if (const auto* d = std::get_if<double>(&v)) {
        err = worksheet_write_number(sheet, r + 1, c, *d, format);
      } else if (const auto* when = std::get_if<CivilTime>(&v)) {
        lxw_datetime dt = to_lxw(*when);
        err = worksheet_write_datetime(sheet, r + 1, c, &dt, format);
      }
      if (err != LXW_NO_ERROR) return write_error(t.title, r + 1, c, err);
    }
  }

  if (t.totals_label) {
    const lxw_row_t totals_row = nrows + 1;
    lxw_error err = worksheet_write_string(sheet, totals_row, 0, t.totals_label->c_str(),
                                           formats.totals[static_cast<int>(ColumnKind::kText)]);
    if (err != LXW_NO_ERROR) return write_error(t.title, totals_row, 0, err);
    for (lxw_col_t c = 0; c < ncols; ++c) {
      const ColumnSpec& col = t.columns[c];
      if (!col.total) continue;
      std::int64_t sum = 0;
      for (const auto& row : t.rows)
        if (const auto* i = std::get_if<std::int64_t>(&row[c]);
            i && __builtin_add_overflow(sum, *i, &sum))
          return Error::invalid("rows", fmt::format("table '{}', column '{}': the total overflows",
                                                    t.title, col.header));
      double cached = col.kind == ColumnKind::kMoney ? static_cast<double>(sum) / 100.0
                                                     : static_cast<double>(sum);
      lxw_format* format = formats.totals[static_cast<int>(col.kind)];
      if (nrows == 0) {
        err = worksheet_write_number(sheet, totals_row, c, 0, format);
      } else {
        char range[64];
        lxw_rowcol_to_range(range, 1, c, nrows, c);
        std::string formula = fmt::format("=SUM({})", range);
        err = worksheet_write_formula_num(sheet, totals_row, c, formula.c_str(), format, cached);
      }
      if (err != LXW_NO_ERROR) return write_error(t.title, totals_row, c, err);
    }
  }

  worksheet_freeze_panes(sheet, 1, 0);
  lxw_error err = worksheet_autofilter(sheet, 0, 0, std::max<lxw_row_t>(nrows, 1), ncols - 1);
  if (err != LXW_NO_ERROR) return write_error(t.title, 0, 0, err);
  return Status();
}

}  // namespace

int display_width(std::string_view s) {
  int width = 0;
  for (size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    std::uint32_t cp = b;
    size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    if (len > 1 && i + len <= s.size()) {
      cp = b & (0x7F >> len);
      for (size_t k = 1; k < len; ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    i += std::min(len, s.size() - i);
    bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
    width += wide ? 2 : 1;
  }
  return width;
}

Status write_xlsx(const std::string& path, const std::vector<SheetTable>& tables) {
  if (tables.empty()) return Error::invalid("tables", "a workbook needs at least one table");
  for (size_t i = 0; i < tables.size(); ++i) {
    PINGAN_RETURN_IF_ERROR(check_table(tables[i], i));
    for (size_t j = 0; j < i; ++j)
      if (strcasecmp(tables[i].title.c_str(), tables[j].title.c_str()) == 0)
        return Error::invalid("title", fmt::format("two tables are called '{}'", tables[i].title));
  }

  // A unique temporary name beside the target, so the rename stays on one
  // file system and is atomic.
  std::filesystem::path target(path);
  std::filesystem::path dir =
      target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  std::string temp = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  int fd = mkstemp(temp.data());
  if (fd < 0)
    return Error::invalid("path", fmt::format("cannot write '{}': {}", path, std::strerror(errno)));
  close(fd);
  auto discard = [&](Status s) {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    return s;
  };

  lxw_workbook* book = workbook_new(temp.c_str());
  if (book == nullptr) return discard(Error::internal("libxlsxwriter: cannot create a workbook"));
  Formats formats = make_formats(book);
  for (const auto& table : tables) {
    Status written = write_table(book, formats, table);
    if (!written.ok()) {
      workbook_close(book);
      return discard(written);
    }
  }
  lxw_error err = workbook_close(book);
  if (err != LXW_NO_ERROR)
    return discard(
        Error::invalid("path", fmt::format("cannot write '{}': {}", path, lxw_strerror(err))));
  std::error_code ec;
  std::filesystem::rename(temp, target, ec);
  if (ec)
    return discard(
        Error::invalid("path", fmt::format("cannot write '{}': {}", path, ec.message())));
  return Status();
}

Result<std::string> xlsx_bytes(const std::vector<SheetTable>& tables) {
  std::string folder = (std::filesystem::temp_directory_path() / "pingan-xlsx-XXXXXX").string();
  if (mkdtemp(folder.data()) == nullptr)
    return Error::internal(fmt::format("cannot make a temporary folder: {}", std::strerror(errno)));
  const std::filesystem::path file = std::filesystem::path(folder) / "book.xlsx";
  Status written = write_xlsx(file.string(), tables);
  std::string bytes;
  if (written.ok()) {
    std::ifstream in(file, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) written = Error::internal("cannot read back the written workbook");
  }
  std::error_code ignored;
  std::filesystem::remove_all(folder, ignored);
  if (!written.ok()) return written.error();
  return bytes;
}

}  // namespace pingan::report
