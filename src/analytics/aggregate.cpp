#include "analytics/aggregate.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "analytics/aggregate_plan.h"

namespace pingan::analytics {
namespace {

template <typename E, std::size_t N>
Result<E> parse_name(std::string_view text, const char* field, const std::pair<const char*, E> (&names)[N]) {
  std::string options;
  for (const auto& [name, value] : names) {
    if (text == name) return value;
    options += options.empty() ? name : std::string(", ") + name;
  }
  return Error::invalid(field, fmt::format("'{}' is not one of {}", text, options));
}

constexpr std::pair<const char*, StatsGroup> kGroupNames[] = {
    {"none", StatsGroup::kNone}, {"class", StatsGroup::kClass}, {"type", StatsGroup::kType},
    {"unit", StatsGroup::kUnit}, {"status", StatsGroup::kStatus}};
constexpr std::pair<const char*, StatsBucket> kBucketNames[] = {
    {"none", StatsBucket::kNone},   {"hour", StatsBucket::kHour},   {"day", StatsBucket::kDay},
    {"week", StatsBucket::kWeek},   {"month", StatsBucket::kMonth}, {"hour_of_day", StatsBucket::kHourOfDay},
    {"weekday", StatsBucket::kWeekday}};
constexpr std::pair<const char*, StatsCompare> kCompareNames[] = {
    {"none", StatsCompare::kNone}, {"yoy", StatsCompare::kYearOnYear}, {"previous", StatsCompare::kPrevious}};

template <typename E, std::size_t N>
const char* name_of(E value, const std::pair<const char*, E> (&names)[N]) {
  for (const auto& [name, v] : names)
    if (v == value) return name;
  return "?";
}

// Competition ranking of counts[0..n): 1 for the largest, ties share.
std::vector<int> competition_ranks(const std::vector<std::int64_t>& counts) {
  std::vector<std::size_t> order(counts.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return counts[a] > counts[b]; });
  std::vector<int> rank(counts.size(), 0);
  for (std::size_t k = 0; k < order.size(); ++k)
    rank[order[k]] = (k > 0 && counts[order[k]] == counts[order[k - 1]]) ? rank[order[k - 1]] : static_cast<int>(k) + 1;
  return rank;
}

void fill_change(std::int64_t count, std::int64_t base, std::optional<std::int64_t>* out_base,
                 std::optional<std::int64_t>* change, std::optional<double>* pct) {
  *out_base = base;
  *change = count - base;
  *pct = percent_change(count, base);
}

}  // namespace

const char* stats_group_name(StatsGroup g) { return name_of(g, kGroupNames); }
const char* stats_bucket_name(StatsBucket b) { return name_of(b, kBucketNames); }
const char* stats_compare_name(StatsCompare c) { return name_of(c, kCompareNames); }
Result<StatsGroup> parse_stats_group(std::string_view text) { return parse_name(text, "group_by", kGroupNames); }
Result<StatsBucket> parse_stats_bucket(std::string_view text) { return parse_name(text, "bucket", kBucketNames); }
Result<StatsCompare> parse_stats_compare(std::string_view text) {
  return parse_name(text, "compare", kCompareNames);
}

std::optional<double> percent_change(std::int64_t count, std::int64_t base) {
  if (base == 0) return std::nullopt;
  return 100.0 * static_cast<double>(count - base) / static_cast<double>(base);
}

Result<StatsResult> run_stats(const IncidentIndex& index, const StatsQuery& query) {
  Result<StatsResult> out = Error::internal("the index was not read");
  index.read([&](const IndexData& data) { out = run_stats(data, query); });
  return out;
}

