#include "analytics/response_stats.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "analytics/aggregate.h"
#include "analytics/index_clock.h"
#include "analytics/request_cost.h"

namespace pingan::analytics {
namespace {

// Durations and mark counts of one group in one period.
class Accumulator {
 public:
  explicit Accumulator(std::size_t marks) : met_(marks, 0) {}

  void add(const ResponseDurations& d, const std::vector<ResponseMark>& marks,
           const std::vector<std::uint32_t>& limits) {
    ++incidents_;
    if (!d.responded()) return;
    ++responded_;
    for (int m = 0; m < kResponseMetricCount; ++m) {
      const std::uint32_t v = d.of(static_cast<ResponseMetric>(m));
      if (v != kNoDuration) values_[static_cast<std::size_t>(m)].push_back(v);
    }
    for (std::size_t k = 0; k < marks.size(); ++k) {
      const std::uint32_t v = d.of(marks[k].metric);
      if (v != kNoDuration && v <= limits[k]) ++met_[k];
    }
  }

  ResponseFigures finish() {
    ResponseFigures f;
    f.incidents = incidents_;
    f.responded = responded_;
    for (std::size_t m = 0; m < values_.size(); ++m) {
      std::vector<std::uint32_t>& v = values_[m];
      std::sort(v.begin(), v.end());
      f.durations[m].count = static_cast<std::int64_t>(v.size());
      f.durations[m].median_s = interpolated_quantile(v, 0.5);
      f.durations[m].p90_s = interpolated_quantile(v, 0.9);
      // v is sorted: each bucket is the run between two edges.
      for (std::size_t b = 0; b < kResponseHistogramEdgesS.size(); ++b) {
        const auto lo = std::lower_bound(v.begin(), v.end(), kResponseHistogramEdgesS[b]);
        const auto hi = b + 1 < kResponseHistogramEdgesS.size()
                            ? std::lower_bound(v.begin(), v.end(), kResponseHistogramEdgesS[b + 1])
                            : v.end();
        f.durations[m].histogram[b] = hi - lo;
      }
    }
    for (std::int64_t met : met_) {
      MarkShare s;
      s.met = met;
      if (responded_ > 0) s.share_pct = 100.0 * static_cast<double>(met) / static_cast<double>(responded_);
      f.marks.push_back(s);
    }
    return f;
  }

