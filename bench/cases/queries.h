#pragma once
// The queries of bench/cases, each written twice: as a case figure of pingan
// (src/case/case_figures.h) and as SQL over the tables that a relational
// design would hold (cases, measures, money, units), the SQL shared by
// SQLite and DuckDB. Every query asks a quarter with its 同比 and 环比
// periods, as the figure does; answers are (key, value) rows: "0" for the
// period, "1" a year earlier, "2" the period before, or a branch's code.

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "case/case_figures.h"
#include "core/figure_periods.h"
#include "core/case_types.h"

namespace pingan::bench {

using CaseAnswer = std::vector<std::pair<std::string, std::int64_t>>;

inline CaseAnswer sorted_answer(CaseAnswer a) {
  std::sort(a.begin(), a.end());
  return a;
}

struct CaseQuery {
  std::string name;
  cases::FigureQuery figure;
  std::string sql;                    // parameters $1 .. $6: the three periods' bounds (Q6: $1, $2)
  std::vector<Timestamp> params;
  bool ranking = false;               // the answer is the branches' values
};

inline std::string sql_list(const std::vector<std::string>& codes) {
  std::string out;
  for (const std::string& c : codes) out += fmt::format("{}'{}'", out.empty() ? "" : ",", c);
  return out;
}

// The three periods of a figure in SQL: one SELECT per period, the key first.
inline std::string three_periods(const std::string& select, const std::string& from_where, const std::string& time) {
  std::string out;
  for (int k = 0; k < 3; ++k)
    out += fmt::format("{}SELECT '{}' AS k, {} AS v {} AND {} >= ${} AND {} < ${}", k ? " UNION ALL " : "", k,
                       select, from_where, time, 2 * k + 1, time, 2 * k + 2);
  return out;
}

inline std::vector<CaseQuery> case_queries(const CaseTypes& types, const std::vector<Unit>& units,
                                           const TimeZone& zone, const std::string& branch, Timestamp from,
                                           Timestamp to) {
  const StatPeriod period{from, to};
  const StatPeriod yoy = year_on_year_period(period, zone), prev = previous_period(period, zone);
  const std::vector<Timestamp> params = {from, to, yoy.from, yoy.until, prev.from, prev.until};
  std::vector<std::string> stations;
  for (const Unit& u : units)
    if (u.parent_code == branch) stations.push_back(u.code);
  auto group_types = [&](const char* group) {
    std::vector<std::string> out;
    for (const CaseType* t : types.types_in_group(group)) out.push_back(t->code);
    return out;
  };
  auto figure = [&](const char* name, std::string unit, std::optional<CaseClass> cls,
                    std::vector<std::string> groups) {
    cases::FigureQuery q;
    q.name = name;
    q.unit = std::move(unit);
    q.case_class = cls;
    q.groups = std::move(groups);
    q.from = from;
    q.to = to;
    return q;
  };
  std::vector<CaseQuery> out;
  out.push_back(CaseQuery{"Q1 cases solved, criminal, city", figure("cases_solved", "C", CaseClass::kCriminal, {}),
                          three_periods("count(*)", "FROM cases WHERE status = 'solved' AND class = 'criminal'",
                                        "solved_at"),
                          params});
  out.push_back(CaseQuery{
      "Q2 cases opened, property, branch", figure("cases_opened", branch, std::nullopt, {"property"}),
      three_periods("count(*)",
                    fmt::format("FROM cases WHERE status <> 'withdrawn' AND type IN ({}) AND unit IN ({})",
                                sql_list(group_types("property")), sql_list(stations)),
                    "opened_at"),
      params});
  out.push_back(CaseQuery{
      "Q3 suspects caught (distinct), criminal, branch",
      figure("suspects_caught", branch, CaseClass::kCriminal, {}),
      three_periods("count(DISTINCT m.person_id)",
                    fmt::format("FROM measures m JOIN cases c ON c.id = m.case_id WHERE m.kind = 'caught' AND "
                                "c.class = 'criminal' AND m.unit IN ({})",
                                sql_list(stations)),
                    "m.t"),
      params});
  out.push_back(CaseQuery{"Q4 criminal detentions (distinct persons), city",
                          figure("measure.criminal_detention", "C", std::nullopt, {}),
                          three_periods("count(DISTINCT person_id)",
                                        "FROM measures WHERE kind = 'criminal_detention'", "t"),
                          params});
  out.push_back(CaseQuery{
      "Q5 money stopped (fen), telecom fraud, city", figure("money_stopped_fen", "C", std::nullopt, {"telecom_fraud"}),
      three_periods("coalesce(sum(m.amount), 0)",
                    fmt::format("FROM money m JOIN cases c ON c.id = m.case_id WHERE m.kind = 'stopped' AND "
                                "c.type IN ({})",
                                sql_list(group_types("telecom_fraud"))),
                    "m.t"),
      params});
  CaseQuery ranking{"Q6 cases solved, criminal, branches ranked",
                    figure("cases_solved", "C", CaseClass::kCriminal, {}),
                    "SELECT u.branch AS k, count(*) AS v FROM cases c JOIN units u ON u.code = c.unit "
                    "WHERE c.status = 'solved' AND c.class = 'criminal' AND c.solved_at >= $1 AND c.solved_at < $2 "
                    "GROUP BY u.branch",
                    {from, to}, true};
  ranking.figure.rank_units = true;
  out.push_back(std::move(ranking));
  return out;
}

// pingan's answer in the same shape as the SQL's.
inline CaseAnswer figure_answer(const cases::FigureAnswer& a, bool ranking) {
  CaseAnswer out;
  if (ranking) {
    for (const cases::FigureUnitLine& u : a.units) out.emplace_back(u.code, u.value);
  } else {
    out = {{"0", a.value}, {"1", a.year_on_year.value}, {"2", a.previous.value}};
  }
  return sorted_answer(std::move(out));
}

}  // namespace pingan::bench
