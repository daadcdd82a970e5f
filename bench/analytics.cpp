// bench_analytics: the campaign-statistics queries of issue 3 on >= 10
// million demo incidents, answered by pingan's in-memory index and, in the
// same run over the same rows, by SQLite (indexed table) and DuckDB (the npm
// package @duckdb/node-api, 2 threads, bench/duckdb/query.mjs):
//   Q1 campaign overview: totals by class for June-August of the last year
//      with the same months a year earlier (whole district);
//   Q2 counts by community x type for those three months, one station;
//   Q3 counts per 150 m cell for one station and one month.
// Prints build rate and bytes per incident of the index, p50/p99 over the
// runs of each query for each engine, and the ratios (targets: p50 >= 50x
// SQLite and >= 10x DuckDB; index <= 64 bytes per incident). Every engine's
// answer is checked against pingan's, so a fast wrong answer cannot pass.
//
//   bench_analytics [--per-day 13700] [--days 730] [--runs 30] [--no-sqlite] [--no-duckdb]

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <optional>

#include "analytics/incident_index.h"
#include "analytics/dataset.h"
#include "analytics/duckdb_side.h"
#include "analytics/pingan_side.h"
#include "analytics/sqlite_side.h"
#include "analytics/timing.h"

namespace fs = std::filesystem;
using namespace pingan;
using namespace pingan::bench;

namespace {

struct Row {
  std::string name;
  Latency pingan, sqlite, duckdb;
};

std::string ms(const Latency& l) {
  if (!l.measured()) return "-";
  auto one = [](double v) { return v < 1 ? fmt::format("{:.3f}", v) : v < 100 ? fmt::format("{:.2f}", v) : fmt::format("{:.0f}", v); };
  return fmt::format("{} / {}", one(l.p50_ms), one(l.p99_ms));
}

std::string ratio(const Latency& base, const Latency& ours) {
  if (!base.measured() || !ours.measured() || ours.p50_ms <= 0) return "-";
  return fmt::format("{:.0f}x", base.p50_ms / ours.p50_ms);
}

// Compares an engine's answer with pingan's; prints the first difference.
bool same_answer(const char* engine, const char* query, const Answer& theirs, const Answer& ours) {
  const Answer a = sorted(theirs), b = sorted(ours);
  if (a == b) return true;
  fmt::print("MISMATCH {} {}: {} rows (total {}) vs pingan {} rows (total {})\n", engine, query, a.size(),
             answer_total(a), b.size(), answer_total(b));
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i)
    if (a[i] != b[i]) {
      fmt::print("  first difference: ({}, {}, {}) vs ({}, {}, {})\n", std::get<0>(a[i]), std::get<1>(a[i]),
                 std::get<2>(a[i]), std::get<0>(b[i]), std::get<1>(b[i]), std::get<2>(b[i]));
      break;
    }
  return false;
}

