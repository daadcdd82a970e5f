// data/bulletins/figures.txt: the figures a bulletin template may name.
#include <fmt/format.h>

#include <set>

#include "core/bulletin_template.h"
#include "core/bulletin_wording.h"
#include "core/text.h"

namespace pingan {
namespace {

bool is_figure_name(std::string_view name) {
  if (name.empty() || name.front() == '.' || name.back() == '.') return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// Fields separated by runs of spaces or tabs.
std::vector<std::string_view> fields_of(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

}  // namespace

Result<std::vector<BulletinFigureSpec>> parse_bulletin_figure_list(std::string_view text,
                                                                   std::string_view file_name) {
  if (!is_valid_utf8(text)) {
    return Error::invalid("figures", fmt::format("{}: the text is not UTF-8", file_name));
  }
  std::vector<BulletinFigureSpec> specs;
  std::set<std::string, std::less<>> seen;
  int line_number = 0;
  for (std::string_view raw : split_lines(text)) {
    ++line_number;
    std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#') continue;
    auto where = [&] { return fmt::format("{} line {}", file_name, line_number); };
    std::vector<std::string_view> fields = fields_of(line);
    if (fields.size() != 3) {
      return Error::invalid(
          "figures", fmt::format("{}: expected 'name measure label', found {} fields", where(),
                                 fields.size()));
    }
    if (!is_figure_name(fields[0])) {
      return Error::invalid(
          "figures",
          fmt::format("{}: '{}' is not a figure name (a-z, 0-9, '_', '.')", where(), fields[0]));
    }
    if (fields[1] != "元" && fields[1] != "%" && !parse_measure_word(fields[1]).ok()) {
      return Error::invalid("figures",
                            fmt::format("{}, figure '{}': unknown measure '{}' (a measure "
                                        "word such as 起 or 人次, 元 for money, % for a rate)",
                                        where(), fields[0], fields[1]));
    }
    if (!seen.insert(std::string(fields[0])).second) {
      return Error::invalid("figures",
                            fmt::format("{}: figure '{}' is listed twice", where(), fields[0]));
    }
    specs.push_back({std::string(fields[0]), std::string(fields[1]), std::string(fields[2])});
  }
  if (specs.empty()) {
    return Error::invalid("figures", fmt::format("{}: no figure is listed", file_name));
  }
  return specs;
}

std::vector<std::string> bulletin_figure_names(std::span<const BulletinFigureSpec> specs) {
  std::vector<std::string> names;
  names.reserve(specs.size());
  for (const auto& spec : specs) names.push_back(spec.name);
  return names;
}

}  // namespace pingan
