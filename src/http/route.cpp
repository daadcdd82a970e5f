#include "http/route.h"

#include <fmt/format.h>

#include <charconv>

namespace pingan {

std::string route_pattern(const std::string& openapi_path) {
  std::string out;
  for (size_t i = 0; i < openapi_path.size(); ++i) {
    char c = openapi_path[i];
    if (c == '{') {
      size_t close = openapi_path.find('}', i);
      if (close != std::string::npos) {
        out += "([^/]+)";
        i = close;
        continue;
      }
    }
    // Escape what std::regex would read as syntax.
    if (std::string_view(".^$|()[]*+?\\{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

Result<std::int64_t> parse_id_param(const std::string& text, const char* field) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v <= 0)
    return Error::invalid(field, fmt::format("'{}' is not a positive integer id", text));
  return v;
}

}  // namespace pingan
