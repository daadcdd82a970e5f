// Ledgers to and from spreadsheets (issue 21; docs/api.md "Ledgers"):
//   POST /api/ledgers/{type}/import?name=&sheet=&header_row=&header_rows=&unit=
//        the body is the file (.xlsx or CSV); answers the import's report
//   GET  /api/ledgers/{type}/export.xlsx?unit=&from=&to=&reveal=
//        the type's items as a workbook (report/ledger_export.h); personal
//        values masked unless reveal=true by a holder of personal.reveal,
//        which is audited like an incident's reveal
// Each parses the request, calls ingest::import_ledger on Engine::ledgers()
// and serialises the answer. The actor is the signed-in caller; their role
// and permissions are the grants the type's who_may_create is checked
// against, and their unit subtree the units rows may name. The bureau's
// mapping file <data_dir>/ledgers/columns/<type>.json is used when it exists.

#include <fmt/format.h>

#include "config/settings.h"
#include "http/api_routes.h"
#include "http/query_params.h"
#include "http/row_problems_json.h"
#include "http/request_scope.h"
#include "http/xlsx_download.h"
#include "ingest/ledger_import.h"
#include "report/ledger_export.h"

namespace pingan {
namespace {

LedgerGrants grants_of(const RouteRequest& r) {
  LedgerGrants grants;
  if (!r.principal) return grants;
  grants.push_back(r.principal->role);
  for (const std::string& p : r.principal->permissions) grants.push_back(p);
  return grants;
}

nlohmann::json report_json(const ingest::LedgerImportReport& report) {
  return {{"file", report.file},
          {"sheet", report.sheet},
          {"header_row", report.header_row},
          {"header_rows", report.header_rows},
          {"read", report.read},
          {"taken", report.taken},
          {"duplicates", report.duplicates},
          {"refused", report.refused},
          {"later_state", report.later_state},
          {"problems", row_problems_json(report.problems)},
          {"unused_columns", report.unused_columns},
          {"notes", report.notes},
          {"created_ids", report.created_ids}};
}

Result<Reply> import_file(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {"name", "sheet", "header_row", "header_rows", "unit"}));
  const std::string& type_code = r.path_params.at(0);
  PINGAN_ASSIGN_OR_RETURN(const LedgerDefinition* type, ctx.engine.ledgers().type(type_code));
  if (r.body.empty()) return Error::invalid("body", "send the .xlsx or CSV file as the request body");
  ingest::LedgerImportOptions options;
  options.type_code = type_code;
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> name, single_param(r.http, "name"));
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> sheet, single_param(r.http, "sheet"));
  PINGAN_ASSIGN_OR_RETURN(std::optional<int> header_row, int_param(r.http, "header_row"));
  PINGAN_ASSIGN_OR_RETURN(std::optional<int> header_rows, int_param(r.http, "header_rows"));
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> unit, single_param(r.http, "unit"));
  if (name && (name->empty() || name->find_first_of("/\\") != std::string::npos))
    return Error::invalid("name", "must be a file name without folders");
  options.sheet = sheet.value_or("");
  if (header_row) options.header_row = *header_row;
  if (header_rows) options.header_rows = *header_rows;
  options.default_unit = unit.value_or("");
  options.actor = r.actor;
  options.grants = grants_of(r);
  options.scope = r.scope;
  const std::shared_ptr<const config::Settings> settings = ctx.settings_now();
  const std::string data_dir = settings ? settings->data_dir : "";
  PINGAN_ASSIGN_OR_RETURN(options.columns, ingest::load_default_ledger_columns(data_dir, *type));
  const bool zip = r.body.rfind("PK\x03\x04", 0) == 0;
  ingest::LedgerFile file{name.value_or(zip ? "upload.xlsx" : "upload.csv"), r.body};
  PINGAN_ASSIGN_OR_RETURN(ingest::LedgerImportReport report,
                          ingest::import_ledger(ctx.engine.ledgers(), *ctx.engine.units(), ctx.engine.time_zone(),
                                                file, options));
  return Reply{200, report_json(report), {}};
}

Result<Reply> export_file(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {"unit", "from", "to", "reveal"}));
  const std::string& type_code = r.path_params.at(0);
  if (auto type = ctx.engine.ledgers().type(type_code); !type.ok()) return type.error();
  report::LedgerExportOptions options;
  options.type_code = type_code;
  const std::shared_ptr<const UnitTree> units = ctx.engine.units();
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> unit, single_param(r.http, "unit"));
  PINGAN_ASSIGN_OR_RETURN(options.scope, narrow_scope(r.scope, unit.value_or(""), *units));
  PINGAN_ASSIGN_OR_RETURN(options.created_from, time_param(r.http, "from", ctx.engine.time_zone()));
  PINGAN_ASSIGN_OR_RETURN(options.created_to, time_param(r.http, "to", ctx.engine.time_zone()));
  if (options.created_from && options.created_to && *options.created_to <= *options.created_from)
    return Error::invalid("to", "must be after from");
  PINGAN_ASSIGN_OR_RETURN(options.reveal, reveal_param(r));
  PINGAN_ASSIGN_OR_RETURN(report::SheetTable sheet,
                          report::ledger_sheet(ctx.engine.ledgers(), *units, ctx.engine.time_zone(), options));
  PINGAN_ASSIGN_OR_RETURN(std::string bytes, report::xlsx_bytes({sheet}));
  if (options.reveal)
    audit_revealed_export(ctx, r, fmt::format("ledger:{}", type_code),
                          fmt::format("export.xlsx of {} items", sheet.rows.size()));
  return xlsx_reply(std::move(bytes), type_code);
}

}  // namespace

std::vector<Route> ledger_file_routes(const ApiContext& ctx) {
  return {
      {"POST", "/api/ledgers/{type}/import", "ledgers.write",
       [&ctx](const RouteRequest& r) { return import_file(ctx, r); }},
      {"GET", "/api/ledgers/{type}/export.xlsx", "ledgers.read",
       [&ctx](const RouteRequest& r) { return export_file(ctx, r); }},
  };
}

}  // namespace pingan
