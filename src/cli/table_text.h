#pragma once
// Text tables on a terminal: columns line up although CJK characters take
// two cells.

#include <string>
#include <string_view>

namespace pingan::cli {

// Terminal cells `s` takes (UTF-8; three- and four-byte characters count two).
int display_width(std::string_view s);
// `s` padded with spaces to `width` cells, on the right (or the left).
std::string pad(const std::string& s, int width, bool right = false);

}  // namespace pingan::cli
