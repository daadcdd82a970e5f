#pragma once
// The reference of bench_bulletin: the campaign bulletin's 23 figures as a
// bureau's analyst would get them without pingan's indexes, by COUNT/SUM
// queries on the SQLite store itself (the tables of
// src/store/sqlite/sqlite_migrations.cpp), each for the period asked, a year
// earlier and the period before. The unit's subtree is a recursive CTE over
// `units`; a record is credited to the unit each figure's definition names
// (case/case_figures.cpp, ledger/ledger_figures.cpp). The ledger states a
// figure counts are read from the ledger definitions (their counts_as tags),
// not written here.
//
// Opens its own read-only connection; the store may be open in an engine.

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/ledger_definition.h"
#include "engine/ledger_catalogue.h"
#include "ledger/ledger_figures.h"
#include "reference.h"

namespace pingan::bench {

class SqlReference {
 public:
  // `with_incidents` false: the incident figures are left to another
  // reference (the 10 M district's incidents are not in this store).
  SqlReference(const std::string& path, std::string root_unit, const BulletinPeriods& periods,
               const LedgerCatalogue& ledgers, bool with_incidents)
      : root_(std::move(root_unit)), periods_(periods) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
      throw std::runtime_error(fmt::format("{}: {}", path, sqlite3_errmsg(db_)));
    if (with_incidents) add_incident_figures();
    add_case_figures();
    add_ledger_figures(ledgers);
  }
  ~SqlReference() {
    for (Query& q : queries_) sqlite3_finalize(q.stmt);
    for (sqlite3_stmt* st : extra_) sqlite3_finalize(st);
    sqlite3_close(db_);
  }
  SqlReference(const SqlReference&) = delete;
  SqlReference& operator=(const SqlReference&) = delete;

  // Runs every query for the three periods.
  ReferenceFigures figures() {
    ReferenceFigures out;
    for (Query& q : queries_) q.read(*this, out);
    return out;
  }

 private:
  // The subtree of ?1, then the statement.
  static constexpr const char* kSubtree =
      "WITH RECURSIVE sub(code) AS (SELECT ?1 UNION ALL SELECT u.code FROM units u JOIN sub ON u.parent_code = "
      "sub.code) ";

  struct Query {
    sqlite3_stmt* stmt = nullptr;
    // Fills the figures from the statement (it calls run() per period).
    std::function<void(SqlReference&, sqlite3_stmt*, ReferenceFigures&)> fill;
    void read(SqlReference& self, ReferenceFigures& out) { fill(self, stmt, out); }
  };

  sqlite3_stmt* prepare(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    const std::string text = kSubtree + sql;
    if (sqlite3_prepare_v2(db_, text.c_str(), -1, &s, nullptr) != SQLITE_OK)
      throw std::runtime_error(fmt::format("{}: {}", sqlite3_errmsg(db_), text));
    return s;
  }

