#pragma once
// Ledger items (台账, issue 21) from a bureau's spreadsheet: a CSV file or an
// .xlsx sheet (ingest/table_source.h), one row per item, each written
// through the engine (LedgerRecords::create) so its checks are the API's.
//
// Columns map to a type's fields (ingest/ledger_import_columns.h): by default a
// header equal to a field's label or code, or a bureau's own headers through
// a mapping file; 单位/所属单位/责任单位 name the unit (code or name),
// 责任民警 the officer, 状态 the state, 登记时间 the creation time.
//
// Idempotent: every row is created with the origin ("import:<type>", key),
// the key being the row's mapped key column (@key) or
// "<file name>#<sheet>!<row>" ("<file name>!<line>" for CSV), and the store
// refuses a second item with the same origin, so importing a file twice
// adds nothing (counted as duplicates).
//
// A bad row never stops the import: every row not taken is reported with
// file, sheet, row, column and reason (unknown value, missing required,
// bad date, unknown unit, another unit's scope ...) and the rest goes on.
// Every data row lands in one counter: read = taken + duplicates + refused.
// What refuses the whole import (an Error): an unknown type, an actor who
// may not create the type, a table that cannot be read, a required field or
// the unit without a column.
//
// State: the engine creates every item in its type's initial state (there is
// no door to create one in a later state). A row whose 状态 names a later
// state is imported in the initial state and counted in `later_state`; the
// report's notes say so. An unknown state is refused.
//
// Not thread-safe per call; calls on different tables may run at once (the
// engine is thread-safe).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/ledger_item.h"
#include "core/status.h"
#include "core/time.h"
#include "core/unit.h"
#include "engine/ledger_records.h"
#include "ingest/ledger_import_columns.h"
#include "ingest/table_source.h"

namespace pingan::ingest {

// A file's bytes and its name (for messages and the origin key).
struct LedgerFile {
  std::string name;   // the file name only, e.g. "纠纷台账.xlsx"
  std::string bytes;  // CSV text or an .xlsx workbook (told apart by the zip signature)
};

struct LedgerImportOptions {
  std::string type_code;
  std::string sheet;  // .xlsx: the sheet's name; empty = the first
  // The header's first row and its height. Unset: found by trying rows 1..4
  // and heights 1..2 and taking the one whose headers map most columns
  // (a title row above, a merged two-row header are then found alone).
  std::optional<std::int64_t> header_row;
  std::optional<int> header_rows;
  // A bureau's own headers (load_ledger_columns); the labels and codes
  // still map the columns it does not name.
  std::optional<LedgerColumns> columns;
  // The unit of rows without a unit column or with it empty; empty: such a
  // row is refused (and without a unit column the import is).
  std::string default_unit;
  std::string actor;         // recorded on every created item
  LedgerGrants grants;       // the actor's role and permissions
  UnitScope scope = UnitScope::everything();  // units the actor may write for
  Timestamp now = 0;         // 0: the clock; items without 登记时间 are created at it
  // Called after every row (rows done, rows in the table).
  std::function<void(std::int64_t, std::int64_t)> progress;
};

struct LedgerImportReport {
  std::string file;
  std::string sheet;  // empty for CSV
  std::int64_t header_row = 1;
  int header_rows = 1;
  std::int64_t read = 0;        // data rows (blank rows not counted)
  std::int64_t taken = 0;       // items created
  std::int64_t duplicates = 0;  // rows imported before (same origin)
  std::int64_t refused = 0;     // rows with at least one problem
  std::int64_t later_state = 0; // taken in the initial state though 状态 named a later one
  // Every problem of every refused row, in row then column order.
  std::vector<RowProblem> problems;
  // Columns no field took, and what the import could not do (see above).
  std::vector<std::string> unused_columns;
  std::vector<std::string> notes;
  std::vector<std::int64_t> created_ids;  // the items created, in row order
};

// Imports `file` into `records` as items of options.type_code. `units` names
// and checks the units; `zone` reads local dates and times.
Result<LedgerImportReport> import_ledger(LedgerRecords& records, const UnitTree& units,
                                         const TimeZone& zone, const LedgerFile& file,
                                         const LedgerImportOptions& options);

// Reads a whole file for import_ledger; its name is the path's file name.
Result<LedgerFile> read_ledger_file(const std::string& path);

}  // namespace pingan::ingest
