#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "analytics/aggregate_plan.h"
#include "analytics/request_cost.h"

namespace pingan::analytics {
namespace {

// --- comparison periods ---

Timestamp year_earlier(const LocalClock& clock, Timestamp t) {
  CivilTime c = clock.to_local(t);
  c.year -= 1;
  if (c.month == 2 && c.day == 29) c.day = 28;
  return clock.to_utc(c);
}

Timestamp days_earlier(const LocalClock& clock, Timestamp t, DayNumber days) {
  CivilTime c = clock.to_local(t);
  CivilTime date = civil_of_day(day_of_civil(c.year, c.month, c.day) - days);
  c.year = date.year;
  c.month = date.month;
  c.day = date.day;
  return clock.to_utc(c);
}

// The comparison image of an interval [start, end): its first instant and
// its last one mapped, so that a day ending at midnight maps to a whole day
// (28 February 2024 -> all of 28 February 2023, not a day cut short by the
// image of 29 February).
struct Mapper {
  const LocalClock& clock;
  StatsCompare compare;
  Timestamp from, until;
  bool whole_days;
  DayNumber days;

  Mapper(const LocalClock& c, StatsCompare k, Timestamp f, Timestamp u)
      : clock(c), compare(k), from(f), until(u), whole_days(c.is_day_start(f) && c.is_day_start(u)),
        days(c.local_day(u) - c.local_day(f)) {}
  Timestamp map(Timestamp t) const {
    if (compare == StatsCompare::kYearOnYear) return year_earlier(clock, t);
    return whole_days ? days_earlier(clock, t, days) : t - (until - from);
  }
  Timestamp map_start(Timestamp start) const { return map(start); }
  Timestamp map_end(Timestamp end) const { return map(end - 1) + 1; }
};

}  // namespace

std::pair<Timestamp, Timestamp> comparison_image(const LocalClock& clock, StatsCompare compare, Timestamp from,
                                                 Timestamp until, Timestamp start, Timestamp end) {
  const Mapper m(clock, compare, from, until);
  return {m.map_start(start), m.map_end(end)};
}

namespace {

void plan_comparison(const LocalClock& clock, StatsPlan& plan) {
  const Mapper m(clock, plan.compare, plan.bounds.front(), plan.bounds.back());
  const bool calendar = !plan.folded() && plan.bucket != StatsBucket::kNone;
  if (calendar) {
    for (std::size_t i = 0; i + 1 < plan.bounds.size(); ++i) {
      plan.compare_starts.push_back(m.map_start(plan.bounds[i]));
      plan.compare_ends.push_back(m.map_end(plan.bounds[i + 1]));
    }
  } else {
    plan.compare_starts = {m.map_start(plan.bounds.front())};
    plan.compare_ends = {m.map_end(plan.bounds.back())};
  }
  std::vector<Timestamp>& cuts = plan.compare_cuts;
  cuts = plan.compare_starts;
  cuts.insert(cuts.end(), plan.compare_ends.begin(), plan.compare_ends.end());
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  for (std::size_t i = 0; i < plan.compare_starts.size(); ++i) {
    plan.segment_begin.push_back(
        static_cast<std::size_t>(std::lower_bound(cuts.begin(), cuts.end(), plan.compare_starts[i]) - cuts.begin()));
    plan.segment_end.push_back(
        static_cast<std::size_t>(std::lower_bound(cuts.begin(), cuts.end(), plan.compare_ends[i]) - cuts.begin()));
  }
}

// --- calendar buckets ---

// The first instant after t that starts a local hour.
Timestamp next_hour_start(const LocalClock& clock, Timestamp t) {
  const std::int64_t local = t + clock.offset_seconds(t);
  return t + 3600 - (local - floor_div(local, 3600) * 3600);
}

// The first day after `day` that starts a bucket.
DayNumber next_bucket_day(StatsBucket bucket, DayNumber day) {
  switch (bucket) {
    case StatsBucket::kWeek:
      return day + 8 - iso_weekday(day);
    case StatsBucket::kMonth: {
      CivilTime c = civil_of_day(day);
      return c.month == 12 ? day_of_civil(c.year + 1, 1, 1) : day_of_civil(c.year, c.month + 1, 1);
    }
    default:
      return day + 1;
  }
}

// A calendar bucket's usual length, to say how many a period would need.
double nominal_seconds(StatsBucket bucket) {
  switch (bucket) {
    case StatsBucket::kHour: return 3600;
    case StatsBucket::kWeek: return 7 * 86400;
    case StatsBucket::kMonth: return 30.44 * 86400;
    default: return 86400;
  }
}

Result<std::vector<Timestamp>> calendar_bounds(const LocalClock& clock, StatsBucket bucket, Timestamp from,
                                               Timestamp until, std::size_t max_buckets) {
  std::vector<Timestamp> bounds{from};
  auto too_many = [&] {
    return Error::invalid("bucket", fmt::format("more than {} {} buckets: shorten the period or use a coarser bucket",
                                                max_buckets, stats_bucket_name(bucket)));
  };
  // Each step adds a bound, so the loops stop after max_buckets steps at most.
  if (bucket == StatsBucket::kHour) {
    for (Timestamp t = next_hour_start(clock, from); t < until; t = next_hour_start(clock, t)) {
      bounds.push_back(t);
      if (bounds.size() > max_buckets) return too_many();
    }
  } else {
    for (DayNumber d = next_bucket_day(bucket, clock.local_day(from));; d = next_bucket_day(bucket, d)) {
      Timestamp t = clock.day_start(d);
      if (t >= until) break;
      if (t > bounds.back()) bounds.push_back(t);
      if (bounds.size() > max_buckets) return too_many();
    }
  }
  bounds.push_back(until);
  return bounds;
}

// --- groups ---

// The groups of one grouping and, per value of its dimension (unit
// dimension, type index or status), the group it falls in (-1: none).
struct Grouping {
  GroupList list;
  std::vector<std::int32_t> index;
};

Grouping unit_grouping(const IndexData& data, const UnitScope& scope, const ResolvedFilter& f) {
  const UnitCatalog& cat = data.catalog;
  Grouping g;
  g.index.assign(static_cast<std::size_t>(data.unit_dims()), -1);
  auto add_group = [&](std::string code, std::string name, bool optional) {
    g.list.groups.push_back(StatsGroupInfo{std::move(code), std::move(name), ""});
    g.list.optional.push_back(optional);
    return static_cast<std::int32_t>(g.list.groups.size() - 1);
  };
  auto assign = [&](int begin, int end, std::int32_t group) {
    for (int d = begin; d < end; ++d) g.index[static_cast<std::size_t>(d)] = group;
  };
  // A root's children each stand for their subtree; a root without children
  // stands for itself; records on the root itself form an optional group.
  auto split_root = [&](int root) {
    std::vector<int> children = cat.children(root);
    if (children.empty()) {
      assign(root, cat.subtree_end(root), add_group(cat.at(root).code, cat.at(root).name, false));
      return;
    }
    for (int c : children) assign(c, cat.subtree_end(c), add_group(cat.at(c).code, cat.at(c).name, false));
    assign(root, root + 1, add_group(cat.at(root).code, cat.at(root).name + "（本级）", true));
  };
  if (!scope.all) {
    for (const auto& [begin, end] : f.units.ranges) split_root(begin);
    return g;
  }
  std::vector<int> roots = cat.roots();
  if (roots.size() == 1) {
    split_root(roots.front());
  } else {
    for (int r : roots) assign(r, cat.subtree_end(r), add_group(cat.at(r).code, cat.at(r).name, false));
  }
  // Codes outside the tree and records with no unit.
  const int tree_end = roots.empty() ? 0 : cat.subtree_end(roots.back());
  if (tree_end < data.unit_dims()) assign(tree_end, data.unit_dims(), add_group("", "未归属单位", true));
  return g;
}

Grouping grouping(const IndexData& data, StatsGroup by, const UnitScope& scope, const ResolvedFilter& f) {
  Grouping g;
  auto add = [&](StatsGroupInfo info) {
    g.list.groups.push_back(std::move(info));
    g.list.optional.push_back(false);
    return static_cast<std::int32_t>(g.list.groups.size() - 1);
  };
  switch (by) {
    case StatsGroup::kNone:
      add(StatsGroupInfo{"", "合计", "total"});
      break;
    case StatsGroup::kClass:
      g.index.assign(256, -1);
      for (std::size_t c = 0; c < data.classes.size(); ++c) {
        std::int32_t group = -1;
        for (std::size_t t = 0; t < data.types.size(); ++t) {
          if (!f.type_wanted[t] || data.class_of_type[t] != c) continue;
          if (group < 0) group = add(StatsGroupInfo{data.classes[c].code, data.classes[c].name_zh, ""});
          g.index[t] = group;
        }
      }
      break;
    case StatsGroup::kType:
      g.index.assign(256, -1);
      for (std::size_t t = 0; t < data.types.size(); ++t)
        if (f.type_wanted[t])
          g.index[t] = add(StatsGroupInfo{data.types[t].code, data.types[t].name_zh, data.types[t].name_en});
      break;
    case StatsGroup::kUnit:
      return unit_grouping(data, scope, f);
    case StatsGroup::kStatus:
      g.index.assign(256, -1);
      for (IncidentStatus s : kAllStatuses) {
        const auto bit = static_cast<unsigned>(s);
        if (f.status_mask >> bit & 1u) g.index[bit] = add(StatsGroupInfo{status_name(s), status_name_zh(s), ""});
      }
      break;
  }
  return g;
}

// Adds a grouping's offsets (its group index times `stride`) to the table of
// its dimension; values in no group are excluded.
void add_offsets(StatsGroup by, const Grouping& g, std::int32_t stride, StatsPlan& plan) {
  auto add = [&](std::int32_t* part, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) part[i] += g.index[i] >= 0 ? g.index[i] * stride : kExcluded;
  };
  switch (by) {
    case StatsGroup::kNone:
      return;
    case StatsGroup::kClass:
    case StatsGroup::kType:
      return add(plan.type_part.data(), plan.type_part.size());
    case StatsGroup::kUnit:
      return add(plan.unit_part.data(), plan.unit_part.size());
    case StatsGroup::kStatus:
      return add(plan.status_part.data(), plan.status_part.size());
  }
}

void plan_groups(const IndexData& data, const StatsQuery& query, StatsPlan& plan) {
  const ResolvedFilter& f = plan.filter;
  // The filter first: unwanted types and statuses (and dead rows) are excluded.
  plan.unit_part.assign(static_cast<std::size_t>(data.unit_dims()), 0);
  for (std::size_t t = 0; t < plan.type_part.size(); ++t) plan.type_part[t] = f.type_wanted[t] ? 0 : kExcluded;
  for (std::size_t s = 0; s < plan.status_part.size(); ++s)
    plan.status_part[s] = s < 8 && (f.status_mask >> s & 1u) ? 0 : kExcluded;

  Grouping outer = grouping(data, query.group_by, query.filter.scope, f);
  Grouping inner = grouping(data, query.then_by, query.filter.scope, f);
  const auto stride = static_cast<std::int32_t>(inner.list.groups.size());
  add_offsets(query.group_by, outer, stride, plan);
  add_offsets(query.then_by, inner, 1, plan);
  plan.groups = std::move(outer.list);
  plan.subgroups = std::move(inner.list);
}

}  // namespace

