#pragma once
// Place categories (场所类别) of the base registry are data:
// data/registry/place_categories.csv, which a bureau can extend. Each
// category belongs to one group that statistics count together (九小场所,
// 寄递物流, 危险物品单位 ...), and says whether it is a key place (重点场所)
// the station must inspect and how many days may pass between two
// inspections, so "987 家次场所检查" and "overdue inspections" are counts
// over the file, not over names in code.
//
// The file, one row per group or category:
//
//   code,name_zh,group,key_place,inspect_every_days
//   nine_small,九小场所,group,,
//   small_shop,小商店,nine_small,yes,180
//   shop,一般商铺,public_service,no,
//
// A row whose `group` is `group` names a group (key_place and
// inspect_every_days empty); a category names a group of the file (above or
// below it). key_place is `yes` or `no`; inspect_every_days is 1..366 for a
// key place and empty otherwise. Codes are lower-case ASCII letters, digits
// and '_', one namespace for groups and categories. '#' starts a comment line.

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace pingan {

struct PlaceGroup {
  std::string code;     // "nine_small"
  std::string name_zh;  // "九小场所"
};

struct PlaceCategory {
  std::string code;     // "small_shop"
  std::string name_zh;  // "小商店"
  std::string group;    // "nine_small"
  bool key_place = false;
  // Days allowed between two inspections; set exactly when key_place.
  std::optional<int> inspect_every_days;
};

class PlaceCategories {
 public:
  // The longest interval a key place may have: once a year (a leap year).
  static constexpr int kMaxInspectEveryDays = 366;

  // Parses the file's text; `origin` (its path) prefixes every error. An
  // error's field is the column at fault ("code", "name_zh", "group",
  // "key_place", "inspect_every_days", "line" or "header"), its message
  // starts "origin:line:".
  static Result<PlaceCategories> parse_csv(std::string_view text, const std::string& origin);

  const PlaceCategory* find(std::string_view code) const;
  const PlaceGroup* find_group(std::string_view code) const;
  // The categories of a group in file order; empty for an unknown group.
  std::vector<const PlaceCategory*> in_group(std::string_view group_code) const;

  const std::vector<PlaceCategory>& categories() const { return categories_; }
  const std::vector<PlaceGroup>& groups() const { return groups_; }

 private:
  std::vector<PlaceCategory> categories_;
  std::vector<PlaceGroup> groups_;
  std::unordered_map<std::string, size_t> category_index_, group_index_;
};

// Error::invalid(field, "unknown place category 'X'") unless the code is a
// category of the file (a group code is not a category).
Status check_place_category(const PlaceCategories& categories, std::string_view code,
                            std::string_view field = "category");

// The file inside a data folder (see shipped_data_dir() in taxonomy.h); the
// caller reads it and hands the text to parse_csv().
inline constexpr const char* kPlaceCategoriesFile = "registry/place_categories.csv";

}  // namespace pingan
