#pragma once
// The incident list (警情列表) as an .xlsx sheet (issue 22): the rows GET
// /api/incidents gives for a filter, every page of them, in the list's
// order (newest call first), one row an incident with Chinese headers:
// 警情编号, 接警时间 (the bureau's zone), 警情类别 and 警情类型 (the
// taxonomy's names), 管辖单位 (the unit's name), 状态, 地址, 报警人,
// 报警电话, 报警人身份证号 (masked as lists show them unless `reveal`),
// 简要警情, the 派警/到场/办结 times, 来源, 原始编号 and 备注 (voided or
// merged), and a last row "合计 N 起".
//
// The caller decides who may reveal (the HTTP route checks personal.reveal
// and audits). Thread-safe as the engine is.

#include <cstddef>
#include <vector>

#include "core/deadline.h"
#include "core/incident.h"
#include "core/incident_filter.h"
#include "core/status.h"
#include "core/taxonomy.h"
#include "core/time.h"
#include "core/unit.h"
#include "engine/engine.h"
#include "report/list_export_cap.h"
#include "report/xlsx_writer.h"

namespace pingan::report {

struct IncidentExportOptions {
  IncidentFilter filter;  // scope narrowed by the caller; limit and offset are ignored
  bool reveal = false;    // the reporter's name, phone and ID number in clear text
  std::size_t max_rows = kMaxListExportRows;
};

// The sheet of `incidents`, in the order given (a pure function: no I/O).
// `units` may be null (unit codes are then shown as they are).
SheetTable incident_table(const std::vector<Incident>& incidents, const Taxonomy& taxonomy,
                          const UnitTree* units, const TimeZone& zone, bool reveal);

// Every incident the filter selects, read through Engine::list_incidents a
// page of 1000 at a time (an incident listed twice, because a newer call
// shifted the pages, is kept once). Errors: the engine's (an unknown code,
// from after to), too_many_rows() when the filter selects more than
// max_rows (nothing is read past the first page then), `deadline`'s.
Result<std::vector<Incident>> incidents_for_export(Engine& engine, const IncidentExportOptions& options,
                                                   const Deadline& deadline = Deadline::none());

// incidents_for_export then incident_table.
Result<SheetTable> incident_sheet(Engine& engine, const IncidentExportOptions& options,
                                  const Deadline& deadline = Deadline::none());

}  // namespace pingan::report
