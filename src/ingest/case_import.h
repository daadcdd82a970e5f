#pragma once
// Importing cases, their persons, measures and fraud money, and fugitive
// lists from CSV files (issue 20; docs/cases.md "Import"), with the rules
// incident imports follow: a bad row is written to the rejects file (file,
// line, field, reason, the row as it was) and the rest goes on; a row whose
// record is present already is counted as a duplicate, so an import run
// again adds nothing.
//
// A folder holds any of these files (UTF-8, a header row naming the
// columns, in any order; unknown columns are refused):
//   cases.csv      case_number,type,unit,opened_at[,status,investigating_at,
//                  solved_at,closed_unsolved_at,withdrawn_at,summary,major,
//                  gang,task_force,homicide,money_involved_fen,incident_ids]
//   parties.csv    case_number,role,name[,id_number,phone,address]
//   measures.csv   case_number,id_number,kind,at,unit[,note]
//   money.csv      case_number,kind,amount_fen,at,unit[,note,override_reason]
//   fugitives.csv  listing_number,name,id_number,listed_at,listing_unit[,
//                  status,caught_at,caught_by_unit,revoked_at,revoke_reason,
//                  case_number]
// read in that order (a measure names a case and a suspect imported before
// it). Times are ISO 8601; naive ones are the bureau's local time. Flags are
// 1/0 or true/false; incident_ids are separated by '|'; amounts are whole
// fen. Persons are matched across cases and files by ID number.

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "core/status.h"
#include "engine/engine.h"

namespace pingan::ingest {

struct CaseImportOptions {
  std::string folder;        // holding the files above
  std::string source = "csv";  // the cases' source; with the case number, the re-import key
  std::string rejects_path;  // default: <folder>/rejects.csv
  // Called after each file with its counts, and every 10,000 rows.
  std::function<void(const std::string& file, std::int64_t rows)> progress;
};

struct CaseImportCounts {
  std::int64_t rows = 0, inserted = 0, duplicates = 0, rejected = 0;
};

struct CaseImportReport {
  std::map<std::string, CaseImportCounts> files;  // by file name, those present
  std::string rejects_path;
  std::int64_t rejected() const;
};

// Imports every file present in the folder; an error only when none is, or
// the store fails (rows already stored stay: each is its own transaction,
// in bulk mode).
Result<CaseImportReport> import_case_files(Engine& engine, const CaseImportOptions& options);

}  // namespace pingan::ingest
