#include "http/server.h"

#include <fmt/format.h>
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "config/live_settings.h"
#include "auth/audit_log.h"
#include "auth/audit_queue.h"
#include "http/api_routes.h"
#include "http/list_export_routes.h"
#include "http/json_reply.h"
#include "http/live_routes.h"
#include "http/server_state.h"
#include "http/tls_context.h"
#include "json/json_fields.h"

namespace pingan {
namespace {

using namespace server_detail;

// How long stop() waits for requests already read to be answered, and for
// open streams to end, before closing whatever is left.
constexpr auto kDrainTime = std::chrono::seconds(5);
constexpr auto kStreamDrainTime = std::chrono::seconds(1);

Status validate_config(const HttpConfig& c) {
  auto range = [](const char* field, long long v, long long lo, long long hi) -> Status {
    if (v < lo || v > hi) return Error::invalid(field, fmt::format("{} is outside {}..{}", v, lo, hi));
    return {};
  };
  if (c.host.empty()) return Error::invalid("host", "is empty");
  PINGAN_RETURN_IF_ERROR(range("port", c.port, 0, 65535));
  PINGAN_RETURN_IF_ERROR(range("threads", c.threads, 1, 1024));
  PINGAN_RETURN_IF_ERROR(range("io_threads", c.io_threads, 1, 64));
  PINGAN_RETURN_IF_ERROR(range("stream_heartbeat_s", c.stream_heartbeat_s, 1, 3600));
  PINGAN_RETURN_IF_ERROR(range("request_deadline_ms", c.request_deadline_ms, 1, 3'600'000));
  PINGAN_RETURN_IF_ERROR(range("max_body_bytes", static_cast<long long>(c.max_body_bytes), 1024, 1LL << 32));
  PINGAN_RETURN_IF_ERROR(range("max_uri_bytes", static_cast<long long>(c.max_uri_bytes), 256, 1 << 20));
  PINGAN_RETURN_IF_ERROR(range("max_header_bytes", static_cast<long long>(c.max_header_bytes), 1024, 1 << 20));
  PINGAN_RETURN_IF_ERROR(range("max_header_count", c.max_header_count, 8, 10'000));
  PINGAN_RETURN_IF_ERROR(range("header_timeout_ms", c.header_timeout_ms, 10, 3'600'000));
  PINGAN_RETURN_IF_ERROR(range("body_timeout_ms", c.body_timeout_ms, 10, 3'600'000));
  PINGAN_RETURN_IF_ERROR(range("idle_timeout_s", c.idle_timeout_s, 1, 86'400));
  PINGAN_RETURN_IF_ERROR(range("write_timeout_ms", c.write_timeout_ms, 10, 3'600'000));
  PINGAN_RETURN_IF_ERROR(range("max_connections", c.max_connections, 1, 1'000'000));
  PINGAN_RETURN_IF_ERROR(range("max_connections_per_address", c.max_connections_per_address, 1, 1'000'000));
  PINGAN_RETURN_IF_ERROR(range("max_streams_per_address", c.max_streams_per_address, 0, 1'000'000));
  PINGAN_RETURN_IF_ERROR(range("max_queued_requests", c.max_queued_requests, 1, 1'000'000));
  if (c.tls_cert_file.empty() != c.tls_key_file.empty())
    return Error::invalid(c.tls_cert_file.empty() ? "tls_cert" : "tls_key",
                          "HTTPS needs both a certificate (--tls-cert) and its private key (--tls-key)");
  return {};
}

// docs/openapi.json is the source of truth; it is read from the source tree at
// start so that editing the document needs no rebuild.
void load_openapi(ApiContext& ctx) {
  const std::string path = std::string(PINGAN_SOURCE_DIR) + "/docs/openapi.json";
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ctx.openapi_problem = fmt::format("the API document {} cannot be read", path);
    spdlog::warn("{}", ctx.openapi_problem);
    return;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto doc = parse_json_body(text.str());
  if (!doc.ok()) {
    ctx.openapi_problem =
        fmt::format("the API document {} is not valid JSON: {}", path, doc.error().message);
    spdlog::warn("{}", ctx.openapi_problem);
    return;
  }
  ctx.openapi = std::move(doc).value();
}

awaitable<void> accept_loop(ServerState& s, tcp::acceptor& acceptor, net::io_context& io) {
  net::steady_timer pause(io);
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(net::make_strand(io), kNoThrow);
    if (ec) {
      if (!acceptor.is_open() || s.stopping.load()) co_return;
      // Out of file descriptors: connections wait in the backlog meanwhile.
      spdlog::warn("accepting a connection failed: {}", ec.message());
      pause.expires_after(std::chrono::milliseconds(50));
      co_await pause.async_wait(kNoThrow);
      continue;
    }
    beast::error_code opt;
    // Small answers go out at once rather than waiting on delayed ACKs.
    socket.set_option(tcp::no_delay(true), opt);
    const auto peer = socket.remote_endpoint(opt);
    if (opt) continue;
    std::string why;
    auto ticket = s.connections.admit(peer.address().to_string(), &why);
    auto executor = socket.get_executor();
    if (!ticket) {
      net::co_spawn(executor, refuse_connection(s, std::move(socket), std::move(why)), net::detached);
      continue;
    }
    net::co_spawn(executor, serve_connection(s, std::move(socket), std::move(*ticket)), net::detached);
  }
}

}  // namespace

struct HttpServer::Impl {
  Impl(Engine& engine, HttpConfig c) : config(std::move(c)), api{engine, nullptr, ""} {}

  HttpConfig config;
  ApiContext api;
  std::vector<Route> routes;
  std::shared_ptr<LiveHub> live;
  int bound_port = 0;

  // Built at start(), in this order, and torn down in reverse by stop().
  std::unique_ptr<Router> router;
  std::unique_ptr<StaticFiles> files;
  std::unique_ptr<ServerState> state;
  std::unique_ptr<net::ssl::context> tls;  // when serving HTTPS
  std::unique_ptr<net::thread_pool> pool;
  std::unique_ptr<net::io_context> io;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::vector<std::thread> io_threads;

  std::atomic<bool> started{false};
  // Atomics rather than a mutex and condition variable so that wait() in
  // main and stop() on the signal thread never wait on each other's lock.
  std::atomic<bool> serving{false};
  std::atomic<bool> stopped{false};
  std::mutex stop_mutex;  // one stop() tears down; a racing one returns at once
};

HttpServer::HttpServer(Engine& engine, HttpConfig config)
    : impl_(std::make_unique<Impl>(engine, std::move(config))) {
  impl_->live = LiveHub::create(engine);
  // The list exports first: /api/incidents/{id} and /api/cases/{id} would take their paths.
  for (auto group : {list_export_routes(impl_->api), incident_routes(impl_->api), unit_routes(impl_->api), meta_routes(impl_->api),
                     rising_routes(impl_->api), stats_routes(impl_->api), hotspot_routes(impl_->api),
                     response_routes(impl_->api), duplicate_routes(impl_->api), dispatch_routes(impl_->api),
                     patrol_record_routes(impl_->api), admin_routes(impl_->api), auth_routes(impl_->api),
                     reveal_routes(impl_->api), audit_routes(impl_->api), case_routes(impl_->api),
                     fugitive_routes(impl_->api), case_figure_routes(impl_->api), registry_routes(impl_->api), ledger_figure_routes(impl_->api),
                     ledger_routes(impl_->api), ledger_notice_routes(impl_->api),
                     ledger_file_routes(impl_->api), registry_file_routes(impl_->api), visit_routes(impl_->api), bulletin_routes(impl_->api)})
    for (Route& r : group) impl_->routes.push_back(std::move(r));
}

HttpServer::~HttpServer() { stop(); }

std::shared_ptr<LiveHub> HttpServer::live_hub() const { return impl_->live; }

Result<std::shared_ptr<analytics::IncidentIndex>> HttpServer::incident_index() const { return impl_->api.index(); }
Result<std::shared_ptr<cases::CaseIndex>> HttpServer::case_index() const { return impl_->api.case_index(); }
Result<std::shared_ptr<ledger::LedgerIndex>> HttpServer::ledger_index() const { return impl_->api.ledger_index(); }

void HttpServer::use_index(std::shared_ptr<analytics::IncidentIndex> index) {
  std::lock_guard lock(impl_->api.index_mutex);
  impl_->api.index_ = std::move(index);
}

void HttpServer::use_dispatch(dispatch::DispatchService* service) { impl_->api.dispatch = service; }

void HttpServer::use_settings(std::shared_ptr<config::LiveSettings> settings) {
  impl_->api.settings = std::move(settings);
}

void HttpServer::use_authority(std::shared_ptr<auth::Authority> authority) {
  impl_->api.authority = std::move(authority);
}

std::shared_ptr<auth::Authority> HttpServer::authority() const { return impl_->api.authority; }

void HttpServer::use_audit(std::function<void(const auth::AuthNote&)> sink) { impl_->api.audit = std::move(sink); }

void HttpServer::add_routes(std::vector<Route> routes) {
  for (Route& r : routes) impl_->routes.push_back(std::move(r));
}

Status HttpServer::start() {
  Impl& s = *impl_;
  if (s.started.exchange(true)) return Error::conflict("", "the HTTP server is already started");
  PINGAN_RETURN_IF_ERROR(validate_config(s.config));
  if (!s.config.tls_cert_file.empty()) {
    PINGAN_ASSIGN_OR_RETURN(s.tls, make_tls_context(s.config.tls_cert_file, s.config.tls_key_file));
    // A session cookie never travels in the clear once the server speaks TLS.
    s.api.secure_cookies = true;
  }
  if (!s.api.settings) {
    PINGAN_ASSIGN_OR_RETURN(config::Settings shipped, config::load_settings(""));
    s.api.settings = std::make_shared<config::LiveSettings>(std::move(shipped));
  }
  if (!s.api.authority) {
    PINGAN_ASSIGN_OR_RETURN(s.api.authority, auth::Authority::open(s.api.engine, ""));
  }
  if (!s.api.audit) {
    // The audit log of the engine's database: sign-ins, writes, refusals.
    auto log = std::make_shared<auth::AuditLog>(s.api.engine.audit_store(),
                                                s.api.authority->roles().audit_alg);
    std::weak_ptr<auth::Authority> authority = s.api.authority;
    s.api.audit = [log, authority](const auth::AuthNote& n) {
      auto a = authority.lock();
      auto appended = log->append(auth::AuditEvent{a ? a->now() : now_utc(), n.username, n.unit_code, n.address,
                                                   n.action, n.target, n.outcome, n.reason});
      if (!appended.ok()) spdlog::error("audit entry not written: {}", appended.error().describe());
    };
    auto queue = std::make_shared<auth::AuditQueue>(log);
    s.api.audit_deferred = [queue, authority](const auth::AuthNote& n) {
      auto a = authority.lock();
      queue->post(auth::AuditEvent{a ? a->now() : now_utc(), n.username, n.unit_code, n.address, n.action, n.target,
                                   n.outcome, n.reason});
    };
  }
  s.api.authority->set_note_sink(s.api.audit);
  load_openapi(s.api);
  if (s.api.dispatch) s.live->attach_dispatch(*s.api.dispatch);
  s.router = std::make_unique<Router>(s.routes);
  // The web UI is built separately and may not exist yet; the API serves
  // without it rather than refusing to start.
  s.files = std::make_unique<StaticFiles>(s.config.static_dir);
  if (!s.config.static_dir.empty() && !s.files->serving())
    spdlog::warn("web UI not served (API only): '{}' is not a readable directory; scripts/build-web.sh builds it",
                 s.config.static_dir);
  else if (s.files->serving())
    spdlog::info("web UI served from {}", s.config.static_dir);
  s.api.map_tile_url = s.config.map_tile_url;
  s.state = std::make_unique<ServerState>(s.config, s.api, s.live, *s.router, *s.files);
  s.state->tls = s.tls.get();

  s.io = std::make_unique<net::io_context>(s.config.io_threads);
  beast::error_code ec;
  tcp::resolver resolver(*s.io);
  auto endpoints = resolver.resolve(s.config.host, std::to_string(s.config.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty())
    return Error::unavailable(fmt::format("cannot listen on {}:{}: {}", s.config.host, s.config.port,
                                          ec ? ec.message() : "the address resolves to nothing"));
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  s.acceptor = std::make_unique<tcp::acceptor>(*s.io);
  s.acceptor->open(endpoint.protocol(), ec);
  if (!ec) s.acceptor->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor->bind(endpoint, ec);
  if (!ec) s.acceptor->listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    return Error::unavailable(fmt::format("cannot listen on {}:{} ({})", s.config.host, s.config.port, ec.message()));
  s.bound_port = s.acceptor->local_endpoint().port();

  // The I/O and worker threads never take SIGINT, SIGTERM or SIGHUP (they
  // inherit this mask): `pingan serve` takes them on its own thread.
  sigset_t quiet, previous;
  sigemptyset(&quiet);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&quiet, sig);
  pthread_sigmask(SIG_BLOCK, &quiet, &previous);
  s.pool = std::make_unique<net::thread_pool>(static_cast<std::size_t>(s.config.threads));
  s.state->pool = s.pool.get();
  net::co_spawn(*s.io, accept_loop(*s.state, *s.acceptor, *s.io), net::detached);
  s.serving = true;
  for (int i = 0; i < s.config.io_threads; ++i) s.io_threads.emplace_back([&s] { s.io->run(); });
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  spdlog::info("pingan HTTP API listening on {}://{}:{}/", s.tls ? "https" : "http", s.config.host, s.bound_port);
  return {};
}

int HttpServer::port() const { return impl_->bound_port; }

void HttpServer::stop() {
  Impl& s = *impl_;
  if (!s.serving) return;
  std::unique_lock lock(s.stop_mutex, std::try_to_lock);
  if (!lock.owns_lock() || s.stopped) return;
  ServerState& state = *s.state;
  state.stopping = true;
  net::post(*s.io, [&s] {
    beast::error_code ignored;
    s.acceptor->close(ignored);
  });
  // Computations in progress stop at their next check; requests already
  // read are answered; streams end.
  {
    std::lock_guard guard(state.deadlines_mutex);
    for (Deadline* d : state.deadlines) d->cancel();
  }
  s.live->close_all();
  const auto until = std::chrono::steady_clock::now() + kDrainTime;
  const auto streams_until = std::chrono::steady_clock::now() + kStreamDrainTime;
  while ((state.answering.load() > 0 && std::chrono::steady_clock::now() < until) ||
         (state.connections.streams() > 0 && std::chrono::steady_clock::now() < streams_until))
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  // Idle connections and anything left are dropped with the I/O context.
  s.io->stop();
  for (std::thread& t : s.io_threads) t.join();
  s.io_threads.clear();
  s.pool->join();
  s.acceptor.reset();
  s.io.reset();  // destroys the connections' coroutine frames, closing their sockets
  s.stopped = true;
}

void HttpServer::wait() {
  Impl& s = *impl_;
  while (s.serving && !s.stopped) std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

std::vector<std::pair<std::string, std::string>> HttpServer::routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Route& r : impl_->routes) out.emplace_back(r.method, r.path);
  out.emplace_back("GET", kLiveStreamPath);
  return out;
}

}  // namespace pingan
