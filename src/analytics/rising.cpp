#include "analytics/rising.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "analytics/aggregate.h"
#include "analytics/index_data.h"

namespace pingan::analytics {
namespace {

constexpr Timestamp kDay = 86'400;
constexpr Timestamp kMaxWindow = 366 * kDay;
constexpr Timestamp kMaxSeasonalWindow = 121 * kDay;  // three windows a year must not overlap

bool groups_by_unit(RisingBy by) {
  return by == RisingBy::kUnit || by == RisingBy::kUnitType || by == RisingBy::kUnitClass;
}
bool groups_by_type(RisingBy by) { return by == RisingBy::kType || by == RisingBy::kUnitType; }
bool groups_by_class(RisingBy by) { return by == RisingBy::kClass || by == RisingBy::kUnitClass; }

// The units a series can belong to: the children of each scope root (a root
// without children stands for itself). Records attached to a root itself
// belong to no child and are left out of the unit series.
Result<std::vector<const Unit*>> unit_groups(const UnitTree& tree, const UnitScope& scope) {
  std::vector<std::string> roots;
  if (scope.all) {
    for (const Unit& u : tree.units())
      if (u.parent_code.empty()) roots.push_back(u.code);
  } else {
    for (const std::string& code : scope.root_codes) {
      if (!tree.find(code)) return Error::not_found(fmt::format("unit {} does not exist", code));
      roots.push_back(code);
    }
  }
  std::vector<const Unit*> out;
  for (const std::string& root : roots) {
    bool has_children = false;
    for (const Unit& u : tree.units()) {
      if (u.parent_code != root) continue;
      has_children = true;
      out.push_back(&u);
    }
    if (!has_children) out.push_back(tree.find(root));
  }
  return out;
}

// Series keys met in the counts, in order of first appearance.
class Categories {
 public:
  size_t index_of(const StatsGroupInfo& info) {
    auto [it, fresh] = by_code_.emplace(info.code, codes_.size());
    if (fresh) {
      codes_.push_back(info.code);
      names_.push_back(info.name);
    }
    return it->second;
  }
  size_t size() const { return codes_.size(); }
  const std::string& code(size_t i) const { return codes_[i]; }
  const std::string& name(size_t i) const { return names_[i]; }

