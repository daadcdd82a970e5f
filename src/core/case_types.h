#pragma once
// Case types (案件类别) are data: data/taxonomy/case_types.csv, which a
// bureau can extend. Each type belongs to one of the two classes of case the
// law knows, criminal (刑事) or administrative (行政, public-order
// penalties), and to any number of groups that statistics count together:
// 侵财 property crime, 两抢两盗, 电诈, 黄赌毒, 命案 ... A group is named in the
// same file, so "破获侵财案件 230 起" is a count over the group `property`
// whatever types a bureau files under it.
//
// The file, one row per group or type:
//
//   code,class,name_zh,name_en,groups
//   property,group,侵财,Property crime,
//   robbery,criminal,抢劫,Robbery,property|two_robberies|lqld
//
// `class` is criminal, administrative, or `group` for a row naming a group;
// `groups` lists a type's groups separated by '|' (empty for a group row).
// Codes are lower-case ASCII letters, digits and '_' (they travel in URLs),
// one namespace for types and groups. '#' starts a comment line.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace pingan {

// The two kinds of case the law knows; a type's class is fixed by its row.
// An enum, unlike incident classes: a third class would be a change of law
// and of every statistic that splits on it ("立案刑事案件 1395 起、行政案件 3789 起").
enum class CaseClass : std::uint8_t {
  kCriminal,        // 刑事案件
  kAdministrative,  // 行政案件 (治安)
};

const char* case_class_name(CaseClass c);     // "criminal"
const char* case_class_name_zh(CaseClass c);  // "刑事"
Result<CaseClass> parse_case_class(std::string_view name, std::string_view field = "class");

struct CaseType {
  std::string code;  // "burglary"
  CaseClass case_class = CaseClass::kCriminal;
  std::string name_zh;  // "入室盗窃"
  std::string name_en;  // "Burglary"
  std::vector<std::string> groups;  // "property", "theft", "two_thefts", "lqld"
};

struct CaseGroup {
  std::string code;     // "lqld"
  std::string name_zh;  // "两抢两盗"
  std::string name_en;  // "Two robberies and two thefts"
};

class CaseTypes {
 public:
  // Parses the file's text; `origin` (its path) prefixes every error. An
  // error's field is the column at fault ("class", "groups", "code", or
  // "header"), its message starts "origin:line:".
  static Result<CaseTypes> parse_csv(std::string_view text, const std::string& origin);

  const CaseType* find_type(std::string_view code) const;
  const CaseGroup* find_group(std::string_view code) const;
  // Whether the type (known or not) is in the group.
  bool in_group(std::string_view type_code, std::string_view group_code) const;
  // The types of a group in file order; empty for an unknown group.
  std::vector<const CaseType*> types_in_group(std::string_view group_code) const;

  const std::vector<CaseType>& types() const { return types_; }
  const std::vector<CaseGroup>& groups() const { return groups_; }

 private:
  std::vector<CaseType> types_;
  std::vector<CaseGroup> groups_;
  std::unordered_map<std::string, size_t> type_index_, group_index_;
};

// The file inside a data folder (see shipped_data_dir() in taxonomy.h); the
// caller reads it and hands the text to parse_csv().
inline constexpr const char* kCaseTypesFile = "taxonomy/case_types.csv";

}  // namespace pingan
