// Ledgers to and from spreadsheets (issue 21; docs/api.md "Ledgers"):
//   POST /api/ledgers/{type}/import?name=&sheet=&header_row=&header_rows=&unit=
//        the body is the file (.xlsx or CSV); answers the import's report
// Each parses the request, calls ingest::import_ledger on Engine::ledgers()
// and serialises the answer. The actor is the signed-in caller; their role
// and permissions are the grants the type's who_may_create is checked
// against, and their unit subtree the units rows may name. The bureau's
// mapping file <data_dir>/ledgers/columns/<type>.json is used when it exists.

#include <fmt/format.h>

#include "config/settings.h"
#include "http/api_routes.h"
#include "http/query_params.h"
#include "ingest/ledger_import.h"

namespace pingan {
namespace {

LedgerGrants grants_of(const RouteRequest& r) {
  LedgerGrants grants;
  if (!r.principal) return grants;
  grants.push_back(r.principal->role);
  for (const std::string& p : r.principal->permissions) grants.push_back(p);
  return grants;
}

nlohmann::json problem_json(const ingest::RowProblem& p) {
  return {{"file", p.file},     {"sheet", p.sheet},   {"row", p.row},
          {"column", p.column}, {"header", p.header}, {"reason", p.reason}};
}

nlohmann::json report_json(const ingest::LedgerImportReport& report) {
  nlohmann::json problems = nlohmann::json::array();
  for (const auto& p : report.problems) problems.push_back(problem_json(p));
  return {{"file", report.file},
          {"sheet", report.sheet},
          {"header_row", report.header_row},
          {"header_rows", report.header_rows},
          {"read", report.read},
          {"taken", report.taken},
          {"duplicates", report.duplicates},
          {"refused", report.refused},
          {"later_state", report.later_state},
          {"problems", std::move(problems)},
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

}  // namespace

std::vector<Route> ledger_file_routes(const ApiContext& ctx) {
  return {
      {"POST", "/api/ledgers/{type}/import", "ledgers.write",
       [&ctx](const RouteRequest& r) { return import_file(ctx, r); }},
  };
}

}  // namespace pingan
