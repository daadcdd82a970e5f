#pragma once
// The campaign overview a bulletin opens with: for a scope and a period,
// the totals by class with their 同比 (year on year) and 环比 (previous
// period) changes, and the ranking of the scope's child units with their
// 同比 change. "刑事警情、治安警情同比分别下降 14.93%、17.57%" is read off it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analytics/aggregate.h"
#include "analytics/incident_index.h"

namespace pingan::analytics {

struct OverviewLine {
  std::string code;  // class or unit code; "" for the total
  std::string name;
  std::int64_t count = 0;
  std::int64_t yoy_count = 0;
  std::int64_t yoy_change = 0;
  std::optional<double> yoy_change_pct;  // null when yoy_count is 0
  std::int64_t previous_count = 0;
  std::int64_t previous_change = 0;
  std::optional<double> previous_change_pct;
  int rank = 0;  // units: 1 = most records in the period (ties share)
};

struct CampaignOverview {
  Timestamp from = 0, until = 0;
  Timestamp yoy_from = 0, yoy_until = 0;
  Timestamp previous_from = 0, previous_until = 0;
  OverviewLine total;
  std::vector<OverviewLine> classes;  // taxonomy order
  std::vector<OverviewLine> units;    // by rank, then unit order
  bool from_cube = false;             // every figure came from the day cube
};

// Errors as run_stats (a missing or reversed period).
Result<CampaignOverview> campaign_overview(const IncidentIndex& index, const UnitScope& scope, Timestamp from,
                                           Timestamp until);

}  // namespace pingan::analytics