 private:
  std::int64_t incidents_ = 0, responded_ = 0;
  std::array<std::vector<std::uint32_t>, kResponseMetricCount> values_;
  std::vector<std::int64_t> met_;
};

ResponseComparison compare(const ResponseFigures& now, ResponseFigures base, Timestamp from, Timestamp until) {
  ResponseComparison c;
  c.from = from;
  c.until = until;
  c.incidents_change = now.incidents - base.incidents;
  c.incidents_change_pct = percent_change(now.incidents, base.incidents);
  for (std::size_t k = 0; k < now.marks.size(); ++k) {
    const auto& a = now.marks[k].share_pct;
    const auto& b = base.marks[k].share_pct;
    c.share_change_pp.push_back(a && b ? std::optional<double>(*a - *b) : std::nullopt);
  }
  for (std::size_t m = 0; m < now.durations.size(); ++m) {
    const auto& a = now.durations[m].median_s;
    const auto& b = base.durations[m].median_s;
    if (a && b) c.median_change_s[m] = *a - *b;
  }
  c.base = std::move(base);
  return c;
}

// Which unit numbers of the index a query sees, and their group.
struct UnitGroups {
  std::vector<std::int32_t> group_of_unit;  // -1: outside the scope
  std::vector<std::pair<std::string, std::string>> groups;  // code, name
  std::vector<bool> optional;  // shown only when it holds incidents
};

UnitGroups unit_groups(const std::vector<std::string>& codes, const UnitTree& tree, const UnitScope& scope,
                       bool by_unit) {
  UnitGroups g;
  std::unordered_map<std::string, std::int32_t> whole;      // a unit standing for its subtree
  std::unordered_map<std::string, std::int32_t> own_level;  // a split root's own records
  std::unordered_set<std::string> split;
  auto add = [&](std::string code, std::string name, bool optional) {
    g.groups.emplace_back(std::move(code), std::move(name));
    g.optional.push_back(optional);
    return static_cast<std::int32_t>(g.groups.size() - 1);
  };
  auto children_of = [&](const std::string& code) {
    std::vector<const Unit*> out;
    for (const Unit& u : tree.units())
      if (u.parent_code == code) out.push_back(&u);
    return out;
  };
  // A root's children stand for their subtrees, the root's own records form
  // an optional group; a root without children stands for itself.
  auto split_root = [&](const Unit& root) {
    auto children = children_of(root.code);
    if (children.empty()) {
      whole.emplace(root.code, add(root.code, root.name, false));
      return;
    }
    split.insert(root.code);
    for (const Unit* c : children) whole.emplace(c->code, add(c->code, c->name, false));
    own_level.emplace(root.code, add(root.code, root.name + "（本级）", true));
  };
  std::vector<std::string> roots = scope.root_codes;
  if (scope.all) {
    roots.clear();
    for (const Unit& u : tree.units())
      if (u.parent_code.empty()) roots.push_back(u.code);
  }
  if (by_unit) {
    if (!scope.all || roots.size() == 1) {
      for (const std::string& r : roots)
        if (const Unit* u = tree.find(r)) split_root(*u);
    } else {
      for (const std::string& r : roots) whole.emplace(r, add(r, tree.find(r)->name, false));
    }
  }
  const std::unordered_set<std::string> scope_roots(roots.begin(), roots.end());
  std::unordered_map<std::string, std::int32_t> outside;  // codes the tree lacks (unrestricted scope)
  for (const std::string& code : codes) {
    std::int32_t group = -1;
    if (tree.find(code)) {
      const std::vector<std::string> path = tree.path(code);
      bool in_scope = scope.all;
      for (std::size_t i = 0; i < path.size() && !in_scope; ++i) in_scope = scope_roots.count(path[i]) > 0;
      if (in_scope) {
        group = 0;
        if (by_unit) {
          group = -1;
          for (std::size_t i = 0; i < path.size() && group < 0; ++i) {
            if (split.count(path[i])) {
              group = i + 1 == path.size() ? own_level[path[i]] : whole[path[i + 1]];
            } else if (auto it = whole.find(path[i]); it != whole.end()) {
              group = it->second;
            }
          }
        }
      }
    } else if (scope.all) {
      group = 0;
      if (by_unit) {
        auto it = outside.find(code);
        if (it == outside.end())
          it = outside.emplace(code, add(code, code.empty() ? "未归属单位" : code, true)).first;
        group = it->second;
      }
    }
    g.group_of_unit.push_back(group);
  }
  return g;
}

// The first local day after `day` that starts a bucket.
DayNumber next_bucket_day(ResponseGroup g, DayNumber day) {
  if (g == ResponseGroup::kWeek) return day + 8 - iso_weekday(day);
  if (g == ResponseGroup::kMonth) {
    CivilTime c = civil_of_day(day);
    return c.month == 12 ? day_of_civil(c.year + 1, 1, 1) : day_of_civil(c.year, c.month + 1, 1);
  }
  return day + 1;
}

Result<std::vector<Timestamp>> bucket_bounds(const LocalClock& clock, ResponseGroup g, Timestamp from,
                                             Timestamp until) {
  const CostBudgets& budgets = CostBudgets::server();
  std::vector<Timestamp> bounds{from};
  for (DayNumber d = next_bucket_day(g, clock.local_day(from));; d = next_bucket_day(g, d)) {
    const Timestamp t = clock.day_start(d);
    if (t >= until) break;
    if (t > bounds.back()) bounds.push_back(t);
    if (bounds.size() > budgets.response_lines) {
      // Stop counting: the nominal number says by how much to shorten.
      const double bucket_days = g == ResponseGroup::kWeek ? 7 : g == ResponseGroup::kMonth ? 30.44 : 1;
      const double nominal = std::ceil(static_cast<double>(until - from) / 86400 / bucket_days);
      PINGAN_RETURN_IF_ERROR(price_response(std::max(nominal, budgets.response_lines + 1),
                                            response_group_name(g), budgets));
    }
  }
  bounds.push_back(until);
  return bounds;
}

std::string bucket_name(const LocalClock& clock, ResponseGroup g, Timestamp start) {
  const CivilTime c = clock.to_local(start);
  if (g == ResponseGroup::kMonth) return fmt::format("{:04}-{:02}", c.year, c.month);
  return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
}

}  // namespace

const char* response_group_name(ResponseGroup g) {
  switch (g) {
    case ResponseGroup::kNone: return "none";
    case ResponseGroup::kUnit: return "unit";
    case ResponseGroup::kDay: return "day";
    case ResponseGroup::kWeek: return "week";
    case ResponseGroup::kMonth: return "month";
  }
  return "?";
}

Result<ResponseGroup> parse_response_group(std::string_view text) {
  for (ResponseGroup g : {ResponseGroup::kNone, ResponseGroup::kUnit, ResponseGroup::kDay, ResponseGroup::kWeek,
                          ResponseGroup::kMonth})
    if (text == response_group_name(g)) return g;
  return Error::invalid("group_by", fmt::format("'{}' is not one of none, unit, day, week, month", text));
}

std::optional<double> interpolated_quantile(const std::vector<std::uint32_t>& sorted, double q) {
  if (sorted.empty()) return std::nullopt;
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(pos);
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  const double frac = pos - static_cast<double>(lo);
  return static_cast<double>(sorted[lo]) + frac * (static_cast<double>(sorted[hi]) - static_cast<double>(sorted[lo]));
}

Result<ResponseReport> response_report(const ResponseIndex& index, const ResponseStandard& standard,
                                       const UnitTree& units, const TimeZone& zone, const ResponseQuery& q) {
  if (q.from == 0 && q.until == 0) return Error::invalid("from", "the period is required");
  if (q.until <= q.from) return Error::invalid("to", "the end of the period must be after its start");
  const LocalClock clock(zone);
  ResponseReport report;
  report.standard = standard;
  report.group_by = q.group_by;
  report.from = q.from;
  report.until = q.until;

  // The lines and their three periods: current, 同比, 环比.
  const bool by_unit = q.group_by == ResponseGroup::kUnit;
  const bool by_time = !by_unit && q.group_by != ResponseGroup::kNone;
  std::vector<Timestamp> bounds{q.from, q.until};
  if (by_time) {
    PINGAN_ASSIGN_OR_RETURN(bounds, bucket_bounds(clock, q.group_by, q.from, q.until));
  }
  struct Period {
    Timestamp from, until;
  };
  auto periods_of = [&](Timestamp start, Timestamp end) {
    auto yoy = comparison_image(clock, StatsCompare::kYearOnYear, q.from, q.until, start, end);
    auto prev = comparison_image(clock, StatsCompare::kPrevious, q.from, q.until, start, end);
    return std::array<Period, 3>{Period{start, end}, Period{yoy.first, yoy.second}, Period{prev.first, prev.second}};
  };
  std::vector<std::array<Period, 3>> line_periods{periods_of(q.from, q.until)};  // [0] = total
  if (by_time)
    for (std::size_t i = 0; i + 1 < bounds.size(); ++i) line_periods.push_back(periods_of(bounds[i], bounds[i + 1]));

  const std::vector<ResponseMark>& marks = standard.marks;
  index.read([&](const ResponseColumns& cols) {
    const UnitGroups groups = unit_groups(cols.unit_codes, units, q.scope, by_unit);
    std::vector<std::vector<std::uint32_t>> limits;
    for (const std::string& code : cols.unit_codes) limits.push_back(standard.limits_for(code, units));
    // The scope's rows inside any period, by time, for range look-ups.
    Timestamp lo = q.from, hi = q.until;
    for (const auto& ps : line_periods)
      for (const Period& p : ps) {
        lo = std::min(lo, p.from);
        hi = std::max(hi, p.until);
      }
    std::vector<std::pair<Timestamp, std::uint32_t>> rows;
    for (std::size_t r = 0; r < cols.size(); ++r) {
      if (!cols.live(r) || cols.reported_at[r] < lo || cols.reported_at[r] >= hi) continue;
      if (groups.group_of_unit[cols.unit[r]] < 0) continue;
      rows.emplace_back(cols.reported_at[r], static_cast<std::uint32_t>(r));
    }
    std::sort(rows.begin(), rows.end());
    // Adds the rows of [from, until) to accumulators[group] (or [0] when ungrouped).
    auto gather = [&](const Period& p, std::vector<Accumulator>& acc, bool split_units) {
      auto first = std::lower_bound(rows.begin(), rows.end(), std::make_pair(p.from, std::uint32_t{0}));
      auto last = std::lower_bound(rows.begin(), rows.end(), std::make_pair(p.until, std::uint32_t{0}));
      for (auto it = first; it != last; ++it) {
        const std::uint16_t unit = cols.unit[it->second];
        const std::size_t slot = split_units ? static_cast<std::size_t>(groups.group_of_unit[unit]) : 0;
        acc[slot].add(cols.durations[it->second], marks, limits[unit]);
      }
    };
    auto make_line = [&](std::array<Accumulator, 3>& acc, const std::array<Period, 3>& ps, std::string code,
                         std::string name) {
      ResponseLine line;
      line.code = std::move(code);
      line.name = std::move(name);
      line.from = ps[0].from;
      line.until = ps[0].until;
      line.current = acc[0].finish();
      line.yoy = compare(line.current, acc[1].finish(), ps[1].from, ps[1].until);
      line.previous = compare(line.current, acc[2].finish(), ps[2].from, ps[2].until);
      return line;
    };
    for (std::size_t l = 0; l < line_periods.size(); ++l) {
      std::array<Accumulator, 3> acc{Accumulator(marks.size()), Accumulator(marks.size()), Accumulator(marks.size())};
      for (int k = 0; k < 3; ++k) {
        std::vector<Accumulator> one{std::move(acc[static_cast<std::size_t>(k)])};
        gather(line_periods[l][static_cast<std::size_t>(k)], one, false);
        acc[static_cast<std::size_t>(k)] = std::move(one[0]);
      }
      if (l == 0) {
        report.total = make_line(acc, line_periods[0], "", "合计");
      } else {
        const ResponseGroup g = q.group_by;
        report.groups.push_back(make_line(acc, line_periods[l], "", bucket_name(clock, g, line_periods[l][0].from)));
      }
    }
    if (!by_unit) return;
    // One pass per period distributes the rows to the unit groups.
    std::array<std::vector<Accumulator>, 3> per_group;
    for (int k = 0; k < 3; ++k) {
      per_group[static_cast<std::size_t>(k)].assign(groups.groups.size(), Accumulator(marks.size()));
      gather(line_periods[0][static_cast<std::size_t>(k)], per_group[static_cast<std::size_t>(k)], true);
    }
    for (std::size_t gi = 0; gi < groups.groups.size(); ++gi) {
      std::array<Accumulator, 3> acc{std::move(per_group[0][gi]), std::move(per_group[1][gi]),
                                     std::move(per_group[2][gi])};
      ResponseLine line = make_line(acc, line_periods[0], groups.groups[gi].first, groups.groups[gi].second);
      if (groups.optional[gi] && line.current.incidents == 0 && line.yoy.base.incidents == 0 &&
          line.previous.base.incidents == 0)
        continue;
      report.groups.push_back(std::move(line));
    }
  });
  return report;
}

}  // namespace pingan::analytics
