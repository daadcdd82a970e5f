#include "http/server.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <httplib.h>
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "config/live_settings.h"
#include "http/api_routes.h"
#include "http/error_response.h"
#include "json/json_fields.h"
#include "http/json_reply.h"
#include "http/live_routes.h"
#include "http/request_scope.h"

namespace pingan {
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(10);

Status validate_config(const HttpConfig& c) {
  if (c.host.empty()) return Error::invalid("host", "is empty");
  if (c.port < 0 || c.port > 65535)
    return Error::invalid("port", fmt::format("{} is outside 0..65535", c.port));
  if (c.threads < 1 || c.threads > 1024)
    return Error::invalid("threads", fmt::format("{} is outside 1..1024", c.threads));
  if (c.request_deadline_ms < 1)
    return Error::invalid("request_deadline_ms", "must be at least 1");
  if (c.max_body_bytes < 1024) return Error::invalid("max_body_bytes", "must be at least 1024");
  if (c.stream_heartbeat_s < 1 || c.stream_heartbeat_s > 3600)
    return Error::invalid("stream_heartbeat_s", fmt::format("{} is outside 1..3600", c.stream_heartbeat_s));
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

HttpRequest from_library(const httplib::Request& req) {
  HttpRequest r;
  r.method = req.method;
  r.target = req.target;
  r.path = req.path;
  for (const auto& [k, v] : req.params) r.params.emplace(k, v);
  for (const auto& [k, v] : req.headers) r.headers.emplace_back(k, v);
  r.remote_address = req.remote_addr;
  return r;
}

bool sends_body(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

}  // namespace

struct HttpServer::Impl {
  Impl(Engine& engine, HttpConfig c) : config(std::move(c)), api{engine, nullptr, ""} {}

  void install_handlers();
  void register_route(const Route& route);
  Error unrouted_error(const httplib::Request& req, int status) const;
  bool has_route(const std::string& method, const std::string& path) const;

  HttpConfig config;
  ApiContext api;
  std::vector<Route> routes;
  std::vector<std::regex> patterns;  // patterns[i] matches routes[i].path
  httplib::Server server;
  int bound_port = 0;
  std::shared_ptr<LiveHub> live;  // GET /api/stream, not a Route (live_routes.h)

  std::atomic<bool> started{false};
  // The serving thread is running / has returned. Atomics rather than a
  // mutex and condition variable: `pingan serve` calls stop() from a signal
  // handler while main() sits in wait(), and a lock held by the interrupted
  // thread would deadlock the handler.
  std::atomic<bool> serving{false};
  std::atomic<bool> stopped{false};
  std::atomic<bool> stop_requested{false};  // the library's stop() must run once
  std::thread thread;                       // joined by whoever holds join_mutex in stop()
  std::mutex join_mutex;
};

void HttpServer::Impl::register_route(const Route& route) {
  const std::string pattern = route_pattern(route.path);
  RouteHandler handler = route.handler;
  const auto deadline_after = std::chrono::milliseconds(config.request_deadline_ms);
  auto answer = [handler, deadline_after](RouteRequest& r, httplib::Response& res) {
    const Deadline deadline(Deadline::Clock::now() + deadline_after);
    r.deadline = &deadline;
    const httplib::Request& req = *r.library;
    for (size_t i = 1; i < req.matches.size(); ++i) r.path_params.push_back(req.matches[i].str());
    Result<Reply> reply = handler(r);
    if (!reply.ok()) {
      write_error(res, reply.error());
      return;
    }
    res.status = reply->status;
    for (const auto& [name, value] : reply->headers) res.set_header(name, value);
    write_json(res, reply->body);
  };
  if (route.method == "GET") {
    server.Get(pattern, [answer](const httplib::Request& req, httplib::Response& res) {
      const HttpRequest http = from_library(req);
      RouteRequest r{http, "", {}, scope_for_request(http), actor_for_request(http)};
      r.library = &req;
      answer(r, res);
    });
    return;
  }
  // Bodies are read here rather than by the library, which bounds only a
  // Content-Length body: a chunked one is read to the end too, but kept only
  // up to the limit, so an oversized body costs no memory and still leaves
  // the connection clean for the 413 reply.
  const std::size_t limit = config.max_body_bytes;
  auto serve = [answer, limit](const httplib::Request& req, httplib::Response& res,
                               const httplib::ContentReader& read) {
    const HttpRequest http = from_library(req);
    RouteRequest r{http, "", {}, scope_for_request(http), actor_for_request(http)};
    r.library = &req;
    bool too_large = false;
    const bool complete = read([&](const char* data, size_t n) {
      if (too_large || r.body.size() + n > limit) {
        too_large = true;
        r.body.clear();
      } else {
        r.body.append(data, n);
      }
      return true;
    });
    if (too_large || res.status == 413) {
      write_error(res, error_for_library_status(413, req.method, req.path, limit));
      return;
    }
    if (!complete) {
      write_error(res, Error::invalid("body", "the request body could not be read completely"));
      return;
    }
    answer(r, res);
  };
  if (route.method == "POST")
    server.Post(pattern, serve);
  else if (route.method == "PUT")
    server.Put(pattern, serve);
  else if (route.method == "PATCH")
    server.Patch(pattern, serve);
  else if (route.method == "DELETE")
    server.Delete(pattern, serve);
}

// A 404 from the library means no pattern matched this method; if another
// method serves the path, say which, so the client sees its mistake.
Error HttpServer::Impl::unrouted_error(const httplib::Request& req, int status) const {
  Error error = error_for_library_status(status, req.method, req.path, config.max_body_bytes);
  if (status != 404) return error;
  std::set<std::string> methods;
  for (size_t i = 0; i < routes.size(); ++i)
    if (routes[i].method != req.method && std::regex_match(req.path, patterns[i]))
      methods.insert(routes[i].method);
  if (!methods.empty())
    error.message += fmt::format("; this path serves {}", fmt::join(methods, ", "));
  return error;
}

bool HttpServer::Impl::has_route(const std::string& method, const std::string& path) const {
  for (size_t i = 0; i < routes.size(); ++i)
    if (routes[i].method == method && std::regex_match(path, patterns[i])) return true;
  return false;
}

void HttpServer::Impl::install_handlers() {
  for (const Route& r : routes) patterns.emplace_back(route_pattern(r.path));

  const int threads = config.threads;
  server.new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<size_t>(threads));
  };
  server.set_payload_max_length(config.max_body_bytes);
  // The library writes headers and body separately; with Nagle's algorithm
  // and delayed ACKs a small reply then waits ~40 ms on a kept-alive
  // connection (measured: 27 ms per GET by id without this, see report).
  server.set_tcp_nodelay(true);

