#include "core/taxonomy.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/text.h"

namespace pingan {
std::string shipped_data_dir() { return std::string(PINGAN_SOURCE_DIR) + "/data"; }

std::string data_dir_or_shipped(const std::string& data_dir) {
  return data_dir.empty() ? shipped_data_dir() : data_dir;
}

Result<Taxonomy> Taxonomy::load_csv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::invalid("taxonomy", fmt::format("cannot read taxonomy file {}", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_csv(ss.str(), path);
}

Result<Taxonomy> Taxonomy::load_default() {
  return load_csv(shipped_data_dir() + "/" + kTaxonomyFile);
}

Status Taxonomy::check_same(const Taxonomy& other) const {
  auto codes = [](const Taxonomy& t) {
    std::vector<std::string> out;
    for (const auto& c : t.classes()) out.push_back(fmt::format("class {} {}", c.code, c.name_zh));
    for (const auto& ty : t.types())
      out.push_back(fmt::format("type {} ({}) {} / {}", ty.code, ty.class_code, ty.name_zh, ty.name_en));
    return out;
  };
  std::vector<std::string> mine = codes(*this), theirs = codes(other);
  for (const auto& c : theirs)
    if (std::find(mine.begin(), mine.end(), c) == mine.end())
      return Error::invalid("taxonomy", fmt::format("{} is new", c));
  for (const auto& c : mine)
    if (std::find(theirs.begin(), theirs.end(), c) == theirs.end())
      return Error::invalid("taxonomy", fmt::format("{} is gone", c));
  if (mine != theirs) return Error::invalid("taxonomy", "the order of the classes or types changed");
  return {};
}

Result<Taxonomy> Taxonomy::parse_csv(std::string_view text, const std::string& origin) {
  Taxonomy t;
  std::unordered_map<std::string, std::string> class_names;
  int line_no = 0;
  for (std::string_view line : split_lines(text)) {
    ++line_no;
    if (line_no == 1 || trim(line).empty() || line.front() == '#') continue;
    auto f = split(line, ',');
    if (f.size() != 5)
      return Error::invalid("taxonomy", fmt::format("{}:{}: expected 5 fields, found {}", origin, line_no, f.size()));
    IncidentType ty{std::string(trim(f[2])), std::string(trim(f[0])), std::string(trim(f[3])), std::string(trim(f[4]))};
    std::string class_zh(trim(f[1]));
    if (ty.code.empty() || ty.class_code.empty() || ty.name_zh.empty())
      return Error::invalid("taxonomy", fmt::format("{}:{}: empty code or name", origin, line_no));
    if (t.type_index_.count(ty.code))
      return Error::invalid("taxonomy", fmt::format("{}:{}: type '{}' defined twice", origin, line_no, ty.code));
    auto [it, fresh] = class_names.emplace(ty.class_code, class_zh);
    if (fresh) t.classes_.push_back({ty.class_code, class_zh});
    t.type_index_[ty.code] = t.types_.size();
    t.types_.push_back(std::move(ty));
  }
  if (t.types_.empty()) return Error::invalid("taxonomy", fmt::format("{}: no types", origin));
  return t;
}

const IncidentType* Taxonomy::find_type(std::string_view code) const {
  auto it = type_index_.find(std::string(code));
  return it == type_index_.end() ? nullptr : &types_[it->second];
}

const IncidentClass* Taxonomy::find_class(std::string_view code) const {
  for (const auto& c : classes_)
    if (c.code == code) return &c;
  return nullptr;
}

}  // namespace pingan
