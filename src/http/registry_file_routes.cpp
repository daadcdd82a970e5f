// Registry lists from spreadsheets (issue 21; docs/api.md "Registry and cameras"):
//   POST /api/registry/{kind}/import?name=&sheet=&header_row=&header_rows=&unit=
//        kind: places, cameras, enterprises, rental_houses, residents; the
//        body is the file (.xlsx or CSV); answers the import's report
// It parses the request, calls ingest::import_registry on Engine::registry()
// and serialises the report. The caller's unit subtree is the units rows
// may name (a row of another unit is refused, the rest taken). Column
// labels are those of <data_dir>/registry_columns/<kind>.json.

#include <fmt/format.h>

#include "config/settings.h"
#include "http/api_routes.h"
#include "http/query_params.h"
#include "http/row_problems_json.h"
#include "ingest/registry_import.h"

namespace pingan {
namespace {

nlohmann::json report_json(const ingest::RegistryImportReport& report) {
  return {{"kind", report.kind},
          {"file", report.file},
          {"sheet", report.sheet},
          {"header_row", report.header_row},
          {"header_rows", report.header_rows},
          {"read", report.read},
          {"taken", report.taken},
          {"refused", report.refused},
          {"created", report.created},
          {"updated", report.updated},
          {"unchanged", report.unchanged},
          {"problems", row_problems_json(report.problems)},
          {"unused_columns", report.unused_columns},
          {"notes", report.notes}};
}

Result<Reply> import_file(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {"name", "sheet", "header_row", "header_rows", "unit"}));
  // An unknown kind names no list: 404, as an unknown ledger type is.
  Result<ingest::RegistryKind> parsed = ingest::parse_registry_kind(r.path_params.at(0));
  if (!parsed.ok()) return Error::not_found(parsed.error().message);
  const ingest::RegistryKind kind = *parsed;
  if (r.body.empty()) return Error::invalid("body", "send the .xlsx or CSV file as the request body");
  ingest::RegistryImportOptions options;
  options.kind = kind;
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> name, single_param(r.http, "name"));
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> sheet, single_param(r.http, "sheet"));
  PINGAN_ASSIGN_OR_RETURN(std::optional<int> header_row, int_param(r.http, "header_row"));
  PINGAN_ASSIGN_OR_RETURN(std::optional<int> header_rows, int_param(r.http, "header_rows"));
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> unit, single_param(r.http, "unit"));
  if (name && (name->empty() || name->find_first_of("/\\") != std::string::npos))
    return Error::invalid("name", "must be a file name without folders");
  if (header_row && *header_row < 1) return Error::invalid("header_row", "must be 1 or more");
  if (header_rows && *header_rows != 1 && *header_rows != 2) return Error::invalid("header_rows", "must be 1 or 2");
  options.sheet = sheet.value_or("");
  if (header_row) options.header_row = *header_row;
  if (header_rows) options.header_rows = *header_rows;
  options.default_unit = unit.value_or("");
  options.scope = r.scope;
  const std::shared_ptr<const config::Settings> settings = ctx.settings_now();
  const std::string data_dir = settings ? settings->data_dir : "";
  PINGAN_ASSIGN_OR_RETURN(options.labels, ingest::load_registry_labels(data_dir, kind));
  const bool zip = r.body.rfind("PK\x03\x04", 0) == 0;
  ingest::RegistryFile file{name.value_or(zip ? "upload.xlsx" : "upload.csv"), r.body};
  PINGAN_ASSIGN_OR_RETURN(ingest::RegistryImportReport report,
                          ingest::import_registry(ctx.engine.registry(), *ctx.engine.units(), file, options));
  return Reply{200, report_json(report), {}};
}

}  // namespace

std::vector<Route> registry_file_routes(const ApiContext& ctx) {
  return {
      {"POST", "/api/registry/{kind}/import", "registry.write",
       [&ctx](const RouteRequest& r) { return import_file(ctx, r); }},
  };
}

}  // namespace pingan
