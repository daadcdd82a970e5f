// pingan ledger import|export: a ledger type's items from and to a bureau's
// spreadsheets (issue 21; ingest/ledger_import.h, report/ledger_export.h).
//
// The CLI is the operator's tool on the server: it opens the database with
// the data keys, so it acts with every unit in scope and, for import, with
// the roles the type lets create items (recorded under --actor). Export
// masks personal values unless --reveal is given.

#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "ingest/ledger_import.h"
#include "report/ledger_export.h"

namespace pingan::cli {
namespace {

struct LedgerImportCliOptions {
  DatabaseOptions db;
  std::string type, file, sheet, columns, unit;
  std::string actor = "导入 (命令行)";
  std::int64_t header_row = 0;
  int header_rows = 0;
};

struct LedgerExportCliOptions {
  DatabaseOptions db;
  std::string type, out, unit, from, to;
  bool reveal = false;
};

// "2024-06-01" (a day of the bureau's clock) or an ISO 8601 time; a bare
// date as --to takes in the whole day.
Result<Timestamp> parse_bound(const std::string& text, const TimeZone& zone, bool end_of_day, const char* field) {
  const bool bare_date = text.size() == 10 && text[4] == '-' && text[7] == '-';
  auto parsed = parse_iso8601(bare_date ? text + "T00:00:00" : text, &zone);
  if (!parsed.ok()) return Error::invalid(field, fmt::format("'{}' is not a date (2024-06-01) or an ISO 8601 time", text));
  return bare_date && end_of_day ? *parsed + 86400 : *parsed;
}

void run_import(const LedgerImportCliOptions& o) {
  auto engine = open_engine_or_report(o.db);
  if (!engine) return;
  auto type = engine->ledgers().type(o.type);
  if (!type.ok()) return report_error(type.error());
  ingest::LedgerImportOptions options;
  options.type_code = o.type;
  options.sheet = o.sheet;
  if (o.header_row > 0) options.header_row = o.header_row;
  if (o.header_rows > 0) options.header_rows = o.header_rows;
  if (!o.columns.empty()) {
    auto columns = ingest::load_ledger_columns(o.columns, **type);
    if (!columns.ok()) return report_error(columns.error());
    options.columns = std::move(columns).value();
  } else {
    // The data folder's ledgers/columns/<type>.json, when the bureau has one.
    auto columns = ingest::load_default_ledger_columns(o.db.data_dir, **type);
    if (!columns.ok()) return report_error(columns.error());
    options.columns = std::move(columns).value();
  }
  options.default_unit = o.unit;
  options.actor = o.actor;
  options.grants = (*type)->who_may_create();
  auto file = ingest::read_ledger_file(o.file);
  if (!file.ok()) return report_error(file.error());
  ProgressLine progress(fmt::format("导入 importing {}:", o.type));
  options.progress = [&](std::int64_t done, std::int64_t total) { progress.update(done, total, "rows"); };
  auto report = ingest::import_ledger(engine->ledgers(), *engine->units(), engine->time_zone(), *file, options);
  progress.finish();
  if (!report.ok()) return report_error(report.error());
  for (const auto& p : report->problems) fmt::print(stderr, "未导入 refused: {}\n", p.describe());
  for (const auto& note : report->notes) fmt::print(stderr, "注意 note: {}\n", note);
  fmt::print("read {} rows: taken {}, duplicates {}, refused {}\n", report->read, report->taken, report->duplicates,
             report->refused);
  if (report->refused) set_exit_code(2);  // partly imported: scripts can tell
}

void run_export(const LedgerExportCliOptions& o) {
  auto engine = open_engine_or_report(o.db);
  if (!engine) return;
  report::LedgerExportOptions options;
  options.type_code = o.type;
  options.reveal = o.reveal;
  auto units = engine->units();
  if (!o.unit.empty()) {
    if (!units->find(o.unit)) return report_error(Error::invalid("--unit", fmt::format("unknown unit '{}'", o.unit)));
    options.scope = UnitScope::subtree(o.unit);
  }
  if (!o.from.empty()) {
    auto from = parse_bound(o.from, engine->time_zone(), false, "--from");
    if (!from.ok()) return report_error(from.error());
    options.created_from = *from;
  }
  if (!o.to.empty()) {
    auto to = parse_bound(o.to, engine->time_zone(), true, "--to");
    if (!to.ok()) return report_error(to.error());
    options.created_to = *to;
  }
  auto written = report::export_ledger_xlsx(engine->ledgers(), *units, engine->time_zone(), options, o.out);
  if (!written.ok()) return report_error(written.error());
  fmt::print(stderr, "exported {} {} items to {}{}\n", *written, o.type, o.out,
             o.reveal ? " (personal values in clear text)" : "");
}

}  // namespace

void add_ledger_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("ledger", "ledger items (台账) from and to spreadsheets");
  cmd->require_subcommand(1);

  auto in = std::make_shared<LedgerImportCliOptions>();
  CLI::App* i = cmd->add_subcommand("import", "create items from a CSV file or an .xlsx sheet; importing a file "
                                              "again adds nothing; refused rows are listed with sheet, row, column");
  add_database_options(*i, in->db);
  i->add_option("--type", in->type, "the ledger type's code, e.g. dispute")->required();
  i->add_option("--file", in->file, ".csv or .xlsx file")->required()->check(CLI::ExistingFile);
  i->add_option("--sheet", in->sheet, "the sheet's name (default: the first)");
  i->add_option("--columns", in->columns, "mapping file {\"header\": \"field_code\"} for a bureau's own headers "
                    "(default: <data-dir>/ledgers/columns/<type>.json when it exists)")
      ->check(CLI::ExistingFile);
  i->add_option("--unit", in->unit, "unit code of rows without a unit");
  i->add_option("--actor", in->actor, "recorded as who created the items")->capture_default_str();
  i->add_option("--header-row", in->header_row, "the header's first row (default: found)");
  i->add_option("--header-rows", in->header_rows, "1, or 2 for a two-row header (default: found)");
  i->callback([in] { run_import(*in); });

  auto out = std::make_shared<LedgerExportCliOptions>();
  CLI::App* e = cmd->add_subcommand("export", "write a ledger type's items to .xlsx (personal values masked)");
  add_database_options(*e, out->db);
  e->get_option("--db")->check(CLI::ExistingFile);
  e->add_option("--type", out->type, "the ledger type's code")->required();
  e->add_option("--out", out->out, ".xlsx file to write")->required();
  e->add_option("--unit", out->unit, "only this unit's subtree");
  e->add_option("--from", out->from, "created from this date (2024-06-01, bureau time) or ISO 8601 time");
  e->add_option("--to", out->to, "created up to this date (the whole day) or before this ISO 8601 time");
  e->add_flag("--reveal", out->reveal, "personal values in clear text (the operator's own responsibility)");
  e->callback([out] { run_export(*out); });
}

}  // namespace pingan::cli
