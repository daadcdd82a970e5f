#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "analytics/incident_index.h"
#include "cli/commands.h"
#include "cli/data_keys.h"
#include "config/settings.h"

namespace pingan::cli {
namespace {
int g_exit_code = 0;
double seconds_now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

int exit_code() { return g_exit_code; }
void set_exit_code(int code) { g_exit_code = code; }

void add_database_options(CLI::App& cmd, DatabaseOptions& options) {
  cmd.add_option("--db", options.db, "SQLite database file (created if missing)")->capture_default_str();
  cmd.add_option("--tz", options.time_zone, "bureau time zone for local times (IANA name)")
      ->capture_default_str();
  cmd.add_option("--data-dir", options.data_dir,
                 "configuration folder: taxonomy/, mappings/, dispatch/ (default: the data/ shipped with pingan)");
  // `pingan keys` names its own --key-file (the file it writes or rotates).
  if (!cmd.get_option_no_throw("--key-file")) add_key_file_option(cmd, options.key_file);
}

void report_error(const Error& error) {
  fmt::print(stderr, "错误 error [{}]: {}\n", error_code_name(error.code), error.describe());
  set_exit_code(1);
}

std::unique_ptr<Engine> open_engine_or_report(const DatabaseOptions& options,
                                              std::shared_ptr<const config::Settings>* settings,
                                              std::shared_ptr<crypto::ReloadableCipher>* cipher) {
  auto loaded = config::load_settings(options.data_dir);
  if (!loaded.ok()) {
    report_error(loaded.error());
    return nullptr;
  }
  auto keys = load_data_cipher(options.key_file);
  if (!keys.ok()) {
    report_error(keys.error());
    return nullptr;
  }
  if (cipher) *cipher = *keys;
  EngineConfig config{options.db, loaded->data_dir, options.time_zone};
  config.personal_data.cipher = *keys;
  config.read_replica = options.read_replica;
  auto engine = Engine::open(config, loaded->taxonomy);
  if (settings) *settings = std::make_shared<const config::Settings>(std::move(loaded).value());
  if (!engine.ok()) {
    report_error(engine.error());
    return nullptr;
  }
  return std::move(engine).value();
}

ProgressLine::ProgressLine(std::string label)
    : label_(std::move(label)), tty_(isatty(fileno(stderr)) != 0), started_(seconds_now()) {}

void ProgressLine::update(std::int64_t done, std::int64_t total, const std::string& unit) {
  update_fraction(done, total > 0 ? double(done) / double(total) : -1, unit);
}

void ProgressLine::update_fraction(std::int64_t done, double fraction, const std::string& unit) {
  last_ = Reading{done, fraction, unit};
  double now = seconds_now();
  if (!tty_ && last_print_ >= 0 && now - last_print_ < 2.0) {
    last_printed_ = false;
    return;
  }
  print(now);
}

void ProgressLine::print(double now) {
  last_print_ = now;
  last_printed_ = true;
  double elapsed = now - started_;
  double rate = elapsed > 0 ? last_.done / elapsed : 0;
  std::string pct = last_.fraction >= 0 ? fmt::format(" {:5.1f}%", 100.0 * last_.fraction) : "";
  fmt::print(stderr, "{}{} {} {}{} ({:.0f} {}/s, {:.1f} s){}", tty_ ? "\r" : "", label_, last_.done, last_.unit, pct,
             rate, last_.unit, elapsed, tty_ ? "   " : "\n");
  std::fflush(stderr);
}

void ProgressLine::finish() {
  // A log (not a terminal) gets the final count too, not only the last one
  // printed before it.
  if (!tty_ && !last_printed_) print(seconds_now());
  if (tty_) fmt::print(stderr, "\n");
}

Result<std::shared_ptr<analytics::IncidentIndex>> attach_index_with_progress(Engine& engine) {
  ProgressLine progress("索引 index:");
  auto index = analytics::attach_index(engine, [&](std::int64_t done, std::int64_t total) {
    progress.update(done, total, "incidents");
  });
  progress.finish();
  return index;
}

}  // namespace pingan::cli
