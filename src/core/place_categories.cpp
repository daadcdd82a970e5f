#include "core/place_categories.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "core/text.h"
#include "core/text_limits.h"

namespace pingan {
namespace {

constexpr std::string_view kHeader = "code,name_zh,group,key_place,inspect_every_days";
constexpr std::string_view kGroupMarker = "group";

bool is_code(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

// A category's group, resolved once the whole file is read (a group may be
// named below its categories).
struct GroupRef {
  size_t category;
  int line;
};

}  // namespace

Result<PlaceCategories> PlaceCategories::parse_csv(std::string_view text, const std::string& origin) {
  PlaceCategories out;
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
      return bad("line", "quoted fields are not supported; names use 、 or / rather than commas");
    std::vector<std::string_view> f = split(line, ',');
    if (f.size() != 5) return bad("line", fmt::format("expected 5 fields, found {}", f.size()));
    std::string code(trim(f[0])), name_zh(trim(f[1])), group(trim(f[2]));
    std::string_view key_place = trim(f[3]), every = trim(f[4]);
    if (!is_code(code)) return bad("code", fmt::format("'{}' is not a code (a-z, 0-9, _)", code));
    if (Status s = check_length("code", code, kMaxCodeChars); !s.ok()) return bad("code", s.error().message);
    if (name_zh.empty()) return bad("name_zh", fmt::format("'{}' has no Chinese name", code));
    if (Status s = check_length("name_zh", name_zh, kMaxNameChars); !s.ok()) return bad("name_zh", s.error().message);
    if (out.category_index_.count(code) || out.group_index_.count(code))
      return bad("code", fmt::format("'{}' is defined twice", code));
    if (group == kGroupMarker) {
      if (!key_place.empty() || !every.empty())
        return bad(key_place.empty() ? "inspect_every_days" : "key_place",
                   fmt::format("group '{}' is not itself a place: leave key_place and inspect_every_days empty", code));
      out.group_index_[code] = out.groups_.size();
      out.groups_.push_back({std::move(code), std::move(name_zh)});
      continue;
    }
    if (!is_code(group)) return bad("group", fmt::format("'{}' is not a group code", group));
    PlaceCategory cat{std::move(code), std::move(name_zh), std::move(group), false, std::nullopt};
    if (key_place == "yes") cat.key_place = true;
    else if (key_place != "no")
      return bad("key_place", fmt::format("'{}' must be yes or no", key_place));
    if (cat.key_place) {
      int days = 0;
      auto [end, ec] = std::from_chars(every.data(), every.data() + every.size(), days);
      if (every.empty() || ec != std::errc() || end != every.data() + every.size() || days < 1 ||
          days > kMaxInspectEveryDays)
        return bad("inspect_every_days",
                   fmt::format("key place '{}' needs a whole number of days 1..{}, not '{}'", cat.code,
                               kMaxInspectEveryDays, every));
      cat.inspect_every_days = days;
    } else if (!every.empty()) {
      return bad("inspect_every_days",
                 fmt::format("'{}' is not a key place, so it has no inspection interval ('{}')", cat.code, every));
    }
    refs.push_back({out.categories_.size(), line_no});
    out.category_index_[cat.code] = out.categories_.size();
    out.categories_.push_back(std::move(cat));
  }
  if (!header_seen) return Error::invalid("header", fmt::format("{}: empty file", origin));
  if (out.categories_.empty()) return Error::invalid("line", fmt::format("{}: no place categories", origin));
  std::vector<bool> used(out.groups_.size(), false);
  for (const GroupRef& r : refs) {
    const PlaceCategory& cat = out.categories_[r.category];
    auto it = out.group_index_.find(cat.group);
    if (it == out.group_index_.end()) {
      line_no = r.line;
      return bad("group", fmt::format("category '{}' names unknown group '{}'", cat.code, cat.group));
    }
    used[it->second] = true;
  }
  // An empty group is almost always a misspelt code on some category's row.
  for (size_t i = 0; i < used.size(); ++i)
    if (!used[i])
      return Error::invalid("group", fmt::format("{}: group '{}' has no categories", origin, out.groups_[i].code));
  return out;
}

const PlaceCategory* PlaceCategories::find(std::string_view code) const {
  auto it = category_index_.find(std::string(code));
  return it == category_index_.end() ? nullptr : &categories_[it->second];
}

const PlaceGroup* PlaceCategories::find_group(std::string_view code) const {
  auto it = group_index_.find(std::string(code));
  return it == group_index_.end() ? nullptr : &groups_[it->second];
}

std::vector<const PlaceCategory*> PlaceCategories::in_group(std::string_view group_code) const {
  std::vector<const PlaceCategory*> out;
  for (const PlaceCategory& c : categories_)
    if (c.group == group_code) out.push_back(&c);
  return out;
}

Status check_place_category(const PlaceCategories& categories, std::string_view code, std::string_view field) {
  if (categories.find(code)) return {};
  if (categories.find_group(code))
    return Error::invalid(std::string(field),
                          fmt::format("'{}' is a group of place categories, not a category; name one of its members",
                                      code));
  return Error::invalid(std::string(field), fmt::format("unknown place category '{}'", code));
}

}  // namespace pingan
