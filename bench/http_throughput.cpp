// HTTP request throughput of the server as `pingan serve` runs it (the
// analytics index attached, 8 worker threads by default), on the demo
// district: C keep-alive client connections (64 by default, one thread
// each) send GET requests for D seconds to each of three routes, a record
// (/api/incidents/{id}, ids spread over the whole table), a page of 100
// (/api/incidents?limit=100) and the campaign overview
// (/api/stats/overview); requests per second and latency p50/p99 are
// printed. Issue 16 asks for these figures before and after the HTTP layer
// is rebuilt: this program measures both the same way.

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include "analytics/incident_index.h"
#include "engine/engine.h"
#include "http/server.h"
#include "ingest/demo_district.h"

namespace pingan {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::size_t i = std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i), v.end());
  return v[i];
}

struct RouteLoad {
  std::string name;
  std::function<std::string(std::int64_t n)> path;  // the n-th request's path
};

struct LoadResult {
  std::int64_t ok = 0, failed = 0;
  double seconds = 0;
  std::vector<double> latency_ms;
};

LoadResult run_load(int port, int connections, double seconds, const RouteLoad& route) {
  std::vector<LoadResult> per(static_cast<std::size_t>(connections));
  std::vector<std::thread> clients;
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration<double>(seconds);
  for (int c = 0; c < connections; ++c)
    clients.emplace_back([&, c] {
      LoadResult& mine = per[static_cast<std::size_t>(c)];
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);
      client.set_connection_timeout(10);
      client.set_read_timeout(30);
      for (std::int64_t n = c; Clock::now() < deadline; n += connections) {
        const auto t0 = Clock::now();
        auto res = client.Get(route.path(n).c_str());
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        if (res && res->status == 200) {
          ++mine.ok;
          mine.latency_ms.push_back(ms);
        } else {
          ++mine.failed;
        }
      }
    });
  for (auto& t : clients) t.join();
  LoadResult all;
  all.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (LoadResult& r : per) {
    all.ok += r.ok;
    all.failed += r.failed;
    all.latency_ms.insert(all.latency_ms.end(), r.latency_ms.begin(), r.latency_ms.end());
  }
  return all;
}

int run(int connections, double seconds, int threads) {
  const fs::path dir = fs::temp_directory_path() / fmt::format("pingan-bench-http-{}", ::getpid());
  fs::create_directories(dir);
  int status = 0;
  {
    auto engine = Engine::open(EngineConfig{(dir / "demo.db").string(), "", "Asia/Shanghai"});
    if (!engine.ok()) return fmt::print(stderr, "{}\n", engine.error().describe()), 1;
    ingest::DemoOptions demo;
    auto written = ingest::write_demo_district(**engine, demo, [](std::int64_t, std::int64_t) {});
    if (!written.ok()) return fmt::print(stderr, "{}\n", written.error().describe()), 1;
    auto index = analytics::attach_index(**engine);
    if (!index.ok()) return fmt::print(stderr, "{}\n", index.error().describe()), 1;
    const std::int64_t incidents = written->incidents;

    HttpConfig config;
    config.port = 0;
    config.threads = threads;
    HttpServer server(**engine, config);
    server.use_index(*index);
    if (Status st = server.start(); !st.ok()) return fmt::print(stderr, "{}\n", st.error().describe()), 1;

    // Ids spread over the table by a multiplicative step, so that requests
    // do not walk the same pages in order.
    const std::vector<RouteLoad> routes = {
        {"GET /api/incidents/{id}",
         [&](std::int64_t n) { return fmt::format("/api/incidents/{}", 1 + (n * 7919) % incidents); }},
        {"GET /api/incidents?limit=100", [](std::int64_t) { return std::string("/api/incidents?limit=100"); }},
        {"GET /api/stats/overview",
         [](std::int64_t) { return std::string("/api/stats/overview?from=2026-06-01&to=2026-09-01"); }},
    };
    fmt::print("demo district: {} incidents; server: {} worker threads; clients: {} keep-alive connections, "
               "{:.0f} s per route\n",
               incidents, threads, connections, seconds);
    fmt::print("| route | requests/s | p50 ms | p99 ms | failed |\n|---|---:|---:|---:|---:|\n");
    for (const RouteLoad& route : routes) {
      run_load(server.port(), std::min(connections, 4), 0.5, route);  // warm-up
      LoadResult r = run_load(server.port(), connections, seconds, route);
      fmt::print("| {} | {:.0f} | {:.2f} | {:.2f} | {} |\n", route.name, double(r.ok) / r.seconds,
                 percentile(r.latency_ms, 0.5), percentile(r.latency_ms, 0.99), r.failed);
      if (r.ok == 0) status = 1;
    }
    server.stop();
  }
  fs::remove_all(dir);
  return status;
}

}  // namespace
}  // namespace pingan

int main(int argc, char** argv) {
  CLI::App app{"pingan HTTP throughput: requests/s and latency of three routes under keep-alive connections"};
  int connections = 64, threads = 8;
  double seconds = 5;
  app.add_option("--connections", connections, "keep-alive client connections (one thread each)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  app.add_option("--seconds", seconds, "measured seconds per route")->capture_default_str()->check(CLI::Range(0.5, 600.0));
  app.add_option("--threads", threads, "server worker threads (pingan serve's default is 8)")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  CLI11_PARSE(app, argc, argv);
  return pingan::run(connections, seconds, threads);
}
