// bench_cases: the case figures of issue 20 on 2 million generated cases
// (bench/cases/dataset.h), answered by pingan's case index and, in the same
// run over the same rows, by SQLite (four indexed tables) and DuckDB (the
// npm package @duckdb/node-api, bench/duckdb/cases.mjs). Six queries, a
// quarter each with its 同比 and 环比 periods (bench/cases/queries.h):
// cases solved (criminal, city), cases opened (property group, one branch),
// suspects caught (distinct persons, criminal, one branch), criminal
// detentions (distinct persons, city), money stopped (telecom fraud, city),
// and the branches ranked by cases solved. Prints the index's build time and
// memory, p50/p99 per query per engine and the ratios (targets, as issue 3
// set for incidents: p50 >= 50x SQLite, >= 10x DuckDB). Every engine's
// answer is checked against pingan's, so a fast wrong answer cannot pass.
//
//   bench_cases [--cases 2000000] [--runs 30] [--no-sqlite] [--no-duckdb]

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "analytics/timing.h"
#include "case/case_figures.h"
#include "case/case_index.h"
#include "cases/dataset.h"
#include "cases/duckdb_side.h"
#include "cases/queries.h"
#include "cases/sqlite_side.h"
#include "core/taxonomy.h"

namespace fs = std::filesystem;
using namespace pingan;
using namespace pingan::bench;

namespace {

std::string ms(const Latency& l) {
  if (!l.measured()) return "-";
  auto one = [](double v) {
    return v < 1 ? fmt::format("{:.4f}", v) : v < 100 ? fmt::format("{:.2f}", v) : fmt::format("{:.0f}", v);
  };
  return fmt::format("{} / {}", one(l.p50_ms), one(l.p99_ms));
}

std::string ratio(const Latency& base, const Latency& ours) {
  if (!base.measured() || !ours.measured() || ours.p50_ms <= 0) return "-";
  return fmt::format("{:.0f}x", base.p50_ms / ours.p50_ms);
}

std::string show(const CaseAnswer& a) {
  std::string out;
  for (const auto& [k, v] : a) out += fmt::format("{}{}={}", out.empty() ? "" : " ", k, v);
  return out;
}

bool same_answer(const char* engine, const std::string& query, const CaseAnswer& theirs, const CaseAnswer& ours) {
  if (theirs == ours) return true;
  fmt::print("MISMATCH {} {}: {} vs pingan {}\n", engine, query, show(theirs), show(ours));
  return false;
}

std::int64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return static_cast<std::int64_t>(resident) * sysconf(_SC_PAGESIZE);
}

