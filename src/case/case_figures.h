#pragma once
// The case figures by name: what a bulletin quotes ("破获刑事案件363起",
// "刑事拘留843人", "抓获历年逃犯41人", "止付涉案金额9.9亿余元"), each a documented
// query on the case index. A query names a figure, a unit subtree, case
// filters (class, types, groups) where the figure counts cases, and a
// period [from, to); it returns the value with its 同比 and 环比 values and
// changes, and optionally the ranking of the unit's child units.
//
// The catalogue is the contract with the HTTP API
// (GET /api/cases/figures?name=...), the CLI and bulletins (issue 22): a
// name, once published, keeps its meaning. Each figure carries a definition
// paragraph (what is counted, by which date, credited to which unit) that
// docs and the API print.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "case/case_events.h"
#include "case/case_index.h"
#include "core/case_types.h"
#include "core/status.h"
#include "core/time.h"

namespace pingan::cases {

struct FigureInfo {
  std::string name;          // "cases_solved", "measure.criminal_detention"
  std::string title_zh;      // "破获案件"
  std::string measure_word;  // "起", "人", "分" (money is in fen)
  // Summed kinds; a figure of several kinds counts each row once (listings
  // caught old + caught new).
  std::vector<EventKind> kinds;
  bool case_filters = true;  // takes class, types and groups (it counts cases or what hangs on them)
  std::string definition;    // one paragraph, English
};

// Every figure, in a stable order (cases, persons and measures, fugitives,
// money, dissuasion).
const std::vector<FigureInfo>& case_figures();
// Error::invalid("name") naming the unknown figure.
Result<const FigureInfo*> find_case_figure(std::string_view name);

struct FigureQuery {
  std::string name;
  // The subtree's root unit; empty for every unit, records with none included.
  std::string unit;
  std::optional<CaseClass> case_class;
  // A case counts when its type is one of `types` or in one of `groups`
  // (both empty: any type), and of `case_class` when set.
  std::vector<std::string> types;
  std::vector<std::string> groups;
  // Fraud methods (fraud_methods.h): a case counts when its method is one of
  // them (empty: any method, or none).
  std::vector<std::string> fraud_methods;
  Timestamp from = 0;  // from <= t < to
  Timestamp to = 0;
  bool rank_units = false;  // rank the children of `unit` (the tree's roots when empty)
  bool by_method = false;   // split the value by fraud method ("刷单返利类 …")
};

struct FigureComparison {
  Timestamp from = 0, to = 0;
  std::int64_t value = 0;
  std::int64_t change = 0;               // value asked - this value
  std::optional<double> change_pct;      // null when this value is 0
};

struct FigureUnitLine {
  std::string code, name;
  std::int64_t value = 0;  // the unit's whole subtree
  int rank = 0;            // 1 = the largest; ties share (1, 2, 2, 4)
};

// One fraud method's share of a figure; cases with no method are the line
// with an empty code.
struct FigureMethodLine {
  std::string code, name_zh;
  std::int64_t value = 0;
};

struct FigureAnswer {
  const FigureInfo* figure = nullptr;
  Timestamp from = 0, to = 0;
  std::int64_t value = 0;
  FigureComparison year_on_year;  // 同比
  FigureComparison previous;      // 环比
  std::vector<FigureUnitLine> units;  // when asked: by rank, then tree order
  std::vector<FigureMethodLine> methods;  // when asked: largest first, then file order; zeros left out
};

// Errors (Error::invalid with the field): "name" for an unknown figure,
// "from"/"to" for an empty or reversed period, "unit" for a unit neither the
// tree nor any record knows, "type"/"group" for an unknown code, and
// "method" for an unknown fraud method, and "class"/"type"/"group"/"method"
// for a case filter on a figure that counts no cases.
Result<FigureAnswer> query_figure(const CaseIndex& index, const FigureQuery& query);

}  // namespace pingan::cases
