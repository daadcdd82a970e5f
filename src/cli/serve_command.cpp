#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <pthread.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <ctime>
#include <thread>

#include "analytics/incident_index.h"
#include "auth/authority.h"
#include "cli/bulletin_schedule_runner.h"
#include "cli/change_follower.h"
#include "cli/ledger_notice_runner.h"
#include "cli/commands.h"
#include "cli/data_keys.h"
#include "config/live_settings.h"
#include "dispatch/dispatch_service.h"
#include "http/server.h"

namespace pingan::cli {
namespace {

struct ServeOptions {
  DatabaseOptions db;
  HttpConfig http;
  // The analytics index's snapshot (analytics/index_snapshot.h); "auto":
  // beside a SQLite file, none for PostgreSQL (each server names its own).
  std::string index_snapshot = "auto";
  // The scheduled bulletins (cli/bulletin_schedule_runner.h): the folder in
  // place of the schedule's, or none at all.
  std::string bulletin_dir;
  bool no_bulletins = false;
};

std::string snapshot_path(const ServeOptions& options) {
  if (options.index_snapshot != "auto") return options.index_snapshot;
  if (is_postgres_url(options.db.db)) return {};
  return options.db.db + ".index";
}

// Fills the index from its snapshot and the change log since, or from the
// store, saying which and how long it took.
Result<std::shared_ptr<analytics::IncidentIndex>> start_index(Engine& engine, const std::string& snapshot,
                                                              const std::string& database) {
  ProgressLine progress("索引 index:");
  analytics::IndexStart start;
  auto index = analytics::attach_index_from_snapshot(
      engine, snapshot, database, &start,
      [&](std::int64_t done, std::int64_t total) { progress.update(done, total, "incidents"); });
  progress.finish();
  if (!index.ok()) return index;
  if (!start.note.empty()) fmt::print("index snapshot not used ({}); built from the database\n", start.note);
  if (start.from_snapshot)
    fmt::print("analytics index from snapshot {} (change {}) and {} changes since, in {:.2f} s\n", snapshot,
               start.snapshot_position, start.changes_replayed, start.seconds);
  else
    fmt::print("analytics index built from the database in {:.2f} s\n", start.seconds);
  return index;
}

// Writes the snapshot at the engine's position: every change up to it is in
// the index (catch_up applied others' changes; this server's own writes are
// applied as they are made). A failure is logged, never fatal: the next
// start scans instead.
void save_index_snapshot(Engine& engine, analytics::IncidentIndex& index, const std::string& snapshot,
                         const std::string& database) {
  if (snapshot.empty()) return;
  const auto began = std::chrono::steady_clock::now();
  auto follow = engine.follow_state();
  Status saved = follow.ok() ? index.save_snapshot(snapshot, follow->position, database) : Status(follow.error());
  if (!saved.ok()) {
    spdlog::error("index snapshot not written: {}", saved.error().describe());
    return;
  }
  fmt::print("index snapshot written: {} ({} incidents, change {}, {:.2f} s)\n", snapshot, index.size(),
             follow->position, std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count());
  std::fflush(stdout);
}

// The signals `pingan serve` answers: SIGHUP reloads the configuration
// (and the personal-data key ring, after `pingan keys rotate --no-reencrypt`),
// SIGINT and SIGTERM stop the server. They are blocked in every thread (the
// mask is inherited from here) and taken by this one thread with
// sigtimedwait, so reload and stop run as ordinary code, not in a handler.
class SignalThread {
 public:
  SignalThread(std::shared_ptr<config::LiveSettings> settings, HttpServer& server,
               std::shared_ptr<crypto::ReloadableCipher> cipher, std::string key_file)
      : thread_([this, settings, &server, cipher, key_file] {
          const sigset_t set = handled();
          const timespec tick{0, 200'000'000};
          while (!stop_) {
            const int sig = sigtimedwait(&set, nullptr, &tick);
            if (sig == SIGINT || sig == SIGTERM) {
              server.stop();
              return;
            }
            if (sig != SIGHUP) continue;
            auto reloaded = settings->reload();
            if (reloaded.ok())
              spdlog::info("SIGHUP: configuration reloaded from {}", (*reloaded)->data_dir);
            else
              spdlog::error("SIGHUP: configuration reload refused, the settings in force stay: {}",
                            reloaded.error().describe());
            if (!cipher) continue;
            if (Status st = reload_data_cipher(*cipher, key_file); st.ok())
              spdlog::info("SIGHUP: personal-data keys reloaded; sealing with key {}", cipher->active_key_id());
            else
              spdlog::error("SIGHUP: personal-data keys kept: {}", st.error().describe());
          }
        }) {}
  ~SignalThread() {
    stop_ = true;
    thread_.join();
  }
  // Before any other thread starts.
  static void block_in_all_threads() {
    const sigset_t set = handled();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
  }

