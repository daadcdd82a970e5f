#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <csignal>

#include "analytics/incident_index.h"
#include "cli/commands.h"
#include "dispatch/dispatch_service.h"
#include "http/server.h"

namespace pingan::cli {
namespace {

struct ServeOptions {
  DatabaseOptions db;
  HttpConfig http;
};

HttpServer* g_server = nullptr;

void stop_on_signal(int) {
  if (g_server) g_server->stop();
}

void run_serve(const ServeOptions& options) {
  auto engine = open_engine_or_report(options.db);
  if (!engine) return;
  // Statistics answer from memory: read every incident before serving, and
  // keep the index current with every write from then on.
  auto index = attach_index_with_progress(*engine);
  if (!index.ok()) return report_error(index.error());
  const auto shape = (*index)->shape();
  fmt::print("analytics index: {} incidents, {:.1f} MB ({:.1f} B/incident)\n", shape.rows,
             static_cast<double>(shape.memory_bytes) / 1e6,
             shape.rows ? static_cast<double>(shape.memory_bytes) / static_cast<double>(shape.rows) : 0.0);
  // The dispatch desk: patrol units and their live positions, from the store.
  auto dispatch_config = dispatch::load_dispatch_config(dispatch::default_dispatch_config_path());
  if (!dispatch_config.ok()) return report_error(dispatch_config.error());
  auto run_cards = dispatch::RunCards::load(dispatch::RunCards::default_path());
  if (!run_cards.ok()) return report_error(run_cards.error());
  auto desk = dispatch::DispatchService::open(*engine, *dispatch_config, std::move(run_cards).value());
  if (!desk.ok()) return report_error(desk.error());
  HttpServer server(*engine, options.http);
  server.use_index(*index);
  server.use_dispatch(desk->get());
  if (Status st = server.start(); !st.ok()) return report_error(st.error());
  g_server = &server;
  std::signal(SIGINT, stop_on_signal);
  std::signal(SIGTERM, stop_on_signal);
  fmt::print("pingan {} serving http://{}:{}/ (database {})\n", PINGAN_VERSION, options.http.host,
             server.port(), options.db.db);
  std::fflush(stdout);
  server.wait();
  g_server = nullptr;
  fmt::print("pingan stopped\n");
}

}  // namespace

void add_serve_command(CLI::App& app) {
  auto options = std::make_shared<ServeOptions>();
  options->http.static_dir = std::string(PINGAN_SOURCE_DIR) + "/web/dist";
  CLI::App* cmd = app.add_subcommand("serve", "serve the HTTP API and the web UI");
  add_database_options(*cmd, options->db);
  cmd->add_option("--host", options->http.host, "address to listen on")->capture_default_str();
  cmd->add_option("--port", options->http.port, "port to listen on (0 = any free port)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--threads", options->http.threads, "worker threads")->capture_default_str();
  cmd->add_option("--static", options->http.static_dir, "folder of the built web UI")->capture_default_str();
  cmd->callback([options] { run_serve(*options); });
}

}  // namespace pingan::cli