  // Runs before any body is read. The library reads the body of every POST,
  // PUT, PATCH and DELETE, even one no route wants, and without a length it
  // reads until the connection closes. A Content-Length body is bounded by
  // the limit; a chunked one by the routes' own reader (register_route). The
  // rest is answered here, unread: a chunked body sent to no route (404), a
  // body with no length at all (400; browsers and httplib always send one of
  // the two, `curl -X POST` without -d sends neither: the message says so).
  server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!sends_body(req.method)) return httplib::Server::HandlerResponse::Unhandled;
    const bool chunked =
        req.get_header_value("Transfer-Encoding").find("chunked") != std::string::npos;
    const bool routed = has_route(req.method, req.path);
    if ((req.has_header("Content-Length") && !chunked) || (chunked && routed))
      return httplib::Server::HandlerResponse::Unhandled;
    if (!routed) {
      write_error(res, unrouted_error(req, 404));
    } else {
      write_error(res, Error::invalid("Content-Length",
                                      "a request body needs a Content-Length header or chunked "
                                      "transfer encoding (an empty body too: curl -d '')"));
    }
    // Whatever the client sends next on this connection cannot be trusted.
    res.set_header("Connection", "close");
    return httplib::Server::HandlerResponse::Handled;
  });

  // Everything the library answers on its own (no route, body too large, bad
  // request line) leaves an empty body; give it the JSON error form. Bodies
  // already written by a handler pass through untouched.
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        write_error(res, unrouted_error(req, res.status));
        return httplib::Server::HandlerResponse::Handled;
      }));

  // The one exception boundary: a handler that throws is a bug, reported as
  // a 500 with the reason, and the worker thread goes on serving.
  server.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        spdlog::error("exception while handling {} {}: {}", req.method, req.path, what);
        write_error(res, Error::internal(fmt::format("unexpected failure while handling {} {}: {}",
                                                     req.method, req.path, what)));
      });

  server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    spdlog::debug("{} {} -> {}", req.method, req.path, res.status);
  });

  for (const Route& route : routes) register_route(route);
  install_live_stream(server, live, stop_requested, std::chrono::seconds(config.stream_heartbeat_s));
  if (api.dispatch) live->attach_dispatch(*api.dispatch);
}

