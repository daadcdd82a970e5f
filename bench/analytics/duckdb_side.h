#pragma once
// The DuckDB side of bench/analytics: the same rows written as CSV, loaded
// and queried by bench/duckdb/query.mjs through the npm package
// @duckdb/node-api (2 threads), which reports its latencies and answers as
// JSON on stdout. `npm ci` in bench/duckdb installs it (scripts/bench.sh).

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "dataset.h"
#include "timing.h"

namespace pingan::bench {

struct DuckdbResult {
  std::string version;
  double load_seconds = 0;
  std::int64_t rows = 0;
  std::int64_t rss_after_load_bytes = 0;
  Latency q1, q2, q3;
  Answer a1, a2, a3;
};

inline std::string duckdb_script() { return std::string(PINGAN_SOURCE_DIR) + "/bench/duckdb/query.mjs"; }

inline bool duckdb_installed() {
  return std::filesystem::exists(std::string(PINGAN_SOURCE_DIR) +
                                 "/bench/duckdb/node_modules/@duckdb/node-api/package.json");
}

// Writes t,unit,type,class,x,y; returns the file's size in bytes.
inline std::int64_t write_csv(const Dataset& d, const Taxonomy& taxonomy, const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw std::runtime_error("cannot write " + path);
  fmt::memory_buffer buf;
  fmt::format_to(std::back_inserter(buf), "t,unit,type,class,x,y\n");
  std::int64_t bytes = 0;
  for (const BenchRow& r : d.rows) {
    const IncidentType& type = taxonomy.types()[r.type];
    fmt::format_to(std::back_inserter(buf), "{},{},{},{},{},{}\n", r.t, d.unit_codes[r.unit], type.code,
                   type.class_code, r.x, r.y);
    if (buf.size() > (1 << 20)) {
      std::fwrite(buf.data(), 1, buf.size(), f);
      bytes += static_cast<std::int64_t>(buf.size());
      buf.clear();
    }
  }
  std::fwrite(buf.data(), 1, buf.size(), f);
  bytes += static_cast<std::int64_t>(buf.size());
  std::fclose(f);
  return bytes;
}

inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs the node script over the CSV; nullopt (with the reason on stderr) when
// node or the package is missing or the script fails.
inline std::optional<DuckdbResult> run_duckdb(const std::string& csv, const std::string& work_dir,
                                              const QuerySpec& q, int threads, int warmup, int runs) {
  if (!duckdb_installed()) {
    fmt::print(stderr, "DuckDB skipped: run `npm ci` in bench/duckdb (scripts/bench.sh does)\n");
    return std::nullopt;
  }
  std::string units;
  for (const std::string& u : q.station_units) units += fmt::format("{}'{}'", units.empty() ? "" : ",", u);
  const int c = q.cell_metres;
  nlohmann::json spec = {
      {"csv", csv},
      {"threads", threads},
      {"warmup", warmup},
      {"runs", runs},
      {"queries",
       {{"q1",
         {{"sql",
           "SELECT class, 'this', count(*) FROM incidents WHERE t >= $1 AND t < $2 GROUP BY class "
           "UNION ALL "
           "SELECT class, 'last', count(*) FROM incidents WHERE t >= $3 AND t < $4 GROUP BY class"},
          {"params", {q.q1_from, q.q1_until, q.q1_last_year_from, q.q1_last_year_until}}}},
        {"q2",
         {{"sql", fmt::format("SELECT unit, type, count(*) FROM incidents WHERE unit IN ({}) "
                              "AND t >= $1 AND t < $2 GROUP BY unit, type",
                              units)},
          {"params", {q.q2_from, q.q2_until}}}},
        {"q3",
         {{"sql", fmt::format("SELECT (x + {0}) // {1} - {2} AS cx, (y + {0}) // {1} - {2} AS cy, "
                              "count(*) FROM incidents WHERE unit IN ({3}) AND t >= $1 AND t < $2 "
                              "GROUP BY cx, cy",
                              c * 100000, c, 100000, units)},
          {"params", {q.q3_from, q.q3_until}}}}}}};
  const std::string spec_path = work_dir + "/duckdb-spec.json";
  std::ofstream(spec_path) << spec.dump(2);

  const std::string cmd = fmt::format("node {} {}", shell_quote(duckdb_script()), shell_quote(spec_path));
  std::FILE* p = popen(cmd.c_str(), "r");
  if (!p) {
    fmt::print(stderr, "DuckDB skipped: cannot run node\n");
    return std::nullopt;
  }
  std::string text;
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  if (pclose(p) != 0) {
    fmt::print(stderr, "DuckDB failed: `{}` exited with an error\n", cmd);
    return std::nullopt;
  }
  nlohmann::json out = nlohmann::json::parse(text, nullptr, false);
  if (out.is_discarded()) {
    fmt::print(stderr, "DuckDB failed: the script printed no JSON: {}\n", text.substr(0, 200));
    return std::nullopt;
  }
  DuckdbResult r;
  r.version = out["version"].get<std::string>();
  r.load_seconds = out["load_seconds"].get<double>();
  r.rows = out["rows"].get<std::int64_t>();
  r.rss_after_load_bytes = out["rss_after_load_bytes"].get<std::int64_t>();
  auto read = [&](const char* name, Latency& lat, Answer& answer) {
    const auto& j = out["queries"][name];
    lat.first_ms = j["first_ms"].get<double>();
    lat.p50_ms = j["p50_ms"].get<double>();
    lat.p99_ms = j["p99_ms"].get<double>();
    lat.runs = j["runs"].get<int>();
    for (const auto& row : j["answer"])
      answer.emplace_back(row[0].get<std::string>(), row[1].get<std::string>(), row[2].get<std::int64_t>());
  };
  read("q1", r.q1, r.a1);
  read("q2", r.q2, r.a2);
  read("q3", r.q3, r.a3);
  return r;
}

}  // namespace pingan::bench
