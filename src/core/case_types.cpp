#include "core/case_types.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"
#include "core/text_limits.h"

namespace pingan {
namespace {

constexpr std::string_view kHeader = "code,class,name_zh,name_en,groups";
constexpr std::string_view kGroupClass = "group";

bool is_code(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

// A type's reference to a group, resolved once the whole file is read (a
// group may be named below the types in it).
struct GroupRef {
  size_t type;
  std::string group;
  int line;
};

}  // namespace

const char* case_class_name(CaseClass c) {
  return c == CaseClass::kCriminal ? "criminal" : "administrative";
}

const char* case_class_name_zh(CaseClass c) { return c == CaseClass::kCriminal ? "刑事" : "行政"; }

Result<CaseClass> parse_case_class(std::string_view name, std::string_view field) {
  if (name == "criminal") return CaseClass::kCriminal;
  if (name == "administrative") return CaseClass::kAdministrative;
  return Error::invalid(std::string(field), fmt::format("unknown class '{}' (criminal, administrative)", name));
}

Result<CaseTypes> CaseTypes::parse_csv(std::string_view text, const std::string& origin) {
  CaseTypes out;
  std::vector<GroupRef> refs;
  bool header_seen = false;
  int line_no = 0;
  // A spreadsheet saving "CSV UTF-8" puts a byte-order mark first.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  auto bad = [&](const char* column, const std::string& why) {
    return Error::invalid(column, fmt::format("{}:{}: {}", origin, line_no, why));
  };
  for (std::string_view raw : split_lines(text)) {
    ++line_no;
    std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#') continue;
    if (!header_seen) {
      if (line != kHeader) return bad("header", fmt::format("the first row must be '{}'", kHeader));
      header_seen = true;
      continue;
    }
    if (line.find('"') != std::string_view::npos)
      return bad("line", "quoted fields are not supported; names use 、 rather than commas");
    std::vector<std::string_view> f = split(line, ',');
    if (f.size() != 5) return bad("line", fmt::format("expected 5 fields, found {}", f.size()));
    std::string code(trim(f[0])), cls(trim(f[1])), name_zh(trim(f[2])), name_en(trim(f[3]));
    std::string_view groups = trim(f[4]);
    if (!is_code(code)) return bad("code", fmt::format("'{}' is not a code (a-z, 0-9, _)", code));
    if (Status s = check_length("code", code, kMaxCodeChars); !s.ok()) return bad("code", s.error().message);
    if (name_zh.empty()) return bad("name_zh", fmt::format("'{}' has no Chinese name", code));
    if (Status s = check_length("name_zh", name_zh, kMaxNameChars); !s.ok()) return bad("name_zh", s.error().message);
    if (Status s = check_length("name_en", name_en, kMaxNameChars); !s.ok()) return bad("name_en", s.error().message);
    if (out.type_index_.count(code) || out.group_index_.count(code))
      return bad("code", fmt::format("'{}' is defined twice", code));
    if (cls == kGroupClass) {
      if (!groups.empty()) return bad("groups", fmt::format("group '{}' cannot itself be in groups", code));
      out.group_index_[code] = out.groups_.size();
      out.groups_.push_back({std::move(code), std::move(name_zh), std::move(name_en)});
      continue;
    }
    Result<CaseClass> c = parse_case_class(cls);
    if (!c.ok()) return bad("class", fmt::format("unknown class '{}' (criminal, administrative, group)", cls));
    CaseType type{std::move(code), *c, std::move(name_zh), std::move(name_en), {}};
    if (!groups.empty()) {
      for (std::string_view g : split(groups, '|')) {
        std::string group(trim(g));
        if (!is_code(group)) return bad("groups", fmt::format("'{}' is not a group code", group));
        if (std::find(type.groups.begin(), type.groups.end(), group) != type.groups.end())
          return bad("groups", fmt::format("'{}' is listed twice", group));
        refs.push_back({out.types_.size(), group, line_no});
        type.groups.push_back(std::move(group));
      }
    }
    out.type_index_[type.code] = out.types_.size();
    out.types_.push_back(std::move(type));
  }
  if (!header_seen) return Error::invalid("header", fmt::format("{}: empty file", origin));
  if (out.types_.empty()) return Error::invalid("line", fmt::format("{}: no case types", origin));
  std::vector<bool> used(out.groups_.size(), false);
  for (const GroupRef& r : refs) {
    auto it = out.group_index_.find(r.group);
    if (it == out.group_index_.end()) {
      line_no = r.line;
      return bad("groups", fmt::format("type '{}' names unknown group '{}'", out.types_[r.type].code, r.group));
    }
    used[it->second] = true;
  }
  // An empty group is almost always a misspelt code on some type's row.
  for (size_t i = 0; i < used.size(); ++i)
    if (!used[i])
      return Error::invalid("groups", fmt::format("{}: group '{}' has no types", origin, out.groups_[i].code));
  return out;
}

const CaseType* CaseTypes::find_type(std::string_view code) const {
  auto it = type_index_.find(std::string(code));
  return it == type_index_.end() ? nullptr : &types_[it->second];
}

const CaseGroup* CaseTypes::find_group(std::string_view code) const {
  auto it = group_index_.find(std::string(code));
  return it == group_index_.end() ? nullptr : &groups_[it->second];
}

bool CaseTypes::in_group(std::string_view type_code, std::string_view group_code) const {
  const CaseType* t = find_type(type_code);
  return t && std::find(t->groups.begin(), t->groups.end(), group_code) != t->groups.end();
}

std::vector<const CaseType*> CaseTypes::types_in_group(std::string_view group_code) const {
  std::vector<const CaseType*> out;
  for (const CaseType& t : types_)
    if (std::find(t.groups.begin(), t.groups.end(), group_code) != t.groups.end()) out.push_back(&t);
  return out;
}

}  // namespace pingan