std::int64_t resident_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  long pages = 0, resident = 0;
  if (f) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return static_cast<std::int64_t>(resident) * sysconf(_SC_PAGESIZE);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"pingan analytics benchmark: index vs SQLite vs DuckDB on the demo district"};
  ingest::DemoOptions demo;
  demo.incidents_per_day = 13'700;
  demo.days = 730;
  int runs = 30, warmup = 2, duckdb_threads = 2;
  std::string station = "PA-S03", work;
  bool no_sqlite = false, no_duckdb = false;
  app.add_option("--per-day", demo.incidents_per_day, "mean incidents per day (13700 x 730 days = 10 M)")->capture_default_str();
  app.add_option("--days", demo.days, "days of data from 2024-11-01")->capture_default_str();
  app.add_option("--runs", runs, "measured runs per query (after the warm-up runs)")->capture_default_str()->check(CLI::Range(20, 100000));
  app.add_option("--warmup", warmup, "unmeasured runs first")->capture_default_str();
  app.add_option("--station", station, "station of Q2 and Q3")->capture_default_str();
  app.add_option("--duckdb-threads", duckdb_threads, "DuckDB threads")->capture_default_str();
  app.add_option("--work", work, "folder for the SQLite file and the CSV (default: a temp folder, removed after)");
  app.add_flag("--no-sqlite", no_sqlite, "skip SQLite");
  app.add_flag("--no-duckdb", no_duckdb, "skip DuckDB");
  CLI11_PARSE(app, argc, argv);

  const Taxonomy taxonomy = Taxonomy::load_default().value();
  const TimeZone zone = TimeZone::locate("Asia/Shanghai").value();
  if (Status st = ingest::validate_demo_options(demo); !st.ok()) {
    fmt::print(stderr, "{}\n", st.error().describe());
    return 1;
  }
  const bool temp = work.empty();
  const fs::path dir = temp ? fs::temp_directory_path() / fmt::format("pingan-bench-analytics-{}", getpid()) : fs::path(work);
  fs::create_directories(dir);

  // --- data ---
  auto start = std::chrono::steady_clock::now();
  Dataset data = generate_dataset(demo, taxonomy);
  fmt::print("data: {} demo incidents ({} a day x {} days from 2024-11-01), generated in {:.1f} s\n", data.rows.size(),
             demo.incidents_per_day, demo.days, seconds_since(start));
  const QuerySpec spec = make_query_spec(demo, zone, data.units, station);

  // --- pingan ---
  auto tree = std::make_shared<const UnitTree>(UnitTree::build(data.units).value());
  const std::int64_t rss_before = resident_bytes();
  analytics::IncidentIndex index(taxonomy, tree, zone);
  const IndexBuild build = build_index(index, data, taxonomy);
  const double bytes_per_incident = static_cast<double>(build.memory_bytes) / static_cast<double>(build.rows);
  fmt::print("pingan index: {} rows in {:.2f} s ({:.2f} M rows/s through upsert_all), {:.1f} MB, {:.1f} bytes/incident "
             "(target <= 64); process grew {:.0f} MB\n",
             build.rows, build.seconds, build.rows / build.seconds / 1e6, build.memory_bytes / 1e6, bytes_per_incident,
             (resident_bytes() - rss_before) / 1e6);
  project_rows(data, index.projection());

  // Between merges the newest rows wait in an unsorted tail that scans read
  // in full; after start-up (build_from) and after each merge it is empty.
  // The table measures the merged layout; the tail's cost is printed here.
  PinganSide pingan(index, spec);
  const auto before_merge = index.shape();
  const Latency q3_with_tail = measure(warmup, runs, [&] { pingan.q3(); });
  start = std::chrono::steady_clock::now();
  index.compact();
  fmt::print("pingan index: {} rows were in the unsorted tail after the bulk upserts; Q3 with them {}; "
             "merged in {:.2f} s; cube {} .. {} ({} dense of {} slots, {:.1f} MB)\n",
             before_merge.tail_rows, ms(q3_with_tail), seconds_since(start), before_merge.cube_first_day,
             before_merge.cube_last_day, before_merge.cube_dense_slots, before_merge.cube_slots,
             before_merge.cube_bytes / 1e6);

  Answer p1, p2, p3;
  Row r1, r2, r3;
  r1.name = "Q1 totals by class, Jun-Aug + YoY, district";
  r2.name = "Q2 unit x type, Jun-Aug, one station";
  r3.name = "Q3 150 m cells, one station, one month";
  r1.pingan = measure(warmup, runs, [&] { p1 = pingan.q1(); });
  r2.pingan = measure(warmup, runs, [&] { p2 = pingan.q2(); });
  r3.pingan = measure(warmup, runs, [&] { p3 = pingan.q3(); });
  const Latency overview = measure(warmup, runs, [&] { pingan.overview(); });
  const Latency hotspot_map = measure(warmup, runs, [&] { pingan.hotspot_map(); });
  const Latency rising = measure(warmup, runs, [&] { pingan.rising(ingest::demo_end(demo)); });
  fmt::print("pingan first runs (cold): Q1 {:.3f} ms, Q2 {:.3f} ms, Q3 {:.3f} ms; rows in range: Q1 {} + {}, Q2 {}, Q3 {}\n",
             r1.pingan.first_ms, r2.pingan.first_ms, r3.pingan.first_ms,
             [&] { std::int64_t n = 0; for (auto& a : p1) if (std::get<1>(a) == "this") n += std::get<2>(a); return n; }(),
             [&] { std::int64_t n = 0; for (auto& a : p1) if (std::get<1>(a) == "last") n += std::get<2>(a); return n; }(),
             answer_total(p2), answer_total(p3));
  bool all_same = true;

  // --- SQLite ---
  if (!no_sqlite) {
    const std::string path = (dir / "bench.sqlite").string();
    SqliteSide sqlite(path);
    start = std::chrono::steady_clock::now();
    const double insert_s = sqlite.load(data, taxonomy);
    fmt::print("sqlite {}: loaded in {:.1f} s (inserts {:.1f} s in one transaction, indexes + ANALYZE {:.1f} s), file {:.0f} MB\n",
               sqlite3_libversion(), seconds_since(start), insert_s, sqlite.index_seconds(), fs::file_size(path) / 1e6);
    sqlite.prepare_queries(spec);
    Answer s1, s2, s3;
    r1.sqlite = measure(warmup, runs, [&] { s1 = sqlite.q1(); });
    r2.sqlite = measure(warmup, runs, [&] { s2 = sqlite.q2(); });
    r3.sqlite = measure(warmup, runs, [&] { s3 = sqlite.q3(); });
    all_same &= same_answer("sqlite", "Q1", s1, p1) & same_answer("sqlite", "Q2", s2, p2) &
                same_answer("sqlite", "Q3", s3, p3);
  }

  // --- DuckDB ---
  if (!no_duckdb) {
    const std::string csv = (dir / "incidents.csv").string();
    start = std::chrono::steady_clock::now();
    const std::int64_t bytes = write_csv(data, taxonomy, csv);
    fmt::print("duckdb: CSV of {:.0f} MB written in {:.1f} s\n", bytes / 1e6, seconds_since(start));
    if (auto duck = run_duckdb(csv, dir.string(), spec, duckdb_threads, warmup, runs)) {
      fmt::print("duckdb {} ({} threads): {} rows loaded from the CSV in {:.1f} s, node process {:.0f} MB resident after load\n",
                 duck->version, duckdb_threads, duck->rows, duck->load_seconds, duck->rss_after_load_bytes / 1e6);
      r1.duckdb = duck->q1;
      r2.duckdb = duck->q2;
      r3.duckdb = duck->q3;
      all_same &= same_answer("duckdb", "Q1", duck->a1, p1) & same_answer("duckdb", "Q2", duck->a2, p2) &
                  same_answer("duckdb", "Q3", duck->a3, p3);
    }
    fs::remove(csv);
  }

  // --- table ---
  fmt::print("\n{} runs per query after {} warm-up runs; p50 / p99 in ms\n", runs, warmup);
  fmt::print("| query | pingan | SQLite | DuckDB | vs SQLite (p50) | vs DuckDB (p50) |\n");
  fmt::print("|---|---|---|---|---|---|\n");
  for (const Row* r : {&r1, &r2, &r3})
    fmt::print("| {} | {} | {} | {} | {} | {} |\n", r->name, ms(r->pingan), ms(r->sqlite), ms(r->duckdb),
               ratio(r->sqlite, r->pingan), ratio(r->duckdb, r->pingan));
  const double merged_bytes_per_incident =
      static_cast<double>(index.memory_bytes()) / static_cast<double>(index.size());
  fmt::print("index: {:.1f} bytes/incident over {} incidents ({:.1f} after the merge); build {:.2f} M rows/s\n",
             bytes_per_incident, build.rows, merged_bytes_per_incident, build.rows / build.seconds / 1e6);
  fmt::print("pingan, as the product answers them (no SQL counterpart):\n"
             "  Q1 as the campaign overview (classes with YoY and previous period, stations ranked): {}\n"
             "  Q3 as the hotspot map (compute_hotspots counts: + cell keys, outlines, study area): {}\n"
             "  what is rising (station x type, last 28 days against the 12 windows before): {}\n",
             ms(overview), ms(hotspot_map), ms(rising));
  bool targets = std::max(bytes_per_incident, merged_bytes_per_incident) <= 64;
  for (const Row* r : {&r1, &r2, &r3}) {
    if (r->sqlite.measured() && r->sqlite.p50_ms < 50 * r->pingan.p50_ms) {
      fmt::print("TARGET MISSED: {} is {:.1f}x SQLite (target 50x)\n", r->name, r->sqlite.p50_ms / r->pingan.p50_ms);
      targets = false;
    }
    if (r->duckdb.measured() && r->duckdb.p50_ms < 10 * r->pingan.p50_ms) {
      fmt::print("TARGET MISSED: {} is {:.1f}x DuckDB (target 10x)\n", r->name, r->duckdb.p50_ms / r->pingan.p50_ms);
      targets = false;
    }
  }
  fmt::print("answers: {}; targets: {}\n", all_same ? "all engines agree" : "ENGINES DISAGREE", targets ? "met" : "missed");
  if (temp) fs::remove_all(dir);
  return all_same ? 0 : 1;
}
