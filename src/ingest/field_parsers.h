#pragma once
// Strict little parsers for the field formats real sources use. Each takes
// the field as published (surrounding spaces allowed) and returns nothing
// when the text is not exactly that format, so the caller can reject the
// row naming the field.

#include <optional>
#include <string_view>

#include "core/time.h"

namespace pingan::ingest {

std::optional<long long> parse_integer(std::string_view text);
std::optional<double> parse_decimal(std::string_view text);
// "M/D/YYYY H:MM" or "MM/DD/YYYY HH:MM", optional ":SS".
std::optional<CivilTime> parse_mdy_hm(std::string_view text);
// "MM/DD/YY" (20YY) -> the date at 00:00.
std::optional<CivilTime> parse_mdy2(std::string_view text);
// "YYYY-MM-DD" -> the date at 00:00.
std::optional<CivilTime> parse_ymd(std::string_view text);
// "YYYY-MM" -> the first of that month.
std::optional<CivilTime> parse_year_month(std::string_view text);
// "HH:MM" (24 h) -> seconds since midnight.
std::optional<int> parse_hh_mm(std::string_view text);

// True when the text has a byte >= 0x80 (then it may need a UTF-8 check).
bool has_high_bytes(std::string_view text);

}  // namespace pingan::ingest
