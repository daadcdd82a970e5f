#pragma once
// Importers of real public datasets into the engine. Each reads a source's
// files exactly as published (bad rows included), maps its categories
// through data/mappings/<source>.csv, converts local times to UTC and
// projected coordinates to WGS84, and writes validated rows in batches.
// A bad row never stops an import: it is counted and written, with the
// reason, to the rejects CSV. See docs/import.md for each source's rules.
//
// Every data row read ends in exactly one of the counters:
//   read = imported + duplicates + rejected + corrections + corrections_unmatched
// Re-importing the same files is idempotent (source ids are stable):
// everything is then counted as a duplicate.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "engine/engine.h"

namespace pingan::ingest {

struct ImportProgress {
  std::int64_t rows_read;
  std::int64_t bytes_read;
  std::int64_t bytes_total;
};

struct ImportOptions {
  std::string format;        // "stlouis", "portland-nij", "slo" (incidents)
  std::string path;          // a file, or a folder (every *.csv below it; stlouis in coded-month order)
  std::string rejects_path;  // where rejected rows go; empty = "rejects-<format>.csv" in the working folder
  std::function<void(const ImportProgress&)> progress;  // called every ~50k rows and at the end
  std::string data_dir;      // mappings/<format>.csv under it; empty = shipped_data_dir()
};

struct ImportReport {
  std::int64_t read = 0, imported = 0, duplicates = 0, rejected = 0, corrections = 0,
               corrections_unmatched = 0;
  std::string rejects_path;
  // CPU seconds of the two threads of an import: reading, checking and
  // mapping rows, and storing them. The larger one bounds the import's speed.
  double read_cpu_seconds = 0, store_cpu_seconds = 0;
};

// Errors (nothing or only whole batches written) when the path cannot be
// read, a file's header is not a layout of the format, a mapping file is
// broken, or the store fails. Row problems are never errors.
Result<ImportReport> import_incidents(Engine& engine, const ImportOptions& options);

struct UnitImportReport {
  std::int64_t read = 0, upserted = 0;
};

// format: "geojson" (generic: properties code, name, kind, parent),
// "stlouis-neighborhoods", "portland-districts"; "" = detect from the file's
// properties. Errors name the feature index and property; nothing is written
// when any feature is bad.
Result<UnitImportReport> import_units(Engine& engine, const std::string& path, const std::string& format);

// The incident formats import_incidents accepts, for --help.
std::vector<std::string> incident_formats();

}  // namespace pingan::ingest
