#pragma once
// Small string helpers shared by parsers. Views point into the caller's text.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pingan {

// Without the spaces, tabs and line ends around it. Inline: importers call it
// for every field of every row.
inline std::string_view trim(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  size_t b = 0, e = s.size();
  while (b < e && blank(s[b])) ++b;
  while (e > b && blank(s[e - 1])) --e;
  return s.substr(b, e - b);
}

std::vector<std::string_view> split(std::string_view s, char sep);
// Splits on \n, dropping a trailing \r from each line.
std::vector<std::string_view> split_lines(std::string_view text);
bool is_valid_utf8(std::string_view s);

// A finite decimal number written plainly ("12", "-3.5", "1e3"): no leading
// or trailing space, no hex ("0x10"), no "+", no inf or nan. The one strict
// reading of a number in a query parameter.
std::optional<double> parse_plain_number(std::string_view s);
// Decodes Windows-1252 bytes to UTF-8 (ASCII passes through unchanged).
std::string cp1252_to_utf8(std::string_view s);

}  // namespace pingan
