#include "config/bulletin_schedule_file.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <filesystem>

#include "config/config_file.h"
#include "config/settings.h"
#include "core/bulletin_template.h"

namespace pingan::config {
namespace {

namespace fs = std::filesystem;

// Position just after the JSON string starting at `at` (a '"').
std::size_t skip_string(std::string_view text, std::size_t at) {
  for (std::size_t i = at + 1; i < text.size(); ++i) {
    if (text[i] == '\\') ++i;
    else if (text[i] == '"') return i + 1;
  }
  return text.size();
}

// Where the `index`-th element of the array opening at `open` ('[') starts.
std::size_t element_start(std::string_view text, std::size_t open, std::size_t index) {
  int depth = 0;
  std::size_t seen = 0;
  bool expecting = true;  // the next value starts an element
  for (std::size_t i = open + 1; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (depth == 0 && expecting) {
      if (c == ']') return std::string_view::npos;
      if (seen == index) return i;
      ++seen;
      expecting = false;
    }
    if (c == '"') {
      i = skip_string(text, i) - 1;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      if (depth == 0) return std::string_view::npos;
      --depth;
    } else if (c == ',' && depth == 0) {
      expecting = true;
    }
  }
  return std::string_view::npos;
}

Error placed(Error error, const std::string& path, std::string_view text) {
  const int line = error.field.empty() ? 0 : schedule_field_line(text, error.field);
  error.message = fmt::format("{}: {}", line > 0 ? fmt::format("{}:{}", path, line) : path, error.message);
  return error;
}

}  // namespace

int schedule_field_line(std::string_view text, std::string_view field) {
  std::size_t from = 0, found = std::string_view::npos;
  while (!field.empty()) {
    const std::size_t end = field.find_first_of(".[");
    const std::string_view key = field.substr(0, end);
    field = end == std::string_view::npos ? std::string_view() : field.substr(end);
    if (!key.empty()) {
      const std::size_t at = text.find(fmt::format("\"{}\"", key), from);
      if (at == std::string_view::npos) break;
      found = at;
      from = at + key.size() + 2;
    }
    if (!field.empty() && field.front() == '.') field.remove_prefix(1);
    if (!field.empty() && field.front() == '[') {
      const std::size_t close = field.find(']');
      std::size_t index = 0;
      const auto digits = field.substr(1, close == std::string_view::npos ? 0 : close - 1);
      if (std::from_chars(digits.data(), digits.data() + digits.size(), index).ec != std::errc()) return 0;
      field = close == std::string_view::npos ? std::string_view() : field.substr(close + 1);
      if (!field.empty() && field.front() == '.') field.remove_prefix(1);
      const std::size_t open = text.find('[', from);
      if (open == std::string_view::npos) return 0;
      const std::size_t element = element_start(text, open, index);
      if (element == std::string_view::npos) return 0;  // no such element: no line rather than a wrong one
      found = element;
      from = element;
    }
  }
  if (found == std::string_view::npos) return 0;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(found), '\n'));
}

Result<BulletinSchedule> load_bulletin_schedule(const std::string& data_dir) {
  const std::string path = fmt::format("{}/{}", data_dir, kBulletinScheduleFile);
  if (std::error_code ec; !fs::exists(path, ec)) return BulletinSchedule{};
  PINGAN_ASSIGN_OR_RETURN(std::string text, read_config_text(path));
  PINGAN_ASSIGN_OR_RETURN(nlohmann::json doc, parse_config_json(text, path));
  Result<BulletinSchedule> schedule = parse_bulletin_schedule(doc);
  if (!schedule.ok()) return placed(schedule.error(), path, text);
  if (schedule->runs.empty()) return schedule;

  // Every run's template loads against the figure names, as make_bulletin
  // will load it.
  const fs::path dir = fs::path(data_dir) / "bulletins";
  PINGAN_ASSIGN_OR_RETURN(std::string list_text, read_config_text((dir / "figures.txt").string()));
  PINGAN_ASSIGN_OR_RETURN(std::vector<BulletinFigureSpec> specs, parse_bulletin_figure_list(list_text, "figures.txt"));
  const std::vector<std::string> names = bulletin_figure_names(specs);
  for (std::size_t i = 0; i < schedule->runs.size(); ++i) {
    const ScheduledBulletin& run = schedule->runs[i];
    const std::string field = fmt::format("runs[{}].template", i);
    const fs::path file = dir / (run.template_name + ".md");
    if (std::error_code ec; !fs::is_regular_file(file, ec))
      return placed(Error::invalid(field, fmt::format("no template '{}' in {}", run.template_name, dir.string())),
                    path, text);
    PINGAN_ASSIGN_OR_RETURN(std::string template_text, read_config_text(file.string()));
    auto loaded = parse_bulletin_template(template_text, file.filename().string(), names);
    if (!loaded.ok())
      return placed(Error::invalid(field, fmt::format("template '{}' does not load: {}", run.template_name,
                                                      loaded.error().message)),
                    path, text);
  }
  return schedule;
}

}  // namespace pingan::config
