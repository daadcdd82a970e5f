#include "config/config_file.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace pingan::config {

Result<std::string> read_config_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::invalid("config", fmt::format("cannot read {}: {}", path, std::strerror(errno)));
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) return Error::invalid("config", fmt::format("cannot read {}", path));
  return text.str();
}

Result<nlohmann::json> parse_config_json(std::string_view text, const std::string& path) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte: the 1-based offset of the byte that failed.
    const std::size_t at = e.byte == 0 ? 0 : std::min<std::size_t>(e.byte - 1, text.size());
    int line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < at; ++i)
      if (text[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    std::string reason = e.what();
    // "[json.exception.parse_error.101] parse error at line 3, column 1: syntax error ...": keep the reason.
    if (auto column = reason.find("column "); column != std::string::npos)
      if (auto colon = reason.find(": ", column); colon != std::string::npos) reason = reason.substr(colon + 2);
    return Error::invalid("config", fmt::format("{}:{}:{}: {}", path, line, at - line_start + 1, reason));
  }
}

int line_of_field(std::string_view json_text, std::string_view field) {
  // Walk the path's keys in order, each searched after the previous one.
  std::size_t from = 0;
  std::size_t found = std::string_view::npos;
  while (!field.empty()) {
    std::size_t end = field.find_first_of(".[");
    std::string_view key = field.substr(0, end);
    if (end == std::string_view::npos) field = {};
    else if (field[end] == '[') field = field.substr(std::min(field.size(), field.find(']', end) + 1));
    else field = field.substr(end + 1);
    if (!field.empty() && field.front() == '.') field.remove_prefix(1);
    if (key.empty()) continue;
    std::size_t at = json_text.find(fmt::format("\"{}\"", key), from);
    if (at == std::string_view::npos) break;
    found = at;
    from = at + key.size() + 2;
  }
  if (found == std::string_view::npos) return 0;
  int line = 1;
  for (std::size_t i = 0; i < found; ++i) line += json_text[i] == '\n';
  return line;
}

Error in_file(Error error, const std::string& path, std::string_view text) {
  if (error.message.rfind(path, 0) == 0) return error;  // names the file already
  const int line = error.field.empty() ? 0 : line_of_field(text, error.field);
  const std::string where = line > 0 ? fmt::format("{}:{}", path, line) : path;
  error.message = fmt::format("{}: {}", where, error.message);
  return error;
}

}  // namespace pingan::config
