#include <fmt/format.h>

#include <filesystem>

#include "cli/commands.h"
#include "ingest/case_import.h"
#include "ingest/importer.h"

namespace pingan::cli {
namespace {

struct ImportIncidentsOptions {
  DatabaseOptions db;
  std::string format;
  std::string path;
  std::string rejects;
};

struct ImportCasesOptions {
  DatabaseOptions db;
  std::string folder;
  std::string source;
  std::string rejects;
};

struct ImportUnitsOptions {
  DatabaseOptions db;
  std::string format;
  std::string path;
};

void run_import_incidents(const ImportIncidentsOptions& o) {
  auto engine = open_engine_or_report(o.db);
  if (!engine) return;
  ingest::ImportOptions options;
  options.format = o.format;
  options.path = o.path;
  options.data_dir = o.db.data_dir;  // its mappings/, checked with the rest by open_engine_or_report
  options.rejects_path = o.rejects.empty()
                             ? (std::filesystem::path(o.db.db).parent_path() / fmt::format("rejects-{}.csv", o.format)).string()
                             : o.rejects;
  ProgressLine progress(fmt::format("导入 importing {}:", o.format));
  options.progress = [&](const ingest::ImportProgress& p) {
    progress.update_fraction(p.rows_read, p.bytes_total ? double(p.bytes_read) / double(p.bytes_total) : 1.0, "rows");
  };
  auto report = ingest::import_incidents(*engine, options);
  progress.finish();
  if (!report.ok()) return report_error(report.error());
  fmt::print("read {} rows: imported {}, duplicates skipped {}, rejected {}", report->read, report->imported,
             report->duplicates, report->rejected);
  if (report->corrections || report->corrections_unmatched)
    fmt::print(", corrections applied {} (unmatched {})", report->corrections, report->corrections_unmatched);
  fmt::print("\n");
  if (report->rejected || report->corrections_unmatched)
    fmt::print("rejected rows with line and reason: {}\n", report->rejects_path);
}

void run_import_cases(const ImportCasesOptions& o) {
  auto engine = open_engine_or_report(o.db);
  if (!engine) return;
  ingest::CaseImportOptions options;
  options.folder = o.folder;
  options.source = o.source;
  options.rejects_path = o.rejects;
  options.progress = [](const std::string& file, std::int64_t rows) {
    fmt::print(stderr, "\r导入 importing {}: {} rows", file, rows);
  };
  auto report = ingest::import_case_files(*engine, options);
  fmt::print(stderr, "\n");
  if (!report.ok()) return report_error(report.error());
  for (const auto& [file, c] : report->files)
    fmt::print("{}: read {} rows: imported {}, duplicates skipped {}, rejected {}\n", file, c.rows, c.inserted,
               c.duplicates, c.rejected);
  if (report->rejected()) fmt::print("rejected rows with line, field and reason: {}\n", report->rejects_path);
}

void run_import_units(const ImportUnitsOptions& o) {
  auto engine = open_engine_or_report(o.db);
  if (!engine) return;
  auto report = ingest::import_units(*engine, o.path, o.format);
  if (!report.ok()) return report_error(report.error());
  fmt::print("read {} features: {} units created or updated ({} units in the tree)\n", report->read,
             report->upserted, engine->units()->units().size());
}

}  // namespace

void add_import_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("import", "import units (GeoJSON) or incidents (CSV) from files");
  cmd->require_subcommand(1);

  auto units = std::make_shared<ImportUnitsOptions>();
  CLI::App* u = cmd->add_subcommand("units", "import unit boundaries from a GeoJSON FeatureCollection");
  add_database_options(*u, units->db);
  u->add_option("--format", units->format,
                "geojson | stlouis-neighborhoods | portland-districts (default: detect)");
  u->add_option("FILE", units->path, "GeoJSON file")->required()->check(CLI::ExistingFile);
  u->callback([units] { run_import_units(*units); });

  auto incidents = std::make_shared<ImportIncidentsOptions>();
  std::string formats;
  for (const auto& f : ingest::incident_formats()) formats += (formats.empty() ? "" : " | ") + f;
  CLI::App* i = cmd->add_subcommand("incidents", "import incidents from a dataset's CSV files");
  add_database_options(*i, incidents->db);
  i->add_option("--format", incidents->format, formats)->required();
  i->add_option("--rejects", incidents->rejects, "file for rejected rows (default: beside the database)");
  i->add_option("FILE", incidents->path, "CSV file or folder of CSV files")->required()->check(CLI::ExistingPath);
  i->callback([incidents] { run_import_incidents(*incidents); });

  auto cases = std::make_shared<ImportCasesOptions>();
  CLI::App* c = cmd->add_subcommand(
      "cases", "import cases, parties, measures, fraud money and fugitive lists from a folder of CSV files (docs/cases.md)");
  add_database_options(*c, cases->db);
  c->add_option("--source", cases->source, "the cases' source name: with the case number, what a re-import matches on")
      ->default_val("csv");
  c->add_option("--rejects", cases->rejects, "file for rejected rows (default: FOLDER/rejects.csv)");
  c->add_option("FOLDER", cases->folder, "folder with cases.csv, parties.csv, measures.csv, money.csv, fugitives.csv")
      ->required()
      ->check(CLI::ExistingDirectory);
  c->callback([cases] { run_import_cases(*cases); });
}

}  // namespace pingan::cli