Result<StatsPlan> plan_stats(const IndexData& data, const StatsQuery& query) {
  const RowFilter& rf = query.filter;
  if (rf.from == std::numeric_limits<Timestamp>::min())
    return Error::invalid("from", "the start of the period is required");
  if (rf.until == std::numeric_limits<Timestamp>::max())
    return Error::invalid("to", "the end of the period is required");
  if (rf.until <= rf.from) return Error::invalid("to", "the end of the period must be after its start");
  for (const std::string& c : rf.class_codes) {
    bool known = false;
    for (const IncidentClass& k : data.classes) known = known || k.code == c;
    if (!known) return Error::invalid("class", fmt::format("unknown class '{}'", c));
  }
  for (const std::string& t : rf.type_codes)
    if (!data.type_by_code.count(t)) return Error::invalid("type", fmt::format("unknown type '{}'", t));

  if (query.then_by != StatsGroup::kNone &&
      (query.group_by == StatsGroup::kNone || query.then_by == query.group_by))
    return Error::invalid("then_by", "needs a different group_by");

  StatsPlan plan;
  plan.group_by = query.group_by;
  plan.then_by = query.then_by;
  plan.bucket = query.bucket;
  plan.compare = query.compare;
  plan.filter = resolve_filter(data, rf);
  plan_groups(data, query, plan);

  // The price (request_cost.h): buckets x groups x subgroups, counted
  // before any row is.
  const CostBudgets& budgets = CostBudgets::server();
  const double period_days = static_cast<double>(rf.until - rf.from) / 86400;
  const auto group_cells = static_cast<double>(plan.group_cells());
  const std::size_t max_buckets =
      static_cast<std::size_t>(budgets.stats_cells) / std::max<std::size_t>(1, plan.group_cells());
  switch (query.bucket) {
    case StatsBucket::kNone:
      plan.bounds = {rf.from, rf.until};
      break;
    case StatsBucket::kHourOfDay:
      plan.bounds = {rf.from, rf.until};
      plan.bins = 24;
      break;
    case StatsBucket::kWeekday:
      plan.bounds = {rf.from, rf.until};
      plan.bins = 7;
      break;
    default: {
      auto bounds = calendar_bounds(data.clock, query.bucket, rf.from, rf.until, max_buckets);
      if (!bounds.ok()) {
        // More buckets than fit: the nominal count (at least one too many).
        const double nominal = std::ceil(static_cast<double>(rf.until - rf.from) / nominal_seconds(query.bucket));
        const double buckets = std::max(nominal, static_cast<double>(max_buckets) + 1);
        PINGAN_RETURN_IF_ERROR(
            price_stats(buckets, group_cells, stats_bucket_name(query.bucket), period_days, budgets));
        return bounds.error();
      }
      plan.bounds = std::move(bounds).value();
    }
  }
  PINGAN_RETURN_IF_ERROR(price_stats(plan.bucket_count(), group_cells,
                                     plan.folded() || plan.bucket == StatsBucket::kNone ? ""
                                                                                        : stats_bucket_name(plan.bucket),
                                     period_days, budgets));
  if (plan.has_compare()) plan_comparison(data.clock, plan);
  return plan;
}

}  // namespace pingan::analytics
