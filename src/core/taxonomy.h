#pragma once
// Incident classes and types are data, not code: they are read from a CSV file
// (data/taxonomy/incident_types.csv) that a bureau can extend.

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace pingan {

struct IncidentClass {
  std::string code;     // "criminal"
  std::string name_zh;  // "刑事"
};

struct IncidentType {
  std::string code;        // "theft_burglary"
  std::string class_code;  // "criminal"
  std::string name_zh;     // "入室盗窃"
  std::string name_en;     // "Burglary"
};

class Taxonomy {
 public:
  // CSV header: class_code,class_name_zh,type_code,type_name_zh,type_name_en
  static Result<Taxonomy> load_csv(const std::string& path);
  static Result<Taxonomy> parse_csv(std::string_view text, const std::string& origin);
  // The file shipped in data/taxonomy/ of the source tree.
  static Result<Taxonomy> load_default();
  // Checks that `other` is this taxonomy: the same classes and types, in
  // the same order, with the same names. Errors say what differs.
  Status check_same(const Taxonomy& other) const;

  const IncidentType* find_type(std::string_view code) const;
  const IncidentClass* find_class(std::string_view code) const;
  const std::vector<IncidentClass>& classes() const { return classes_; }
  const std::vector<IncidentType>& types() const { return types_; }

 private:
  std::vector<IncidentClass> classes_;
  std::vector<IncidentType> types_;
  std::unordered_map<std::string, size_t> type_index_;
};

// The data folder shipped with pingan (the source tree's data/). A bureau's
// own folder is given explicitly (--data-dir) and read by config/settings.h.
std::string shipped_data_dir();
// `data_dir`, or the shipped folder when it is empty (every "--data-dir not given").
std::string data_dir_or_shipped(const std::string& data_dir);
// The taxonomy's file inside a data folder.
inline constexpr const char* kTaxonomyFile = "taxonomy/incident_types.csv";

}  // namespace pingan
