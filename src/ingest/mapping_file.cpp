#include "ingest/mapping_file.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/text.h"
#include "ingest/csv_reader.h"

namespace pingan::ingest {

const std::string& MappingRow::at(const std::string& column) const {
  static const std::string kEmpty;
  auto it = cells.find(column);
  return it == cells.end() ? kEmpty : it->second;
}

Result<std::vector<MappingRow>> load_mapping_file(const std::string& path,
                                                  const std::vector<std::string>& required_columns,
                                                  const Taxonomy& taxonomy) {
  PINGAN_ASSIGN_OR_RETURN(std::string text, read_whole_file(path));
  CsvReader reader(text);
  CsvRecord record;
  if (!reader.next(record)) return Error::invalid("mapping", fmt::format("{} is empty", path));
  std::vector<std::string> header;
  for (std::string_view f : record.fields) header.emplace_back(trim(f));
  std::vector<std::string> wanted = required_columns;
  wanted.push_back("type_code");
  for (const auto& col : wanted)
    if (std::find(header.begin(), header.end(), col) == header.end())
      return Error::invalid("mapping", fmt::format("{}: the header has no column '{}'", path, col));

  std::vector<MappingRow> rows;
  while (reader.next(record)) {
    if (record.blank()) continue;
    if (record.size() != header.size())
      return Error::invalid("mapping", fmt::format("{}:{}: {} fields, the header has {}", path, record.line,
                                                   record.size(), header.size()));
    MappingRow row;
    row.line = record.line;
    for (size_t i = 0; i < header.size(); ++i) row.cells[header[i]] = std::string(trim(record[i]));
    const std::string& type = row.at("type_code");
    if (!taxonomy.find_type(type))
      return Error::invalid("mapping", fmt::format("{}:{}: type_code '{}' is not in the taxonomy", path,
                                                   record.line, type));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string mapping_path(const std::string& data_dir, const std::string& name) {
  return data_dir_or_shipped(data_dir) + "/mappings/" + name + ".csv";
}

}  // namespace pingan::ingest
