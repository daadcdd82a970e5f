#pragma once
// The SQLite side of bench/cases: the cases, their measures and money and
// the units in four tables, loaded in one transaction, indexed as a DBA
// would for these queries (each table by time, and by unit then time), and
// queried warm through a memory map.

#include <fmt/format.h>
#include <sqlite3.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "../analytics/timing.h"
#include "dataset.h"
#include "queries.h"

namespace pingan::bench {

class CaseSqlite {
 public:
  explicit CaseSqlite(const std::string& path) {
    std::filesystem::remove(path);
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(db_));
    exec("PRAGMA journal_mode=OFF");
    exec("PRAGMA synchronous=OFF");
    exec("PRAGMA mmap_size=4294967296");
  }
  ~CaseSqlite() {
    for (sqlite3_stmt* s : statements_) sqlite3_finalize(s);
    sqlite3_close(db_);
  }
  CaseSqlite(const CaseSqlite&) = delete;
  CaseSqlite& operator=(const CaseSqlite&) = delete;

  // Returns seconds for the inserts; index_seconds() for CREATE INDEX + ANALYZE.
  double load(const CaseDataset& d) {
    const auto start = std::chrono::steady_clock::now();
    exec("CREATE TABLE units (code TEXT PRIMARY KEY, branch TEXT NOT NULL)");
    exec("CREATE TABLE cases (id INTEGER PRIMARY KEY, type TEXT NOT NULL, class TEXT NOT NULL, unit TEXT NOT NULL, "
         "opened_at INTEGER NOT NULL, status TEXT NOT NULL, solved_at INTEGER)");
    exec("CREATE TABLE measures (id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL, person_id INTEGER NOT NULL, "
         "kind TEXT NOT NULL, t INTEGER NOT NULL, unit TEXT NOT NULL)");
    exec("CREATE TABLE money (id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL, kind TEXT NOT NULL, "
         "amount INTEGER NOT NULL, t INTEGER NOT NULL, unit TEXT NOT NULL)");
    exec("BEGIN");
    sqlite3_stmt* unit = prepare("INSERT INTO units VALUES (?,?)");
    for (const Unit& u : d.units) {
      if (u.parent_code.empty()) continue;  // the city: no branch of its own
      const std::string& branch = u.parent_code == "C" ? u.code : u.parent_code;
      text(unit, 1, u.code);
      text(unit, 2, branch);
      step(unit);
    }
    sqlite3_stmt* c = prepare("INSERT INTO cases VALUES (?,?,?,?,?,?,?)");
    sqlite3_stmt* m = prepare("INSERT INTO measures (case_id, person_id, kind, t, unit) VALUES (?,?,?,?,?)");
    sqlite3_stmt* f = prepare("INSERT INTO money (case_id, kind, amount, t, unit) VALUES (?,?,?,?,?)");
    for (const CaseBundle& b : d.cases) {
      const CaseRecord& r = b.record;
      sqlite3_bind_int64(c, 1, r.id);
      text(c, 2, r.type_code);
      text(c, 3, case_class_name(r.case_class));
      text(c, 4, r.unit_code);
      sqlite3_bind_int64(c, 5, r.opened_at);
      text(c, 6, case_status_name(r.status));
      if (r.times.solved_at)
        sqlite3_bind_int64(c, 7, *r.times.solved_at);
      else
        sqlite3_bind_null(c, 7);
      step(c);
      for (const Measure& x : b.measures) {
        sqlite3_bind_int64(m, 1, x.case_id);
        sqlite3_bind_int64(m, 2, x.person_id);
        text(m, 3, measure_kind_name(x.kind));
        sqlite3_bind_int64(m, 4, x.at);
        text(m, 5, x.unit_code);
        step(m);
      }
      for (const FraudMoneyEntry& x : b.money) {
        sqlite3_bind_int64(f, 1, x.case_id);
        text(f, 2, fraud_money_kind_name(x.kind));
        sqlite3_bind_int64(f, 3, x.amount_fen);
        sqlite3_bind_int64(f, 4, x.at);
        text(f, 5, x.unit_code);
        step(f);
      }
    }
    for (sqlite3_stmt* s : {unit, c, m, f}) sqlite3_finalize(s);
    exec("COMMIT");
    const double insert_seconds = seconds_since(start);
    const auto index_start = std::chrono::steady_clock::now();
    exec("CREATE INDEX cases_opened ON cases(opened_at)");
    exec("CREATE INDEX cases_solved ON cases(solved_at)");
    exec("CREATE INDEX cases_unit_opened ON cases(unit, opened_at)");
    exec("CREATE INDEX cases_unit_solved ON cases(unit, solved_at)");
    exec("CREATE INDEX measures_kind_at ON measures(kind, t)");
    exec("CREATE INDEX measures_unit_kind_at ON measures(unit, kind, t)");
    exec("CREATE INDEX money_kind_at ON money(kind, t)");
    exec("ANALYZE");
    index_seconds_ = seconds_since(index_start);
    return insert_seconds;
  }
  double index_seconds() const { return index_seconds_; }

  // Prepares the query once; run() binds and steps it.
  int prepare_query(const CaseQuery& q) {
    statements_.push_back(prepare(q.sql));
    params_.push_back(q.params);
    return static_cast<int>(statements_.size()) - 1;
  }
  CaseAnswer run(int query) {
    sqlite3_stmt* s = statements_[static_cast<std::size_t>(query)];
    const std::vector<Timestamp>& params = params_[static_cast<std::size_t>(query)];
    for (std::size_t i = 0; i < params.size(); ++i) sqlite3_bind_int64(s, static_cast<int>(i) + 1, params[i]);
    CaseAnswer out;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
      out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), sqlite3_column_int64(s, 1));
    if (rc != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db_));
    sqlite3_reset(s);
    return sorted_answer(std::move(out));
  }

 private:
  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string message = err ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error(message + " in " + sql);
    }
  }
  sqlite3_stmt* prepare(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string(sqlite3_errmsg(db_)) + " in " + sql);
    return s;
  }
  static void text(sqlite3_stmt* s, int i, const std::string& v) {
    sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void step(sqlite3_stmt* s) {
    if (sqlite3_step(s) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db_));
    sqlite3_reset(s);
  }

  sqlite3* db_ = nullptr;
  std::vector<sqlite3_stmt*> statements_;
  std::vector<std::vector<Timestamp>> params_;
  double index_seconds_ = 0;
};

}  // namespace pingan::bench