 private:
  static sigset_t handled() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : {SIGHUP, SIGINT, SIGTERM}) sigaddset(&set, sig);
    return set;
  }
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

void run_serve(const ServeOptions& options) {
  SignalThread::block_in_all_threads();
  std::shared_ptr<const config::Settings> loaded;
  std::shared_ptr<crypto::ReloadableCipher> cipher;
  auto engine = open_engine_or_report(options.db, &loaded, &cipher);
  if (!engine) return;
  auto settings = std::make_shared<config::LiveSettings>(*loaded);
  // Statistics answer from memory: read every incident before serving (or
  // the index's snapshot and the changes since), and keep the index current
  // with every write from then on.
  const std::string snapshot = snapshot_path(options);
  const std::string database = describe_location(options.db.db);
  auto index = start_index(*engine, snapshot, database);
  if (!index.ok()) return report_error(index.error());
  // A scan is the slow start: keep its result for the next one at once, so
  // that a server killed before a clean stop still starts fast.
  if (!(*index)->start().from_snapshot) save_index_snapshot(*engine, **index, snapshot, database);
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
  // Roles and the password deny list of the same --data-dir as the rest.
  auto authority = auth::Authority::open(*engine, loaded->data_dir);
  if (!authority.ok()) return report_error(authority.error());
  server.use_authority(std::move(authority).value());
  if (Status st = server.start(); !st.ok()) return report_error(st.error());
  SignalThread signals(settings, server, cipher, options.db.key_file);
  {
    // Writes of other processes (an import) reach the index and the stream.
    ChangeFollower follower(*engine, std::chrono::milliseconds(200));
    // The reminders and escalations of ledger deadlines, every minute.
    LedgerNoticeRunner ledger_notices(*engine, std::chrono::minutes(1));
    // The daily and weekly bulletins of bulletins/schedule.json, every
    // minute, counted from the same indexes as the routes.
    std::unique_ptr<BulletinScheduleRunner> bulletins;
    if (!options.no_bulletins) {
      report::BulletinInputs inputs;
      inputs.units = [&engine] { return engine->units(); };
      inputs.sources = [&engine, &server]() -> Result<report::BulletinSources> {
        PINGAN_ASSIGN_OR_RETURN(auto incidents, server.incident_index());
        PINGAN_ASSIGN_OR_RETURN(auto cases, server.case_index());
        PINGAN_ASSIGN_OR_RETURN(auto ledgers, server.ledger_index());
        return report::BulletinSources{incidents.get(), cases.get(), ledgers.get(), engine->units()};
      };
      bulletins = std::make_unique<BulletinScheduleRunner>(settings, engine->time_zone(), std::move(inputs),
                                                           options.db.db, options.bulletin_dir,
                                                           std::chrono::minutes(1));
    }
    // Follow-up ledger items a crash left behind their incidents (the two
    // writes are not one transaction: engine/followup_ledger.h), caught up
    // once while the server already answers; joined before the engine goes.
    std::jthread followups([&engine] {
      auto caught_up = engine->reconcile_followups();
      if (!caught_up.ok())
        spdlog::warn("follow-up ledger catch-up failed: {}", caught_up.error().describe());
      else if (caught_up->lagging > 0)
        spdlog::info("follow-up ledger: {} of {} incidents caught up ({} items created, {} steps, {} refused)",
                     caught_up->lagging, caught_up->incidents, caught_up->created, caught_up->steps,
                     caught_up->refused);
    });
    fmt::print("pingan {} serving {}://{}:{}/ (database {})\n", PINGAN_VERSION,
               options.http.tls_cert_file.empty() ? "http" : "https", options.http.host, server.port(), database);
    std::fflush(stdout);
    server.wait();
  }
  // Stopped: no request and no follower writes to the index any more.
  save_index_snapshot(*engine, **index, snapshot, database);
  fmt::print("pingan stopped\n");
}

}  // namespace