struct Row {
  std::string name;
  Latency pingan, sqlite, duckdb;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"pingan case-figures benchmark: case index vs SQLite vs DuckDB"};
  std::int64_t count = 2'000'000;
  int runs = 30, warmup = 2, duckdb_threads = 2;
  std::string branch = "B3", work;
  bool no_sqlite = false, no_duckdb = false;
  app.add_option("--cases", count, "cases generated (opened 2023-01-01 .. 2025-01-01)")->capture_default_str();
  app.add_option("--runs", runs, "measured runs per query (after the warm-up runs)")->capture_default_str()->check(CLI::Range(20, 100000));
  app.add_option("--warmup", warmup, "unmeasured runs first")->capture_default_str();
  app.add_option("--branch", branch, "branch of Q2 and Q3")->capture_default_str();
  app.add_option("--duckdb-threads", duckdb_threads, "DuckDB threads")->capture_default_str();
  app.add_option("--work", work, "folder for the SQLite file and the CSVs (default: a temp folder, removed after)");
  app.add_flag("--no-sqlite", no_sqlite, "skip SQLite");
  app.add_flag("--no-duckdb", no_duckdb, "skip DuckDB");
  CLI11_PARSE(app, argc, argv);

  std::ifstream in(shipped_data_dir() + "/" + kCaseTypesFile, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const CaseTypes types = CaseTypes::parse_csv(text.str(), kCaseTypesFile).value();
  const TimeZone zone = TimeZone::locate("Asia/Shanghai").value();
  const bool temp = work.empty();
  const fs::path dir = temp ? fs::temp_directory_path() / fmt::format("pingan-bench-cases-{}", getpid()) : fs::path(work);
  fs::create_directories(dir);

  // --- data ---
  auto start = std::chrono::steady_clock::now();
  const CaseDataset data = generate_cases(count, types, zone.to_utc(CivilTime{2023, 1, 1, 0, 0, 0}),
                                          zone.to_utc(CivilTime{2025, 1, 1, 0, 0, 0}));
  std::int64_t measures = 0, money = 0;
  for (const CaseBundle& b : data.cases) {
    measures += static_cast<std::int64_t>(b.measures.size());
    money += static_cast<std::int64_t>(b.money.size());
  }
  fmt::print("data: {} cases, {} measures, {} money entries over 2023-2024, {} units; generated in {:.1f} s\n",
             data.cases.size(), measures, money, data.units.size(), seconds_since(start));

  // --- pingan ---
  const std::int64_t rss_before = resident_bytes();
  start = std::chrono::steady_clock::now();
  cases::CaseIndex index(types, std::make_shared<const UnitTree>(UnitTree::build(data.units).value()), zone);
  index.apply_all(data.cases);
  const double build_s = seconds_since(start);
  fmt::print("pingan case index: {} rows from {} cases in {:.2f} s (apply_all), {:.0f} MB counted, process grew {:.0f} MB\n",
             index.rows(), index.cases(), build_s, index.memory_bytes() / 1e6, (resident_bytes() - rss_before) / 1e6);
  // A live apply after the bulk load, the engine's path: a case written
  // again (its rows removed and inserted), timed; the answers stay the same.
  const CaseBundle& again = data.cases[12'345 % data.cases.size()];
  const Latency live = measure(0, 20, [&] { index.apply(again); });

  const std::vector<CaseQuery> queries = case_queries(types, data.units, zone, branch,
                                                      zone.to_utc(CivilTime{2024, 7, 1, 0, 0, 0}),
                                                      zone.to_utc(CivilTime{2024, 10, 1, 0, 0, 0}));
  std::vector<Row> rows(queries.size());
  std::vector<CaseAnswer> ours(queries.size());
  for (std::size_t i = 0; i < queries.size(); ++i) {
    rows[i].name = queries[i].name;
    rows[i].pingan = measure(warmup, runs, [&] {
      auto a = cases::query_figure(index, queries[i].figure);
      if (!a.ok()) throw std::runtime_error(a.error().describe());
      ours[i] = figure_answer(*a, queries[i].ranking);
    });
    fmt::print("  {}: {}\n", queries[i].name, show(ours[i]));
  }
  bool all_same = true;

  // --- SQLite ---
  if (!no_sqlite) {
    const std::string path = (dir / "cases.sqlite").string();
    CaseSqlite sqlite(path);
    start = std::chrono::steady_clock::now();
    const double insert_s = sqlite.load(data);
    fmt::print("sqlite {}: loaded in {:.1f} s (inserts {:.1f} s, indexes + ANALYZE {:.1f} s), file {:.0f} MB\n",
               sqlite3_libversion(), seconds_since(start), insert_s, sqlite.index_seconds(), fs::file_size(path) / 1e6);
    for (std::size_t i = 0; i < queries.size(); ++i) {
      const int q = sqlite.prepare_query(queries[i]);
      CaseAnswer theirs;
      rows[i].sqlite = measure(warmup, runs, [&] { theirs = sqlite.run(q); });
      all_same &= same_answer("sqlite", queries[i].name, theirs, ours[i]);
    }
  }

  // --- DuckDB ---
  if (!no_duckdb) {
    start = std::chrono::steady_clock::now();
    write_case_csvs(data, dir.string());
    fmt::print("duckdb: CSVs written in {:.1f} s\n", seconds_since(start));
    if (auto duck = run_case_duckdb(dir.string(), queries, duckdb_threads, warmup, runs)) {
      fmt::print("duckdb {} ({} threads): loaded from the CSVs in {:.1f} s\n", duck->version, duckdb_threads,
                 duck->load_seconds);
      for (std::size_t i = 0; i < queries.size(); ++i) {
        rows[i].duckdb = duck->latency[i];
        all_same &= same_answer("duckdb", queries[i].name, duck->answers[i], ours[i]);
      }
    }
  }

  // --- table ---
  fmt::print("\n{} runs per query after {} warm-up runs; p50 / p99 in ms; each query = the quarter 2024-07..09 "
             "with its 同比 and 环比 periods\n",
             runs, warmup);
  fmt::print("| query | pingan | SQLite | DuckDB | vs SQLite (p50) | vs DuckDB (p50) |\n");
  fmt::print("|---|---|---|---|---|---|\n");
  for (const Row& r : rows)
    fmt::print("| {} | {} | {} | {} | {} | {} |\n", r.name, ms(r.pingan), ms(r.sqlite), ms(r.duckdb),
               ratio(r.sqlite, r.pingan), ratio(r.duckdb, r.pingan));
  fmt::print("live apply of one case written again, after the load: {}\n", ms(live));
  bool targets = true;
  for (const Row& r : rows) {
    if (r.sqlite.measured() && r.sqlite.p50_ms < 50 * r.pingan.p50_ms) {
      fmt::print("TARGET MISSED: {} is {:.1f}x SQLite (target 50x)\n", r.name, r.sqlite.p50_ms / r.pingan.p50_ms);
      targets = false;
    }
    if (r.duckdb.measured() && r.duckdb.p50_ms < 10 * r.pingan.p50_ms) {
      fmt::print("TARGET MISSED: {} is {:.1f}x DuckDB (target 10x)\n", r.name, r.duckdb.p50_ms / r.pingan.p50_ms);
      targets = false;
    }
  }
  fmt::print("answers: {}; targets: {}\n", all_same ? "all engines agree" : "ENGINES DISAGREE", targets ? "met" : "missed");
  if (temp) fs::remove_all(dir);
  return all_same ? 0 : 1;
}
