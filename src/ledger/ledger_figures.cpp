#include "ledger/ledger_figures.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/figure_periods.h"

namespace pingan::ledger {
namespace {

constexpr std::string_view kTallyPrefix = "tally.";

std::vector<LedgerFigureInfo> build_catalogue() {
  return {
      {"found", "发现", "件",
       "Items found (排查, 发现, 登记): items of the type whose creation time falls in the period, credited to the "
       "item's responsible unit as it stands now (an item reassigned counts under its new unit in every period)."},
      {"resolved", "化解/销号", "件",
       "Items resolved: items that first entered a state tagged 'resolved' (化解, the dispute ledger) in the period; "
       "for a type with no such tag, a state tagged 'closed' (销号, 办结). Dated by that first entry, credited to "
       "the responsible unit; an item found in one period and resolved in the next counts in the next."},
      {"rate", "化解率/销号率", "%",
       "Rate (化解率, 销号率): resolved over found of the same period and units, as a percentage rounded half up to "
       "two decimals (core/ledger_rates.h: 369 of 383 is \"96.34\"); empty when nothing was found. Ranked by the "
       "rate, to a millionth."},
      {"overdue", "超期", "件",
       "Items overdue (超期): items that, as they stood at the period's end (or at now, when the period ends "
       "later), were open (in a state that is not final) and had a deadline of the type past its due time "
       "(core/ledger_clock.h). A question about that instant: an item overdue in June and closed in July is "
       "overdue at the end of June only."},
      {"visits", "检查/走访", "家次",
       "Visits (家次): items that first entered a state tagged 'inspected', 'visited' or 'checked' in the period "
       "(a place inspected, a rental house checked, a home visited, a floating resident checked); each item is "
       "one visit, so a place inspected twice is two 家次."},
      {"tally.<field>", "合计", "",
       "A tally (出动警力人次, 检查场所, 抓获): the sum of one integer, count or money field of the items created in the "
       "period (e.g. tally.officer_shifts of the sweeps), at the field's value now; an item without the field adds "
       "nothing. The field's label is the figure's title."},
  };
}

std::string known_names() {
  std::string out;
  for (const LedgerFigureInfo& f : ledger_figures()) out += (out.empty() ? "" : ", ") + f.name;
  return out;
}

std::optional<double> percent_change(std::int64_t value, std::int64_t base) {
  if (base == 0) return std::nullopt;
  return 100.0 * static_cast<double>(value - base) / static_cast<double>(base);
}

// What a figure reads, resolved once for the type.
struct Plan {
  enum class Kind { kCount, kSum, kRate, kOverdue } kind = Kind::kCount;
  std::string series;         // kCount, kSum; kRate: the numerator's
  std::string title_zh, measure_word;
};

Result<Plan> plan_of(const LedgerDefinition& type, const LedgerFigureInfo& figure, std::string_view name) {
  Plan p;
  p.title_zh = figure.title_zh;
  p.measure_word = figure.measure_word;
  if (figure.name == "found") {
    p.series = kCreatedSeries;
  } else if (figure.name == "resolved" || figure.name == "rate") {
    const std::string tag = resolution_tag(type);
    if (tag.empty())
      return Error::invalid("name", fmt::format("ledger type '{}' ({}) has no state tagged resolved or closed, so "
                                                "no figure '{}'",
                                                type.code(), type.label(), name));
    p.series = tag_series(tag);
    if (figure.name == "rate") p.kind = Plan::Kind::kRate;
  } else if (figure.name == "overdue") {
    p.kind = Plan::Kind::kOverdue;
  } else if (figure.name == "visits") {
    bool any = false;
    for (const LedgerState& s : type.states())
      for (const char* tag : kVisitTags)
        any = any || std::find(s.counts_as.begin(), s.counts_as.end(), tag) != s.counts_as.end();
    if (!any)
      return Error::invalid("name", fmt::format("ledger type '{}' ({}) has no state tagged inspected, visited or "
                                                "checked, so no visits",
                                                type.code(), type.label()));
    p.series = kVisitSeries;
  } else {  // tally.<field>
    const std::string_view code = name.substr(kTallyPrefix.size());
    const LedgerField* field = type.field(code);
    if (!field || !is_tally_kind(field->kind)) {
      std::string fields;
      for (const LedgerField& f : type.fields())
        if (is_tally_kind(f.kind)) fields += (fields.empty() ? "" : ", ") + f.code;
      return Error::invalid("name", fmt::format("ledger type '{}' has no integer, count or money field '{}'; its "
                                                "tallies: {}",
                                                type.code(), code, fields.empty() ? "none" : fields));
    }
    p.kind = Plan::Kind::kSum;
    p.series = field_series(code);
    p.title_zh = field->label;
    p.measure_word = field->kind == LedgerFieldKind::kMoneyFen ? "分" : "";
  }
  return p;
}

struct Evaluator {
  const LedgerIndexData& data;
  const std::string& type;
  const Plan& plan;
  std::optional<Timestamp> now;