// Every limit of HttpConfig is a flag with its safe default (README, "Server
// limits").
void add_limit_options(CLI::App& cmd, HttpConfig& h) {
  cmd.add_option("--allowed-host", h.allowed_hosts,
                 "a DNS name clients use for this server (repeatable); IP literals and localhost always pass");
  cmd.add_option("--request-deadline-ms", h.request_deadline_ms, "a computation past this answers 503")
      ->capture_default_str();
  cmd.add_option("--max-body-bytes", h.max_body_bytes, "request body limit (413)")->capture_default_str();
  cmd.add_option("--max-uri-bytes", h.max_uri_bytes, "request target limit (414)")->capture_default_str();
  cmd.add_option("--max-header-bytes", h.max_header_bytes, "header fields size limit (431)")->capture_default_str();
  cmd.add_option("--max-header-count", h.max_header_count, "header fields count limit (431)")->capture_default_str();
  cmd.add_option("--header-timeout-ms", h.header_timeout_ms, "time to send a request head (408)")
      ->capture_default_str();
  cmd.add_option("--body-timeout-ms", h.body_timeout_ms, "time to send a request body (408)")->capture_default_str();
  cmd.add_option("--idle-timeout-s", h.idle_timeout_s, "a quiet kept-alive connection is closed after this")
      ->capture_default_str();
  cmd.add_option("--write-timeout-ms", h.write_timeout_ms, "a client not reading its answer is dropped after this")
      ->capture_default_str();
  cmd.add_option("--max-connections", h.max_connections, "open connections in all (503)")->capture_default_str();
  cmd.add_option("--max-connections-per-address", h.max_connections_per_address,
                 "open connections from one client address (503)")
      ->capture_default_str();
  cmd.add_option("--max-streams-per-address", h.max_streams_per_address,
                 "open /api/stream clients from one address (503)")
      ->capture_default_str();
  cmd.add_option("--max-queued-requests", h.max_queued_requests, "route calls waiting for a worker (503)")
      ->capture_default_str();
}

void add_serve_command(CLI::App& app) {
  auto options = std::make_shared<ServeOptions>();
  options->http.static_dir = std::string(PINGAN_SOURCE_DIR) + "/web/dist";
  CLI::App* cmd = app.add_subcommand("serve", "serve the HTTP API and the web UI");
  add_database_options(*cmd, options->db);
  // Lists (GET /api/incidents) may be read on a streaming replica of a
  // PostgreSQL --db; the answer then states how stale it may be.
  cmd->add_option("--read-replica", options->db.read_replica.url,
                  "postgresql:// URL of a hot standby of --db that may answer incident lists");
  cmd->add_option("--replica-max-lag", options->db.read_replica.max_lag_s,
                  "seconds a replica may be behind and still answer a list (else the primary does)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--index-snapshot", options->index_snapshot,
                  "file keeping the analytics index between runs, for a fast start (\"auto\": <db>.index beside a "
                  "SQLite file, none for PostgreSQL; \"\": none)")
      ->capture_default_str();
  cmd->add_option("--bulletin-dir", options->bulletin_dir,
                  "folder of the scheduled bulletins, in place of bulletins/schedule.json's \"folder\"");
  cmd->add_flag("--no-bulletins", options->no_bulletins, "write no scheduled bulletins (bulletins/schedule.json)");
  cmd->add_option("--host", options->http.host, "address to listen on")->capture_default_str();
  cmd->add_option("--port", options->http.port, "port to listen on (0 = any free port)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--threads", options->http.threads, "worker threads for route handlers")->capture_default_str();
  cmd->add_option("--io-threads", options->http.io_threads, "threads reading and writing sockets")
      ->capture_default_str();
  cmd->add_option("--static", options->http.static_dir, "folder of the built web UI")->capture_default_str();
  cmd->add_option("--map-tile-url", options->http.map_tile_url,
                  "intranet map tiles for the web UI, e.g. http://tiles.local/{z}/{x}/{y}.png (default: boundaries only)");
  cmd->add_option("--tls-cert", options->http.tls_cert_file,
                  "PEM certificate chain: serve HTTPS only (TLS 1.2+), with Secure cookies; needs --tls-key");
  cmd->add_option("--tls-key", options->http.tls_key_file, "PEM private key of --tls-cert (keep it mode 600)");
  add_limit_options(*cmd, options->http);
  cmd->callback([options] { run_serve(*options); });
}

}  // namespace pingan::cli
