// What sign-in costs (issue 17's benchmark), measured in one run against an
// in-process HttpServer over the demo district (analytics index attached):
//
//  (a) signing in: POST /api/auth/login with argon2id at the shipped cost
//      (auth::AuthPolicy{}: 2 passes over 64 MiB), p50/p99 over N logins;
//  (b) an authorised read: GET /api/stats/overview?from=2026-06-01&to=2026-09-01
//      as a "leader" (领导) of the bureau's root unit, once with the session
//      cookie of a sign-in and once with an API token of that user;
//  (c) the same request without authentication.
//
// How (c) is "the same request". The server's own overview handler cannot be
// reached from outside, so the bench builds a second ApiContext over the same
// engine and the same analytics index, takes the overview route from
// pingan::stats_routes(ctx) — the very function the server registers — and
// adds it under GET /bench/overview with permission auth::kPublic. A public
// caller's scope is empty (it would count nothing), so the wrapper hands the
// handler the scope the signed-in leader gets (request_scope.h's scope_of of
// a principal of the same unit); the bench checks that (b) and (c) answer
// byte-identical bodies before it measures. What differs between (b) and (c)
// is therefore exactly the admission: the cookie's or token's SHA-256 and
// store look-ups, the user's row, the role's permissions and the CSRF rule.
// (c) still passes the server's gate for a public route (it looks for
// credentials, finds none), which is what an unauthenticated server would do
// too.
//
// One keep-alive client sends every request, one after another; the three
// variants are interleaved in rounds (and their order rotates each round), so
// that machine noise hits them alike. The per-address sign-in limit (20
// attempts a minute in the shipped policy) is raised for this bench only, so
// that N logins from 127.0.0.1 are all measured; the argon2id cost is not
// touched. Percentiles are nearest-rank: with 50 logins, p99 is the slowest.

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <numeric>
#include <vector>

#include "analytics/incident_index.h"
#include "auth/authority.h"
#include "engine/engine.h"
#include "http/api_routes.h"
#include "http/request_scope.h"
#include "http/server.h"
#include "ingest/demo_district.h"

namespace pingan {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char* kUser = "bench.leader";
constexpr const char* kPassword = "overview at dawn, every day";  // 12+ characters, not on the deny list
constexpr const char* kRole = "leader";
constexpr const char* kUnit = "PA";  // the demo district's bureau: the leader sees the whole tree
constexpr const char* kQuery = "?from=2026-06-01&to=2026-09-01";

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::size_t i = std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i), v.end());
  return v[i];
}

