#include "ledger/ledger_index_data.h"

#include <algorithm>
#include <map>

#include "core/ledger_clock.h"

namespace pingan::ledger {
namespace {

bool row_before(Timestamp t, std::int64_t id, Timestamp t2, std::int64_t id2) {
  return t < t2 || (t == t2 && id < id2);
}

bool has_tag(const LedgerState* state, std::string_view tag) {
  return state && std::find(state->counts_as.begin(), state->counts_as.end(), tag) != state->counts_as.end();
}

// The item without what no figure reads: notes, field changes, actors and
// text fields (personal values among them) stay with the store.
LedgerItem slim(const LedgerDefinition& definition, const LedgerItem& item) {
  LedgerItem out;
  out.id = item.id;
  out.type_code = item.type_code;
  out.type_version = item.type_version;
  out.unit_code = item.unit_code;
  out.state = item.state;
  out.created_at = item.created_at;
  out.updated_at = item.updated_at;
  for (const auto& [code, value] : item.fields) {
    const LedgerField* field = definition.field(code);
    if (field && is_tally_kind(field->kind) && std::holds_alternative<std::int64_t>(value))
      out.fields.emplace(code, value);
  }
  out.history.reserve(item.history.size());
  for (const LedgerHistoryEntry& e : item.history) {
    LedgerHistoryEntry s;
    s.step = e.step;
    s.from_state = e.from_state;
    s.to_state = e.to_state;
    s.at = e.at;
    out.history.push_back(std::move(s));
  }
  return out;
}

}  // namespace

std::string tag_series(std::string_view tag) { return "tag:" + std::string(tag); }
std::string field_series(std::string_view field) { return "field:" + std::string(field); }

bool is_tally_kind(LedgerFieldKind kind) {
  return kind == LedgerFieldKind::kInteger || kind == LedgerFieldKind::kCount || kind == LedgerFieldKind::kMoneyFen;
}

LedgerIndexData::LedgerIndexData(std::vector<LedgerDefinition> types, std::shared_ptr<const UnitTree> units)
    : types_(std::move(types)), units_(std::move(units)) {
  for (std::size_t i = 0; i < types_.size(); ++i) type_index_.emplace(types_[i].code(), i);
  reset();
}

void LedgerIndexData::reset() {
  rows_.assign(types_.size(), TypeRows{});
  units_ = UnitNumbering(units_.tree());
}

const LedgerDefinition* LedgerIndexData::type(std::string_view code) const {
  auto it = type_index_.find(std::string(code));
  return it == type_index_.end() ? nullptr : &types_[it->second];
}

const LedgerIndexData::TypeRows* LedgerIndexData::rows_of(std::string_view type) const {
  auto it = type_index_.find(std::string(type));
  return it == type_index_.end() ? nullptr : &rows_[it->second];
}

std::int64_t LedgerIndexData::items() const {
  std::int64_t n = 0;
  for (const TypeRows& r : rows_) n += static_cast<std::int64_t>(r.items.size());
  return n;
}

// --- an item to rows (the figures' definitions are in ledger_figures.cpp) ---

std::vector<LedgerIndexData::Derived> LedgerIndexData::derive(const LedgerDefinition& definition,
                                                             const LedgerItem& item) const {
  std::vector<Derived> out;
  out.push_back(Derived{kCreatedSeries, Row{item.created_at, item.id, 1}});
  std::map<std::string, Timestamp> first;  // tag -> first reached
  bool visited = false;
  for (const LedgerHistoryEntry& e : item.history) {
    const LedgerState* state = definition.state(e.to_state);
    if (!state) continue;
    for (const std::string& tag : state->counts_as) first.emplace(tag, e.at);
    if (!visited)
      for (const char* tag : kVisitTags)
        if (has_tag(state, tag)) {
          out.push_back(Derived{kVisitSeries, Row{e.at, item.id, 1}});
          visited = true;
          break;
        }
  }
  for (const auto& [tag, at] : first) out.push_back(Derived{tag_series(tag), Row{at, item.id, 1}});
  for (const auto& [code, value] : item.fields)
    if (const auto* number = std::get_if<std::int64_t>(&value))
      out.push_back(Derived{field_series(code), Row{item.created_at, item.id, *number}});
  return out;
}

void LedgerIndexData::insert(TypeRows& rows, int unit, const Derived& d) {
  Series& s = rows.series[d.series];
  Run* run = &s.unplaced;
  if (unit >= 0) {
    if (s.by_unit.size() <= static_cast<std::size_t>(unit)) s.by_unit.resize(static_cast<std::size_t>(unit) + 1);
    run = &s.by_unit[static_cast<std::size_t>(unit)];
  }
  auto at = std::lower_bound(run->begin(), run->end(), d.row,
                             [](const Row& a, const Row& b) { return row_before(a.t, a.id, b.t, b.id); });
  run->insert(at, d.row);
}

void LedgerIndexData::erase(TypeRows& rows, int unit, const Derived& d) {
  auto s = rows.series.find(d.series);
  if (s == rows.series.end()) return;
  Run* run = &s->second.unplaced;
  if (unit >= 0) {
    if (s->second.by_unit.size() <= static_cast<std::size_t>(unit)) return;
    run = &s->second.by_unit[static_cast<std::size_t>(unit)];
  }
  auto at = std::lower_bound(run->begin(), run->end(), d.row,
                             [](const Row& a, const Row& b) { return row_before(a.t, a.id, b.t, b.id); });
  if (at != run->end() && at->t == d.row.t && at->id == d.row.id) run->erase(at);
}

bool LedgerIndexData::apply(const LedgerItem& item) {
  auto it = type_index_.find(item.type_code);
  if (it == type_index_.end()) return false;
  const LedgerDefinition& definition = types_[it->second];
  TypeRows& rows = rows_[it->second];
  if (auto held = rows.items.find(item.id); held != rows.items.end()) {
    for (const Derived& d : derive(definition, held->second.item)) erase(rows, held->second.unit, d);
    rows.items.erase(held);
  }
  Held held{slim(definition, item), units_.intern(item.unit_code)};
  for (const Derived& d : derive(definition, held.item)) insert(rows, held.unit, d);
  rows.items.emplace(item.id, std::move(held));
  return true;
}

void LedgerIndexData::set_units(std::shared_ptr<const UnitTree> units) {
  std::vector<LedgerItem> items;
  for (const TypeRows& rows : rows_)
    for (const auto& [id, held] : rows.items) items.push_back(held.item);
  units_ = UnitNumbering(std::move(units));
  rows_.assign(types_.size(), TypeRows{});
  for (const LedgerItem& item : items) apply(item);
}

// --- reads ---

template <typename Visit>
void LedgerIndexData::each_run(std::string_view type, const std::string& series, const UnitRange& units,
                               Visit visit) const {
  const TypeRows* rows = rows_of(type);
  if (!rows) return;
  auto s = rows->series.find(series);
  if (s == rows->series.end()) return;
  const int end = std::min(units.end, static_cast<int>(s->second.by_unit.size()));
  for (int u = std::max(units.begin, 0); u < end; ++u) visit(s->second.by_unit[static_cast<std::size_t>(u)]);
  if (units.unplaced) visit(s->second.unplaced);
}

namespace {
template <typename Run>
auto period_rows(const Run& run, const StatPeriod& period) {
  auto first = std::lower_bound(run.begin(), run.end(), period.from,
                                [](const auto& r, Timestamp t) { return r.t < t; });
  auto last = std::lower_bound(first, run.end(), period.until, [](const auto& r, Timestamp t) { return r.t < t; });
  return std::pair{first, last};
}
}  // namespace

std::int64_t LedgerIndexData::count(std::string_view type, const std::string& series, const UnitRange& units,
                                    const StatPeriod& period) const {
  std::int64_t n = 0;
  each_run(type, series, units, [&](const Run& run) {
    auto [first, last] = period_rows(run, period);
    n += last - first;
  });
  return n;
}

std::int64_t LedgerIndexData::sum(std::string_view type, const std::string& series, const UnitRange& units,
                                  const StatPeriod& period) const {
  std::int64_t total = 0;
  each_run(type, series, units, [&](const Run& run) {
    auto [first, last] = period_rows(run, period);
    for (auto r = first; r != last; ++r) total += r->value;
  });
  return total;
}

std::int64_t LedgerIndexData::overdue(std::string_view type, const UnitRange& units, Timestamp at) const {
  const TypeRows* rows = rows_of(type);
  const LedgerDefinition* definition = this->type(type);
  if (!rows || !definition) return 0;
  std::int64_t n = 0;
  for (const auto& [id, held] : rows->items) {
    const bool in_range = held.unit < 0 ? units.unplaced : (held.unit >= units.begin && held.unit < units.end);
    if (!in_range || held.item.history.empty() || held.item.history.front().at > at) continue;
    // The item as it stood at `at`: its history up to then.
    const LedgerItem* then = &held.item;
    LedgerItem truncated;
    if (held.item.history.back().at > at) {
      truncated = held.item;
      while (truncated.history.back().at > at) truncated.history.pop_back();
      truncated.state = truncated.history.back().to_state;
      then = &truncated;
    }
    const LedgerState* state = definition->state(then->state);
    if (!state || state->final) continue;
    for (const LedgerDue& due : ledger_dues(*definition, *then, at))
      if (due.state == LedgerDueState::kOverdue) {
        ++n;
        break;
      }
  }
  return n;
}

}  // namespace pingan::ledger
