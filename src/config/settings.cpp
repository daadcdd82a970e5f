#include "config/settings.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "config/bulletin_schedule_file.h"
#include "config/config_file.h"

namespace pingan::config {
namespace {

namespace fs = std::filesystem;

// A JSON file's content parsed by `parse`, every error placed in the file.
template <typename T, typename Parse>
Result<T> load_json_file(const std::string& path, Parse parse) {
  PINGAN_ASSIGN_OR_RETURN(std::string text, read_config_text(path));
  PINGAN_ASSIGN_OR_RETURN(nlohmann::json doc, parse_config_json(text, path));
  Result<T> parsed = parse(doc);
  if (!parsed.ok()) return in_file(parsed.error(), path, text);
  return parsed;
}

Result<dispatch::RunCards> load_run_cards(const std::string& path, const Taxonomy& taxonomy) {
  PINGAN_ASSIGN_OR_RETURN(std::string text, read_config_text(path));
  PINGAN_ASSIGN_OR_RETURN(dispatch::RunCards cards, dispatch::RunCards::parse(text, path));
  if (Status known = cards.check_types(taxonomy); !known.ok()) return in_file(known.error(), path, "");
  return cards;
}

Result<std::map<std::string, std::vector<ingest::MappingRow>>> load_mappings(const std::string& folder,
                                                                             const Taxonomy& taxonomy) {
  std::map<std::string, std::vector<ingest::MappingRow>> out;
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return out;  // a data folder for the server alone needs none
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder, ec))
    if (entry.path().extension() == ".csv") files.push_back(entry.path());
  if (ec) return Error::invalid("config", fmt::format("cannot list {}: {}", folder, ec.message()));
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    PINGAN_ASSIGN_OR_RETURN(auto rows, ingest::load_mapping_file(file.string(), {}, taxonomy));
    out[file.stem().string()] = std::move(rows);
  }
  return out;
}

}  // namespace

Result<analytics::ResponseStandard> load_response_standard(const std::string& path) {
  return load_json_file<analytics::ResponseStandard>(path, analytics::parse_response_standard);
}

Result<Settings> load_settings(const std::string& data_dir) {
  Settings s;
  s.data_dir = data_dir_or_shipped(data_dir);
  auto file = [&](const char* name) { return fmt::format("{}/{}", s.data_dir, name); };

  const std::string taxonomy_path = file(kTaxonomyFile);
  PINGAN_ASSIGN_OR_RETURN(std::string taxonomy_text, read_config_text(taxonomy_path));
  PINGAN_ASSIGN_OR_RETURN(s.taxonomy, Taxonomy::parse_csv(taxonomy_text, taxonomy_path));

  if (std::error_code ec; fs::exists(file(kDispatchFile), ec)) {
    PINGAN_ASSIGN_OR_RETURN(s.dispatch, load_json_file<dispatch::DispatchConfig>(file(kDispatchFile),
                                                                                 dispatch::parse_dispatch_config));
  }
  PINGAN_ASSIGN_OR_RETURN(s.run_cards, load_run_cards(file(kRunCardsFile), s.taxonomy));
  PINGAN_ASSIGN_OR_RETURN(s.duplicates,
                          load_json_file<dispatch::DuplicateRules>(file(kDuplicatesFile), [&](const nlohmann::json& doc) {
                            return dispatch::parse_duplicate_rules(doc, s.taxonomy);
                          }));
  PINGAN_ASSIGN_OR_RETURN(s.response_standard, load_response_standard(file(kResponseStandardFile)));
  PINGAN_ASSIGN_OR_RETURN(s.mappings, load_mappings(file(kMappingsFolder), s.taxonomy));
  PINGAN_ASSIGN_OR_RETURN(s.bulletin_schedule, load_bulletin_schedule(s.data_dir));
  return s;
}

}  // namespace pingan::config