double mean(const std::vector<double>& v) {
  return v.empty() ? 0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double elapsed_ms(Clock::time_point since) {
  return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}

// The public twin of GET /api/stats/overview: the same handler, run with
// the scope of a principal of `unit` (see the header comment).
Route public_overview(const ApiContext& ctx, const std::string& unit) {
  RouteHandler overview;
  for (Route& r : stats_routes(ctx))
    if (r.method == "GET" && r.path == "/api/stats/overview") overview = std::move(r.handler);
  auth::Principal leader;
  leader.unit_code = unit;
  const UnitScope scope = scope_of(&leader);
  return Route{"GET", "/bench/overview", auth::kPublic, [overview, scope](const RouteRequest& r) {
                 RouteRequest same{r.http, r.body, r.path_params, scope, r.actor, r.principal};
                 same.deadline = r.deadline;
                 return overview(same);
               }};
}

struct Variant {
  std::string name;
  std::string path;
  httplib::Headers headers;
  std::vector<double> latency_ms;
  std::int64_t failed = 0;
};

Status sign_in_once(httplib::Client& client, double* ms, std::string* cookie) {
  const nlohmann::json body = {{"username", kUser}, {"password", kPassword}};
  const auto t0 = Clock::now();
  auto res = client.Post("/api/auth/login", body.dump(), "application/json");
  *ms = elapsed_ms(t0);
  if (!res) return Error::unavailable(fmt::format("POST /api/auth/login: {}", httplib::to_string(res.error())));
  if (res->status != 200)
    return Error::unavailable(fmt::format("POST /api/auth/login answered {}: {}", res->status, res->body));
  const std::string set_cookie = res->get_header_value("Set-Cookie");
  *cookie = set_cookie.substr(0, set_cookie.find(';'));
  return {};
}

void print_row(const std::string& name, const std::vector<double>& ms, std::int64_t failed) {
  fmt::print("| {} | {} | {:.3f} | {:.3f} | {:.3f} | {} |\n", name, ms.size(), percentile(ms, 0.5),
             percentile(ms, 0.99), mean(ms), failed);
}

double overhead_pct(double authorised, double open) { return open > 0 ? 100.0 * (authorised - open) / open : 0; }

int run(int logins, int requests, int rounds, int threads) {
  const fs::path dir = fs::temp_directory_path() / fmt::format("pingan-bench-auth-{}", ::getpid());
  fs::create_directories(dir);
  int status = 0;
  {
    auto engine = Engine::open(EngineConfig{(dir / "demo.db").string(), "", "Asia/Shanghai"});
    if (!engine.ok()) return fmt::print(stderr, "{}\n", engine.error().describe()), 1;
    const auto t_demo = Clock::now();
    auto written = ingest::write_demo_district(**engine, ingest::DemoOptions{}, [](std::int64_t, std::int64_t) {});
    if (!written.ok()) return fmt::print(stderr, "{}\n", written.error().describe()), 1;
    auto index = analytics::attach_index(**engine);
    if (!index.ok()) return fmt::print(stderr, "{}\n", index.error().describe()), 1;
    fmt::print("demo district: {} incidents (written and indexed in {:.0f} s)\n", written->incidents,
               elapsed_ms(t_demo) / 1000);

    // The shipped policy, but for the per-address sign-in limit (see above).
    auth::AuthPolicy policy;
    policy.address_attempts = std::max(1000, 2 * logins);
    auto opened = auth::Authority::open(**engine, "", policy);
    if (!opened.ok()) return fmt::print(stderr, "{}\n", opened.error().describe()), 1;
    std::shared_ptr<auth::Authority> authority = std::move(opened).value();
    auto created = authority->add_user({kUser, "基准测试领导", kUnit, kRole}, "bench");
    if (!created.ok()) return fmt::print(stderr, "{}\n", created.error().describe()), 1;
    if (Status st = authority->set_password(kUser, kPassword, false, "bench"); !st.ok())
      return fmt::print(stderr, "{}\n", st.error().describe()), 1;
    auto token = authority->issue_token(kUser, "bench", {"stats.read"}, "bench");
    if (!token.ok()) return fmt::print(stderr, "{}\n", token.error().describe()), 1;

    // The public twin's context: same engine, same index; must outlive the server.
    ApiContext bench_ctx{**engine, nullptr, ""};
    bench_ctx.index_ = *index;

    HttpConfig config;
    config.port = 0;
    config.threads = threads;
    HttpServer server(**engine, config);
    server.use_index(*index);
    server.use_authority(authority);
    server.add_routes({public_overview(bench_ctx, kUnit)});
    if (Status st = server.start(); !st.ok()) return fmt::print(stderr, "{}\n", st.error().describe()), 1;

    httplib::Client client("127.0.0.1", server.port());
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true);
    client.set_read_timeout(60);

    // (a) sign-in, one after another on the same connection.
    std::vector<double> login_ms;
    std::string cookie;
    for (int i = 0; i <= logins; ++i) {
      double ms = 0;
      if (Status st = sign_in_once(client, &ms, &cookie); !st.ok())
        return fmt::print(stderr, "{}\n", st.error().describe()), 1;
      if (i > 0) login_ms.push_back(ms);  // the first warms the allocator's 64 MiB
    }

    // (b) and (c), checked to answer the same before they are timed.
    std::vector<Variant> variants = {
        {"(c) no authentication: GET /bench/overview", std::string("/bench/overview") + kQuery, {}, {}, 0},
        {"(b) session cookie: GET /api/stats/overview", std::string("/api/stats/overview") + kQuery,
         {{"Cookie", cookie}}, {}, 0},
        {"(b) API token: GET /api/stats/overview", std::string("/api/stats/overview") + kQuery,
         {{"Authorization", "Bearer " + token->secret}}, {}, 0},
    };
    std::string first_body;
    for (Variant& v : variants) {
      auto res = client.Get(v.path.c_str(), v.headers);
      if (!res || res->status != 200)
        return fmt::print(stderr, "{} answered {}\n", v.name, res ? std::to_string(res->status) : "nothing"), 1;
      if (first_body.empty()) first_body = res->body;
      if (res->body != first_body)
        return fmt::print(stderr, "{} answers a different body than the unauthenticated twin\n", v.name), 1;
      for (int w = 0; w < 50; ++w) client.Get(v.path.c_str(), v.headers);  // warm-up
    }

    const int per_round = std::max(1, requests / rounds);
    for (int round = 0; round < rounds; ++round)
      for (std::size_t k = 0; k < variants.size(); ++k) {
        Variant& v = variants[(k + static_cast<std::size_t>(round)) % variants.size()];
        for (int n = 0; n < per_round; ++n) {
          const auto t0 = Clock::now();
          auto res = client.Get(v.path.c_str(), v.headers);
          const double ms = elapsed_ms(t0);
          if (res && res->status == 200)
            v.latency_ms.push_back(ms);
          else
            ++v.failed;
        }
      }
    server.stop();

    const Variant& open = variants[0];
    fmt::print("one keep-alive client, {} rounds of {} requests per variant; server: {} worker threads\n\n",
               rounds, per_round, threads);
    fmt::print("| request | n | p50 ms | p99 ms | mean ms | failed |\n|---|---:|---:|---:|---:|---:|\n");
    print_row(fmt::format("(a) POST /api/auth/login, argon2id {} passes, {} MiB", policy.password_cost.ops,
                          policy.password_cost.memory_bytes >> 20),
              login_ms, 0);
    for (const Variant& v : variants) print_row(v.name, v.latency_ms, v.failed);
    fmt::print("\noverhead of authentication on the statistics request (goal: under 5 %):\n");
    for (std::size_t k = 1; k < variants.size(); ++k) {
      const Variant& v = variants[k];
      const double p50 = percentile(v.latency_ms, 0.5), open_p50 = percentile(open.latency_ms, 0.5);
      fmt::print("  {}: p50 {:+.1f} % ({:+.3f} ms), p99 {:+.1f} %, mean {:+.1f} %\n", v.name,
                 overhead_pct(p50, open_p50), p50 - open_p50,
                 overhead_pct(percentile(v.latency_ms, 0.99), percentile(open.latency_ms, 0.99)),
                 overhead_pct(mean(v.latency_ms), mean(open.latency_ms)));
      if (v.failed > 0 || v.latency_ms.empty()) status = 1;
    }
    if (open.failed > 0 || open.latency_ms.empty()) status = 1;
  }
  fs::remove_all(dir);
  return status;
}

}  // namespace
}  // namespace pingan

int main(int argc, char** argv) {
  CLI::App app{
      "pingan sign-in overhead: argon2id login p50/p99, and GET /api/stats/overview with a session cookie, with an "
      "API token and without authentication, interleaved in one run (issue 17)"};
  int logins = 50, requests = 5000, rounds = 20, threads = 8;
  app.add_option("--logins", logins, "sign-ins measured (argon2id at the shipped cost)")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
  app.add_option("--requests", requests, "statistics requests per variant (cookie, token, none)")
      ->capture_default_str()
      ->check(CLI::Range(1, 10'000'000));
  app.add_option("--rounds", rounds, "rounds the variants are interleaved in")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  app.add_option("--threads", threads, "server worker threads (pingan serve's default is 8)")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  CLI11_PARSE(app, argc, argv);
  return pingan::run(logins, requests, rounds, threads);
}
