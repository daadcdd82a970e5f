#include "case/case_figures.h"

#include <fmt/format.h>

#include <algorithm>

#include "case/figure_selection.h"
#include "core/figure_periods.h"

namespace pingan::cases {
namespace {

std::vector<FigureInfo> build_catalogue() {
  std::vector<FigureInfo> out;
  auto add = [&](std::string name, std::string title, std::string word, std::vector<EventKind> kinds, bool case_filters,
                 std::string definition) {
    out.push_back(FigureInfo{std::move(name), std::move(title), std::move(word), std::move(kinds), case_filters,
                             std::move(definition)});
  };
  add("cases_opened", "立案", "起", {EventKind::kCaseOpened}, true,
      "Cases opened (立案): cases whose opening time (opened_at) falls in the period, credited to the unit that "
      "opened them. A case withdrawn (撤案, no crime after all) is not counted, in any period, from the moment it "
      "is withdrawn. Class, type and group are the case's.");
  add("cases_solved", "破案", "起", {EventKind::kCaseSolved}, true,
      "Cases solved (破案): cases whose status is solved and whose solving time (solved_at) falls in the period, "
      "credited to the unit that opened them. A cold case closed unsolved and solved years later counts in the "
      "period it was solved.");
  add("case_money_involved_fen", "涉案金额", "分", {EventKind::kCaseMoneyInvolved}, true,
      "Money involved (涉案金额), in fen: the sum of money_involved_fen of the cases opened in the period (as "
      "cases_opened: withdrawn cases left out), credited to the unit that opened them; for a fraud case it is the "
      "loss the victim reported. With by_method, split by the fraud cases' method.");
  add("suspects_caught", "抓获犯罪嫌疑人", "人", {measure_event(MeasureKind::kCaught)}, true,
      "Suspects caught (抓获): distinct persons with a 抓获 measure (surrender and summons included) dated in the "
      "period, in a case of the class, type or group asked, credited to the unit that took the measure (the "
      "case's unit when the measure names none). A person caught twice, in one case or in several, counts once "
      "in one figure; a person caught in a fraud case and in a theft case counts once in each type's figure, so "
      "figures by type may add up to more than the total.");
  for (MeasureKind k : kAllMeasureKinds) {
    add(fmt::format("measure.{}", measure_kind_name(k)), measure_kind_name_zh(k), "人", {measure_event(k)}, true,
        fmt::format("Persons under the measure {} ({}): distinct persons with at least one such measure dated in "
                    "the period, in a case of the class, type or group asked, credited to the unit that took the "
                    "measure (the case's unit when the measure names none). A person with the measure in two "
                    "cases counts once in one figure.",
                    measure_kind_name_zh(k), measure_kind_name(k)));
  }
  add("dealt_with", "打击处理", "人", {measure_event(MeasureKind::kDealtWith)}, true,
      "Persons dealt with (打击处理): distinct persons with a 打击处理 measure dated in the period (the measure "
      "rules allow it once per suspect and case, after a compulsory measure or a penalty), in a case of the "
      "class, type or group asked, credited to the unit that took the measure. By type (fraud, theft, elderly "
      "fraud ...) a person counts in each type they were dealt with under; the total counts them once.");
  add("fugitives_listed", "新增在逃人员", "人", {EventKind::kFugitiveListed}, false,
      "Fugitives listed (上网追逃): listings whose listing time falls in the period, credited to the listing unit; "
      "every listing counts, whatever became of it.");
  add("fugitives_caught", "抓获逃犯", "人", {EventKind::kFugitiveCaughtOld, EventKind::kFugitiveCaughtNew}, false,
      "Fugitives caught (抓获逃犯): listings whose status is caught and whose capture time falls in the period, "
      "credited to the unit that made the capture (the listing unit when none is named); the sum of "
      "fugitives_caught_old and fugitives_caught_new.");
  add("fugitives_caught_old", "抓获历年逃犯", "人", {EventKind::kFugitiveCaughtOld}, false,
      "Old fugitives caught (抓获历年逃犯): captures in the period (as fugitives_caught) of persons listed before "
      "local 1 January of the year of the capture. Old or new is decided by the capture's year, not by the "
      "period asked, so monthly figures add up to the campaign's.");
  add("fugitives_caught_new", "抓获新增逃犯", "人", {EventKind::kFugitiveCaughtNew}, false,
      "New fugitives caught (抓获新增逃犯): captures in the period (as fugitives_caught) of persons listed on or "
      "after local 1 January of the year of the capture.");
  add("money_stopped_fen", "止付涉案金额", "分", {EventKind::kMoneyStopped}, true,
      "Money stopped (止付), in fen: the sum of the stop entries dated in the period, in cases of the class, type "
      "or group asked, credited to the unit the entry names (the case's unit when none).");
  add("money_frozen_fen", "冻结涉案金额", "分", {EventKind::kMoneyFrozen}, true,
      "Money frozen (冻结), in fen: the sum of the freeze entries dated in the period, in cases of the class, type "
      "or group asked, credited to the unit the entry names (the case's unit when none).");
  add("money_returned_fen", "返还涉案金额", "分", {EventKind::kMoneyReturned}, true,
      "Money returned to victims (返还/发还), in fen: the sum of the return entries dated in the period, in cases of "
      "the class, type or group asked, credited to the unit the entry names (the case's unit when none).");
  add("dissuasion_issued", "预警下发", "人", {EventKind::kDissuasionIssued}, false,
      "Warnings issued (预警下发): dissuasion tasks whose issue time falls in the period, credited to the unit "
      "tasked; one task is one person at risk.");
  add("dissuaded", "预警劝阻", "人", {EventKind::kDissuaded}, false,
      "People dissuaded (预警劝阻): dissuasion tasks whose status is dissuaded and whose dissuasion time falls in "
      "the period, credited to the unit tasked. A task later found defrauded leaves the figure in every period; "
      "one task is one person.");
  return out;
}

std::string known_names() {
  std::string out;
  for (const FigureInfo& f : case_figures()) out += (out.empty() ? "" : ", ") + f.name;
  return out;
}

std::optional<double> percent_change(std::int64_t value, std::int64_t base) {
  if (base == 0) return std::nullopt;
  return 100.0 * static_cast<double>(value - base) / static_cast<double>(base);
}

// The dense types (type-and-method slots) a query's case filters allow, or an
// error naming the filter.
Status select_types(const CaseIndexData& data, const FigureInfo& figure, const FigureQuery& q, Selection& sel) {
  const bool filtered = q.case_class || !q.types.empty() || !q.groups.empty() || !q.fraud_methods.empty();
  if (!filtered) return Status::ok_status();
  if (!figure.case_filters) {
    const char* field = q.case_class ? "class" : !q.types.empty() ? "type" : !q.groups.empty() ? "group" : "method";
    return Error::invalid(field, fmt::format("figure '{}' counts no cases, so it takes no class, type, group or "
                                             "method",
                                             figure.name));
  }
  std::vector<std::uint16_t> types;
  for (const std::string& code : q.types) {
    const std::vector<std::uint16_t>& slots = data.type_slots(code);
    if (slots.empty() || code.empty()) return Error::invalid("type", fmt::format("unknown case type '{}'", code));
    types.insert(types.end(), slots.begin(), slots.end());
  }
  for (const std::string& code : q.groups) {
    if (!data.case_types().find_group(code))
      return Error::invalid("group", fmt::format("unknown case group '{}'", code));
    for (const CaseType* t : data.case_types().types_in_group(code)) {
      const std::vector<std::uint16_t>& slots = data.type_slots(t->code);
      types.insert(types.end(), slots.begin(), slots.end());
    }
  }
  if (q.types.empty() && q.groups.empty())
    for (int i = 1; i < data.type_count(); ++i) types.push_back(static_cast<std::uint16_t>(i));
  if (q.case_class)
    std::erase_if(types, [&](std::uint16_t t) { return data.type_class(t) != *q.case_class; });
  if (!q.fraud_methods.empty()) {
    for (const std::string& m : q.fraud_methods)
      if (!data.fraud_methods().find(m)) return Error::invalid("method", fmt::format("unknown fraud method '{}'", m));
    std::erase_if(types, [&](std::uint16_t t) {
      return std::find(q.fraud_methods.begin(), q.fraud_methods.end(), data.slot_method(t)) == q.fraud_methods.end();
    });
  }
  std::sort(types.begin(), types.end());
  types.erase(std::unique(types.begin(), types.end()), types.end());
  sel.all_types = false;
  sel.types = std::move(types);
  return Status::ok_status();
}

std::int64_t figure_value(const CaseIndexData& data, const FigureInfo& figure, const Selection& sel,
                          const StatPeriod& period) {
  std::int64_t value = 0;
  for (EventKind kind : figure.kinds) value += data.evaluate(kind, sel, period);
  return value;
}

FigureComparison compare(const CaseIndexData& data, const FigureInfo& figure, const Selection& sel,
                         const StatPeriod& period, std::int64_t value) {
  FigureComparison c;
  c.from = period.from;
  c.to = period.until;
  c.value = figure_value(data, figure, sel, period);
  c.change = value - c.value;
  c.change_pct = percent_change(value, c.value);
  return c;
}

// The figure split by the method of each type-and-method slot the selection
// holds; slots with no method make the line with an empty code.
void method_lines(const CaseIndexData& data, const FigureInfo& figure, const Selection& sel, const StatPeriod& period,
                  std::vector<FigureMethodLine>& out) {
  std::vector<std::uint16_t> slots = sel.types;
  if (sel.all_types)
    for (int i = 0; i < data.type_count(); ++i) slots.push_back(static_cast<std::uint16_t>(i));
  auto line_for = [&](const std::string& code) -> FigureMethodLine& {
    for (FigureMethodLine& l : out)
      if (l.code == code) return l;
    const FraudMethod* m = data.fraud_methods().find(code);
    out.push_back(FigureMethodLine{code, m ? m->name_zh : std::string(), 0});
    return out.back();
  };
  for (const FraudMethod& m : data.fraud_methods().methods()) line_for(m.code);  // file order for ties
  for (std::uint16_t slot : slots) {
    Selection one = sel;
    one.all_types = false;
    one.types = {slot};
    line_for(data.slot_method(slot)).value += figure_value(data, figure, one, period);
  }
  // A person figure counts a person once in the whole but once per method
  // here, so the lines may add up to more than the value (as by type).
  std::erase_if(out, [](const FigureMethodLine& l) { return l.value == 0; });
  std::stable_sort(out.begin(), out.end(),
                   [](const FigureMethodLine& x, const FigureMethodLine& y) { return x.value > y.value; });
}

}  // namespace

Result<FigureSelection> select_figure_rows(const CaseIndexData& data, const FigureInfo& figure,
                                           const FigureQuery& q) {
  const UnitNumbering& units = data.units();
  FigureSelection out;
  Selection& sel = out.selection;
  if (q.unit.empty()) {
    sel.unit_begin = 0;
    sel.unit_end = units.size();
    sel.unplaced = true;
  } else {
    out.root = units.find(q.unit);
    if (out.root < 0) return Error::invalid("unit", fmt::format("unknown unit '{}'", q.unit));
    sel.unit_begin = out.root;
    sel.unit_end = units.subtree_end(out.root);
  }
  PINGAN_RETURN_IF_ERROR(select_types(data, figure, q, sel));
  return out;
}

bool selected(const Selection& sel, const Event& e) {
  // As CaseIndexData::evaluate reads runs: a unit in the range, or no unit
  // when the query is unrestricted; any type, or one of the sorted slots.
  const bool unit_ok = e.unit < 0 ? sel.unplaced : (e.unit >= sel.unit_begin && e.unit < sel.unit_end);
  if (!unit_ok) return false;
  return sel.all_types || std::binary_search(sel.types.begin(), sel.types.end(), e.type);
}

const std::vector<FigureInfo>& case_figures() {
  static const std::vector<FigureInfo> catalogue = build_catalogue();
  return catalogue;
}

Result<const FigureInfo*> find_case_figure(std::string_view name) {
  for (const FigureInfo& f : case_figures())
    if (f.name == name) return &f;
  return Error::invalid("name", fmt::format("unknown case figure '{}'; known: {}", name, known_names()));
}

Result<FigureAnswer> query_figure(const CaseIndex& index, const FigureQuery& q) {
  PINGAN_ASSIGN_OR_RETURN(const FigureInfo* figure, find_case_figure(q.name));
  if (q.to <= q.from) return Error::invalid("to", "the period is empty: 'to' must be after 'from'");
  Result<FigureAnswer> out = Error::internal("the case index was not read");
  index.read([&](const CaseIndexData& data) {
    const UnitNumbering& units = data.units();
    Result<FigureSelection> chosen = select_figure_rows(data, *figure, q);
    if (!chosen.ok()) {
      out = chosen.error();
      return;
    }
    const Selection& sel = chosen->selection;
    const int root = chosen->root;
    const StatPeriod period{q.from, q.to};
    FigureAnswer a;
    a.figure = figure;
    a.from = q.from;
    a.to = q.to;
    a.value = figure_value(data, *figure, sel, period);
    a.year_on_year = compare(data, *figure, sel, year_on_year_period(period, data.zone()), a.value);
    a.previous = compare(data, *figure, sel, previous_period(period, data.zone()), a.value);
    if (q.rank_units) {
      // A child's figure is its whole subtree's; rows of the root unit itself
      // belong to no child and are left out of the ranking.
      std::vector<int> children = (root < 0 || units.in_tree(root)) ? units.children(root) : std::vector<int>{};
      std::vector<std::int64_t> values;
      for (int c : children) {
        Selection child = sel;
        child.unit_begin = c;
        child.unit_end = units.subtree_end(c);
        child.unplaced = false;
        values.push_back(figure_value(data, *figure, child, period));
      }
      const std::vector<int> ranks = competition_ranks(values);
      for (std::size_t i = 0; i < children.size(); ++i)
        a.units.push_back(FigureUnitLine{units.code(children[i]), units.name(children[i]), values[i], ranks[i]});
      std::stable_sort(a.units.begin(), a.units.end(),
                       [](const FigureUnitLine& x, const FigureUnitLine& y) { return x.rank < y.rank; });
    }
    if (q.by_method) method_lines(data, *figure, sel, period, a.methods);
    out = std::move(a);
  });
  return out;
}

}  // namespace pingan::cases