  // Binds ?1 unit, ?2 from, ?3 to, ?4.. text, and calls row(stmt) per row.
  void run(sqlite3_stmt* s, Timestamp from, Timestamp to, const std::vector<std::string>& texts,
           const std::function<void(sqlite3_stmt*)>& row) {
    sqlite3_reset(s);
    sqlite3_bind_text(s, 1, root_.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, from);
    sqlite3_bind_int64(s, 3, to);
    for (size_t i = 0; i < texts.size(); ++i)
      sqlite3_bind_text(s, static_cast<int>(i + 4), texts[i].c_str(), -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) row(s);
    if (rc != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db_));
  }

  std::int64_t scalar(sqlite3_stmt* s, Timestamp from, Timestamp to, const std::vector<std::string>& texts) {
    std::int64_t v = 0;
    run(s, from, to, texts, [&](sqlite3_stmt* r) { v = sqlite3_column_int64(r, 0); });
    return v;
  }

  // A figure that is one number per period: value, year ago, previous.
  void add_scalar(const std::string& name, const std::string& sql, std::vector<std::string> texts) {
    Query q;
    q.stmt = prepare(sql);
    q.fill = [name, texts](SqlReference& self, sqlite3_stmt* s, ReferenceFigures& out) {
      const BulletinPeriods& p = self.periods_;
      ReferenceFigure& f = out[name];
      f.value = self.scalar(s, p.from, p.to, texts);
      f.year_ago = self.scalar(s, p.year_ago_from, p.year_ago_to, texts);
      f.previous = self.scalar(s, p.previous_from, p.previous_to, texts);
    };
    queries_.push_back(std::move(q));
  }

  // Incidents by class, one GROUP BY per period; the total is their sum.
  void add_incident_figures() {
    Query q;
    q.stmt = prepare(
        "SELECT class_code, COUNT(*) FROM incidents WHERE reported_at >= ?2 AND reported_at < ?3 AND voided = 0 "
        "AND unit_code IN (SELECT code FROM sub) GROUP BY class_code");
    q.fill = [](SqlReference& self, sqlite3_stmt* s, ReferenceFigures& out) {
      const BulletinPeriods& p = self.periods_;
      const char* names[][2] = {{"criminal", "incidents.criminal"},
                                {"public_order", "incidents.public_order"},
                                {"traffic", "incidents.traffic"}};
      auto counts = [&](Timestamp from, Timestamp to) {
        std::map<std::string, std::int64_t> by_class;
        self.run(s, from, to, {}, [&](sqlite3_stmt* r) {
          const std::int64_t n = sqlite3_column_int64(r, 1);
          by_class[reinterpret_cast<const char*>(sqlite3_column_text(r, 0))] += n;
          by_class[""] += n;
        });
        return by_class;
      };
      auto now = counts(p.from, p.to), year_ago = counts(p.year_ago_from, p.year_ago_to),
           previous = counts(p.previous_from, p.previous_to);
      auto put = [&](const std::string& cls, const std::string& name) {
        out[name] = ReferenceFigure{now[cls], 0, year_ago[cls], previous[cls]};
      };
      put("", "incidents.total");
      for (const auto& [cls, name] : names) put(cls, name);
    };
    queries_.push_back(std::move(q));
  }

  void add_case_figures() {
    add_scalar("cases.opened",
               "SELECT COUNT(*) FROM cases WHERE case_class = 'criminal' AND withdrawn_at IS NULL AND opened_at >= ?2 "
               "AND opened_at < ?3 AND unit_code IN (SELECT code FROM sub)",
               {});
    add_scalar("cases.solved",
               "SELECT COUNT(*) FROM cases WHERE case_class = 'criminal' AND status = 'solved' AND solved_at >= ?2 "
               "AND solved_at < ?3 AND unit_code IN (SELECT code FROM sub)",
               {});
    // Distinct persons with the measure; ?5 the case class ('' any).
    const std::string persons =
        "SELECT COUNT(DISTINCT m.person_id) FROM measures m JOIN cases c ON c.id = m.case_id WHERE m.kind = ?4 "
        "AND m.at >= ?2 AND m.at < ?3 AND (?5 = '' OR c.case_class = ?5) AND (CASE m.unit_code WHEN '' THEN "
        "c.unit_code ELSE m.unit_code END) IN (SELECT code FROM sub)";
    add_scalar("suspects.caught", persons, {"caught", "criminal"});
    add_scalar("suspects.detained", persons, {"criminal_detention", ""});
    add_scalar("fugitives.caught",
               "SELECT COUNT(*) FROM fugitives WHERE status = 'caught' AND caught_at >= ?2 AND caught_at < ?3 AND "
               "(CASE caught_by_unit WHEN '' THEN listing_unit ELSE caught_by_unit END) IN (SELECT code FROM sub)",
               {});
    const std::string money =
        "SELECT COALESCE(SUM(f.amount_fen), 0) FROM fraud_money f JOIN cases c ON c.id = f.case_id WHERE f.kind = "
        "?4 AND f.at >= ?2 AND f.at < ?3 AND (CASE f.unit_code WHEN '' THEN c.unit_code ELSE f.unit_code END) IN "
        "(SELECT code FROM sub)";
    add_scalar("money.stopped", money, {"stopped"});
    add_scalar("money.frozen", money, {"frozen"});
    add_scalar("money.recovered", money, {"returned"});
    add_scalar("people.dissuaded",
               "SELECT COUNT(*) FROM dissuasion_tasks WHERE status = 'dissuaded' AND dissuaded_at >= ?2 AND "
               "dissuaded_at < ?3 AND unit_code IN (SELECT code FROM sub)",
               {});
  }

  // The states of `type` tagged with any of `tags`, as an SQL list.
  static std::string states_tagged(const LedgerDefinition& type, const std::vector<std::string>& tags) {
    std::string list;
    for (const LedgerState& s : type.states())
      for (const std::string& tag : tags)
        if (std::find(s.counts_as.begin(), s.counts_as.end(), tag) != s.counts_as.end()) {
          list += fmt::format("{}'{}'", list.empty() ? "" : ", ", s.code);
          break;
        }
    return list.empty() ? "''" : list;
  }

  // Items of ?4 that first entered one of `states` in the period.
  std::string first_entered(const std::string& states) {
    return fmt::format(
        "SELECT COUNT(*) FROM (SELECT MIN(s.at) AS first FROM ledger_steps s JOIN ledger_items i ON i.id = "
        "s.item_id WHERE i.type_code = ?4 AND s.to_state IN ({}) AND i.unit_code IN (SELECT code FROM sub) GROUP "
        "BY s.item_id) WHERE first >= ?2 AND first < ?3",
        states);
  }

  void add_ledger_figures(const LedgerCatalogue& ledgers) {
    const std::string found =
        "SELECT COUNT(*) FROM ledger_items WHERE type_code = ?4 AND created_at >= ?2 AND created_at < ?3 AND "
        "unit_code IN (SELECT code FROM sub)";
    const std::string tally =
        "SELECT COALESCE(SUM(json_extract(fields, '$.' || ?5)), 0) FROM ledger_items WHERE type_code = ?4 AND "
        "created_at >= ?2 AND created_at < ?3 AND unit_code IN (SELECT code FROM sub)";
    auto type = [&](const char* code) -> const LedgerDefinition& {
      const LedgerDefinition* d = ledgers.find(code);
      if (!d) throw std::runtime_error(fmt::format("no ledger type '{}' in the catalogue", code));
      return *d;
    };
    const std::vector<std::string> visit_tags = {"inspected", "visited", "checked"};
    add_scalar("disputes.found", found, {"dispute"});
    const std::string dispute_resolved =
        first_entered(states_tagged(type("dispute"), {ledger::resolution_tag(type("dispute"))}));
    add_scalar("disputes.resolved", dispute_resolved, {"dispute"});
    {  // the rate: resolved of found in the period asked, no comparison
      Query q;
      q.stmt = prepare(found);
      sqlite3_stmt* resolved = prepare(dispute_resolved);
      extra_.push_back(resolved);
      q.fill = [resolved](SqlReference& self, sqlite3_stmt* s, ReferenceFigures& out) {
        const BulletinPeriods& p = self.periods_;
        ReferenceFigure& f = out["disputes.rate"];
        f.whole = self.scalar(s, p.from, p.to, {"dispute"});
        f.value = self.scalar(resolved, p.from, p.to, {"dispute"});
      };
      queries_.push_back(std::move(q));
    }
    add_scalar("hazards.found", found, {"hazard"});
    add_scalar("hazards.rectified", first_entered(states_tagged(type("hazard"), {ledger::resolution_tag(type("hazard"))})),
               {"hazard"});
    for (const auto& [name, code] : {std::pair{"inspections.visits", "inspection"},
                                     std::pair{"home_visits.households", "home_visit"},
                                     std::pair{"rental_checks.houses", "rental_check"}})
      add_scalar(name, first_entered(states_tagged(type(code), visit_tags)), {code});
    add_scalar("sweeps.officers", tally, {"sweep", "officer_shifts"});
    add_scalar("publicity.leaflets", tally, {"publicity", "leaflets"});
  }

  sqlite3* db_ = nullptr;
  std::string root_;
  BulletinPeriods periods_;
  std::vector<Query> queries_;
  std::vector<sqlite3_stmt*> extra_;  // statements a query reads besides its own
};

}  // namespace pingan::bench
