#pragma once
// Small string helpers shared by parsers. Views point into the caller's text.

#include <string>
#include <string_view>
#include <vector>

namespace pingan {

std::string_view trim(std::string_view s);
std::vector<std::string_view> split(std::string_view s, char sep);
// Splits on \n, dropping a trailing \r from each line.
std::vector<std::string_view> split_lines(std::string_view text);
bool is_valid_utf8(std::string_view s);
// Decodes Windows-1252 bytes to UTF-8 (ASCII passes through unchanged).
std::string cp1252_to_utf8(std::string_view s);

}  // namespace pingan
