#include "http/list_export_routes.h"

#include <fmt/format.h>

#include "http/api_routes.h"
#include "http/case_query.h"
#include "http/incident_query.h"
#include "http/query_params.h"
#include "http/request_scope.h"
#include "http/xlsx_download.h"
#include "report/case_export.h"
#include "report/incident_export.h"

namespace pingan {
namespace {

// The lists' scope (narrow_scope), except that a unit beside the caller's
// subtree is refused: a workbook of no rows would read as a quiet period.
Result<UnitScope> export_scope(const RouteRequest& r, const std::string& unit_code, const UnitTree& tree) {
  PINGAN_ASSIGN_OR_RETURN(UnitScope scope, narrow_scope(r.scope, unit_code, tree));
  if (!scope.all && scope.root_codes.empty())
    return Error::permission_denied(fmt::format("unit '{}' is outside your unit's subtree", unit_code));
  return scope;
}

Error no_pages(const char* param) {
  return Error::invalid(param, "an export holds every row the filters select; it takes no page parameters");
}

Result<Reply> export_incidents(const ApiContext& ctx, const RouteRequest& r, std::size_t max_rows) {
  // GET /api/incidents's filters, parsed by the same code, less its paging.
  std::multimap<std::string, std::string> params = r.http.params;
  params.erase("reveal");
  for (const char* paging : {"limit", "offset"})
    if (params.count(paging)) return no_pages(paging);
  PINGAN_ASSIGN_OR_RETURN(IncidentListQuery query, incident_query_from_params(params, ctx.engine.time_zone()));
  const std::shared_ptr<const UnitTree> units = ctx.engine.units();
  const UnitTree empty_tree;
  PINGAN_ASSIGN_OR_RETURN(query.filter.scope, export_scope(r, query.unit_code, units ? *units : empty_tree));
  report::IncidentExportOptions options;
  PINGAN_ASSIGN_OR_RETURN(options.reveal, reveal_param(r));
  options.filter = std::move(query.filter);
  options.max_rows = max_rows;
  PINGAN_ASSIGN_OR_RETURN(report::SheetTable sheet, report::incident_sheet(ctx.engine, options, *r.deadline));
  PINGAN_ASSIGN_OR_RETURN(std::string bytes, report::xlsx_bytes({sheet}));
  if (options.reveal)
    audit_revealed_export(ctx, r, "incidents", fmt::format("export.xlsx of {} incidents", sheet.rows.size()));
  return xlsx_reply(std::move(bytes), "incidents");
}

Result<Reply> export_cases(const ApiContext& ctx, const RouteRequest& r, std::size_t max_rows) {
  for (const char* paging : {"limit", "before"})
    if (r.http.has_param(paging)) return no_pages(paging);
  ParamNames known = kCaseQueryParams;
  known.insert("reveal");
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, known));
  PINGAN_ASSIGN_OR_RETURN(CaseListQuery query,
                          case_query_from_request(r.http, ctx.engine.cases().rules().types, ctx.engine.time_zone()));
  const std::shared_ptr<const UnitTree> units = ctx.engine.units();
  const UnitTree empty_tree;
  PINGAN_ASSIGN_OR_RETURN(query.filter.scope, export_scope(r, query.unit_code, units ? *units : empty_tree));
  report::CaseExportOptions options;
  PINGAN_ASSIGN_OR_RETURN(options.reveal, reveal_param(r));
  options.filter = std::move(query.filter);
  options.max_rows = max_rows;
  PINGAN_ASSIGN_OR_RETURN(report::SheetTable sheet, report::case_sheet(ctx.engine.cases(), units.get(),
                                                                      ctx.engine.time_zone(), options, *r.deadline));
  PINGAN_ASSIGN_OR_RETURN(std::string bytes, report::xlsx_bytes({sheet}));
  if (options.reveal) audit_revealed_export(ctx, r, "cases", fmt::format("export.xlsx of {} cases", sheet.rows.size()));
  return xlsx_reply(std::move(bytes), "cases");
}

}  // namespace

std::vector<Route> list_export_routes(const ApiContext& ctx, std::size_t max_rows) {
  return {
      {"GET", "/api/incidents/export.xlsx", "incidents.read",
       [&ctx, max_rows](const RouteRequest& r) { return export_incidents(ctx, r, max_rows); }},
      {"GET", "/api/cases/export.xlsx", "cases.read",
       [&ctx, max_rows](const RouteRequest& r) { return export_cases(ctx, r, max_rows); }},
  };
}

}  // namespace pingan
