#include "analytics/stats_overview.h"

#include <algorithm>

#include "analytics/index_data.h"

namespace pingan::analytics {
namespace {

StatsQuery overview_query(const UnitScope& scope, Timestamp from, Timestamp until, StatsGroup by,
                          StatsCompare compare) {
  StatsQuery q;
  q.filter.scope = scope;
  q.filter.from = from;
  q.filter.until = until;
  q.group_by = by;
  q.compare = compare;
  return q;
}

// Lines of a one-bucket answer keyed by group, filled with one comparison.
void take(const StatsResult& r, bool yoy, std::vector<OverviewLine>& lines) {
  for (const StatsCell& c : r.cells) {
    const StatsGroupInfo& g = r.groups[static_cast<std::size_t>(c.group)];
    auto it = std::find_if(lines.begin(), lines.end(), [&](const OverviewLine& l) { return l.code == g.code; });
    if (it == lines.end()) {
      OverviewLine& line = lines.emplace_back();
      line.code = g.code;
      line.name = g.name;
      it = lines.end() - 1;
    }
    it->count = c.count;
    if (c.rank) it->rank = *c.rank;
    if (yoy) {
      it->yoy_count = c.base.value_or(0);
      it->yoy_change = c.change.value_or(0);
      it->yoy_change_pct = c.change_pct;
    } else {
      it->previous_count = c.base.value_or(0);
      it->previous_change = c.change.value_or(0);
      it->previous_change_pct = c.change_pct;
    }
  }
}

}  // namespace

Result<CampaignOverview> campaign_overview(const IncidentIndex& index, const UnitScope& scope, Timestamp from,
                                           Timestamp until) {
  Result<CampaignOverview> out = Error::internal("the index was not read");
  // One read lock for all three answers, so that they describe one moment.
  index.read([&](const IndexData& data) {
    auto yoy = run_stats(data, overview_query(scope, from, until, StatsGroup::kClass, StatsCompare::kYearOnYear));
    if (!yoy.ok()) {
      out = yoy.error();
      return;
    }
    auto previous = run_stats(data, overview_query(scope, from, until, StatsGroup::kClass, StatsCompare::kPrevious));
    auto units = run_stats(data, overview_query(scope, from, until, StatsGroup::kUnit, StatsCompare::kYearOnYear));
    if (!previous.ok() || !units.ok()) {
      out = previous.ok() ? units.error() : previous.error();
      return;
    }
    CampaignOverview o;
    o.from = yoy->from;
    o.until = yoy->until;
    o.yoy_from = *yoy->compare_from;
    o.yoy_until = *yoy->compare_until;
    o.previous_from = *previous->compare_from;
    o.previous_until = *previous->compare_until;
    take(*yoy, true, o.classes);
    take(*previous, false, o.classes);
    for (OverviewLine& line : o.classes) line.rank = 0;  // classes are listed, not ranked
    o.total = OverviewLine{"", "合计", yoy->total, yoy->compare_total.value_or(0), yoy->change.value_or(0),
                           yoy->change_pct, previous->compare_total.value_or(0), previous->change.value_or(0),
                           previous->change_pct, 0};
    take(*units, true, o.units);
    std::stable_sort(o.units.begin(), o.units.end(),
                     [](const OverviewLine& a, const OverviewLine& b) { return a.rank < b.rank; });
    o.from_cube = yoy->from_cube && previous->from_cube && units->from_cube;
    out = std::move(o);
  });
  return out;
}

}  // namespace pingan::analytics
