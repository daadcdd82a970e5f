// Dispatch benchmark (issue 4).
// (a) Recommendation: the k units of the shortest ETA among 10,000 available
//     units of four kinds spread over a 30 km x 30 km city, answered by the
//     grid index, against a brute-force scan of every unit measured in the
//     same run (answers cross-checked). Targets: p99 < 1 ms, >= 10x the scan.
// (b) Position ingest over HTTP: the real HttpServer in-process on a free
//     port over a fresh SQLite file and 10,000 units; one client thread posts
//     batches of reports on a kept-alive connection. Target >= 50,000
//     reports/s.

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>

#include <unistd.h>

#include "dispatch/available_unit_index.h"
#include "dispatch/dispatch_service.h"
#include "engine/engine.h"
#include "http/server.h"

namespace fs = std::filesystem;
using namespace pingan;
using Clock = std::chrono::steady_clock;

namespace {

constexpr GeoPoint kCentre{36.65, 117.0};
constexpr double kHalfSideM = 15000;  // 30 km x 30 km
constexpr double kMetresPerDegLat = 111195.0;

GeoPoint offset(const GeoPoint& c, double dx, double dy) {
  return GeoPoint{c.lat + dy / kMetresPerDegLat, c.lon + dx / (kMetresPerDegLat * std::cos(c.lat * M_PI / 180))};
}

GeoPoint random_point(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> d(-kHalfSideM, kHalfSideM);
  return offset(kCentre, d(rng), d(rng));
}

// Half cars, then e-bikes, foot patrols and motorcycles, as a city deploys them.
PatrolKind random_kind(std::mt19937_64& rng) {
  const unsigned r = unsigned(rng() % 10);
  if (r < 5) return PatrolKind::kCar;
  if (r < 7) return PatrolKind::kEbike;
  if (r < 9) return PatrolKind::kFoot;
  return PatrolKind::kMotorcycle;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, std::size_t(p * double(v.size())))];
}

double micros(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double, std::micro>(b - a).count(); }

void bench_recommendation(int units, int queries, std::size_t k) {
  std::mt19937_64 rng(7);
  dispatch::AvailableUnitIndex index(kCentre, dispatch::RankingSpeeds{});
  for (int i = 0; i < units; ++i) {
    std::vector<std::string> roles;
    if (i % 500 == 0) roles.push_back("rapid");
    index.place(std::uint32_t(i), random_kind(rng), roles, random_point(rng));
  }
  std::vector<GeoPoint> points;
  for (int i = 0; i < queries; ++i) points.push_back(random_point(rng));
  std::vector<double> grid_us, scan_us;
  std::size_t mismatches = 0;
  volatile double sink = 0;
  for (int round = 0; round < 2; ++round) {  // the first round warms caches and is not kept
    grid_us.clear();
    scan_us.clear();
    for (const GeoPoint& q : points) {
      auto t0 = Clock::now();
      auto fast = index.nearest(q, k);
      auto t1 = Clock::now();
      auto slow = index.nearest_by_scan(q, k);
      auto t2 = Clock::now();
      grid_us.push_back(micros(t0, t1));
      scan_us.push_back(micros(t1, t2));
      sink = sink + fast.front().eta_s;
      bool same = fast.size() == slow.size();
      for (std::size_t i = 0; same && i < fast.size(); ++i) same = fast[i].slot == slow[i].slot;
      mismatches += !same;
    }
  }
  const double g50 = percentile(grid_us, 0.5), g99 = percentile(grid_us, 0.99);
  const double s50 = percentile(scan_us, 0.5), s99 = percentile(scan_us, 0.99);
  fmt::print("(a) recommendation: {} available units (4 kinds, 30 km x 30 km), k = {}, {} queries\n", units, k,
             queries);
  fmt::print("    grid index   p50 {:8.1f} us   p99 {:8.1f} us   (target p99 < 1000 us: {})\n", g50, g99,
             g99 < 1000 ? "met" : "NOT met");
  fmt::print("    full scan    p50 {:8.1f} us   p99 {:8.1f} us\n", s50, s99);
  fmt::print("    ratio scan / grid: p50 {:.1f}x, p99 {:.1f}x   (target >= 10x: {})\n", s50 / g50, s99 / g99,
             s50 / g50 >= 10 ? "met" : "NOT met");
  fmt::print("    answers differing from the scan: {}\n", mismatches);
}

Unit box_unit(const std::string& code, const std::string& parent, UnitKind kind) {
  Unit u;
  u.code = code;
  u.name = code;
  u.kind = kind;
  u.parent_code = parent;
  const GeoPoint sw = offset(kCentre, -kHalfSideM, -kHalfSideM), ne = offset(kCentre, kHalfSideM, kHalfSideM);
  u.boundary = Boundary({{{sw, {sw.lat, ne.lon}, ne, {ne.lat, sw.lon}, sw}}});
  return u;
}

