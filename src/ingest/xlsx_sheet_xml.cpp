#include "ingest/xlsx_sheet_xml.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "ingest/xlsx_xml.h"

namespace pingan::ingest {

namespace {

class SharedStringsHandler : public XmlHandler {
 public:
  SharedStringsHandler(std::string_view label, std::string_view part, std::int64_t max_strings)
      : label_(label), part_(part), max_strings_(max_strings) {}
  std::vector<std::string> strings;

  void on_start(std::string_view name, const XmlAttrs&) override {
    if (name == "si") {
      in_si_ = true;
      text_.clear();
    } else if (name == "rPh") {
      in_phonetic_ = true;
    } else if (name == "t" && in_si_ && !in_phonetic_) {
      in_t_ = true;
    }
  }
  void on_end(std::string_view name) override {
    if (name == "si") {
      in_si_ = false;
      if (static_cast<std::int64_t>(strings.size()) >= max_strings_) {
        fail({ErrorCode::kPayloadTooLarge, std::string(label_),
              fmt::format("{}: more than {} shared strings; refused", part_, max_strings_)});
        return;
      }
      strings.push_back(decode_excel_escapes(text_));
    } else if (name == "rPh") {
      in_phonetic_ = false;
    } else if (name == "t") {
      in_t_ = false;
    }
  }
  void on_text(std::string_view text) override {
    if (in_t_) text_.append(text);
  }

 private:
  std::string_view label_, part_;
  std::int64_t max_strings_;
  bool in_si_ = false, in_phonetic_ = false, in_t_ = false;
  std::string text_;
};

// The shortest text that reads back as the same double; integers plainly.
std::string number_text(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15)
    return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{}", v);
}

std::optional<std::int64_t> parse_index(std::string_view s) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

class SheetHandler : public XmlHandler {
 public:
  explicit SheetHandler(const SheetContext& ctx) : ctx_(ctx) {
    sheet.name = std::string(ctx.sheet);
  }
  Sheet sheet;

  void on_start(std::string_view name, const XmlAttrs& attrs) override {
    if (failed()) return;
    if (name == "sheetData") {
      in_data_ = true;
    } else if (name == "row" && in_data_) {
      start_row(attrs);
    } else if (name == "c" && in_row_) {
      start_cell(attrs);
    } else if (in_cell_) {
      if (name == "v")
        in_v_ = true;
      else if (name == "f")
        cell_.formula = true;
      else if (name == "is")
        in_is_ = true;
      else if (name == "rPh")
        in_phonetic_ = true;
      else if (name == "t" && in_is_ && !in_phonetic_)
        in_t_ = true;
    } else if (name == "mergeCell") {
      auto ref = attrs.get("ref");
      auto range = ref ? parse_range_ref(*ref) : std::nullopt;
      if (!range) {
        fail(Error::invalid(
            std::string(ctx_.label),
            fmt::format("sheet '{}' ({}, XML line {}): merged range '{}' is not a cell range",
                        ctx_.sheet, ctx_.part, line(), ref.value_or(""))));
        return;
      }
      sheet.merges.push_back(*range);
    }
  }

  void on_end(std::string_view name) override {
    if (failed()) return;
    if (name == "sheetData") {
      in_data_ = false;
    } else if (name == "row" && in_row_) {
      in_row_ = false;
      if (!row_.cells.empty()) sheet.rows.push_back(std::move(row_));
      row_ = SheetRow{};
    } else if (name == "c" && in_cell_) {
      finish_cell();
    } else if (name == "v") {
      in_v_ = false;
    } else if (name == "is") {
      in_is_ = false;
    } else if (name == "rPh") {
      in_phonetic_ = false;
    } else if (name == "t") {
      in_t_ = false;
    }
  }

  void on_text(std::string_view text) override {
    if (in_v_)
      value_.append(text);
    else if (in_t_)
      inline_text_.append(text);
  }

