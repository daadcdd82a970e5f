#include "http/query_string.h"

#include <fmt/format.h>

#include "core/text.h"

namespace pingan {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// `what` names the text in errors ("path", a parameter name, "query").
Result<std::string> percent_decode(std::string_view text, bool plus_is_space, const std::string& what) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size())
        return Error::invalid(what, "has a '%' escape cut short (want %XX)");
      const int hi = hex_value(text[i + 1]);
      const int lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0)
        return Error::invalid(what, fmt::format("has a malformed escape '%{}{}' (want %XX)", text[i + 1], text[i + 2]));
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (c == '\0') return Error::invalid(what, "contains a NUL byte");
    out.push_back(c);
  }
  if (!is_valid_utf8(out)) return Error::invalid(what, "is not valid UTF-8 once decoded");
  return out;
}

}  // namespace

Result<std::string> decode_path(std::string_view raw_path) {
  return percent_decode(raw_path, false, "path");
}

Result<std::multimap<std::string, std::string>> parse_query(std::string_view query) {
  std::multimap<std::string, std::string> params;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    PINGAN_ASSIGN_OR_RETURN(std::string key, percent_decode(pair.substr(0, eq), true, "query"));
    std::string value;
    if (eq != std::string_view::npos) {
      PINGAN_ASSIGN_OR_RETURN(value, percent_decode(pair.substr(eq + 1), true, key.empty() ? "query" : key));
    }
    params.emplace(std::move(key), std::move(value));
  }
  return params;
}

}  // namespace pingan
