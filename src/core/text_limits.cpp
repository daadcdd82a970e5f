#include "core/text_limits.h"

#include <fmt/format.h>

#include <string>

#include "core/text.h"

namespace pingan {

std::size_t utf8_length(std::string_view text) {
  // Every character has exactly one byte that is not a continuation byte (10xxxxxx).
  std::size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

Status check_length(std::string_view field, std::string_view text, std::size_t max_chars) {
  if (!is_valid_utf8(text)) return Error::invalid(std::string(field), "is not valid UTF-8");
  // A character is at least one byte: text of no more bytes than the limit
  // needs no count (importers check every field of every row).
  if (text.size() <= max_chars) return {};
  const std::size_t chars = utf8_length(text);
  if (chars > max_chars)
    return Error::invalid(std::string(field), fmt::format("is {} characters; the limit is {}", chars, max_chars));
  return {};
}

}  // namespace pingan
