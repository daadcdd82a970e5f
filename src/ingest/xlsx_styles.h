#pragma once
// Which cells of a workbook hold dates: a number is a date only through its
// style (cellXfs -> numFmtId -> format code), and the date itself is a
// serial day count from the workbook's epoch. Both rules live here.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace pingan::ingest {

enum class DateStyle { kNone, kDate, kTime, kDateTime };

// Classifies a number format code ("yyyy-mm-dd", "[$-804]yyyy\"年\"m\"月\"",
// "h:mm:ss", "0.00"): text in quotes, escaped characters and [..] sections
// are skipped; y/d mean a date, h/s a time, m follows whichever is present.
// Elapsed-time formats ([h]:mm) are durations, not dates: kNone.
DateStyle classify_format_code(std::string_view code);

// The built-in formats (no numFmt element), Excel's and the CJK locales'
// (27-36, 50-58), which are dates in a Chinese Excel.
DateStyle classify_builtin_format(int num_fmt_id);

// The date style of every cell format (index = the cell's s attribute).
class CellStyles {
 public:
  // Parses xl/styles.xml. Errors name the part and the XML line.
  static Result<CellStyles> parse(std::string_view label, std::string_view part,
                                  std::string_view xml);
  DateStyle date_style(std::int64_t xf_index) const;

 private:
  std::vector<DateStyle> xf_styles_;
};

// The ISO 8601 text of a serial date: "2026-03-01", "08:30:00" or
// "2026-03-01T08:30:00" by `style`, rounded to the second. In the 1900 system
// serial 60 is Excel's fictitious 1900-02-29 (Lotus's leap-year bug), so days
// from 61 on count from 1899-12-30 and days before from 1899-12-31. Nothing
// when the serial is outside 0 .. 9999-12-31 or is that fictitious day.
std::optional<std::string> serial_to_iso(double serial, DateStyle style, bool date1904);

}  // namespace pingan::ingest
