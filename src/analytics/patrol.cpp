#include "analytics/patrol.h"

#include <algorithm>
#include <cmath>

namespace pingan::analytics {
namespace {

constexpr std::int64_t kStationHistoryDays = 365;

std::vector<const Unit*> stations_in_scope(const UnitTree& tree, const UnitScope& scope) {
  std::vector<const Unit*> out;
  for (const Unit* u : units_in_scope(tree, scope))
    if (u->kind == UnitKind::kStation) out.push_back(u);
  return out;
}

std::vector<const Unit*> scope_roots(const UnitTree& tree, const UnitScope& scope) {
  std::vector<const Unit*> out;
  if (scope.all) {
    for (const Unit& u : tree.units())
      if (u.parent_code.empty()) out.push_back(&u);
  } else {
    for (const std::string& code : scope.root_codes)
      if (const Unit* u = tree.find(code)) out.push_back(u);
  }
  return out;
}

std::vector<const Unit*> children_of(const UnitTree& tree, const std::vector<const Unit*>& parents) {
  std::vector<const Unit*> out;
  for (const Unit& u : tree.units())
    for (const Unit* p : parents)
      if (u.parent_code == p->code) out.push_back(&u);
  return out;
}

StationPatrol plan_unit(const IncidentIndex& index, const UnitTree& tree, const Unit& station,
                        const ForecastResult& forecast, const PatrolRequest& request,
                        const Deadline& deadline) {
  StationPatrol sp;
  sp.unit_code = station.code;
  sp.unit_name = station.name;
  const UnitScope own = UnitScope::subtree(station.code);
  std::vector<const Boundary*> boundaries;
  for (const Unit* u : units_in_scope(tree, own))
    if (!u->boundary.empty()) boundaries.push_back(&u->boundary);
  std::vector<std::uint8_t> mask;
  if (!boundaries.empty()) {
    sp.cells_basis = "boundary";
    mask = cells_inside(forecast.grid, forecast.projection, boundaries, deadline);
  } else {
    sp.cells_basis = "incidents";
    mask.assign(static_cast<size_t>(forecast.grid.size()), 0);
    RowFilter f;
    f.scope = own;
    f.class_codes = request.class_codes;
    f.type_codes = request.type_codes;
    f.from = request.shift_start - kStationHistoryDays * 86400;
    f.until = request.shift_start;
    index.for_each_point(f, [&](const PointRow& row) {
      if (row.x == kNoPoint) return;
      const int c = forecast.grid.cell_of(row.x, row.y);
      if (c >= 0) mask[static_cast<size_t>(c)] = 1;
    });
  }
  std::vector<int> cells;
  for (int c = 0; c < forecast.grid.size(); ++c)
    if (mask[static_cast<size_t>(c)]) {
      cells.push_back(c);
      sp.expected_total += forecast.expected[static_cast<size_t>(c)];
    }
  sp.station_cells = static_cast<int>(cells.size());
  const size_t k = std::min(cells.size(), static_cast<size_t>(request.k));
  std::partial_sort(cells.begin(), cells.begin() + static_cast<std::ptrdiff_t>(k), cells.end(),
                    [&](int a, int b) {
                      const double ea = forecast.expected[static_cast<size_t>(a)];
                      const double eb = forecast.expected[static_cast<size_t>(b)];
                      return ea != eb ? ea > eb : a < b;
                    });
  double covered = 0;
  for (size_t i = 0; i < k; ++i) {
    const int c = cells[i];
    PatrolCell pc;
    pc.key = cell_key(forecast.grid, c);
    pc.centre = cell_centre_geo(forecast.grid, c, forecast.projection);
    pc.outline = cell_outline_geo(forecast.grid, c, forecast.projection);
    pc.expected = forecast.expected[static_cast<size_t>(c)];
    covered += pc.expected;
    pc.cumulative_share = sp.expected_total > 0 ? covered / sp.expected_total : 0;
    sp.cells.push_back(std::move(pc));
  }
  return sp;
}

}  // namespace

Result<PatrolPlan> suggest_patrols(const IncidentIndex& index, const PatrolRequest& request,
                                   const Deadline& deadline) {
  if (request.hours < 1 || request.hours > 24) return Error::invalid("hours", "must be 1..24");
  if (request.k < 1 || request.k > 100) return Error::invalid("k", "must be 1..100");
  ForecastRequest fr;
  fr.filter.scope = request.scope;
  fr.filter.class_codes = request.class_codes;
  fr.filter.type_codes = request.type_codes;
  fr.model = ForecastModelKind::kEtas;
  fr.window = ForecastWindow{request.shift_start / 60,
                             request.shift_start / 60 + request.hours * 60};
  fr.settings = request.settings;
  fr.budgets = request.budgets;
  fr.window_field = request.window_field;
  fr.cell_field = request.cell_field;
  PINGAN_ASSIGN_OR_RETURN(ForecastResult forecast, forecast_window(index, fr, deadline));

  PatrolPlan plan;
  plan.shift_start = request.shift_start;
  plan.shift_end = request.shift_start + request.hours * 3600;
  plan.model = forecast.model;
  plan.fit = forecast.fit;
  const auto tree = index.units();
  // Stations first; where they have no cells (St. Louis publishes no
  // district polygons and files its incidents under neighbourhoods), the
  // units one level below the scope, then the scope itself.
  const std::vector<const Unit*> roots = scope_roots(*tree, request.scope);
  const std::pair<const char*, std::vector<const Unit*>> levels[] = {
      {"stations", stations_in_scope(*tree, request.scope)},
      {"units_below_scope", children_of(*tree, roots)},
      {"scope", roots}};
  for (const auto& [level, units] : levels) {
    for (const Unit* unit : units) {
      StationPatrol sp = plan_unit(index, *tree, *unit, forecast, request, deadline);
      PINGAN_RETURN_IF_ERROR(deadline.check("the patrol plan"));
      if (sp.station_cells > 0) plan.stations.push_back(std::move(sp));
    }
    if (!plan.stations.empty()) {
      plan.planned_for = level;
      break;
    }
  }
  return plan;
}

}  // namespace pingan::analytics
