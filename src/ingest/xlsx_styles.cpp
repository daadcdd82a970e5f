#include "ingest/xlsx_styles.h"

#include <fmt/format.h>

#include <cmath>
#include <unordered_map>

#include "core/time.h"
#include "ingest/xlsx_xml.h"

namespace pingan::ingest {

DateStyle classify_format_code(std::string_view code) {
  // Only the first section (positive numbers) decides.
  bool date = false, time = false, month_or_minute = false;
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (c == ';') break;
    if (c == '"') {
      size_t close = code.find('"', i + 1);
      if (close == std::string_view::npos) break;
      i = close;
      continue;
    }
    if ((c == 'G' || c == 'g') && code.size() - i >= 7 &&
        (code.substr(i, 7) == "General" || code.substr(i, 7) == "general")) {
      i += 6;
      continue;
    }
    if (c == '\\' || c == '_' || c == '*') {  // escaped character, padding, fill
      ++i;
      continue;
    }
    if (c == '[') {
      size_t close = code.find(']', i + 1);
      if (close == std::string_view::npos) break;
      std::string_view inside = code.substr(i + 1, close - i - 1);
      // [h], [mm], [ss]: elapsed time, a duration and not a point in time.
      if (!inside.empty() && (inside[0] == 'h' || inside[0] == 'H' || inside[0] == 'm' ||
                              inside[0] == 'M' || inside[0] == 's' || inside[0] == 'S'))
        return DateStyle::kNone;
      i = close;
      continue;
    }
    switch (c) {
      case 'y':
      case 'Y':
      case 'd':
      case 'D':
        date = true;
        break;
      case 'h':
      case 'H':
      case 's':
      case 'S':
        time = true;
        break;
      case 'm':
      case 'M':
        month_or_minute = true;
        break;
      default:
        break;
    }
  }
  if (date && time) return DateStyle::kDateTime;
  if (date) return DateStyle::kDate;
  if (time) return DateStyle::kTime;
  if (month_or_minute) return DateStyle::kDate;  // "mmm-yy" has y; "mmmm" alone is a month
  return DateStyle::kNone;
}

DateStyle classify_builtin_format(int id) {
  if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || id == 36 || (id >= 50 && id <= 58))
    return DateStyle::kDate;
  if ((id >= 18 && id <= 21) || (id >= 32 && id <= 35) || id == 45 || id == 47)
    return DateStyle::kTime;
  if (id == 22) return DateStyle::kDateTime;
  return DateStyle::kNone;
}

namespace {

class StylesHandler : public XmlHandler {
 public:
  std::unordered_map<long, DateStyle> custom;
  std::vector<DateStyle> xfs;

  void on_start(std::string_view name, const XmlAttrs& attrs) override {
    if (name == "numFmt") {
      auto id = attrs.get("numFmtId");
      auto code = attrs.get("formatCode");
      if (id && code) custom[to_long(*id)] = classify_format_code(*code);
    } else if (name == "cellXfs") {
      in_cell_xfs_ = true;
    } else if (name == "xf" && in_cell_xfs_) {
      auto id = attrs.get("numFmtId");
      long fmt_id = id ? to_long(*id) : 0;
      auto it = custom.find(fmt_id);
      xfs.push_back(it != custom.end() ? it->second
                                       : classify_builtin_format(static_cast<int>(fmt_id)));
    }
  }
  void on_end(std::string_view name) override {
    if (name == "cellXfs") in_cell_xfs_ = false;
  }

 private:
  static long to_long(std::string_view s) {
    long v = 0;
    for (char c : s) {
      if (c < '0' || c > '9' || v > 1'000'000) return -1;
      v = v * 10 + (c - '0');
    }
    return v;
  }
  bool in_cell_xfs_ = false;
};

}  // namespace

Result<CellStyles> CellStyles::parse(std::string_view label, std::string_view part,
                                     std::string_view xml) {
  StylesHandler handler;
  PINGAN_RETURN_IF_ERROR(parse_xml(label, part, xml, handler));
  CellStyles styles;
  styles.xf_styles_ = std::move(handler.xfs);
  return styles;
}

DateStyle CellStyles::date_style(std::int64_t xf_index) const {
  if (xf_index < 0 || xf_index >= static_cast<std::int64_t>(xf_styles_.size()))
    return DateStyle::kNone;
  return xf_styles_[static_cast<size_t>(xf_index)];
}

std::optional<std::string> serial_to_iso(double serial, DateStyle style, bool date1904) {
  if (style == DateStyle::kNone || !std::isfinite(serial) || serial < 0 || serial >= 2958466.0)
    return std::nullopt;
  auto total_seconds = static_cast<std::int64_t>(std::llround(serial * 86400.0));
  std::int64_t days = total_seconds / 86400, seconds = total_seconds % 86400;
  // Day 0 of the 1900 system is "1900-01-00", i.e. 1899-12-31.
  Timestamp epoch;
  if (date1904) {
    epoch = civil_to_utc(CivilTime{1904, 1, 1});
  } else if (days == 60) {
    if (style != DateStyle::kTime) return std::nullopt;  // 1900-02-29 never was
    epoch = 0;
  } else {
    epoch = civil_to_utc(days < 60 ? CivilTime{1899, 12, 31} : CivilTime{1899, 12, 30});
  }
  CivilTime t = utc_to_civil(epoch + days * 86400 + seconds);
  if (t.year > 9999) return std::nullopt;
  switch (style) {
    case DateStyle::kDate:
      return fmt::format("{:04}-{:02}-{:02}", t.year, t.month, t.day);
    case DateStyle::kTime:
      return fmt::format("{:02}:{:02}:{:02}", t.hour, t.minute, t.second);
    case DateStyle::kDateTime:
      return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", t.year, t.month, t.day, t.hour,
                         t.minute, t.second);
    case DateStyle::kNone:
      break;
  }
  return std::nullopt;
}

}  // namespace pingan::ingest