 private:
  std::unordered_map<std::string, size_t> by_code_;
  std::vector<std::string> codes_, names_;
};

// counts[window][group] is a map category -> rows, kept dense per window.
using WindowCounts = std::vector<std::vector<std::vector<std::int64_t>>>;

// The instant `days` local calendar days later at the same wall time.
Timestamp shift_local_days(Timestamp t, std::int64_t days, const TimeZone& zone) {
  const Timestamp wall = civil_to_utc(zone.to_local(t)) + days * kDay;
  return zone.to_utc(utc_to_civil(wall));
}

// The window `k` lengths earlier: by whole local days when the window spans
// whole local days (so a window of midnights stays on midnights across a
// daylight-saving change), else by seconds.
RisingWindow shift_window(RisingWindow w, std::int64_t k, const TimeZone& zone) {
  const Timestamp wall_length = civil_to_utc(zone.to_local(w.until)) - civil_to_utc(zone.to_local(w.from));
  if (wall_length % kDay == 0) {
    const std::int64_t days = wall_length / kDay;
    return {shift_local_days(w.from, -k * days, zone), shift_local_days(w.until, -k * days, zone)};
  }
  const Timestamp length = w.until - w.from;
  return {w.from - k * length, w.until - k * length};
}

// Windows to compare with, newest first.
std::vector<RisingWindow> history_windows(const RisingQuery& q, RisingWindow window,
                                          const TimeZone& zone) {
  std::vector<RisingWindow> out;
  if (q.baseline == RisingBaseline::kPreviousWindows) {
    for (int k = 1; k <= q.history_windows; ++k) out.push_back(shift_window(window, k, zone));
    return out;
  }
  // The same window of a past year starts on the same local date and lasts
  // as long as this one (Feb 2024 is not 29 days against a 28-day Feb 2025).
  const Timestamp wall_length =
      civil_to_utc(zone.to_local(window.until)) - civil_to_utc(zone.to_local(window.from));
  for (int y = 1; y <= q.history_years; ++y) {
    const Timestamp from = shift_local_years(window.from, -y, zone);
    const RisingWindow same{from, wall_length % kDay == 0
                                      ? shift_local_days(from, wall_length / kDay, zone)
                                      : from + (window.until - window.from)};
    out.push_back(shift_window(same, -1, zone));
    out.push_back(same);
    out.push_back(shift_window(same, 1, zone));
  }
  return out;
}

// The last local midnight at or before t.
Timestamp local_midnight(Timestamp t, const TimeZone& zone) {
  const CivilTime c = zone.to_local(t);
  return zone.to_utc(CivilTime{c.year, c.month, c.day, 0, 0, 0});
}

// The end of the default window: the local midnight after the day of the
// scope's last record up to `now`, but no later than `now` (a live system
// gets `now`; a historical import its last day). The last day is found by
// counting [day, tomorrow) for days further and further back, then
// bisecting; whole days are answered by the index's day cube.
Timestamp default_at(const IncidentIndex& index, const UnitScope& scope, Timestamp now) {
  const TimeZone& zone = index.zone();
  const Timestamp end = shift_local_days(local_midnight(now, zone), 1, zone);
  auto has_rows_since = [&](std::int64_t days_back) {
    RowFilter f;
    f.scope = scope;
    f.from = shift_local_days(end, -days_back, zone);
    f.until = end;
    return index.count(f) > 0;
  };
  // The last record is on day end - k for the smallest k with rows in
  // [end - k, end). (An open-ended count would scan every row: the cube
  // answers whole days only.)
  constexpr std::int64_t kMaxDaysBack = std::int64_t{1} << 17;  // 358 years
  std::int64_t hi = 1;
  while (!has_rows_since(hi)) {
    if (hi >= kMaxDaysBack) return now;  // nothing in the scope
    hi *= 2;
  }
  std::int64_t lo = hi / 2;  // no rows in [end - lo, end)
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    (has_rows_since(mid) ? hi : lo) = mid;
  }
  return std::min(now, shift_local_days(end, -(hi - 1), zone));
}

}  // namespace

const char* rising_by_name(RisingBy by) {
  switch (by) {
    case RisingBy::kType: return "type";
    case RisingBy::kClass: return "class";
    case RisingBy::kUnit: return "unit";
    case RisingBy::kUnitType: return "unit_type";
    case RisingBy::kUnitClass: return "unit_class";
  }
  return "type";
}

Result<RisingBy> parse_rising_by(std::string_view name) {
  for (RisingBy by : {RisingBy::kType, RisingBy::kClass, RisingBy::kUnit, RisingBy::kUnitType,
                      RisingBy::kUnitClass})
    if (name == rising_by_name(by)) return by;
  return Error::invalid("by", fmt::format("'{}' is not one of type, class, unit, unit_type, unit_class", name));
}

const char* rising_baseline_name(RisingBaseline baseline) {
  return baseline == RisingBaseline::kPreviousWindows ? "previous" : "past_years";
}

Result<RisingBaseline> parse_rising_baseline(std::string_view name) {
  if (name == "previous") return RisingBaseline::kPreviousWindows;
  if (name == "past_years") return RisingBaseline::kSameWindowPastYears;
  return Error::invalid("baseline", fmt::format("'{}' is not one of previous, past_years", name));
}

Status validate_rising_query(const RisingQuery& q) {
  if (q.history_windows < 1 || q.history_windows > 104)
    return Error::invalid("windows", fmt::format("{} is outside 1..104", q.history_windows));
  if (q.history_years < 1 || q.history_years > 10)
    return Error::invalid("years", fmt::format("{} is outside 1..10", q.history_years));
  if (!(q.alpha > 0 && q.alpha < 1))
    return Error::invalid("alpha", fmt::format("{} is outside (0, 1)", q.alpha));
  if (q.from.has_value() != q.until.has_value())
    return Error::invalid(q.from ? "to" : "from", "from and to go together");
  if (q.from) {
    if (*q.from >= *q.until) return Error::invalid("to", "must be after from");
    if (*q.until - *q.from > kMaxWindow) return Error::invalid("to", "the window is longer than 366 days");
    if (q.baseline == RisingBaseline::kSameWindowPastYears && *q.until - *q.from > kMaxSeasonalWindow)
      return Error::invalid("to", "past_years needs a window of at most 121 days (a third of a year)");
  }
  return {};
}

