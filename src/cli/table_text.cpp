#include "cli/table_text.h"

#include <algorithm>

namespace pingan::cli {

int display_width(std::string_view s) {
  int width = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    width += len >= 3 ? 2 : 1;
    i += static_cast<std::size_t>(len);
  }
  return width;
}

std::string pad(const std::string& s, int width, bool right) {
  const std::string fill(static_cast<std::size_t>(std::max(0, width - display_width(s))), ' ');
  return right ? fill + s : s + fill;
}

}  // namespace pingan::cli
