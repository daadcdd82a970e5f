#pragma once
// The HTTP JSON API over the Engine: an event-driven server (Boost.Beast on
// Asio with C++20 coroutines; docs/http-server.md says why). Sockets are
// served by `io_threads` threads that never block: an idle, slow or
// streaming connection costs a coroutine frame and a socket, not a thread.
// Route handlers run on a pool of `threads` workers. Routes are listed in
// docs/openapi.json; a test keeps the two in step.
//
// Errors always come back as {"error":{"code","field","message"}} with the
// status from error_response.h, including the server's own refusals (unknown
// route 404, the limits in HttpConfig) and exceptions escaping a handler
// (500, caught at one boundary).
//
// Thread safety: start(), stop() and wait() may be called from different
// threads (wait() in main, stop() from another thread or, as `pingan serve`
// does, from a SIGINT/SIGTERM handler while main sits in wait(): neither
// takes a lock the other holds). stop() is not async-signal-safe: call it
// from a thread that took the signal with sigwait (`pingan serve` does).
// Handlers run on `threads` worker threads and share the Engine, which is
// thread-safe.

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "auth/audit_hash.h"
#include "auth/authority.h"
#include "core/status.h"
#include "engine/engine.h"
#include "http/route.h"

namespace pingan {

namespace analytics {
class IncidentIndex;
}
class LiveHub;
namespace dispatch {
class DispatchService;
}
namespace config {
class LiveSettings;
}
namespace cases {
class CaseIndex;
}
namespace ledger {
class LedgerIndex;
}

struct HttpConfig {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 = any free port; port() tells which
  // Names clients may reach the server under (the Host header), besides IP
  // literals and "localhost": a DNS name pointing here from elsewhere is
  // refused, which stops DNS rebinding from a browser.
  std::vector<std::string> allowed_hosts;

  // HTTPS: a PEM certificate chain and its private key. Both or neither;
  // with them every connection is TLS (1.2 or 1.3, OpenSSL 3), session
  // cookies carry Secure and answers Strict-Transport-Security. A file that
  // cannot be read, or a key that does not match the certificate, stops
  // start() with an error naming the file.
  std::string tls_cert_file;
  std::string tls_key_file;

  int threads = 8;     // route handlers (the worker pool); analytics runs here
  int io_threads = 2;  // reading and writing sockets; never blocked by a handler
  std::string static_dir;  // web UI files served at /; empty or missing = API only (warned)
  // An intranet tile server's URL template ({z}/{x}/{y}) for the UI's maps;
  // empty: the maps draw the units' boundaries alone (no internet needed).
  std::string map_tile_url;
  int stream_heartbeat_s = 15;  // GET /api/stream: a comment line after this long without events
  // A route's computation past this is stopped and answered 503 (RouteRequest::deadline).
  int request_deadline_ms = 30'000;

  // Limits on one request, each answered with its status and a JSON error.
  std::size_t max_body_bytes = 1 << 20;        // 413, whatever the method
  std::size_t max_uri_bytes = 8 * 1024;        // the request target: 414
  std::size_t max_header_bytes = 16 * 1024;    // all header fields together: 431
  int max_header_count = 100;                  // header fields: 431
  int header_timeout_ms = 10'000;  // from a request's first byte to its last header line: 408; also the TLS handshake
  int body_timeout_ms = 30'000;    // to read the body once the head is in: 408
  int idle_timeout_s = 60;         // a kept-alive connection sending nothing is closed
  int write_timeout_ms = 30'000;   // a client not reading its answer is dropped

  // Limits on the server as a whole: 503 and close.
  int max_connections = 4096;
  int max_connections_per_address = 512;
  int max_streams_per_address = 256;
  int max_queued_requests = 1024;  // route calls waiting for or running on a worker
};

class HttpServer {
 public:
  // `engine` must outlive the server.
  HttpServer(Engine& engine, HttpConfig config);
  ~HttpServer();  // stops and joins
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Serves statistics from an index already built and attached to the
  // engine (analytics::attach_index; `pingan serve` builds it at start with
  // progress). Without one the first statistics request builds it. Only
  // before start().
  void use_index(std::shared_ptr<analytics::IncidentIndex> index);

  // Serves the dispatch routes from `service` (must outlive the server);
  // without one they answer unavailable. Only before start().
  void use_dispatch(dispatch::DispatchService* service);

  // Answers with these settings and reloads them on request (POST
  // /api/admin/reload-config); without them the shipped data folder's are
  // read at start(). Only before start().
  void use_settings(std::shared_ptr<config::LiveSettings> settings);
  // Sign-in and permissions; without one, start() opens it from the shipped
  // data/auth (roles and the password deny list). Only before start().
  void use_authority(std::shared_ptr<auth::Authority> authority);
  std::shared_ptr<auth::Authority> authority() const;
  // Where audit entries go (sign-ins, writes, refusals). Only before start().
  void use_audit(std::function<void(const auth::AuthNote&)> sink);

  // Adds routes beyond the built-in API (other modules' endpoints); only
  // before start(). Each must be documented in docs/openapi.json too.
  void add_routes(std::vector<Route> routes);

  // Binds and serves on a background thread; returns once listening.
  // Errors: invalid config (invalid_argument), address in use (unavailable).
  Status start();
  int port() const;  // the bound port, 0 before start()
  // Stops accepting, finishes in-flight requests and joins the serving
  // thread. When two stop() calls race, the one that does not join returns
  // at once.
  void stop();
  void wait();  // blocks until the server has stopped (returns at once if never started)

  // The live event stream's fan-out (GET /api/stream). It hears the
  // engine from construction and the desk given to use_dispatch() from
  // start(), so that unit changes reach the map too.
  std::shared_ptr<LiveHub> live_hub() const;

  // The indexes the statistics, case-figure and ledger-figure routes count
  // from, attached to the engine on first use (by a request or by this
  // call) and then kept: the scheduled bulletins (cli/bulletin_schedule_runner.h)
  // count from these rather than attach copies of their own. Any thread.
  Result<std::shared_ptr<analytics::IncidentIndex>> incident_index() const;
  Result<std::shared_ptr<cases::CaseIndex>> case_index() const;
  Result<std::shared_ptr<ledger::LedgerIndex>> ledger_index() const;

  // (method, OpenAPI-style path) of every route, e.g. ("GET", "/api/incidents/{id}").
  std::vector<std::pair<std::string, std::string>> routes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pingan
