#pragma once
// The case list (案件台账) as an .xlsx sheet (issue 22): the cases GET
// /api/cases gives for a filter, every page of them, in the list's order
// (latest opened first), one row a case with Chinese headers: 案件编号,
// 立案时间, 破案时间, 案件类别 (刑事/行政), 案件类型, 作案手段 (a fraud
// case's method), 立案单位, 状态, 简要案情, 嫌疑人数, 犯罪嫌疑人 (names
// masked as lists show them unless `reveal`), 涉案金额, 止付, 冻结, 返还
// (yuan), 案件标记 (大案要案、团伙、专案、命案), 关联警情; and a last row
// "合计 N 起" with the sums of the suspects and the money columns.
//
// The suspects and the money are each case's parties and fraud-money
// entries (CaseRecords::case_detail), the ones the bulletin's figures count.
// The caller decides who may reveal (the HTTP route checks personal.reveal
// and audits). Thread-safe as the engine is.

#include <cstddef>
#include <map>
#include <vector>

#include "core/case_bundle.h"
#include "core/case_lifecycle.h"
#include "core/case_types.h"
#include "core/deadline.h"
#include "core/person.h"
#include "core/status.h"
#include "core/time.h"
#include "core/unit.h"
#include "engine/case_records.h"
#include "report/list_export_cap.h"
#include "report/xlsx_writer.h"

namespace pingan::report {

struct CaseExportOptions {
  CaseFilter filter;    // scope narrowed by the caller; limit and before are ignored
  bool reveal = false;  // the suspects' names in clear text
  std::size_t max_rows = kMaxListExportRows;
};

// A case with what its row shows besides the record.
struct CaseExportRow {
  CaseBundle bundle;
  std::vector<Person> suspects;  // the persons of its suspect parties, in party order
};

// The sheet of `rows`, in the order given (a pure function: no I/O).
// `units` may be null (unit codes are then shown as they are).
SheetTable case_table(const std::vector<CaseExportRow>& rows, const CaseRules& rules, const UnitTree* units,
                      const TimeZone& zone, bool reveal);

// Every case the filter selects, read through CaseRecords::list_cases a
// page of 1000 at a time, each with its bundle and suspects. Errors: the
// store's, too_many_rows() when the filter selects more than max_rows (the
// count is of the records only: no bundle is read then), `deadline`'s.
Result<std::vector<CaseExportRow>> cases_for_export(CaseRecords& cases, const CaseExportOptions& options,
                                                    const Deadline& deadline = Deadline::none());

// cases_for_export then case_table.
Result<SheetTable> case_sheet(CaseRecords& cases, const UnitTree* units, const TimeZone& zone,
                              const CaseExportOptions& options, const Deadline& deadline = Deadline::none());

}  // namespace pingan::report