Timestamp shift_local_years(Timestamp t, int years, const TimeZone& zone) {
  CivilTime local = zone.to_local(t);
  local.year += years;
  if (local.month == 2 && local.day == 29 && !is_valid_civil(local)) local.day = 28;
  return zone.to_utc(local);
}

Result<RisingReport> find_rising(const IncidentIndex& index, const RisingQuery& query, Timestamp now,
                                 const Deadline& deadline) {
  PINGAN_RETURN_IF_ERROR(validate_rising_query(query));
  RisingReport report;
  report.by = query.by;
  report.baseline = query.baseline;
  report.alpha = query.alpha;
  if (query.from) {
    report.window = {*query.from, *query.until};
  } else {
    // Whole local days: the 28 days before the day of `at`.
    const Timestamp at = query.at ? *query.at : default_at(index, query.scope, now);
    const Timestamp until = local_midnight(at, index.zone());
    report.window = {shift_local_days(until, -kDefaultRisingDays, index.zone()), until};
  }

  // The scopes counted: the child units, or the whole scope.
  const bool by_unit = groups_by_unit(query.by);
  std::vector<const Unit*> groups;
  std::shared_ptr<const UnitTree> tree = index.units();  // keeps the Unit pointers alive
  if (by_unit) {
    if (!tree) return Error::not_found("there are no units");
    PINGAN_ASSIGN_OR_RETURN(groups, unit_groups(*tree, query.scope));
  }
  const size_t group_count = by_unit ? groups.size() : 1;
  StatsGroup category_by = StatsGroup::kNone;
  if (groups_by_type(query.by)) category_by = StatsGroup::kType;
  if (groups_by_class(query.by)) category_by = StatsGroup::kClass;

  // Window 0 is the current one, then the history newest first, then the probe.
  std::vector<RisingWindow> windows{report.window};
  for (const RisingWindow& w : history_windows(query, report.window, index.zone())) windows.push_back(w);
  RisingWindow oldest = windows[1];
  for (const RisingWindow& w : windows)
    if (w.from < oldest.from) oldest = w;
  windows.push_back(shift_window(oldest, 1, index.zone()));  // the probe
  // The price: every window counts every series (classes are at most as
  // many as types).
  const double category_bound = category_by == StatsGroup::kNone ? 1 : index.type_count();
  PINGAN_RETURN_IF_ERROR(price_rising(static_cast<double>(windows.size()),
                                      static_cast<double>(group_count) * category_bound, query.budgets));

  // One aggregation per window (units, then types or classes within each),
  // all under one read lock so that every window sees the same records;
  // whole-day windows come from the index's day cube. Unit groups the
  // aggregation adds for records on a scope root itself or on no unit are
  // not series.
  std::unordered_map<std::string, size_t> group_of_code;
  for (size_t g = 0; g < groups.size(); ++g) group_of_code.emplace(groups[g]->code, g);
  Categories categories;
  WindowCounts counts(windows.size(), std::vector<std::vector<std::int64_t>>(group_count));
  std::vector<std::int64_t> window_total(windows.size(), 0);
  Status failed;
  index.read([&](const IndexData& data) {
    for (size_t w = 0; w < windows.size(); ++w) {
      if (deadline.expired()) {
        failed = deadline.check("the rising test");
        return;
      }
      StatsQuery stats;
      stats.filter.scope = query.scope;
      stats.filter.from = windows[w].from;
      stats.filter.until = windows[w].until;
      stats.group_by = by_unit ? StatsGroup::kUnit : category_by;
      stats.then_by = by_unit ? category_by : StatsGroup::kNone;
      Result<StatsResult> r = run_stats(data, stats);
      if (!r.ok()) {
        failed = r.error();
        return;
      }
      for (const StatsCell& cell : r->cells) {
        if (cell.count == 0) continue;
        window_total[w] += cell.count;
        size_t g = 0;
        const StatsGroupInfo* category = &r->groups[static_cast<size_t>(cell.group)];
        if (by_unit) {
          auto it = group_of_code.find(r->groups[static_cast<size_t>(cell.group)].code);
          if (it == group_of_code.end()) continue;
          g = it->second;
          category = &r->subgroups[static_cast<size_t>(cell.subgroup)];
        }
        const size_t c = categories.index_of(*category);
        std::vector<std::int64_t>& row = counts[w][g];
        if (row.size() <= c) row.resize(c + 1, 0);
        row[c] += cell.count;
      }
    }
  });
  PINGAN_RETURN_IF_ERROR(failed);
  auto count_at = [&](size_t w, size_t g, size_t c) -> std::int64_t {
    const auto& row = counts[w][g];
    return c < row.size() ? row[c] : 0;
  };

  // History must not reach back before the data: a window is used when the
  // scope's records began on or before its first local day. If the probe
  // (the window before the oldest) holds rows, they began before them all;
  // otherwise the first record is in the oldest window with rows.
  Timestamp data_begin = std::numeric_limits<Timestamp>::min();
  if (window_total.back() == 0) {
    std::optional<RisingWindow> first_with_rows;
    for (size_t w = 0; w < windows.size(); ++w)
      if (window_total[w] > 0 && (!first_with_rows || windows[w].from < first_with_rows->from))
        first_with_rows = windows[w];
    if (first_with_rows) {
      RowFilter oldest_rows;
      oldest_rows.scope = query.scope;
      oldest_rows.from = first_with_rows->from;
      oldest_rows.until = first_with_rows->until;
      std::int64_t first_minute = std::numeric_limits<std::int64_t>::max();
      index.for_each_point(oldest_rows, [&](const PointRow& row) {
        first_minute = std::min<std::int64_t>(first_minute, row.minute);
      });
      if (first_minute != std::numeric_limits<std::int64_t>::max())
        data_begin = local_midnight(first_minute * 60, index.zone());
    }
  }
  std::vector<size_t> used;
  for (size_t w = 1; w + 1 < windows.size(); ++w) {
    if (windows[w].from >= data_begin) {
      used.push_back(w);
      report.history.push_back(windows[w]);
    } else {
      report.dropped.push_back(windows[w]);
    }
  }
  // No usable history (the window is at the start of the data): nothing
  // can be tested, and the report says so with every window dropped.
  if (used.empty()) return report;

  std::vector<SeriesCounts> counted;
  for (size_t g = 0; g < group_count; ++g) {
    for (size_t c = 0; c < categories.size(); ++c) {
      SeriesCounts sc;
      sc.observed = count_at(0, g, c);
      std::int64_t any = sc.observed;
      for (size_t w : used) {
        sc.history.push_back(count_at(w, g, c));
        any += sc.history.back();
      }
      if (any == 0) continue;  // a series with no record at all is no series
      RisingSeries s;
      if (by_unit) {
        s.unit_code = groups[g]->code;
        s.unit_name = groups[g]->name;
      }
      if (groups_by_type(query.by)) {
        s.type_code = categories.code(c);
        s.type_name = categories.name(c);
      } else if (groups_by_class(query.by)) {
        s.class_code = categories.code(c);
        s.class_name = categories.name(c);
      }
      s.history = sc.history;
      report.series.push_back(std::move(s));
      counted.push_back(std::move(sc));
    }
  }

  const std::vector<ScoredSeries> scored = score_all(counted, query.alpha);
  for (size_t i = 0; i < scored.size(); ++i) {
    RisingSeries& s = report.series[i];
    s.score = scored[i].score;
    s.q = scored[i].q;
    s.rising = scored[i].rising;
    if (s.rising) ++report.flagged;
  }
  report.tested = static_cast<std::int64_t>(report.series.size());
  std::stable_sort(report.series.begin(), report.series.end(),
                   [](const RisingSeries& a, const RisingSeries& b) {
                     return more_significant(a.score, b.score);
                   });
  return report;
}

}  // namespace pingan::analytics
