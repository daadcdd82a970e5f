#pragma once
// Registry lists (基础数字方舱, issue 21) from a bureau's spreadsheet: a CSV
// file or an .xlsx sheet (ingest/table_source.h) of places, cameras,
// enterprises, rental houses with their tenants, or residents, upserted
// through the engine (RegistryRecords::upsert_*) so its checks are the
// API's: core's rules, ID numbers (GB 11643), credit codes, the place
// categories, the unit known and in the importer's scope.
//
// Columns map to a record's parts by the labels of
// data/registry_columns/<kind>.json and a bureau's mapping file
// (ingest/registry_import_columns.h). Values: a place category by code or
// Chinese name, the unit by code or name, coordinates as decimal degrees,
// dates as Excel's or as text (2026-03-01, 2026/3/1, 2026年3月1日), a
// camera's owner kind and status and a resident's kind by code or Chinese.
//
// Rental houses: one row per tenant (or one row for a house without
// tenants); the rows with the same house code are one house, its own and
// its landlord's cells read from its first row (a later row whose cells
// differ is refused). A house is written whole: a refused row refuses its
// house's other rows too.
//
// Idempotent: records are upserted by key (code; a resident by the person
// its ID number names), so importing a file again changes nothing (counted
// as unchanged).
//
// A bad row never stops the import: every row not taken is reported with
// file, sheet, row, column and reason, and the rest is written. A key
// repeated within the file refuses the later row. Every data row lands in
// one counter: read = taken + refused. created/updated/unchanged count
// records (for rental houses, houses, not rows). What refuses the whole
// import (an Error): a table that cannot be read, a required column
// missing, the default unit unknown or outside the scope, a store error.
//
// Not thread-safe per call; calls on different tables may run at once (the
// engine is thread-safe). The whole file is written as one batch.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/unit.h"
#include "engine/registry_records.h"
#include "ingest/registry_import_columns.h"
#include "ingest/table_source.h"

namespace pingan::ingest {

// A file's bytes and its name (for messages).
struct RegistryFile {
  std::string name;   // the file name only, e.g. "场所.xlsx"
  std::string bytes;  // CSV text or an .xlsx workbook (told apart by the zip signature)
};

struct RegistryImportOptions {
  RegistryKind kind = RegistryKind::kPlaces;
  std::string sheet;  // .xlsx: the sheet's name; empty = the first
  // The header's first row and height; unset: found by trying rows 1..4 and
  // heights 1..2 and taking the one whose headers map most columns.
  std::optional<std::int64_t> header_row;
  std::optional<int> header_rows;
  RegistryColumns labels;                  // load_registry_labels(data_dir, kind)
  std::optional<RegistryColumns> mapping;  // a bureau's own headers (load_registry_mapping)
  // The unit of rows without a unit column or with it empty; empty: such a
  // row is refused (and without a unit column the import is).
  std::string default_unit;
  UnitScope scope = UnitScope::everything();  // units the importer may write for
  // Called after every row is read (rows done, rows in the table).
  std::function<void(std::int64_t, std::int64_t)> progress;
};

struct RegistryImportReport {
  std::string kind;
  std::string file;
  std::string sheet;  // empty for CSV
  std::int64_t header_row = 1;
  int header_rows = 1;
  std::int64_t read = 0;     // data rows (blank rows not counted)
  std::int64_t taken = 0;    // rows written (created, updated or unchanged)
  std::int64_t refused = 0;  // rows with at least one problem
  std::int64_t created = 0, updated = 0, unchanged = 0;  // records
  std::vector<RowProblem> problems;  // every problem of every refused row, in row order
  std::vector<std::string> unused_columns;
  std::vector<std::string> notes;
};

Result<RegistryImportReport> import_registry(RegistryRecords& records, const UnitTree& units,
                                             const RegistryFile& file, const RegistryImportOptions& options);

// Reads a whole file for import_registry; its name is the path's file name.
Result<RegistryFile> read_registry_file(const std::string& path);

}  // namespace pingan::ingest
