// pingan: the command-line face of the engine. Each subcommand lives in its
// own file and registers itself here; this file only wires CLI11 together.

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"pingan 平安: command and statistics platform for public-security bureaus"};
  app.require_subcommand(1);
  app.set_version_flag("--version", PINGAN_VERSION);
  pingan::cli::add_serve_command(app);
  pingan::cli::add_import_command(app);
  pingan::cli::add_demo_command(app);
  pingan::cli::add_analyze_forecast_command(app);
  pingan::cli::add_analyze_hotspots_command(app);
  pingan::cli::add_analyze_rising_command(app);
  pingan::cli::add_analyze_stats_command(app);
  pingan::cli::add_analyze_cases_command(app);
  pingan::cli::add_analyze_ledgers_command(app);
  pingan::cli::add_simulate_command(app);
  pingan::cli::add_analyze_response_command(app);
  pingan::cli::add_audit_command(app);
  pingan::cli::add_user_command(app);
  pingan::cli::add_keys_command(app);
  pingan::cli::add_backup_command(app);
  pingan::cli::add_migrate_command(app);
  pingan::cli::add_ledger_command(app);
  pingan::cli::add_report_command(app);
  pingan::cli::add_registry_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return pingan::cli::exit_code();
}
