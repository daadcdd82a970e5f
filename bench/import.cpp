// End-to-end import benchmark: every St. Louis crime file (356,090 rows)
// through import_incidents into a fresh SQLite database (validating,
// mapping, reprojecting, indexing), against the sqlite3 shell's own
// `.import` of the same 84 CSV files measured in the same run. Prints both
// rates and the ratio pingan / sqlite3 (the target is >= 1.0), medians of
// --rounds alternating rounds.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <map>
#include <vector>

#include <sys/resource.h>

#include "engine/engine.h"
#include "ingest/csv_reader.h"
#include "ingest/importer.h"
#include "ingest/source_files.h"

namespace fs = std::filesystem;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// CPU seconds (user + system) of this process or of its waited-for children:
// less sensitive than wall time to other work on a shared machine.
double cpu_seconds(int who) {
  rusage u{};
  getrusage(who, &u);
  return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

std::string default_data() {
  if (const char* env = std::getenv("PINGAN_SHARED_DATA")) return std::string(env) + "/stlouis-crimes";
  return std::string(PINGAN_SOURCE_DIR) + "/../shared/data/stlouis-crimes";
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The sqlite3 shell's .import of every file: one table per header layout,
// created from the first file's header, later files skip their header.
struct BaselineResult {
  double seconds = 0;
  double cpu = 0;
  long long rows = 0;
};

BaselineResult run_sqlite3(const std::string& sqlite3, const std::vector<pingan::ingest::SourceFile>& files,
                           const fs::path& dir) {
  fs::path db = dir / "baseline.db";
  fs::remove(db);
  fs::path script = dir / "baseline.sql";
  std::map<std::string, std::string> table_of_header;
  {
    std::ofstream out(script);
    out << ".mode csv\n";
    for (const auto& f : files) {
      std::ifstream in(f.path, std::ios::binary);
      std::string header;
      std::getline(in, header);
      auto [it, fresh] = table_of_header.emplace(header, fmt::format("t{}", table_of_header.size() + 1));
      // A path with spaces or quotes would need quoting inside the shell's dot-command.
      out << fmt::format(".import {}\"{}\" {}\n", fresh ? "" : "--skip 1 ", f.path, it->second);
    }
  }
  auto start = std::chrono::steady_clock::now();
  double cpu_start = cpu_seconds(RUSAGE_CHILDREN);
  std::string cmd = fmt::format("{} {} < {} > {} 2>&1", sqlite3, shell_quote(db.string()),
                                shell_quote(script.string()), shell_quote((dir / "baseline.log").string()));
  int rc = std::system(cmd.c_str());
  BaselineResult r;
  r.seconds = seconds_since(start);
  r.cpu = cpu_seconds(RUSAGE_CHILDREN) - cpu_start;  // the shell under `sh -c`
  if (rc != 0) {
    fmt::print(stderr, "sqlite3 failed (exit {}); see {}\n", rc, (dir / "baseline.log").string());
    return r;
  }
  std::string count_sql;
  for (const auto& [header, table] : table_of_header)
    count_sql += fmt::format("{}(SELECT count(*) FROM {})", count_sql.empty() ? "SELECT " : " + ", table);
  std::string count_cmd = fmt::format("{} {} {}", sqlite3, shell_quote(db.string()), shell_quote(count_sql));
  if (FILE* p = popen(count_cmd.c_str(), "r")) {
    char buf[64] = {};
    if (std::fgets(buf, sizeof buf, p)) r.rows = std::atoll(buf);
    pclose(p);
  }
  return r;
}

struct PinganResult {
  double seconds = 0;
  double cpu = 0;
  pingan::ingest::ImportReport report;
};

// One import of `data` into a fresh database in `dir`: open, import, close.
pingan::Result<PinganResult> run_pingan(const std::string& data, const fs::path& dir) {
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(dir / fmt::format("pingan.db{}", suffix));
  auto start = std::chrono::steady_clock::now();
  double cpu_start = cpu_seconds(RUSAGE_SELF);
  PINGAN_ASSIGN_OR_RETURN(auto engine,
                          pingan::Engine::open(pingan::EngineConfig{(dir / "pingan.db").string(), "", "Asia/Shanghai"}));
  pingan::ingest::ImportOptions options;
  options.format = "stlouis";
  options.path = data;
  options.rejects_path = (dir / "rejects-stlouis.csv").string();
  auto report = pingan::ingest::import_incidents(*engine, options);
  // Closed inside the timing, as the sqlite3 shell's exit is: whatever
  // SQLite leaves for the close (a WAL to checkpoint) counts.
  engine.reset();
  PinganResult r;
  r.seconds = seconds_since(start);
  r.cpu = cpu_seconds(RUSAGE_SELF) - cpu_start;
  if (!report.ok()) return report.error();
  r.report = *report;
  return r;
}

template <typename T, typename F>
double median(const std::vector<T>& runs, F value) {
  std::vector<double> v;
  for (const T& r : runs) v.push_back(value(r));
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"pingan import benchmark: St. Louis crimes vs sqlite3 .import"};
  std::string data = default_data();
  std::string work;
  std::string sqlite3 = "sqlite3";
  bool skip_baseline = false;
  int rounds = 3;
  app.add_option("--data", data, "St. Louis crime folder (or one file)");
  app.add_option("--work", work, "folder for the databases (default: a fresh temp folder, removed after)");
  app.add_option("--sqlite3", sqlite3, "sqlite3 shell to measure");
  app.add_flag("--no-baseline", skip_baseline, "skip the sqlite3 measurement");
  app.add_option("--rounds", rounds, "rounds of both imports; the medians are compared")->check(CLI::Range(1, 99));
  CLI11_PARSE(app, argc, argv);

  bool temp = work.empty();
  fs::path dir = temp ? fs::temp_directory_path() / fmt::format("pingan-bench-import-{}", getpid()) : fs::path(work);
  fs::remove_all(dir / "pingan.db");
  fs::remove_all(dir / "baseline.db");
  fs::create_directories(dir);

  auto files = pingan::ingest::list_csv_files(data);
  if (!files.ok()) {
    fmt::print(stderr, "{}\n", files.error().describe());
    return 1;
  }
  std::int64_t bytes = 0;
  for (const auto& f : *files) bytes += f.size;
  fmt::print("data: {} ({} files, {:.1f} MB)\n", data, files->size(), bytes / 1e6);

  std::vector<PinganResult> ours;
  std::vector<BaselineResult> theirs;
  for (int round = 1; round <= rounds; ++round) {
    // Alternating sides, so that a slower spell of a shared machine does not
    // fall on one side only; the medians are compared.
    for (int side = 0; side < 2; ++side) {
      bool pingan_side = (side == 0) == (round % 2 == 1);
      if (pingan_side) {
        auto r = run_pingan(data, dir);
        if (!r.ok()) {
          fmt::print(stderr, "import failed: {}\n", r.error().describe());
          return 1;
        }
        ours.push_back(*r);
        const pingan::ingest::ImportReport& rep = r->report;
        fmt::print("round {} pingan : {:.3f} s {:>9.0f} rows/s  cpu {:.3f} s (threads: reading {:.3f} s, storing {:.3f} s)\n",
                   round, r->seconds, rep.read / r->seconds, r->cpu, rep.read_cpu_seconds, rep.store_cpu_seconds);
      } else if (!skip_baseline) {
        BaselineResult base = run_sqlite3(sqlite3, *files, dir);
        if (base.rows <= 0) return 1;
        theirs.push_back(base);
        fmt::print("round {} sqlite3: {:.3f} s {:>9.0f} rows/s  cpu {:.3f} s\n", round, base.seconds,
                   base.rows / base.seconds, base.cpu);
      }
    }
  }
  const pingan::ingest::ImportReport& report = ours.back().report;
  fmt::print("pingan : {} rows read, {} imported, {} duplicates, {} rejected, {} corrections ({} unmatched)\n",
             report.read, report.imported, report.duplicates, report.rejected, report.corrections,
             report.corrections_unmatched);
  double pingan_s = median(ours, [](const PinganResult& r) { return r.seconds; });
  double pingan_cpu = median(ours, [](const PinganResult& r) { return r.cpu; });
  double pingan_rate = report.read / pingan_s;
  fmt::print("pingan : {:.3f} s  {:>9.0f} rows/s  cpu {:.3f} s  (median of {}; open + import + close, validated, "
             "mapped, reprojected, indexed)\n",
             pingan_s, pingan_rate, pingan_cpu, ours.size());
  fmt::print("pingan : threads: reading {:.3f} s cpu, storing {:.3f} s cpu (medians)\n",
             median(ours, [](const PinganResult& r) { return r.report.read_cpu_seconds; }),
             median(ours, [](const PinganResult& r) { return r.report.store_cpu_seconds; }));
  if (!theirs.empty()) {
    double base_s = median(theirs, [](const BaselineResult& r) { return r.seconds; });
    double base_cpu = median(theirs, [](const BaselineResult& r) { return r.cpu; });
    double base_rate = theirs.back().rows / base_s;
    fmt::print("sqlite3: {:.3f} s  {:>9.0f} rows/s  cpu {:.3f} s  (median of {}; {} rows, `.import` into one table "
               "per layout, no index)\n",
               base_s, base_rate, base_cpu, theirs.size(), theirs.back().rows);
    fmt::print("ratio pingan/sqlite3: {:.2f} (median rows/s, wall clock; {:.2f} by median CPU time)\n",
               pingan_rate / base_rate, base_cpu / pingan_cpu);
  }
  if (temp) fs::remove_all(dir);
  return 0;
}