HttpServer::HttpServer(Engine& engine, HttpConfig config)
    : impl_(std::make_unique<Impl>(engine, std::move(config))) {
  impl_->live = LiveHub::create(engine);
  for (auto group : {incident_routes(impl_->api), unit_routes(impl_->api), meta_routes(impl_->api),
                     rising_routes(impl_->api), stats_routes(impl_->api)})
    for (Route& r : group) impl_->routes.push_back(std::move(r));
  for (Route& r : hotspot_routes(impl_->api)) impl_->routes.push_back(std::move(r));
  for (auto group : {response_routes(impl_->api), duplicate_routes(impl_->api)})
    for (Route& r : group) impl_->routes.push_back(std::move(r));
  for (Route& r : dispatch_routes(impl_->api)) impl_->routes.push_back(std::move(r));
  for (Route& r : patrol_record_routes(impl_->api)) impl_->routes.push_back(std::move(r));
  for (Route& r : admin_routes(impl_->api)) impl_->routes.push_back(std::move(r));
}

HttpServer::~HttpServer() { stop(); }

std::shared_ptr<LiveHub> HttpServer::live_hub() const { return impl_->live; }

void HttpServer::use_index(std::shared_ptr<analytics::IncidentIndex> index) {
  std::lock_guard lock(impl_->api.index_mutex);
  impl_->api.index_ = std::move(index);
}

void HttpServer::use_dispatch(dispatch::DispatchService* service) { impl_->api.dispatch = service; }

void HttpServer::use_settings(std::shared_ptr<config::LiveSettings> settings) {
  impl_->api.settings = std::move(settings);
}

void HttpServer::add_routes(std::vector<Route> routes) {
  for (Route& r : routes) impl_->routes.push_back(std::move(r));
}

Status HttpServer::start() {
  Impl& s = *impl_;
  if (s.started.exchange(true)) return Error::conflict("", "the HTTP server is already started");
  PINGAN_RETURN_IF_ERROR(validate_config(s.config));
  if (!s.api.settings) {
    PINGAN_ASSIGN_OR_RETURN(config::Settings shipped, config::load_settings(""));
    s.api.settings = std::make_shared<config::LiveSettings>(std::move(shipped));
  }
  load_openapi(s.api);
  s.install_handlers();
  // The web UI is built separately and may not exist yet; the API serves
  // without it rather than refusing to start.
  if (!s.config.static_dir.empty() && !s.server.set_mount_point("/", s.config.static_dir))
    spdlog::warn("static files not served: '{}' is not a readable directory", s.config.static_dir);

  if (s.config.port == 0) {
    s.bound_port = s.server.bind_to_any_port(s.config.host);
  } else {
    s.bound_port = s.server.bind_to_port(s.config.host, s.config.port) ? s.config.port : -1;
  }
  if (s.bound_port <= 0) {
    s.bound_port = 0;
    return Error::unavailable(
        fmt::format("cannot listen on {}:{} (address in use, not permitted or not local)",
                    s.config.host, s.config.port));
  }
  s.serving = true;
  // The serving thread and the worker threads it creates (they inherit its
  // mask) never take SIGINT, SIGTERM or SIGHUP. A handler that calls stop()
  // then runs on an application thread: on a worker it would wait for the
  // pool, which waits for that worker.
  sigset_t quiet, previous;
  sigemptyset(&quiet);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&quiet, sig);
  pthread_sigmask(SIG_BLOCK, &quiet, &previous);
  s.thread = std::thread([&s] {
    s.server.listen_after_bind();
    s.stopped = true;
  });
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  // stop() is a no-op until the library marks itself running, so do not
  // hand control back before then.
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (!s.server.is_running()) {
    if (s.stopped) return Error::unavailable("the HTTP server stopped while starting");
    if (std::chrono::steady_clock::now() > deadline)
      return Error::unavailable("the HTTP server did not start listening in time");
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  spdlog::info("pingan HTTP API listening on http://{}:{}/", s.config.host, s.bound_port);
  return {};
}

int HttpServer::port() const { return impl_->bound_port; }

void HttpServer::stop() {
  Impl& s = *impl_;
  if (!s.serving) return;
  if (!s.stop_requested.exchange(true)) s.server.stop();
  // A second stop() racing the first (two signals, or the destructor) leaves
  // the join to the first.
  std::unique_lock join_lock(s.join_mutex, std::try_to_lock);
  if (!join_lock.owns_lock() || !s.thread.joinable()) return;
  s.thread.join();
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
