#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <pthread.h>

#include <atomic>
#include <csignal>
#include <ctime>
#include <thread>

#include "analytics/incident_index.h"
#include "cli/commands.h"
#include "config/live_settings.h"
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

// SIGHUP reloads the configuration. The signal is blocked in every thread
// (the mask is inherited from here) and taken by this one thread with
// sigtimedwait, so the reload runs as ordinary code, not in a handler.
class ReloadOnHangup {
 public:
  explicit ReloadOnHangup(std::shared_ptr<config::LiveSettings> settings)
      : thread_([this, settings] {
          sigset_t hup;
          sigemptyset(&hup);
          sigaddset(&hup, SIGHUP);
          const timespec tick{0, 200'000'000};
          while (!stop_) {
            if (sigtimedwait(&hup, nullptr, &tick) != SIGHUP) continue;
            auto reloaded = settings->reload();
            if (reloaded.ok())
              spdlog::info("SIGHUP: configuration reloaded from {}", (*reloaded)->data_dir);
            else
              spdlog::error("SIGHUP: configuration reload refused, the settings in force stay: {}",
                            reloaded.error().describe());
          }
        }) {}
  ~ReloadOnHangup() {
    stop_ = true;
    thread_.join();
  }
  // Before any other thread starts.
  static void block_in_all_threads() {
    sigset_t hup;
    sigemptyset(&hup);
    sigaddset(&hup, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &hup, nullptr);
  }

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

void run_serve(const ServeOptions& options) {
  ReloadOnHangup::block_in_all_threads();
  std::shared_ptr<const config::Settings> loaded;
  auto engine = open_engine_or_report(options.db, &loaded);
  if (!engine) return;
  auto settings = std::make_shared<config::LiveSettings>(*loaded);
  // Statistics answer from memory: read every incident before serving, and
  // keep the index current with every write from then on.
  auto index = attach_index_with_progress(*engine);
  if (!index.ok()) return report_error(index.error());
  const auto shape = (*index)->shape();
  fmt::print("analytics index: {} incidents, {:.1f} MB ({:.1f} B/incident)\n", shape.rows,
             static_cast<double>(shape.memory_bytes) / 1e6,
             shape.rows ? static_cast<double>(shape.memory_bytes) / static_cast<double>(shape.rows) : 0.0);
  // The dispatch desk: patrol units and their live positions, from the store.
  auto desk = dispatch::DispatchService::open(*engine, loaded->dispatch, loaded->run_cards);
  if (!desk.ok()) return report_error(desk.error());
  dispatch::DispatchService* desk_ptr = desk->get();
  settings->on_reload([desk_ptr](const config::Settings& s) {
    if (Status st = desk_ptr->reconfigure(s.dispatch, s.run_cards); !st.ok())
      spdlog::error("dispatch desk kept its settings: {}", st.error().describe());
  });
  HttpServer server(*engine, options.http);
  server.use_index(*index);
  server.use_dispatch(desk_ptr);
  server.use_settings(settings);
  ReloadOnHangup reload_on_hangup(settings);
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
