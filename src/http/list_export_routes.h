#pragma once
// The incident and case lists as .xlsx workbooks (issue 22; docs/api.md
// "Exports"):
//   GET /api/incidents/export.xlsx?<GET /api/incidents's filters>&reveal=
//   GET /api/cases/export.xlsx?<GET /api/cases's filters>&reveal=
// Every row the filters select (no pages) up to `max_rows`; more is refused
// (400 naming the cap and the count). Scope as the lists, but a `unit`
// beside the caller's subtree is refused (403) rather than answered with an
// empty file, which would read as a quiet period. Personal values masked
// unless reveal=true by a holder of personal.reveal, which is audited
// (http/xlsx_download.h).
//
// Registered before incident_routes() and case_routes(), whose
// /api/incidents/{id} and /api/cases/{id} would otherwise take the path.

#include <cstddef>
#include <vector>

#include "http/route.h"
#include "report/list_export_cap.h"

namespace pingan {

struct ApiContext;

std::vector<Route> list_export_routes(const ApiContext& ctx, std::size_t max_rows = report::kMaxListExportRows);

}  // namespace pingan
