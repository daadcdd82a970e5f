// bench/scale (issue 19): a generated province (bench/scale/province.h:
// 20 cities, 200 stations, 20 M incidents over 2025 by default) loaded
// into PostgreSQL by COPY (Engine::insert_batch) and into SQLite beside it,
// then served by 1, 2 and 4 `pingan serve` processes on the one database.
// For each backend and server count it prints:
//   - start-up to the first answer per server: from a scan of the store (the
//     first start) and from the index snapshot and the log since (every
//     later start);
//   - acknowledged incident creations per second (POST /api/incidents, 201),
//     clients spread over the servers;
//   - p50/p99 of the issue-3 analytics queries and of the incident list,
//     requests spread over the servers;
//   - the time from a write on one server to the statistics of another.
// SQLite at the same size is the reference measured in the same run.
//
// The PostgreSQL server is Debian's, started by this program as a
// throwaway cluster (scripts/pg-test-cluster.sh) in the work folder's state
// file and stopped at the end (--keep-cluster keeps it, with the loaded
// data, for the next run; loads resume from what is there).

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>
#include <vector>

#include "crash_trials/server_child.h"
#include "engine/engine.h"
#include "scale/province.h"

namespace pingan {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using crash::ServerChild;

struct Options {
  std::int64_t incidents = 20'000'000;
  std::string work_dir = "/tmp/pingan-scale";
  std::string pingan = PINGAN_BINARY;
  std::vector<int> servers = {1, 2, 4};
  double seconds = 10;      // per measurement
  int write_clients = 16;   // POST clients in all, spread over the servers
  int read_clients = 8;     // GET clients in all
  bool sqlite = true;
  bool postgres = true;
  bool keep_cluster = false;
  std::uint64_t seed = 20250601;
};

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  const std::size_t i = std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i), v.end());
  return v[i];
}

std::string first_line_of(const std::string& path, int line) {
  std::ifstream in(path);
  std::string s;
  for (int i = 0; i < line && std::getline(in, s);) ++i;
  return s;
}

// ---- loading ----

Status load(const Options& o, const std::string& location, const char* label) {
  auto engine = Engine::open(EngineConfig{location, "", "Asia/Shanghai"});
  if (!engine.ok()) return engine.error();
  const scale::Province province(o.seed);
  PINGAN_RETURN_IF_ERROR((*engine)->upsert_units(province.units()));
  PINGAN_ASSIGN_OR_RETURN(const std::int64_t have, (*engine)->count_incidents());
  if (have >= o.incidents) {
    fmt::print("{}: {} incidents there already\n", label, have);
    return {};
  }
  // The n-th incident is the same every run and source ids are unique, so a
  // load resumes where the last one stopped (rows already there are skipped).
  constexpr std::int64_t kBatch = 50'000;
  const auto began = Clock::now();
  std::int64_t inserted = 0;
  std::vector<Incident> batch;
  PINGAN_RETURN_IF_ERROR((*engine)->begin_bulk());
  for (std::int64_t k = have; k < o.incidents; k += kBatch) {
    province.incidents((*engine)->taxonomy(), (*engine)->time_zone(), k, std::min(kBatch, o.incidents - k), batch);
    PINGAN_ASSIGN_OR_RETURN(BatchResult r, (*engine)->insert_batch(batch));
    inserted += r.inserted;
    if ((k / kBatch) % 20 == 19 || k + kBatch >= o.incidents)
      fmt::print("{}: {:>10} incidents, {:.0f}/s\n", label, k + static_cast<std::int64_t>(batch.size()),
                 static_cast<double>(inserted) / seconds_since(began));
    std::fflush(stdout);
  }
  PINGAN_RETURN_IF_ERROR((*engine)->end_bulk());
  fmt::print("{}: loaded {} incidents in {:.0f} s ({:.0f} rows/s)\n", label, inserted, seconds_since(began),
             static_cast<double>(inserted) / seconds_since(began));
  return {};
}

std::string issue_token(const Options& o, const std::string& db, const std::string& log) {
  const std::string out = (fs::path(o.work_dir) / "token.txt").string();
  // The user may be there from an earlier run; a new token each run.
  crash::run_logged({o.pingan, "user", "add", "scale", "--unit", "*", "--role", "command", "--db", db}, log, out);
  if (int rc = crash::run_logged({o.pingan, "user", "token", "scale", "--name", "scale", "--db", db}, log, out); rc != 0)
    throw std::runtime_error(fmt::format("pingan user token failed ({}); see {}", rc, log));
  std::string token = crash::read_from(out, 0);
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  return token;
}

