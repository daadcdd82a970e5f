#pragma once
// Subcommands of the pingan binary. Each add_* registers options and a
// callback; the callback stores its exit code for main() to return.

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "core/status.h"
#include "engine/engine.h"

namespace pingan::analytics {
class IncidentIndex;
}
namespace pingan::crypto {
class ReloadableCipher;
}
namespace pingan::config {
struct Settings;
}

namespace pingan::cli {

void add_serve_command(CLI::App& app);
void add_import_command(CLI::App& app);
void add_demo_command(CLI::App& app);
// `pingan analyze`, created by its first caller; analyses add subcommands to it.
CLI::App* analyze_command(CLI::App& app);
void add_analyze_forecast_command(CLI::App& app);   // analyze forecast-eval
void add_analyze_hotspots_command(CLI::App& app);   // analyze hotspots
void add_analyze_rising_command(CLI::App& app);     // analyze rising
void add_analyze_stats_command(CLI::App& app);      // analyze stats
void add_analyze_cases_command(CLI::App& app);     // analyze cases (case figures by name)
void add_analyze_ledgers_command(CLI::App& app);   // analyze ledgers (ledger figures by name)
void add_simulate_command(CLI::App& app);           // simulate (dispatch policies on the demo)
void add_analyze_response_command(CLI::App& app);   // analyze response
void add_audit_command(CLI::App& app);              // audit verify|search|export
void add_keys_command(CLI::App& app);               // keys generate|rotate|reencrypt|status
void add_backup_command(CLI::App& app);
void add_migrate_command(CLI::App& app);            // migrate --from --to (SQLite <-> PostgreSQL)
void add_ledger_command(CLI::App& app);             // ledger import|export (spreadsheets)
void add_report_command(CLI::App& app);             // report bulletin (issue 22)
void add_registry_command(CLI::App& app);           // registry import (spreadsheets)
void add_user_command(CLI::App& app);               // user add|passwd|lock|unlock|totp|token|revoke|list             // backup --db --to

int exit_code();
void set_exit_code(int code);

// Options every command that opens a database shares.
struct DatabaseOptions {
  std::string db = "pingan.db";
  std::string time_zone = "Asia/Shanghai";
  std::string data_dir;
  // The personal-data key ring (cli/data_keys.h): this file, else
  // $PINGAN_DATA_KEYS, else none (personal data stays in plain text).
  std::string key_file;
  // `pingan serve --read-replica/--replica-max-lag` (store/store.h); the
  // other commands read and write the primary only.
  ReadReplicaOptions read_replica;
};
void add_database_options(CLI::App& cmd, DatabaseOptions& options);

// Reads and checks the whole configuration of --data-dir (config/settings.h),
// then opens the engine with its taxonomy; prints the first error and
// returns null. `settings`, when given, receives the configuration.
// `cipher`, when given, receives the key ring's cipher (null without keys),
// for `pingan serve` to reload on SIGHUP.
std::unique_ptr<Engine> open_engine_or_report(const DatabaseOptions& options,
                                              std::shared_ptr<const config::Settings>* settings = nullptr,
                                              std::shared_ptr<crypto::ReloadableCipher>* cipher = nullptr);
// Prints "错误: field: message" to stderr and sets exit code 1.
void report_error(const Error& error);

// Reads every incident into the analytics index (kept current by the
// engine's writes from then on), showing progress on stderr.
Result<std::shared_ptr<analytics::IncidentIndex>> attach_index_with_progress(Engine& engine);

// A progress line on stderr, redrawn in place when stderr is a terminal and
// printed every few seconds otherwise (CI logs).
class ProgressLine {
 public:
  explicit ProgressLine(std::string label);
  void update(std::int64_t done, std::int64_t total, const std::string& unit);
  // `fraction` of the work done (0..1) when `done` counts something else,
  // e.g. rows read out of files whose bytes are known.
  void update_fraction(std::int64_t done, double fraction, const std::string& unit);
  void finish();

 private:
  struct Reading {
    std::int64_t done = 0;
    double fraction = -1;
    std::string unit;
  };
  void print(double now);

  std::string label_;
  bool tty_;
  double started_;
  double last_print_ = -1;
  Reading last_;
  bool last_printed_ = true;  // nothing to print at finish
};

}  // namespace pingan::cli
