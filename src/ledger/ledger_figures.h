#pragma once
// The ledger figures by name (issue 21): what a bulletin quotes of the
// ledgers ("排查矛盾纠纷383起，化解369起，化解率96.34%", "检查场所1,204家次",
// "出动警力2,310人次"), each a documented query on the ledger index for one
// ledger type, a unit subtree and a period [from, to), with its 同比 and
// 环比 and, when asked, the ranking of the unit's child units.
//
// The names are the contract with GET /api/ledger-figures, the CLI
// (`pingan analyze ledgers`) and bulletins: once published a name keeps its
// meaning. Each carries a definition paragraph that docs and the API print.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ledger_rates.h"
#include "core/status.h"
#include "core/time.h"
#include "ledger/ledger_index.h"

namespace pingan::ledger {

struct LedgerFigureInfo {
  std::string name;          // "found", "resolved", "rate", "overdue", "visits", "tally.<field>"
  std::string title_zh;      // "发现"
  std::string measure_word;  // "件", "家次", "%"; a tally's is its field's label
  std::string definition;    // one paragraph, English
};

// Every figure, in a stable order; "tally.<field>" stands for one figure per
// integer, count or money field of a type.
const std::vector<LedgerFigureInfo>& ledger_figures();

// The tag a type's "resolved" figure counts: "resolved" (化解) when a state
// carries it, else "closed" (销号, 办结); empty when the type has neither.
std::string resolution_tag(const LedgerDefinition& definition);

struct LedgerFigureQuery {
  std::string type;  // a ledger type's code; required
  std::string name;  // a figure of ledger_figures()
  // The subtree's root unit; empty for every unit, items with none included.
  std::string unit;
  Timestamp from = 0;  // from <= t < to
  Timestamp to = 0;
  // The instant overdue is judged at when a period ends later ("now"); unset:
  // each period's end.
  std::optional<Timestamp> now;
  bool rank_units = false;  // rank the children of `unit` (the tree's roots when empty)
};

// A figure's value over one period: a count or sum, and for "rate" the
// exact rate (value is then its numerator, the items resolved).
struct LedgerFigureValue {
  std::int64_t value = 0;
  std::optional<LedgerRate> rate;
};

struct LedgerComparison {
  Timestamp from = 0, to = 0;
  LedgerFigureValue value;
  std::int64_t change = 0;           // value asked - this value
  std::optional<double> change_pct;  // null when this value is 0
  // "rate" only: the rate asked minus this one, in percentage points; null
  // when either has no denominator.
  std::optional<double> change_points;
};

struct LedgerUnitLine {
  std::string code, name;
  LedgerFigureValue value;  // the unit's whole subtree
  int rank = 0;             // 1 = the largest; ties share (1, 2, 2, 4)
};

struct LedgerFigureAnswer {
  const LedgerFigureInfo* figure = nullptr;
  std::string type, name;  // the type's code, the figure's name as asked ("tally.officer_shifts")
  std::string title_zh, measure_word;
  Timestamp from = 0, to = 0;
  LedgerFigureValue value;
  LedgerComparison year_on_year;  // 同比
  LedgerComparison previous;      // 环比
  std::vector<LedgerUnitLine> units;  // when asked: by rank, then tree order
};

// Errors (Error::invalid with the field): "type" for an unknown ledger type,
// "name" for an unknown figure or one the type cannot answer (no resolved
// or closed state, no visit state, no such numeric field), "to" for an empty
// or reversed period, "unit" for a unit neither the tree nor any item knows.
Result<LedgerFigureAnswer> query_ledger_figure(const LedgerIndex& index, const LedgerFigureQuery& query);

}  // namespace pingan::ledger
