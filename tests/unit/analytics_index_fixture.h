#pragma once
// What the index tests share: a small demo district and every figure an
// index gives for a spread of queries, as text, to compare two indexes.

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <string>

#include "analytics/aggregate.h"
#include "analytics/incident_index.h"
#include "analytics_aggregate_fixture.h"
#include "ingest/demo_district.h"
#include "test_support.h"

namespace pingan::testing {

inline ingest::DemoOptions small_demo() {
  ingest::DemoOptions options;
  options.first_day = CivilTime{2025, 1, 1};
  options.days = 45;
  return options;
}

// Every figure the index gives for a spread of queries over small_demo()'s days.
inline std::string answers(const analytics::IncidentIndex& index, const TimeZone& zone) {
  using analytics::StatsBucket;
  using analytics::StatsCompare;
  using analytics::StatsGroup;
  std::string out;
  const Timestamp from = local_time(zone, 2025, 1, 1), until = local_time(zone, 2025, 2, 15);
  for (StatsGroup g : {StatsGroup::kNone, StatsGroup::kClass, StatsGroup::kType, StatsGroup::kUnit, StatsGroup::kStatus})
    for (StatsBucket b : {StatsBucket::kNone, StatsBucket::kDay, StatsBucket::kHourOfDay}) {
      analytics::StatsQuery q;
      q.filter.from = from;
      q.filter.until = until;
      q.group_by = g;
      q.bucket = b;
      q.compare = StatsCompare::kPrevious;
      auto r = analytics::run_stats(index, q);
      EXPECT_TRUE(r.ok()) << r.error().describe();
      if (!r.ok()) continue;
      for (const auto& c : r->cells)
        out += fmt::format("{}/{}/{}:{}:{}\n", static_cast<int>(g), static_cast<int>(b),
                           r->groups[static_cast<std::size_t>(c.group)].code, c.count, c.base.value_or(-1));
    }
  return out;
}

}  // namespace pingan::testing
