#pragma once
// A ledger type's items as an .xlsx workbook (issue 21), the table a bureau
// hands on: one sheet "<type label>台账", a column per item part and field
// with Chinese headers (the definition's labels), unit names, state labels,
// enum labels, money in yuan, dates in local time, a frozen header and a
// totals row ("合计 N 条" and the sums of the count and money fields;
// integer fields such as an incident's number are not summed).
//
// Personal values (fields marked `personal`) are masked as lists show them
// (core/personal_masks.h) unless `reveal` is set; the caller decides who
// may reveal (the HTTP route and the CLI check the permission).
//
// Items are read through the engine (LedgerRecords::list, inside `scope`),
// in id order. Thread-safe as the engine is.

#include <optional>
#include <string>

#include "core/status.h"
#include "core/time.h"
#include "core/unit.h"
#include "engine/ledger_records.h"
#include "report/xlsx_writer.h"

namespace pingan::report {

struct LedgerExportOptions {
  std::string type_code;
  UnitScope scope = UnitScope::everything();  // the caller's, narrowed to a unit when asked
  std::optional<Timestamp> created_from;      // inclusive
  std::optional<Timestamp> created_to;        // exclusive
  bool reveal = false;                        // personal values in clear text
};

// The sheet of the items the options select.
Result<SheetTable> ledger_sheet(LedgerRecords& records, const UnitTree& units, const TimeZone& zone,
                                const LedgerExportOptions& options);

// ledger_sheet written to `path` (report/xlsx_writer.h: whole or not at all).
// Returns the number of items written.
Result<std::size_t> export_ledger_xlsx(LedgerRecords& records, const UnitTree& units,
                                       const TimeZone& zone, const LedgerExportOptions& options,
                                       const std::string& path);

}  // namespace pingan::report
