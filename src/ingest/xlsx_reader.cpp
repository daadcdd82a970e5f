#include "ingest/xlsx_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "ingest/xlsx_sheet_xml.h"
#include "ingest/xlsx_xml.h"

namespace pingan::ingest {

namespace {

struct Relationship {
  std::string id, type, target;
  bool external = false;
};

class RelsHandler : public XmlHandler {
 public:
  std::vector<Relationship> rels;
  void on_start(std::string_view name, const XmlAttrs& attrs) override {
    if (name != "Relationship") return;
    Relationship r;
    r.id = std::string(attrs.get("Id").value_or(""));
    r.type = std::string(attrs.get("Type").value_or(""));
    r.target = std::string(attrs.get("Target").value_or(""));
    r.external = attrs.get("TargetMode").value_or("") == "External";
    rels.push_back(std::move(r));
  }
};

class WorkbookHandler : public XmlHandler {
 public:
  struct Entry {
    std::string name, rel_id;
  };
  std::vector<Entry> sheets;
  bool date1904 = false;
  void on_start(std::string_view name, const XmlAttrs& attrs) override {
    if (name == "sheet") {
      sheets.push_back(
          {std::string(attrs.get("name").value_or("")), std::string(attrs.get("id").value_or(""))});
    } else if (name == "workbookPr") {
      auto v = attrs.get("date1904").value_or("");
      date1904 = v == "1" || v == "true";
    }
  }
};

bool type_is(const Relationship& r, std::string_view suffix) {
  return r.type.size() >= suffix.size() &&
         r.type.compare(r.type.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The zip path a relationship target of `source` points at: relative to the
// source part's folder, or absolute from the package root; "." and ".."
// segments resolved.
std::string resolve_target(std::string_view source, std::string_view target) {
  std::string joined;
  if (!target.empty() && target[0] == '/') {
    joined = std::string(target.substr(1));
  } else {
    size_t slash = source.rfind('/');
    joined = (slash == std::string_view::npos ? std::string()
                                              : std::string(source.substr(0, slash + 1))) +
             std::string(target);
  }
  std::vector<std::string> segments;
  size_t start = 0;
  while (start <= joined.size()) {
    size_t end = joined.find('/', start);
    if (end == std::string::npos) end = joined.size();
    std::string seg = joined.substr(start, end - start);
    if (seg == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!seg.empty() && seg != ".") {
      segments.push_back(std::move(seg));
    }
    start = end + 1;
  }
  std::string out;
  for (const auto& s : segments) out += (out.empty() ? "" : "/") + s;
  return out;
}

// "xl/workbook.xml" -> "xl/_rels/workbook.xml.rels"
std::string rels_part_of(std::string_view part) {
  size_t slash = part.rfind('/');
  std::string dir = slash == std::string_view::npos ? "" : std::string(part.substr(0, slash + 1));
  std::string base(slash == std::string_view::npos ? part : part.substr(slash + 1));
  return dir + "_rels/" + base + ".rels";
}

Result<std::vector<Relationship>> read_rels(const ZipArchive& zip, const std::string& part,
                                            std::int64_t max_bytes) {
  PINGAN_ASSIGN_OR_RETURN(std::string xml, zip.read_part(part, max_bytes));
  RelsHandler handler;
  PINGAN_RETURN_IF_ERROR(parse_xml(zip.label(), part, xml, handler));
  return std::move(handler.rels);
}

}  // namespace

Result<XlsxWorkbook> XlsxWorkbook::open_file(const std::string& path, const XlsxLimits& limits) {
  std::string label = std::filesystem::path(path).filename().string();
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return Error::invalid(label, fmt::format("cannot read '{}': {}", path, ec.message()));
  if (static_cast<std::int64_t>(size) > limits.max_file_bytes)
    return Error{ErrorCode::kPayloadTooLarge, label,
                 fmt::format("the file has {} bytes, more than the limit of {}; refused", size,
                             limits.max_file_bytes)};
  std::ifstream in(path, std::ios::binary);
  std::string bytes(size, '\0');
  if (!in.read(bytes.data(), static_cast<std::streamsize>(size)))
    return Error::invalid(label, fmt::format("cannot read '{}'", path));
  return open_bytes(std::move(bytes), std::move(label), limits);
}

Result<XlsxWorkbook> XlsxWorkbook::open_bytes(std::string bytes, std::string label,
                                              const XlsxLimits& limits) {
  if (static_cast<std::int64_t>(bytes.size()) > limits.max_file_bytes)
    return Error{ErrorCode::kPayloadTooLarge, label,
                 fmt::format("the file has {} bytes, more than the limit of {}; refused",
                             bytes.size(), limits.max_file_bytes)};
  PINGAN_ASSIGN_OR_RETURN(ZipArchive zip, ZipArchive::open(std::move(bytes), std::move(label)));
  XlsxWorkbook book(std::move(zip), limits);
  PINGAN_RETURN_IF_ERROR(book.load());
  return book;
}

Status XlsxWorkbook::load() {
  const std::string& label = zip_.label();
  const std::int64_t max = limits_.max_part_bytes;
  // The package's relationships name the workbook part; files written by
  // hand sometimes lack them, so the usual path is the fallback.
  std::string workbook_part;
  if (zip_.has_part("_rels/.rels")) {
    PINGAN_ASSIGN_OR_RETURN(auto rels, read_rels(zip_, "_rels/.rels", max));
    for (const auto& r : rels)
      if (!r.external && type_is(r, "/officeDocument"))
        workbook_part = resolve_target("", r.target);
  }
  if (workbook_part.empty() || !zip_.has_part(workbook_part)) workbook_part = "xl/workbook.xml";
  if (!zip_.has_part(workbook_part))
    return Error::invalid(label,
                          "not an .xlsx workbook: the zip has no workbook part (xl/workbook.xml)");

  PINGAN_ASSIGN_OR_RETURN(std::string workbook_xml, zip_.read_part(workbook_part, max));
  WorkbookHandler workbook;
  PINGAN_RETURN_IF_ERROR(parse_xml(label, workbook_part, workbook_xml, workbook));
  date1904_ = workbook.date1904;

  std::vector<Relationship> rels;
  std::string rels_part = rels_part_of(workbook_part);
  if (zip_.has_part(rels_part)) {
    PINGAN_ASSIGN_OR_RETURN(rels, read_rels(zip_, rels_part, max));
  }
  for (const auto& entry : workbook.sheets) {
    SheetEntry sheet{entry.name, "", true};
    for (const auto& r : rels) {
      if (r.id != entry.rel_id || r.external) continue;
      sheet.part = resolve_target(workbook_part, r.target);
      sheet.worksheet = type_is(r, "/worksheet");
    }
    sheets_.push_back(std::move(sheet));
  }
  if (sheets_.empty()) return Error::invalid(label, "the workbook lists no sheets");

  for (const auto& r : rels) {
    if (r.external) continue;
    std::string part = resolve_target(workbook_part, r.target);
    if (type_is(r, "/sharedStrings") && zip_.has_part(part)) {
      PINGAN_ASSIGN_OR_RETURN(std::string xml, zip_.read_part(part, max));
      PINGAN_ASSIGN_OR_RETURN(shared_strings_,
                              parse_shared_strings(label, part, xml, limits_.max_cells));
    } else if (type_is(r, "/styles") && zip_.has_part(part)) {
      PINGAN_ASSIGN_OR_RETURN(std::string xml, zip_.read_part(part, max));
      PINGAN_ASSIGN_OR_RETURN(styles_, CellStyles::parse(label, part, xml));
    }
  }
  return Status();
}

std::vector<std::string> XlsxWorkbook::sheet_names() const {
  std::vector<std::string> names;
  for (const auto& s : sheets_) names.push_back(s.name);
  return names;
}

Result<Sheet> XlsxWorkbook::read_sheet(std::string_view name,
                                       const SheetReadOptions& options) const {
  const std::string& label = zip_.label();
  auto it = std::find_if(sheets_.begin(), sheets_.end(),
                         [&](const SheetEntry& s) { return s.name == name; });
  if (it == sheets_.end()) {
    std::string names;
    for (const auto& s : sheets_) names += (names.empty() ? "'" : ", '") + s.name + "'";
    return Error::invalid(label,
                          fmt::format("no sheet named '{}' (the workbook has {})", name, names));
  }
  if (!it->worksheet)
    return Error::invalid(label, fmt::format("sheet '{}' is a chart sheet, not a table", name));
  if (it->part.empty() || !zip_.has_part(it->part))
    return Error::invalid(
        label,
        fmt::format("sheet '{}': its part '{}' is missing from the workbook", name, it->part));
  PINGAN_ASSIGN_OR_RETURN(std::string xml, zip_.read_part(it->part, limits_.max_part_bytes));
  SheetContext context{label, it->name, it->part, &shared_strings_, &styles_, date1904_, limits_};
  PINGAN_ASSIGN_OR_RETURN(Sheet sheet, parse_sheet_xml(context, xml));
  if (options.fill_merged) PINGAN_RETURN_IF_ERROR(fill_merged_ranges(sheet, label, limits_));
  return sheet;
}

Status fill_merged_ranges(Sheet& sheet, std::string_view label, const XlsxLimits& limits) {
  std::int64_t slots = 0, text_bytes = 0;
  for (const auto& row : sheet.rows) {
    slots += static_cast<std::int64_t>(row.cells.size());
    for (const auto& c : row.cells) text_bytes += static_cast<std::int64_t>(c.text.size());
  }
  auto find_row = [&](std::int64_t number) {
    return std::lower_bound(sheet.rows.begin(), sheet.rows.end(), number,
                            [](const SheetRow& r, std::int64_t n) { return r.number < n; });
  };
  for (const CellRange& range : sheet.merges) {
    auto top = find_row(range.first_row);
    if (top == sheet.rows.end() || top->number != range.first_row ||
        range.first_column >= static_cast<int>(top->cells.size()))
      continue;
    Cell source = top->cells[static_cast<size_t>(range.first_column)];
    if (source.kind == CellKind::kEmpty) continue;
    std::int64_t height = range.last_row - range.first_row + 1;
    std::int64_t width = range.last_column - range.first_column + 1;
    // Bounded before any work: a range may span the whole sheet. Rows grow
    // up to the range's last column, hence the wider product.
    if (height * (range.last_column + 1) > limits.max_cells - slots ||
        height * width * static_cast<std::int64_t>(source.text.size() + 1) >
            limits.max_text_bytes - text_bytes)
      return Error{
          ErrorCode::kPayloadTooLarge, std::string(label),
          fmt::format("sheet '{}': filling the merged range {}{}:{}{} passes the limit of {} "
                      "cells; refused",
                      sheet.name, column_letters(range.first_column), range.first_row,
                      column_letters(range.last_column), range.last_row, limits.max_cells)};
    for (std::int64_t r = range.first_row; r <= range.last_row; ++r) {
      auto row = find_row(r);
      if (row == sheet.rows.end() || row->number != r)
        row = sheet.rows.insert(row, SheetRow{r, {}});
      auto& cells = row->cells;
      if (range.last_column >= static_cast<int>(cells.size())) {
        slots += range.last_column + 1 - static_cast<std::int64_t>(cells.size());
        cells.resize(static_cast<size_t>(range.last_column) + 1);
      }
      for (int c = range.first_column; c <= range.last_column; ++c) {
        text_bytes += static_cast<std::int64_t>(source.text.size());
        cells[static_cast<size_t>(c)] = source;
      }
    }
  }
  return Status();
}

}  // namespace pingan::ingest