// ---- measuring ----

httplib::Headers auth(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

// Waits for the server's first answer to a statistics query; the seconds
// since `spawned`.
double first_answer(int port, const std::string& token, Clock::time_point spawned) {
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(120, 0);
  for (;;) {
    auto r = c.Get("/api/stats/overview?from=2025-07-01&to=2025-09-01", auth(token));
    if (r && r->status == 200) return seconds_since(spawned);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

struct Latency {
  std::int64_t ok = 0, failed = 0;
  double per_second = 0, p50_ms = 0, p99_ms = 0;
};

// `clients` threads, client i on server i % servers, for `seconds`.
Latency hammer(const std::vector<int>& ports, const std::string& token, int clients, double seconds,
               const std::function<httplib::Result(httplib::Client&, int client, std::int64_t n)>& call,
               int ok_status) {
  std::vector<std::vector<double>> lat(static_cast<std::size_t>(clients));
  std::atomic<std::int64_t> ok{0}, failed{0};
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration<double>(seconds);
  std::vector<std::thread> threads;
  for (int i = 0; i < clients; ++i)
    threads.emplace_back([&, i] {
      httplib::Client c("127.0.0.1", ports[static_cast<std::size_t>(i) % ports.size()]);
      c.set_keep_alive(true);
      c.set_read_timeout(60, 0);
      c.set_default_headers(auth(token));
      for (std::int64_t n = 0; Clock::now() < deadline; ++n) {
        const auto t = Clock::now();
        auto r = call(c, i, n);
        if (r && r->status == ok_status) {
          ++ok;
          lat[static_cast<std::size_t>(i)].push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
        } else {
          ++failed;
        }
      }
    });
  for (auto& t : threads) t.join();
  std::vector<double> all;
  for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
  Latency out;
  out.ok = ok;
  out.failed = failed;
  out.per_second = static_cast<double>(ok) / seconds_since(start);
  out.p50_ms = percentile(all, 0.50);
  out.p99_ms = percentile(all, 0.99);
  return out;
}

// A write through the first server; how long until the last server's
// statistics count it. Each write has a minute of its own in 2026.
std::vector<double> propagation(const std::vector<int>& ports, const std::string& token, int samples) {
  std::vector<double> out;
  httplib::Client a("127.0.0.1", ports.front()), b("127.0.0.1", ports.back());
  a.set_default_headers(auth(token));
  b.set_default_headers(auth(token));
  static int minute = 0;
  for (int i = 0; i < samples; ++i) {
    ++minute;
    // UTC times: nothing in them needs escaping in a query string.
    const int day = 1 + minute / 1440, hour = minute / 60 % 24, min = minute % 60;
    const std::string at = fmt::format("2026-03-{:02}T{:02}:{:02}:00Z", day, hour, min);
    const std::string window =
        fmt::format("/api/stats?from={}&to=2026-03-{:02}T{:02}:{:02}:59Z", at, day, hour, min);
    // What the other server counts in the minute before the write (an
    // earlier run on the same database may have written there too).
    const auto total_now = [&]() -> std::int64_t {
      auto r = b.Get(window);
      if (!r || r->status != 200) return -1;
      const std::size_t at_total = r->body.find("\"total\":");
      return at_total == std::string::npos ? -1 : std::atoll(r->body.c_str() + at_total + 8);
    };
    const std::int64_t before = total_now();
    if (before < 0) continue;
    auto w = a.Post("/api/incidents",
                    fmt::format(R"({{"type":"theft","location":{{"lat":35.1,"lon":115.1}},"reported_at":"{}"}})", at),
                    "application/json");
    if (!w || w->status != 201) continue;
    const auto written = Clock::now();
    for (;;) {
      if (total_now() == before + 1) break;
      if (seconds_since(written) > 10) break;
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    out.push_back(std::chrono::duration<double, std::milli>(Clock::now() - written).count());
  }
  return out;
}

struct Row {
  std::string backend;
  int servers = 0;
  double start_scan_s = 0, start_snapshot_s = 0;  // the slowest server's
  Latency writes;
  std::vector<std::pair<std::string, Latency>> reads;
  double propagation_p50_ms = 0, propagation_max_ms = 0;
};

const std::vector<std::pair<std::string, std::string>>& queries() {
  static const std::vector<std::pair<std::string, std::string>> q = {
      {"overview, province, Jul-Aug", "/api/stats/overview?from=2025-07-01&to=2025-09-01"},
      {"by unit, 环比, Jul-Aug", "/api/stats?from=2025-07-01&to=2025-09-01&group_by=unit&compare=previous"},
      {"by type x day, Jun-Aug", "/api/stats?from=2025-06-01&to=2025-09-01&group_by=type&bucket=day"},
      {"city, class x hour of day, year", "/api/stats?unit=C07&from=2025-01-01&to=2026-01-01&group_by=class&bucket=hour_of_day"},
      {"incident list, a station's week", "/api/incidents?unit=C07-S03&from=2025-08-01&to=2025-08-08&limit=50"},
  };
  return q;
}

Row measure(const Options& o, const std::string& backend, const std::string& db, const std::string& snapshot,
            int servers, const std::string& token, bool scan_first) {
  Row row;
  row.backend = backend;
  row.servers = servers;
  // A log per server: each finds its port in its own log's "serving" line.
  auto log_of = [&](int i) {
    return (fs::path(o.work_dir) / fmt::format("serve-{}-{}-{}.log", backend, servers, i)).string();
  };
  const std::vector<std::string> extra = {"--index-snapshot", snapshot};
  auto start_all = [&](std::vector<std::unique_ptr<ServerChild>>& out) {
    std::vector<std::thread> starting;
    std::vector<double> took(static_cast<std::size_t>(servers));
    out.resize(static_cast<std::size_t>(servers));
    for (int i = 0; i < servers; ++i)
      starting.emplace_back([&, i] {
        const auto spawned = Clock::now();
        out[static_cast<std::size_t>(i)] =
            std::make_unique<ServerChild>(o.pingan, db, log_of(i), std::chrono::seconds(1800), extra);
        took[static_cast<std::size_t>(i)] = first_answer(out[static_cast<std::size_t>(i)]->port(), token, spawned);
      });
    for (auto& t : starting) t.join();
    return *std::max_element(took.begin(), took.end());
  };
  std::vector<std::unique_ptr<ServerChild>> fleet;
  if (scan_first) {
    fs::remove(snapshot);
    row.start_scan_s = start_all(fleet);
    for (auto& s : fleet) s->stop();  // SIGTERM: each writes the snapshot
    fleet.clear();
  }
  row.start_snapshot_s = start_all(fleet);
  std::vector<int> ports;
  for (auto& s : fleet) ports.push_back(s->port());
  fmt::print("{} x{}: started (scan {:.1f} s, snapshot {:.2f} s); measuring\n", backend, servers, row.start_scan_s,
             row.start_snapshot_s);
  std::fflush(stdout);
  row.writes = hammer(ports, token, o.write_clients, o.seconds,
                      [](httplib::Client& c, int client, std::int64_t n) {
                        // Spread over the province as calls are: few duplicate-call candidates.
                        const std::uint64_t h = (static_cast<std::uint64_t>(client) << 32 | static_cast<std::uint64_t>(n)) *
                                                0x9E3779B97F4A7C15ull;
                        const double lat = scale::kMinLat + static_cast<double>(h >> 40) / (1 << 24) * 4 * scale::kCityLat;
                        const double lon =
                            scale::kMinLon + static_cast<double>((h >> 16) & 0xFFFFFF) / (1 << 24) * 5 * scale::kCityLon;
                        return c.Post("/api/incidents",
                                      fmt::format(R"({{"type":"theft","location":{{"lat":{:.5f},"lon":{:.5f}}}}})", lat, lon),
                                      "application/json");
                      },
                      201);
  for (const auto& [name, path] : queries()) {
    const std::string p = path;
    row.reads.emplace_back(name, hammer(ports, token, o.read_clients, o.seconds / 2,
                                        [p](httplib::Client& c, int, std::int64_t) { return c.Get(p); }, 200));
  }
  const std::vector<double> prop = propagation(ports, token, 20);
  row.propagation_p50_ms = percentile(prop, 0.5);
  row.propagation_max_ms = prop.empty() ? 0 : *std::max_element(prop.begin(), prop.end());
  for (auto& s : fleet) s->stop();
  return row;
}

void print_table(const std::vector<Row>& rows) {
  fmt::print("\n| backend | servers | start (scan) | start (snapshot) | creations/s | write p50/p99 ms |");
  for (const auto& [name, path] : queries()) fmt::print(" {} p50/p99 ms |", name);
  fmt::print(" write → other server's stats p50/max ms |\n|---|---|---|---|---|---|");
  for (std::size_t i = 0; i < queries().size(); ++i) fmt::print("---|");
  fmt::print("---|\n");
  for (const Row& r : rows) {
    fmt::print("| {} | {} | {} | {:.2f} s | {:.0f} | {:.1f} / {:.1f} |", r.backend, r.servers,
               r.start_scan_s > 0 ? fmt::format("{:.1f} s", r.start_scan_s) : "—", r.start_snapshot_s,
               r.writes.per_second, r.writes.p50_ms, r.writes.p99_ms);
    for (const auto& [name, l] : r.reads) fmt::print(" {:.1f} / {:.1f} |", l.p50_ms, l.p99_ms);
    if (r.servers > 1)
      fmt::print(" {:.0f} / {:.0f} |\n", r.propagation_p50_ms, r.propagation_max_ms);
    else
      fmt::print(" — |\n");
    if (r.writes.failed > 0) fmt::print("  ({} writes refused or failed)\n", r.writes.failed);
  }
}

int run(const Options& o) {
  fs::create_directories(o.work_dir);
  const std::string log = (fs::path(o.work_dir) / "setup.log").string();
  std::vector<Row> rows;
  auto run_backend = [&](const std::string& backend, const std::string& db, const std::string& snapshot) {
    if (Status s = load(o, db, backend.c_str()); !s.ok()) throw std::runtime_error(s.error().describe());
    const std::string token = issue_token(o, db, log);
    bool first = true;
    for (int servers : o.servers) {
      rows.push_back(measure(o, backend, db, snapshot, servers, token, first));
      first = false;
    }
  };
  std::string state;
  if (o.postgres) {
    state = (fs::path(o.work_dir) / "pg.state").string();
    if (first_line_of(state, 2).empty() ||
        crash::run_logged({"psql", first_line_of(state, 2), "-c", "SELECT 1"}, log) != 0) {
      if (crash::run_logged({std::string(PINGAN_SOURCE_DIR) + "/scripts/pg-test-cluster.sh", "start", state}, log) != 0)
        throw std::runtime_error("could not start PostgreSQL; see " + log);
    }
    fmt::print("PostgreSQL: {}\n", first_line_of(state, 2));
  }
  try {
    if (o.postgres)
      run_backend("PostgreSQL", first_line_of(state, 2), (fs::path(o.work_dir) / "pg.index").string());
    if (o.sqlite) {
      const std::string db = (fs::path(o.work_dir) / "scale.db").string();
      run_backend("SQLite", db, db + ".index");
    }
  } catch (...) {
    if (o.postgres && !o.keep_cluster)
      crash::run_logged({std::string(PINGAN_SOURCE_DIR) + "/scripts/pg-test-cluster.sh", "stop", state}, log);
    throw;
  }
  if (o.postgres && !o.keep_cluster)
    crash::run_logged({std::string(PINGAN_SOURCE_DIR) + "/scripts/pg-test-cluster.sh", "stop", state}, log);
  fmt::print("\nprovince: {} cities, {} stations, {} incidents over 2025; {} s per write measurement, {} write "
             "clients, {} read clients; {} cores\n",
             scale::kCities, scale::kCities * scale::kStationsPerCity, o.incidents, o.seconds, o.write_clients,
             o.read_clients, std::thread::hardware_concurrency());
  print_table(rows);
  return 0;
}

}  // namespace
}  // namespace pingan

int main(int argc, char** argv) {
  pingan::Options o;
  CLI::App app{"pingan at province scale: 1, 2 and 4 servers on one PostgreSQL, SQLite beside"};
  app.add_option("--incidents", o.incidents, "incidents in the province")->capture_default_str();
  app.add_option("--work-dir", o.work_dir, "databases, logs and the PostgreSQL cluster's state")->capture_default_str();
  app.add_option("--pingan", o.pingan, "the pingan binary")->capture_default_str();
  app.add_option("--servers", o.servers, "server counts to measure, e.g. 1,2,4")->delimiter(',')->capture_default_str();
  app.add_option("--seconds", o.seconds, "seconds per write measurement (reads take half)")->capture_default_str();
  app.add_option("--write-clients", o.write_clients)->capture_default_str();
  app.add_option("--read-clients", o.read_clients)->capture_default_str();
  app.add_flag("!--no-sqlite", o.sqlite, "skip SQLite");
  app.add_flag("!--no-postgres", o.postgres, "skip PostgreSQL");
  app.add_flag("--keep-cluster", o.keep_cluster, "leave the PostgreSQL cluster running (loads resume)");
  CLI11_PARSE(app, argc, argv);
  try {
    return pingan::run(o);
  } catch (const std::exception& e) {
    fmt::print(stderr, "bench/scale: {}\n", e.what());
    return 1;
  }
}