 private:
  Error cell_error(std::int64_t row, int column, std::string reason) {
    return Error::invalid(std::string(ctx_.label),
                          fmt::format("sheet '{}', row {}, column {}: {}", ctx_.sheet, row,
                                      column_letters(column), reason));
  }
  Error part_error(std::string reason) {
    return Error::invalid(
        std::string(ctx_.label),
        fmt::format("sheet '{}' ({}, XML line {}): {}", ctx_.sheet, ctx_.part, line(), reason));
  }

  void start_row(const XmlAttrs& attrs) {
    in_row_ = true;
    row_ = SheetRow{};
    if (auto r = attrs.get("r")) {
      auto n = parse_index(*r);
      if (!n || *n < 1 || *n > kMaxRows) {
        fail(part_error(fmt::format("row number '{}' is not between 1 and {}", *r, kMaxRows)));
        return;
      }
      row_.number = *n;
    } else {
      row_.number = last_row_ + 1;
    }
    if (row_.number > kMaxRows) {
      fail(part_error(fmt::format("more than {} rows", kMaxRows)));
      return;
    }
    last_row_ = row_.number;
    last_column_ = -1;
  }

  void start_cell(const XmlAttrs& attrs) {
    in_cell_ = true;
    cell_ = Cell{};
    value_.clear();
    inline_text_.clear();
    type_ = std::string(attrs.get("t").value_or("n"));
    style_ = -1;
    if (auto s = attrs.get("s")) style_ = parse_index(*s).value_or(-1);
    if (auto r = attrs.get("r")) {
      auto ref = parse_cell_ref(*r);
      if (!ref) {
        fail(part_error(
            fmt::format("cell reference '{}' is not a cell (A1 .. XFD{})", *r, kMaxRows)));
        return;
      }
      if (ref->row != row_.number) {
        fail(part_error(fmt::format("cell '{}' lies outside its row {}", *r, row_.number)));
        return;
      }
      column_ = ref->column;
    } else {
      column_ = last_column_ + 1;
      if (column_ >= kMaxColumns) {
        fail(part_error(fmt::format("more than {} columns in row {}", kMaxColumns, row_.number)));
        return;
      }
    }
    last_column_ = column_;
  }

  void finish_cell() {
    in_cell_ = in_v_ = in_is_ = in_t_ = in_phonetic_ = false;
    std::int64_t row = row_.number;
    if (type_ == "s") {
      if (value_.empty()) return;
      auto index = parse_index(value_);
      if (!index || *index >= static_cast<std::int64_t>(ctx_.shared_strings->size())) {
        fail(cell_error(row, column_, fmt::format("shared string {} does not exist", value_)));
        return;
      }
      cell_.kind = CellKind::kText;
      cell_.text = (*ctx_.shared_strings)[static_cast<size_t>(*index)];
    } else if (type_ == "inlineStr") {
      cell_.kind = CellKind::kText;
      cell_.text = decode_excel_escapes(inline_text_);
    } else if (type_ == "str") {
      cell_.kind = CellKind::kText;
      cell_.text = std::move(value_);
    } else if (type_ == "b") {
      if (value_.empty()) return;
      if (value_ != "0" && value_ != "1") {
        fail(cell_error(row, column_, fmt::format("boolean '{}' is neither 0 nor 1", value_)));
        return;
      }
      cell_.kind = CellKind::kBool;
      cell_.number = value_ == "1" ? 1 : 0;
      cell_.text = value_ == "1" ? "TRUE" : "FALSE";
    } else if (type_ == "e") {
      cell_.kind = CellKind::kError;
      cell_.text = std::move(value_);
    } else if (type_ == "d") {
      if (value_.empty()) return;
      cell_.kind = CellKind::kDate;
      cell_.text = std::move(value_);
    } else if (type_ == "n") {
      if (value_.empty()) return;  // a styled empty cell, or a formula never calculated
      double v = 0;
      auto [end, ec] = std::from_chars(value_.data(), value_.data() + value_.size(), v);
      if (ec != std::errc() || end != value_.data() + value_.size() || !std::isfinite(v)) {
        fail(cell_error(row, column_, fmt::format("'{}' is not a number", value_)));
        return;
      }
      cell_.number = v;
      DateStyle style = ctx_.styles->date_style(style_);
      auto iso = serial_to_iso(v, style, ctx_.date1904);
      if (iso) {
        cell_.kind = CellKind::kDate;
        cell_.text = std::move(*iso);
      } else {
        cell_.kind = CellKind::kNumber;
        cell_.text = number_text(v);
      }
    } else {
      fail(cell_error(row, column_, fmt::format("unknown cell type '{}'", type_)));
      return;
    }
    if (cell_.empty() && !cell_.formula) return;
    place_cell();
  }