  LedgerFigureValue operator()(const UnitRange& units, const StatPeriod& period) const {
    LedgerFigureValue v;
    switch (plan.kind) {
      case Plan::Kind::kCount: v.value = data.count(type, plan.series, units, period); break;
      case Plan::Kind::kSum: v.value = data.sum(type, plan.series, units, period); break;
      case Plan::Kind::kOverdue: {
        // The last instant of the period, or now when that is earlier.
        const Timestamp at = now ? std::min(period.until - 1, *now) : period.until - 1;
        v.value = data.overdue(type, units, at);
        break;
      }
      case Plan::Kind::kRate: {
        v.value = data.count(type, plan.series, units, period);
        const std::int64_t found = data.count(type, kCreatedSeries, units, period);
        Result<LedgerRate> rate = ledger_rate(v.value, found);
        if (rate.ok()) v.rate = *rate;  // counts are never negative
        break;
      }
    }
    return v;
  }
};

// The key a unit is ranked by: the value, or a rate to a millionth (-1 when
// nothing was found, below every rate).
std::int64_t rank_key(const LedgerFigureValue& v) {
  if (!v.rate) return v.value;
  if (v.rate->denominator == 0) return -1;
  return v.rate->numerator * 1'000'000 / v.rate->denominator;
}

std::optional<double> rate_points(const LedgerFigureValue& now, const LedgerFigureValue& then) {
  if (!now.rate || !then.rate || now.rate->denominator == 0 || then.rate->denominator == 0) return std::nullopt;
  const auto pct = [](const LedgerRate& r) {
    return 100.0 * static_cast<double>(r.numerator) / static_cast<double>(r.denominator);
  };
  return pct(*now.rate) - pct(*then.rate);
}

LedgerComparison compare(const Evaluator& eval, const UnitRange& units, const StatPeriod& period,
                         const LedgerFigureValue& value) {
  LedgerComparison c;
  c.from = period.from;
  c.to = period.until;
  c.value = eval(units, period);
  c.change = value.value - c.value.value;
  c.change_pct = percent_change(value.value, c.value.value);
  c.change_points = rate_points(value, c.value);
  return c;
}

}  // namespace

const std::vector<LedgerFigureInfo>& ledger_figures() {
  static const std::vector<LedgerFigureInfo> catalogue = build_catalogue();
  return catalogue;
}

std::string resolution_tag(const LedgerDefinition& definition) {
  for (const char* tag : {"resolved", "closed"})
    for (const LedgerState& s : definition.states())
      if (std::find(s.counts_as.begin(), s.counts_as.end(), tag) != s.counts_as.end()) return tag;
  return {};
}

Result<LedgerFigureAnswer> query_ledger_figure(const LedgerIndex& index, const LedgerFigureQuery& q) {
  const LedgerFigureInfo* figure = nullptr;
  for (const LedgerFigureInfo& f : ledger_figures())
    if (f.name == q.name) figure = &f;
  if (!figure && q.name.size() > kTallyPrefix.size() && q.name.compare(0, kTallyPrefix.size(), kTallyPrefix) == 0)
    figure = &ledger_figures().back();
  if (!figure || q.name == "tally.<field>")
    return Error::invalid("name", fmt::format("unknown ledger figure '{}'; known: {}", q.name, known_names()));
  if (q.to <= q.from) return Error::invalid("to", "the period is empty: 'to' must be after 'from'");
  Result<LedgerFigureAnswer> out = Error::internal("the ledger index was not read");
  index.read([&](const LedgerIndexData& data) {
    const LedgerDefinition* type = data.type(q.type);
    if (!type) {
      std::string known;
      for (const LedgerDefinition& d : data.types()) known += (known.empty() ? "" : ", ") + d.code();
      out = Error::invalid("type", fmt::format("unknown ledger type '{}'; known: {}", q.type, known));
      return;
    }
    Result<Plan> plan = plan_of(*type, *figure, q.name);
    if (!plan.ok()) {
      out = plan.error();
      return;
    }
    const UnitNumbering& units = data.units();
    UnitRange range;
    int root = -1;
    if (q.unit.empty()) {
      range = UnitRange{0, units.size(), true};
    } else {
      root = units.find(q.unit);
      if (root < 0) {
        out = Error::invalid("unit", fmt::format("unknown unit '{}'", q.unit));
        return;
      }
      range = UnitRange{root, units.subtree_end(root), false};
    }
    const Evaluator eval{data, type->code(), *plan, q.now};
    const StatPeriod period{q.from, q.to};
    LedgerFigureAnswer a;
    a.figure = figure;
    a.type = type->code();
    a.name = q.name;
    a.title_zh = plan->title_zh;
    a.measure_word = plan->measure_word;
    a.from = q.from;
    a.to = q.to;
    a.value = eval(range, period);
    a.year_on_year = compare(eval, range, year_on_year_period(period, index.zone()), a.value);
    a.previous = compare(eval, range, previous_period(period, index.zone()), a.value);
    if (q.rank_units) {
      // A child's figure is its whole subtree's; items of the root unit itself
      // belong to no child and are left out of the ranking.
      std::vector<int> children = (root < 0 || units.in_tree(root)) ? units.children(root) : std::vector<int>{};
      std::vector<LedgerFigureValue> values;
      std::vector<std::int64_t> keys;
      for (int c : children) {
        values.push_back(eval(UnitRange{c, units.subtree_end(c), false}, period));
        keys.push_back(rank_key(values.back()));
      }
      const std::vector<int> ranks = competition_ranks(keys);
      for (std::size_t i = 0; i < children.size(); ++i)
        a.units.push_back(LedgerUnitLine{units.code(children[i]), units.name(children[i]), values[i], ranks[i]});
      std::stable_sort(a.units.begin(), a.units.end(),
                       [](const LedgerUnitLine& x, const LedgerUnitLine& y) { return x.rank < y.rank; });
    }
    out = std::move(a);
  });
  return out;
}

}  // namespace pingan::ledger
