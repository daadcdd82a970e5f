#include "case/case_index_data.h"

#include <algorithm>
#include <limits>

namespace pingan::cases {
namespace {

bool row_less(Timestamp t, std::int64_t v, Timestamp t2, std::int64_t v2) { return t < t2 || (t == t2 && v < v2); }

// A person figure reads values into a buffer of the reading thread, kept
// between queries: the period's rows are copied, never the dataset.
std::vector<std::int64_t>& distinct_buffer() {
  thread_local std::vector<std::int64_t> buffer;
  return buffer;
}

}  // namespace

CaseIndexData::CaseIndexData(CaseTypes types, std::shared_ptr<const UnitTree> units, TimeZone zone,
                             FraudMethods methods)
    : types_(std::move(types)), methods_(std::move(methods)), zone_(std::move(zone)), units_(std::move(units)) {
  reset();
}

void CaseIndexData::reset() {
  clear_rows();
  case_events_.clear();
  fugitive_events_.clear();
  task_events_.clear();
  units_ = UnitNumbering(units_.tree());
  // The file's types first, in file order, so that a type's number does not
  // depend on which records came first; codes only records carry follow.
  type_codes_.assign(1, std::string());
  type_methods_.assign(1, std::string());
  type_classes_.assign(1, CaseClass::kCriminal);
  slot_by_key_.clear();
  slots_by_code_.clear();
  slots_by_method_.clear();
  for (const CaseType& t : types_.types()) intern_type(t.code, std::string(), t.case_class);
}

std::uint16_t CaseIndexData::intern_type(const std::string& code, const std::string& method, CaseClass case_class) {
  std::string key = code;
  key += '\x1f';
  key += method;
  if (auto it = slot_by_key_.find(key); it != slot_by_key_.end()) return it->second;
  // 65,535 type-and-method slots is far beyond any type file; past it a case
  // counts as "no type" (in totals, in no type's or class's figure) rather
  // than failing.
  if (type_codes_.size() >= std::numeric_limits<std::uint16_t>::max()) return 0;
  const auto index = static_cast<std::uint16_t>(type_codes_.size());
  type_codes_.push_back(code);
  type_methods_.push_back(method);
  type_classes_.push_back(case_class);
  slot_by_key_.emplace(std::move(key), index);
  slots_by_code_[code].push_back(index);
  if (!method.empty()) slots_by_method_[method].push_back(index);
  return index;
}

namespace {
const std::vector<std::uint16_t>& slots_in(const std::unordered_map<std::string, std::vector<std::uint16_t>>& map,
                                           std::string_view key) {
  static const std::vector<std::uint16_t> kNone;
  auto it = map.find(std::string(key));
  return it == map.end() ? kNone : it->second;
}
}  // namespace

const std::vector<std::uint16_t>& CaseIndexData::type_slots(std::string_view code) const {
  return slots_in(slots_by_code_, code);
}

const std::vector<std::uint16_t>& CaseIndexData::method_slots(std::string_view method) const {
  return slots_in(slots_by_method_, method);
}

// --- records to events (the definitions are in case_figures.cpp) ---

std::vector<Event> CaseIndexData::derive(const CaseBundle& b) {
  const CaseRecord& r = b.record;
  const std::uint16_t type = intern_type(r.type_code, r.fraud_method, r.case_class);
  const int unit = units_.intern(r.unit_code);
  auto unit_or_case = [&](const std::string& code) { return code.empty() ? unit : units_.intern(code); };
  std::vector<Event> out;
  out.reserve(3 + b.measures.size() + b.money.size());
  // A withdrawn case (撤案: no crime after all) leaves the cases opened.
  if (r.status != CaseStatus::kWithdrawn) {
    out.push_back(Event{r.opened_at, r.id, unit, type, EventKind::kCaseOpened});
    if (r.money_involved_fen > 0)
      out.push_back(Event{r.opened_at, r.money_involved_fen, unit, type, EventKind::kCaseMoneyInvolved});
  }
  if (r.status == CaseStatus::kSolved && r.times.solved_at)
    out.push_back(Event{*r.times.solved_at, r.id, unit, type, EventKind::kCaseSolved});
  for (const Measure& m : b.measures)
    out.push_back(Event{m.at, m.person_id, unit_or_case(m.unit_code), type, measure_event(m.kind)});
  for (const FraudMoneyEntry& e : b.money) {
    EventKind kind = EventKind::kMoneyStopped;
    if (e.kind == FraudMoneyKind::kFrozen) kind = EventKind::kMoneyFrozen;
    if (e.kind == FraudMoneyKind::kReturned) kind = EventKind::kMoneyReturned;
    out.push_back(Event{e.at, e.amount_fen, unit_or_case(e.unit_code), type, kind});
  }
  return out;
}

std::vector<Event> CaseIndexData::derive(const Fugitive& f) {
  std::vector<Event> out;
  const int listing_unit = units_.intern(f.listing_unit);
  out.push_back(Event{f.listed_at, f.id, listing_unit, 0, EventKind::kFugitiveListed});
  if (f.status == FugitiveStatus::kCaught && f.caught_at) {
    // Old or new once and for all, by the year of the capture (fugitive_age.h).
    const bool old = f.listed_at < local_year_start(*f.caught_at, zone_);
    const int unit = f.caught_by_unit.empty() ? listing_unit : units_.intern(f.caught_by_unit);
    out.push_back(Event{*f.caught_at, f.id, unit, 0,
                        old ? EventKind::kFugitiveCaughtOld : EventKind::kFugitiveCaughtNew});
  }
  return out;
}

std::vector<Event> CaseIndexData::derive(const DissuasionTask& task) {
  std::vector<Event> out;
  const int unit = units_.intern(task.unit_code);
  out.push_back(Event{task.issued_at, task.id, unit, 0, EventKind::kDissuasionIssued});
  // Only a task whose end is still "dissuaded": one defrauded later has left.
  if (task.status == DissuasionStatus::kDissuaded && task.times.dissuaded_at)
    out.push_back(Event{*task.times.dissuaded_at, task.id, unit, 0, EventKind::kDissuaded});
  return out;
}

// --- rows ---

void CaseIndexData::clear_rows() {
  kinds_.assign(static_cast<std::size_t>(kEventKindCount), KindRows{});
  multi_.assign(static_cast<std::size_t>(kEventKindCount), KindRows{});
  persons_.assign(static_cast<std::size_t>(kEventKindCount), {});
}

CaseIndexData::Run& CaseIndexData::run_of(std::vector<KindRows>& table, const Event& e) {
  KindRows& k = table[static_cast<std::size_t>(e.kind)];
  std::vector<Run>* by_type = &k.unplaced;
  if (e.unit >= 0) {
    if (k.by_unit.size() <= static_cast<std::size_t>(e.unit)) k.by_unit.resize(static_cast<std::size_t>(e.unit) + 1);
    by_type = &k.by_unit[static_cast<std::size_t>(e.unit)];
  }
  if (by_type->size() <= e.type) by_type->resize(static_cast<std::size_t>(e.type) + 1);
  return (*by_type)[e.type];
}

void CaseIndexData::insert_row(Run& run, const Event& e, bool bulk) {
  if (bulk || run.empty() || !row_less(e.t, e.value, run.back().t, run.back().value)) {
    run.push_back(Row{e.t, e.value});
    return;
  }
  auto at = std::lower_bound(run.begin(), run.end(), e,
                             [](const Row& r, const Event& x) { return row_less(r.t, r.value, x.t, x.value); });
  run.insert(at, Row{e.t, e.value});
}

void CaseIndexData::erase_row(Run& run, const Event& e, bool bulk) {
  // Rows equal in time and value are alike, so removing any one of them is
  // removing this event's.
  if (bulk) {
    // Runs may be unsorted until finish_bulk(); a record twice in one batch is rare.
    auto at = std::find_if(run.begin(), run.end(), [&](const Row& r) { return r.t == e.t && r.value == e.value; });
    if (at != run.end()) run.erase(at);
    return;
  }
  auto at = std::lower_bound(run.begin(), run.end(), e,
                             [](const Row& r, const Event& x) { return row_less(r.t, r.value, x.t, x.value); });
  if (at != run.end() && at->t == e.t && at->value == e.value) run.erase(at);
}

void CaseIndexData::insert(const Event& e, bool bulk) {
  if (aggregate_of(e.kind) != Aggregate::kDistinct) {
    insert_row(run_of(kinds_, e), e, bulk);
    return;
  }
  PersonRows& p = persons_[static_cast<std::size_t>(e.kind)][e.value];
  if (p.rows == 0) {
    insert_row(run_of(kinds_, e), e, bulk);
    p.has_single = true;
    p.single = e;
  } else {
    if (p.has_single) {  // a second row: the first joins the persons to sort
      erase_row(run_of(kinds_, p.single), p.single, bulk);
      insert_row(run_of(multi_, p.single), p.single, bulk);
      p.has_single = false;
    }
    insert_row(run_of(multi_, e), e, bulk);
  }
  ++p.rows;
}

void CaseIndexData::erase(const Event& e, bool bulk) {
  if (aggregate_of(e.kind) != Aggregate::kDistinct) {
    erase_row(run_of(kinds_, e), e, bulk);
    return;
  }
  auto& persons = persons_[static_cast<std::size_t>(e.kind)];
  auto it = persons.find(e.value);
  if (it == persons.end()) return;
  PersonRows& p = it->second;
  const Event& s = p.single;
  if (p.has_single && s.t == e.t && s.unit == e.unit && s.type == e.type) {
    erase_row(run_of(kinds_, e), e, bulk);
    p.has_single = false;
  } else {
    erase_row(run_of(multi_, e), e, bulk);
  }
  if (--p.rows == 0) persons.erase(it);
}

void CaseIndexData::replace(std::vector<Event>& held, std::vector<Event> now, bool bulk) {
  for (const Event& e : held) erase(e, bulk);
  for (const Event& e : now) insert(e, bulk);
  held = std::move(now);
}

void CaseIndexData::apply(const CaseBundle& bundle, bool bulk) {
  replace(case_events_[bundle.record.id], derive(bundle), bulk);
}

void CaseIndexData::apply(const Fugitive& fugitive, bool bulk) {
  replace(fugitive_events_[fugitive.id], derive(fugitive), bulk);
}

void CaseIndexData::apply(const DissuasionTask& task, bool bulk) {
  replace(task_events_[task.id], derive(task), bulk);
}

void CaseIndexData::finish_bulk() {
  auto by_row = [](const Row& a, const Row& b) { return row_less(a.t, a.value, b.t, b.value); };
  auto sort_all = [&](std::vector<Run>& by_type) {
    for (Run& run : by_type)
      if (!std::is_sorted(run.begin(), run.end(), by_row)) std::sort(run.begin(), run.end(), by_row);
  };
  for (auto* table : {&kinds_, &multi_})
    for (KindRows& k : *table) {
      for (std::vector<Run>& by_type : k.by_unit) sort_all(by_type);
      sort_all(k.unplaced);
    }
}

void CaseIndexData::set_units(std::shared_ptr<const UnitTree> units) {
  if (units == units_.tree()) return;
  UnitNumbering next(std::move(units));
  auto renumber = [&](std::unordered_map<std::int64_t, std::vector<Event>>& held) {
    for (auto& [id, events] : held)
      for (Event& e : events)
        if (e.unit >= 0) e.unit = next.intern(units_.code(e.unit));
  };
  renumber(case_events_);
  renumber(fugitive_events_);
  renumber(task_events_);
  units_ = std::move(next);
  clear_rows();
  for (auto* held : {&case_events_, &fugitive_events_, &task_events_})
    for (const auto& [id, events] : *held)
      for (const Event& e : events) insert(e, true);
  finish_bulk();
}

// --- reading ---

std::int64_t CaseIndexData::evaluate(EventKind kind, const Selection& sel, const StatPeriod& period) const {
  const Aggregate aggregate = aggregate_of(kind);
  std::vector<std::int64_t>& persons = distinct_buffer();
  persons.clear();
  std::int64_t total = 0;
  // Rows of the period in one run: the span between two binary searches.
  auto span_of = [&](const Run& run) -> std::pair<Run::const_iterator, Run::const_iterator> {
    if (run.empty() || run.back().t < period.from || run.front().t >= period.until) return {run.end(), run.end()};
    auto first = std::lower_bound(run.begin(), run.end(), period.from,
                                  [](const Row& r, Timestamp t) { return r.t < t; });
    auto last = std::lower_bound(first, run.end(), period.until, [](const Row& r, Timestamp t) { return r.t < t; });
    return {first, last};
  };
  auto count_run = [&](const Run& run) {
    auto [first, last] = span_of(run);
    total += last - first;
  };
  auto sum_run = [&](const Run& run) {
    auto [first, last] = span_of(run);
    for (auto it = first; it != last; ++it) total += it->value;
  };
  auto collect_run = [&](const Run& run) {
    auto [first, last] = span_of(run);
    for (auto it = first; it != last; ++it) persons.push_back(it->value);
  };
  auto read = [&](const KindRows& k, auto&& read_run) {
    auto read_unit = [&](const std::vector<Run>& by_type) {
      if (sel.all_types) {
        for (const Run& run : by_type) read_run(run);
        return;
      }
      for (std::uint16_t t : sel.types) {
        if (t >= by_type.size()) break;  // types are sorted
        read_run(by_type[t]);
      }
    };
    const int end = std::min(sel.unit_end, static_cast<int>(k.by_unit.size()));
    for (int u = std::max(sel.unit_begin, 0); u < end; ++u) read_unit(k.by_unit[static_cast<std::size_t>(u)]);
    if (sel.unplaced) read_unit(k.unplaced);
  };
  const KindRows& rows = kinds_[static_cast<std::size_t>(kind)];
  switch (aggregate) {
    case Aggregate::kCount:
      read(rows, count_run);
      break;
    case Aggregate::kSum:
      read(rows, sum_run);
      break;
    case Aggregate::kDistinct: {
      read(rows, count_run);  // persons with one row: one each
      read(multi_[static_cast<std::size_t>(kind)], collect_run);
      std::sort(persons.begin(), persons.end());
      total += std::unique(persons.begin(), persons.end()) - persons.begin();
      break;
    }
  }
  return total;
}

std::int64_t CaseIndexData::rows() const {
  std::int64_t n = 0;
  for (const auto* table : {&kinds_, &multi_})
    for (const KindRows& k : *table) {
      for (const auto& by_type : k.by_unit)
        for (const Run& run : by_type) n += static_cast<std::int64_t>(run.size());
      for (const Run& run : k.unplaced) n += static_cast<std::int64_t>(run.size());
    }
  return n;
}

std::size_t CaseIndexData::memory_bytes() const {
  std::size_t bytes = 0;
  for (const auto* table : {&kinds_, &multi_})
    for (const KindRows& k : *table) {
      for (const auto& by_type : k.by_unit) {
        bytes += by_type.capacity() * sizeof(Run);
        for (const Run& run : by_type) bytes += run.capacity() * sizeof(Row);
      }
      for (const Run& run : k.unplaced) bytes += run.capacity() * sizeof(Row);
    }
  // A hash node per person of each person kind: the entry, a pointer and the bucket.
  for (const auto& persons : persons_)
    bytes += persons.size() * (sizeof(std::int64_t) + sizeof(PersonRows) + 2 * sizeof(void*));
  for (const auto* held : {&case_events_, &fugitive_events_, &task_events_})
    for (const auto& [id, events] : *held) bytes += sizeof(id) + 32 + events.capacity() * sizeof(Event);
  return bytes;
}

}  // namespace pingan::cases
