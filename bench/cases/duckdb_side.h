#pragma once
// The DuckDB side of bench/cases: the tables of the SQLite side written as
// CSV files, loaded and queried by bench/duckdb/cases.mjs through the npm
// package @duckdb/node-api, which reports latencies and answers as JSON.
// `npm ci` in bench/duckdb installs it (scripts/bench.sh).

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "../analytics/duckdb_side.h"
#include "dataset.h"
#include "queries.h"

namespace pingan::bench {

struct CaseDuckdbResult {
  std::string version;
  double load_seconds = 0;
  std::vector<Latency> latency;
  std::vector<CaseAnswer> answers;
};

class CsvFile {
 public:
  explicit CsvFile(const std::string& path) : f_(std::fopen(path.c_str(), "wb")) {
    if (!f_) throw std::runtime_error("cannot write " + path);
  }
  ~CsvFile() {
    flush();
    std::fclose(f_);
  }
  CsvFile(const CsvFile&) = delete;
  CsvFile& operator=(const CsvFile&) = delete;
  fmt::memory_buffer& buf() {
    if (buf_.size() > (1 << 20)) flush();
    return buf_;
  }

 private:
  void flush() {
    std::fwrite(buf_.data(), 1, buf_.size(), f_);
    buf_.clear();
  }
  std::FILE* f_;
  fmt::memory_buffer buf_;
};

// Writes units.csv, cases.csv, measures.csv and money.csv into `dir`.
inline void write_case_csvs(const CaseDataset& d, const std::string& dir) {
  {
    CsvFile units(dir + "/units.csv");
    fmt::format_to(std::back_inserter(units.buf()), "code,branch\n");
    for (const Unit& u : d.units)
      if (!u.parent_code.empty())
        fmt::format_to(std::back_inserter(units.buf()), "{},{}\n", u.code, u.parent_code == "C" ? u.code : u.parent_code);
  }
  CsvFile cases(dir + "/cases.csv"), measures(dir + "/measures.csv"), money(dir + "/money.csv");
  fmt::format_to(std::back_inserter(cases.buf()), "id,type,class,unit,opened_at,status,solved_at\n");
  fmt::format_to(std::back_inserter(measures.buf()), "case_id,person_id,kind,t,unit\n");
  fmt::format_to(std::back_inserter(money.buf()), "case_id,kind,amount,t,unit\n");
  for (const CaseBundle& b : d.cases) {
    const CaseRecord& r = b.record;
    fmt::format_to(std::back_inserter(cases.buf()), "{},{},{},{},{},{},{}\n", r.id, r.type_code,
                   case_class_name(r.case_class), r.unit_code, r.opened_at, case_status_name(r.status),
                   r.times.solved_at ? std::to_string(*r.times.solved_at) : std::string());
    for (const Measure& m : b.measures)
      fmt::format_to(std::back_inserter(measures.buf()), "{},{},{},{},{}\n", m.case_id, m.person_id,
                     measure_kind_name(m.kind), m.at, m.unit_code);
    for (const FraudMoneyEntry& e : b.money)
      fmt::format_to(std::back_inserter(money.buf()), "{},{},{},{},{}\n", e.case_id, fraud_money_kind_name(e.kind),
                     e.amount_fen, e.at, e.unit_code);
  }
}

inline std::optional<CaseDuckdbResult> run_case_duckdb(const std::string& dir, const std::vector<CaseQuery>& queries,
                                                       int threads, int warmup, int runs) {
  if (!duckdb_installed()) {
    fmt::print(stderr, "DuckDB skipped: run `npm ci` in bench/duckdb (scripts/bench.sh does)\n");
    return std::nullopt;
  }
  nlohmann::json spec = {{"threads", threads}, {"warmup", warmup}, {"runs", runs}};
  // Columns as [name, type] pairs: a JSON object would come out sorted by name.
  auto table = [&](const char* name, std::vector<std::pair<std::string, std::string>> columns) {
    nlohmann::json cols = nlohmann::json::array();
    for (const auto& [c, t] : columns) cols.push_back({c, t});
    return nlohmann::json{{"name", name}, {"csv", dir + "/" + name + ".csv"}, {"columns", cols}};
  };
  spec["tables"] = nlohmann::json::array(
      {table("units", {{"code", "VARCHAR"}, {"branch", "VARCHAR"}}),
       table("cases", {{"id", "BIGINT"}, {"type", "VARCHAR"}, {"class", "VARCHAR"}, {"unit", "VARCHAR"},
                       {"opened_at", "BIGINT"}, {"status", "VARCHAR"}, {"solved_at", "BIGINT"}}),
       table("measures", {{"case_id", "BIGINT"}, {"person_id", "BIGINT"}, {"kind", "VARCHAR"}, {"t", "BIGINT"},
                          {"unit", "VARCHAR"}}),
       table("money", {{"case_id", "BIGINT"}, {"kind", "VARCHAR"}, {"amount", "BIGINT"}, {"t", "BIGINT"},
                       {"unit", "VARCHAR"}})});
  nlohmann::json qs = nlohmann::json::object();
  for (std::size_t i = 0; i < queries.size(); ++i)
    qs[fmt::format("q{}", i)] = {{"sql", queries[i].sql}, {"params", queries[i].params}};
  spec["queries"] = qs;
  const std::string spec_path = dir + "/cases-spec.json";
  std::ofstream(spec_path) << spec.dump();
  const std::string command = "cd " + shell_quote(std::string(PINGAN_SOURCE_DIR) + "/bench/duckdb") +
                              " && node cases.mjs " + shell_quote(spec_path);
  std::FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return std::nullopt;
  std::string text;
  char chunk[65536];
  while (std::size_t n = std::fread(chunk, 1, sizeof chunk, pipe)) text.append(chunk, n);
  if (pclose(pipe) != 0 || text.empty()) {
    fmt::print(stderr, "DuckDB failed: {}\n", text);
    return std::nullopt;
  }
  const nlohmann::json j = nlohmann::json::parse(text);
  CaseDuckdbResult out;
  out.version = j.at("version").get<std::string>();
  out.load_seconds = j.at("load_seconds").get<double>();
  for (std::size_t i = 0; i < queries.size(); ++i) {
    const nlohmann::json& q = j.at("queries").at(fmt::format("q{}", i));
    Latency l;
    l.first_ms = q.at("first_ms").get<double>();
    l.p50_ms = q.at("p50_ms").get<double>();
    l.p99_ms = q.at("p99_ms").get<double>();
    l.runs = q.at("runs").get<int>();
    out.latency.push_back(l);
    CaseAnswer a;
    for (const nlohmann::json& row : q.at("answer"))
      a.emplace_back(row.at(0).get<std::string>(), std::stoll(row.at(1).get<std::string>()));
    out.answers.push_back(sorted_answer(std::move(a)));
  }
  return out;
}

}  // namespace pingan::bench
