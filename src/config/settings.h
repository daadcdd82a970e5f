#pragma once
// The configuration of pingan in one object, read from one data folder and
// validated whole before anything uses it: the taxonomy, the category
// mappings of the importers, the dispatch desk's tunables and run cards,
// the duplicate-call rules and the response standard. Handed down
// explicitly: the engine gets the taxonomy, the desk its tunables and cards,
// the routes the rules and the standard. A running server holds it in
// LiveSettings (live_settings.h), which reloads it all or nothing.

#include <map>
#include <string>
#include <vector>

#include "analytics/response_standard.h"
#include "core/bulletin_schedule.h"
#include "core/status.h"
#include "core/taxonomy.h"
#include "dispatch/dispatch_service.h"
#include "dispatch/duplicate_calls.h"
#include "ingest/mapping_file.h"

namespace pingan::config {

// The files inside a data folder (the shipped one is data/ of the source
// tree, core's shipped_data_dir()).
inline constexpr const char* kDispatchFile = "dispatch/config.json";  // optional: defaults without it
inline constexpr const char* kRunCardsFile = "dispatch/run_cards.csv";
inline constexpr const char* kDuplicatesFile = "dispatch/duplicates.json";
inline constexpr const char* kResponseStandardFile = "dispatch/response_standard.json";
inline constexpr const char* kMappingsFolder = "mappings";  // <source>.csv, one per importer
inline constexpr const char* kBulletinScheduleFile = "bulletins/schedule.json";  // optional: no runs without it

struct Settings {
  std::string data_dir;  // the folder read
  Taxonomy taxonomy;
  dispatch::DispatchConfig dispatch;
  dispatch::RunCards run_cards;
  dispatch::DuplicateRules duplicates;
  analytics::ResponseStandard response_standard;
  // Each mappings/<source>.csv by source name, checked against the taxonomy
  // (the importer checks its own columns when it reads the file).
  std::map<std::string, std::vector<ingest::MappingRow>> mappings;
  // The bulletins `pingan serve` writes by itself (bulletins/schedule.json;
  // every run's template checked to load). Empty without the file.
  BulletinSchedule bulletin_schedule{};
};

// Reads and checks every file under `data_dir` (empty: the shipped folder).
// The first problem is the error: the file, the line where known, and why.
Result<Settings> load_settings(const std::string& data_dir);

// One file, for a command given it explicitly (pingan analyze response --standard).
Result<analytics::ResponseStandard> load_response_standard(const std::string& path);

}  // namespace pingan::config