Result<StatsResult> run_stats(const IndexData& data, const StatsQuery& query) {
  PINGAN_ASSIGN_OR_RETURN(StatsPlan plan, plan_stats(data, query));
  const std::size_t cells = plan.cells();
  std::vector<std::int64_t> counts(cells, 0), base(plan.has_compare() ? cells : 0, 0);
  const bool cube = cube_can_answer(data, plan);
  auto count = cube ? count_by_cube : count_by_scan;
  count(data, plan, plan.bounds, counts);
  std::int64_t compare_total = 0;
  if (plan.has_compare()) {
    // Calendar buckets: count the segments between the images' ends, then
    // add up the segments of each image. Folded or whole: one image, the bins.
    const bool calendar = !plan.folded() && plan.bucket != StatsBucket::kNone;
    const std::size_t per_bucket = plan.group_cells();
    std::vector<std::int64_t> segments(calendar ? (plan.compare_cuts.size() - 1) * per_bucket : cells, 0);
    count(data, plan, plan.compare_cuts, segments);
    // The comparison period's total is every segment once, even where
    // images overlap.
    compare_total = 0;
    for (std::int64_t n : segments) compare_total += n;
    if (!calendar) {
      base = std::move(segments);
    } else {
      for (std::size_t b = 0; b < plan.compare_starts.size(); ++b)
        for (std::size_t seg = plan.segment_begin[b]; seg < plan.segment_end[b]; ++seg)
          for (std::size_t c = 0; c < per_bucket; ++c) base[b * per_bucket + c] += segments[seg * per_bucket + c];
    }
  }

  StatsResult r;
  r.group_by = query.group_by;
  r.then_by = query.then_by;
  r.bucket = query.bucket;
  r.compare = query.compare;
  r.from = plan.bounds.front();
  r.until = plan.bounds.back();
  r.from_cube = cube;
  if (plan.has_compare()) {
    r.compare_from = plan.compare_starts.front();
    r.compare_until = plan.compare_ends.back();
  }

  // Optional groups (records on a root itself, or on no unit) appear only
  // when they hold records in either period.
  const std::size_t n_groups = plan.groups.groups.size(), n_sub = plan.subgroups.groups.size();
  const std::size_t per_bucket = n_groups * n_sub;
  auto holds_records = [&](std::size_t g, std::size_t s) {
    for (std::size_t i = g * n_sub + s; i < cells; i += per_bucket)
      if (counts[i] != 0 || (plan.has_compare() && base[i] != 0)) return true;
    return false;
  };
  std::vector<std::size_t> shown, shown_sub;
  for (std::size_t g = 0; g < n_groups; ++g) {
    bool keep = !plan.groups.optional[g];
    for (std::size_t s = 0; !keep && s < n_sub; ++s) keep = holds_records(g, s);
    if (keep) {
      shown.push_back(g);
      r.groups.push_back(plan.groups.groups[g]);
    }
  }
  for (std::size_t s = 0; s < n_sub; ++s) {
    bool keep = !plan.subgroups.optional[s];
    for (std::size_t g = 0; !keep && g < n_groups; ++g) keep = holds_records(g, s);
    if (keep) {
      shown_sub.push_back(s);
      r.subgroups.push_back(plan.subgroups.groups[s]);
    }
  }

  const int buckets = plan.bucket_count();
  r.cells.reserve(static_cast<std::size_t>(buckets) * shown.size() * shown_sub.size());
  for (int b = 0; b < buckets; ++b) {
    StatsBucketInfo info;
    const auto bi = static_cast<std::size_t>(b);
    if (plan.folded() || plan.bucket == StatsBucket::kNone) {
      info.start = r.from;
      info.end = r.until;
      if (plan.folded()) info.bin = plan.bucket == StatsBucket::kWeekday ? b + 1 : b;
      if (plan.has_compare() && plan.bucket == StatsBucket::kNone) {
        info.compare_start = r.compare_from;
        info.compare_end = r.compare_until;
      }
    } else {
      info.start = plan.bounds[bi];
      info.end = plan.bounds[bi + 1];
      if (plan.has_compare()) {
        info.compare_start = plan.compare_starts[bi];
        info.compare_end = plan.compare_ends[bi];
      }
    }
    r.buckets.push_back(info);

    const std::size_t first_cell = r.cells.size();
    for (std::size_t k = 0; k < shown.size(); ++k)
      for (std::size_t j = 0; j < shown_sub.size(); ++j) {
        const std::size_t i = bi * per_bucket + shown[k] * n_sub + shown_sub[j];
        StatsCell cell;
        cell.bucket = b;
        cell.group = static_cast<int>(k);
        cell.subgroup = static_cast<int>(j);
        cell.count = counts[i];
        if (plan.has_compare()) fill_change(counts[i], base[i], &cell.base, &cell.change, &cell.change_pct);
        r.total += cell.count;
        r.cells.push_back(std::move(cell));
      }
    // Ranks of the groups within each subgroup of this bucket.
    if (plan.group_by == StatsGroup::kNone) continue;
    for (std::size_t j = 0; j < shown_sub.size(); ++j) {
      std::vector<std::int64_t> column;
      for (std::size_t k = 0; k < shown.size(); ++k) column.push_back(r.cells[first_cell + k * shown_sub.size() + j].count);
      const std::vector<int> ranks = competition_ranks(column);
      for (std::size_t k = 0; k < shown.size(); ++k) r.cells[first_cell + k * shown_sub.size() + j].rank = ranks[k];
    }
  }
  if (plan.has_compare()) fill_change(r.total, compare_total, &r.compare_total, &r.change, &r.change_pct);
  return r;
}

std::int64_t count_rows(const IndexData& data, const RowFilter& filter) {
  if (filter.from >= filter.until) return 0;
  const bool bounded = filter.from != std::numeric_limits<Timestamp>::min() &&
                       filter.until != std::numeric_limits<Timestamp>::max();
  if (bounded) {
    StatsQuery q;
    q.filter = filter;
    // Unknown codes match nothing rather than failing a plain count.
    auto known = plan_stats(data, q);
    if (!known.ok()) return 0;
    std::vector<std::int64_t> counts(1, 0);
    if (cube_can_answer(data, *known))
      count_by_cube(data, *known, known->bounds, counts);
    else
      count_by_scan(data, *known, known->bounds, counts);
    return counts[0];
  }
  const ResolvedFilter f = resolve_filter(data, filter);
  std::int64_t n = 0;
  data.for_rows(f.units, filter.from, filter.until, [&](std::size_t r) { n += f.wants(data.rows, r); });
  return n;
}

}  // namespace pingan::analytics
