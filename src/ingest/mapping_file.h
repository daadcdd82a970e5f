#pragma once
// Category mappings from a source's own codes to pingan's taxonomy are data
// (data/mappings/<source>.csv), so an analyst can change them without a
// rebuild. Every mapping file is a CSV with a header row and a `type_code`
// column; the other columns are the source's keys and a free `note`.

#include <string>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "core/taxonomy.h"

namespace pingan::ingest {

struct MappingRow {
  std::int64_t line = 0;  // line in the mapping file, for error messages
  std::unordered_map<std::string, std::string> cells;  // by header name, values trimmed

  const std::string& at(const std::string& column) const;
};

// Reads `path`, checks that every column in `required_columns` exists and
// that each row's type_code is a type of `taxonomy`. Errors name file:line.
Result<std::vector<MappingRow>> load_mapping_file(const std::string& path,
                                                  const std::vector<std::string>& required_columns,
                                                  const Taxonomy& taxonomy);

// mappings/<name>.csv under the data folder given (empty: shipped_data_dir()).
std::string mapping_path(const std::string& data_dir, const std::string& name);

}  // namespace pingan::ingest
