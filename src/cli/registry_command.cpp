// pingan registry import: a bureau's list of places, cameras, enterprises,
// rental houses or residents from a spreadsheet (issue 21;
// ingest/registry_import.h).
//
// The CLI is the operator's tool on the server: it opens the database with
// the data keys (personal data sealed as the API seals it) and acts with
// every unit in scope. Column labels come from the data folder's
// registry_columns/<kind>.json; --mapping adds a bureau's own headers.

#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "ingest/registry_import.h"

namespace pingan::cli {
namespace {

struct RegistryImportCliOptions {
  DatabaseOptions db;
  std::string kind, file, sheet, mapping, unit;
  std::int64_t header_row = 0;
  int header_rows = 0;
};

void run_import(const RegistryImportCliOptions& o) {
  auto kind = ingest::parse_registry_kind(o.kind);
  if (!kind.ok()) return report_error(kind.error());
  auto engine = open_engine_or_report(o.db);
  if (!engine) return;
  ingest::RegistryImportOptions options;
  options.kind = *kind;
  options.sheet = o.sheet;
  if (o.header_row > 0) options.header_row = o.header_row;
  if (o.header_rows > 0) options.header_rows = o.header_rows;
  auto labels = ingest::load_registry_labels(o.db.data_dir, *kind);
  if (!labels.ok()) return report_error(labels.error());
  options.labels = std::move(labels).value();
  if (!o.mapping.empty()) {
    auto mapping = ingest::load_registry_mapping(o.mapping, *kind);
    if (!mapping.ok()) return report_error(mapping.error());
    options.mapping = std::move(mapping).value();
  }
  options.default_unit = o.unit;
  auto file = ingest::read_registry_file(o.file);
  if (!file.ok()) return report_error(file.error());
  ProgressLine progress(fmt::format("导入 importing {}:", o.kind));
  options.progress = [&](std::int64_t done, std::int64_t total) { progress.update(done, total, "rows"); };
  auto report = ingest::import_registry(engine->registry(), *engine->units(), *file, options);
  progress.finish();
  if (!report.ok()) return report_error(report.error());
  for (const auto& p : report->problems) fmt::print(stderr, "未导入 refused: {}\n", p.describe());
  for (const auto& note : report->notes) fmt::print(stderr, "注意 note: {}\n", note);
  fmt::print("read {} rows: taken {}, refused {}; {} created, {} updated, {} unchanged\n", report->read,
             report->taken, report->refused, report->created, report->updated, report->unchanged);
  if (report->refused) set_exit_code(2);  // partly imported: scripts can tell
}

}  // namespace

void add_registry_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("registry", "the base registry (基础数字方舱) from spreadsheets");
  cmd->require_subcommand(1);

  auto in = std::make_shared<RegistryImportCliOptions>();
  CLI::App* i = cmd->add_subcommand("import", "upsert places, cameras, enterprises, rental houses or residents from a "
                                              "CSV file or an .xlsx sheet; importing again changes nothing; refused "
                                              "rows are listed with sheet, row, column and reason");
  add_database_options(*i, in->db);
  i->add_option("--kind", in->kind, "places, cameras, enterprises, rental_houses or residents")->required();
  i->add_option("file", in->file, ".csv or .xlsx file")->required()->check(CLI::ExistingFile);
  i->add_option("--sheet", in->sheet, "the sheet's name (default: the first)");
  i->add_option("--mapping", in->mapping, "mapping file {\"header\": \"target\"} for a bureau's own headers "
                                          "(the labels of <data-dir>/registry_columns/<kind>.json still apply)")
      ->check(CLI::ExistingFile);
  i->add_option("--unit", in->unit, "unit code of rows without a unit");
  i->add_option("--header-row", in->header_row, "the header's first row (default: found)");
  i->add_option("--header-rows", in->header_rows, "1, or 2 for a two-row header (default: found)");
  i->callback([in] { run_import(*in); });
}

}  // namespace pingan::cli