int bench_ingest(int units, int batches, int batch_size, int threads) {
  const fs::path dir = fs::temp_directory_path() / fmt::format("pingan-bench-dispatch-{}", ::getpid());
  fs::create_directories(dir);
  int status = 0;
  {
    auto engine = Engine::open(EngineConfig{(dir / "bench.db").string(), "", "Asia/Shanghai"});
    if (!engine.ok()) return fmt::print(stderr, "{}\n", engine.error().describe()), 1;
    Status st = (*engine)->upsert_units({box_unit("CITY", "", UnitKind::kBureau), box_unit("S1", "CITY", UnitKind::kStation)});
    if (!st.ok()) return fmt::print(stderr, "{}\n", st.error().describe()), 1;
    auto desk = dispatch::DispatchService::open(**engine, dispatch::DispatchConfig{},
                                                dispatch::RunCards::from_cards({}));
    if (!desk.ok()) return fmt::print(stderr, "{}\n", desk.error().describe()), 1;
    std::mt19937_64 rng(11);
    std::vector<PatrolUnit> fleet;
    std::vector<GeoPoint> where;
    std::vector<double> heading;
    for (int i = 0; i < units; ++i) {
      PatrolUnit u;
      u.call_sign = fmt::format("U{:05}", i);
      u.kind = random_kind(rng);
      u.station_code = "S1";
      u.status = PatrolStatus::kAvailable;
      fleet.push_back(u);
      where.push_back(random_point(rng));
      heading.push_back(double(rng() % 360) * M_PI / 180);
    }
    st = (*desk)->upsert_units(fleet);
    if (!st.ok()) return fmt::print(stderr, "{}\n", st.error().describe()), 1;

    // Every unit reports every 10 s, moving at 30 km/h (83 m): the bodies
    // are built before the clock starts.
    const Timestamp t0 = now_utc() - 86400;
    std::vector<std::string> bodies;
    long long reports = 0;
    for (int b = 0; b < batches; ++b) {
      nlohmann::json list = nlohmann::json::array();
      for (int j = 0; j < batch_size; ++j, ++reports) {
        const long long n = (long long)b * batch_size + j;
        const int u = int(n % units);
        const Timestamp at = t0 + 10 * (n / units);
        where[std::size_t(u)] = offset(where[std::size_t(u)], 83 * std::cos(heading[std::size_t(u)]),
                                       83 * std::sin(heading[std::size_t(u)]));
        list.push_back({{"call_sign", fleet[std::size_t(u)].call_sign},
                        {"at", format_utc(at)},
                        {"lat", where[std::size_t(u)].lat},
                        {"lon", where[std::size_t(u)].lon},
                        {"speed_kmh", 30}});
      }
      bodies.push_back(nlohmann::json{{"reports", std::move(list)}}.dump());
    }
    HttpConfig config;
    config.port = 0;
    config.threads = threads;
    config.max_body_bytes = 8 << 20;
    HttpServer server(**engine, config);
    server.use_dispatch(desk->get());
    st = server.start();
    if (!st.ok()) return fmt::print(stderr, "{}\n", st.error().describe()), 1;
    httplib::Client client("127.0.0.1", server.port());
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true);
    client.set_read_timeout(60);
    long long accepted = 0, refused = 0;
    std::vector<double> batch_ms;
    const auto start = Clock::now();
    for (const std::string& body : bodies) {
      const auto b0 = Clock::now();
      auto res = client.Post("/api/positions", body, "application/json");
      batch_ms.push_back(micros(b0, Clock::now()) / 1000);
      if (!res || res->status != 200) {
        fmt::print(stderr, "batch failed: {}\n", res ? res->body : httplib::to_string(res.error()));
        status = 1;
        break;
      }
      auto answer = nlohmann::json::parse(res->body);
      accepted += answer["accepted"].get<long long>();
      refused += (long long)answer["refused"].size();
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    server.stop();
    auto stored = (*engine)->list_track_points("", t0, t0 + 86400 * 2);
    const double rate = double(accepted + refused) / seconds;
    fmt::print("(b) position ingest over HTTP: {} units, {} batches of {} reports, 1 client thread (keep-alive), "
               "{} server threads\n",
               units, batches, batch_size, threads);
    fmt::print("    {} reports in {:.2f} s: {:.0f} reports/s   (target >= 50,000/s: {})\n", accepted + refused, seconds,
               rate, rate >= 50000 ? "met" : "NOT met");
    fmt::print("    accepted {}, refused {}; track points stored {} (downsampled); per batch p50 {:.1f} ms, p99 {:.1f} ms\n",
               accepted, refused, stored.ok() ? (long long)stored->size() : -1LL, percentile(batch_ms, 0.5),
               percentile(batch_ms, 0.99));
  }
  fs::remove_all(dir);
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"pingan dispatch benchmark: recommendation against a full scan; position ingest over HTTP"};
  int units = 10000, queries = 20000, batches = 200, batch_size = 1000, threads = 4;
  std::size_t k = 5;
  app.add_option("--units", units, "available units")->capture_default_str();
  app.add_option("--queries", queries, "recommendation queries")->capture_default_str();
  app.add_option("--k", k, "units per recommendation")->capture_default_str();
  app.add_option("--batches", batches, "position batches posted")->capture_default_str();
  app.add_option("--batch-size", batch_size, "reports per batch")->capture_default_str();
  app.add_option("--threads", threads, "HTTP server threads")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  bench_recommendation(units, queries, k);
  return bench_ingest(units, batches, batch_size, threads);
}
