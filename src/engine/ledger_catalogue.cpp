#include "engine/ledger_catalogue.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/taxonomy.h"

namespace pingan {

namespace fs = std::filesystem;

Result<LedgerCatalogue> LedgerCatalogue::load_folder(const std::string& folder) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    return Error::invalid("ledgers", fmt::format("{}: no such folder of ledger definitions", folder));
  std::vector<fs::path> files;
  for (const fs::directory_entry& e : fs::directory_iterator(folder, ec))
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  if (ec) return Error::invalid("ledgers", fmt::format("{}: cannot list the folder: {}", folder, ec.message()));
  if (files.empty()) return Error::invalid("ledgers", fmt::format("{}: holds no *.json ledger definition", folder));
  std::sort(files.begin(), files.end());

  std::vector<LedgerDefinition> definitions;
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Error::invalid("ledgers", fmt::format("{}: cannot read the file", file.string()));
    std::stringstream text;
    text << in.rdbuf();
    PINGAN_ASSIGN_OR_RETURN(LedgerDefinition d, LedgerDefinition::parse_json(text.str(), file.filename().string()));
    definitions.push_back(std::move(d));
  }
  return from_definitions(std::move(definitions));
}

Result<LedgerCatalogue> LedgerCatalogue::load(const std::string& data_dir) {
  return load_folder(data_dir_or_shipped(data_dir) + "/" + kLedgersDir);
}

Result<LedgerCatalogue> LedgerCatalogue::from_definitions(std::vector<LedgerDefinition> definitions) {
  std::sort(definitions.begin(), definitions.end(),
            [](const LedgerDefinition& a, const LedgerDefinition& b) { return a.code() < b.code(); });
  for (std::size_t i = 1; i < definitions.size(); ++i)
    if (definitions[i].code() == definitions[i - 1].code())
      return Error::invalid("code", fmt::format("{}: code '{}' is already the code of {}",
                                                definitions[i].source_name(), definitions[i].code(),
                                                definitions[i - 1].source_name()));
  LedgerCatalogue out;
  out.definitions_ = std::move(definitions);
  for (const LedgerDefinition& d : out.definitions_)
    for (std::size_t i = 0; i < d.steps().size(); ++i) {
      const LedgerStep& s = d.steps()[i];
      if (!s.opens.empty() && !out.find(s.opens))
        return Error::invalid(fmt::format("steps[{}].opens", i),
                              fmt::format("{}: steps[{}].opens: no ledger type '{}' is defined", d.source_name(), i,
                                          s.opens));
    }
  return out;
}

const LedgerDefinition* LedgerCatalogue::find(std::string_view code) const {
  auto it = std::lower_bound(definitions_.begin(), definitions_.end(), code,
                             [](const LedgerDefinition& d, std::string_view c) { return d.code() < c; });
  return it != definitions_.end() && it->code() == code ? &*it : nullptr;
}

Result<const LedgerDefinition*> LedgerCatalogue::require(std::string_view code) const {
  if (const LedgerDefinition* d = find(code)) return d;
  std::string known;
  for (const LedgerDefinition& d : definitions_) known += fmt::format("{}{}", known.empty() ? "" : ", ", d.code());
  return Error::not_found(fmt::format("no ledger type '{}' (known: {})", code, known));
}

}  // namespace pingan
