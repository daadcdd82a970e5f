#include "http/route.h"

#include <fmt/format.h>

#include <charconv>

namespace pingan {

Result<std::int64_t> parse_id_param(const std::string& text, const char* field) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v <= 0)
    return Error::invalid(field, fmt::format("'{}' is not a positive integer id", text));
  return v;
}

}  // namespace pingan
