#pragma once
// Every ledger type of a data folder: each `*.json` of its ledgers/ folder
// (data/ledgers/ when shipped) parsed by LedgerDefinition::parse_json
// (core/ledger_definition.h). Adding a type is adding a file; no code knows
// the list. The catalogue checks what no single file can: codes unique
// across files, and a step's `opens` naming a type that exists.
//
// It lives in engine/ because the engine loads it when it opens
// (Engine::ledgers(), engine/ledger_records.h) and engine may not include
// ledger/, which sits above it (docs/layers.txt).
//
// Immutable once built; safe to share between threads.

#include <string>
#include <string_view>
#include <vector>

#include "core/ledger_definition.h"
#include "core/status.h"

namespace pingan {

class LedgerCatalogue {
 public:
  // Reads every regular file ending in ".json" in `folder`, in name order.
  // Errors name the file: one that cannot be read, is invalid (the parser's
  // message starts with the file name), or repeats another file's code.
  // An empty or missing folder is an error too (a bureau without ledgers is
  // a misconfiguration, not a quiet default).
  static Result<LedgerCatalogue> load_folder(const std::string& folder);
  // `<data_dir>/ledgers`, the shipped data folder when data_dir is empty
  // (core/taxonomy.h data_dir_or_shipped()).
  static Result<LedgerCatalogue> load(const std::string& data_dir = "");
  // From definitions already parsed (tests, a bureau's types assembled in code).
  static Result<LedgerCatalogue> from_definitions(std::vector<LedgerDefinition> definitions);

  // The type with this code, or null.
  const LedgerDefinition* find(std::string_view code) const;
  // The type with this code, or Error::not_found("no ledger type 'x' (known: ...)").
  Result<const LedgerDefinition*> require(std::string_view code) const;
  // All types, ordered by code.
  const std::vector<LedgerDefinition>& list() const { return definitions_; }

 private:
  std::vector<LedgerDefinition> definitions_;
};

}  // namespace pingan