  void place_cell() {
    auto& cells = row_.cells;
    if (column_ >= static_cast<int>(cells.size())) {
      cell_slots_ += column_ + 1 - static_cast<std::int64_t>(cells.size());
      if (cell_slots_ > ctx_.limits.max_cells) {
        fail({ErrorCode::kPayloadTooLarge, std::string(ctx_.label),
              fmt::format("sheet '{}', row {}: more than {} cells; refused", ctx_.sheet,
                          row_.number, ctx_.limits.max_cells)});
        return;
      }
      cells.resize(static_cast<size_t>(column_) + 1);
    }
    Cell& slot = cells[static_cast<size_t>(column_)];
    if (slot.kind != CellKind::kEmpty) {
      fail(cell_error(row_.number, column_, "the cell appears twice"));
      return;
    }
    text_bytes_ += static_cast<std::int64_t>(cell_.text.size());
    if (text_bytes_ > ctx_.limits.max_text_bytes) {
      fail({ErrorCode::kPayloadTooLarge, std::string(ctx_.label),
            fmt::format("sheet '{}', row {}: more than {} bytes of cell text; refused", ctx_.sheet,
                        row_.number, ctx_.limits.max_text_bytes)});
      return;
    }
    slot = std::move(cell_);
  }

  const SheetContext& ctx_;
  bool in_data_ = false, in_row_ = false, in_cell_ = false, in_v_ = false, in_is_ = false,
       in_t_ = false, in_phonetic_ = false;
  SheetRow row_;
  std::int64_t last_row_ = 0;
  int last_column_ = -1, column_ = 0;
  Cell cell_;
  std::string type_, value_, inline_text_;
  std::int64_t style_ = -1;
  std::int64_t cell_slots_ = 0, text_bytes_ = 0;
};

}  // namespace

Result<std::vector<std::string>> parse_shared_strings(std::string_view label, std::string_view part,
                                                      std::string_view xml,
                                                      std::int64_t max_strings) {
  SharedStringsHandler handler(label, part, max_strings);
  PINGAN_RETURN_IF_ERROR(parse_xml(label, part, xml, handler));
  return std::move(handler.strings);
}

Result<Sheet> parse_sheet_xml(const SheetContext& context, std::string_view xml) {
  SheetHandler handler(context);
  PINGAN_RETURN_IF_ERROR(parse_xml(context.label, context.part, xml, handler));
  Sheet sheet = std::move(handler.sheet);
  // Rows must ascend; a workbook that lists them out of order is read in
  // order, one that lists a row twice is refused.
  std::stable_sort(sheet.rows.begin(), sheet.rows.end(),
                   [](const SheetRow& a, const SheetRow& b) { return a.number < b.number; });
  for (size_t i = 1; i < sheet.rows.size(); ++i)
    if (sheet.rows[i].number == sheet.rows[i - 1].number)
      return Error::invalid(std::string(context.label),
                            fmt::format("sheet '{}', row {}: the row appears twice", context.sheet,
                                        sheet.rows[i].number));
  return sheet;
}

}  // namespace pingan::ingest
