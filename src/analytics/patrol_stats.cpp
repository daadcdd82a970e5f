#include "analytics/patrol_stats.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <utility>

#include "analytics/incident_index.h"
#include "analytics/patrol.h"
#include "core/patrol_post.h"
#include "core/scope_match.h"
#include "engine/engine.h"

namespace pingan::analytics {
namespace {

using Cell = std::pair<std::int64_t, std::int64_t>;  // global column, row
constexpr double kSampleStepM = 20;  // along a track segment, well under a cell

bool is_vehicle(PatrolKind kind) { return kind == PatrolKind::kCar || kind == PatrolKind::kMotorcycle; }

// The forecast's top cells of the stations in scope for the day from `from`.
Result<std::set<Cell>> top_cells(const analytics::IncidentIndex& index, const PatrolStatsRequest& r,
                                 double* cell_m, const Deadline& deadline) {
  analytics::PatrolRequest plan_request;
  plan_request.scope = r.scope;
  plan_request.shift_start = r.from;
  plan_request.hours = static_cast<int>(std::clamp<Timestamp>((r.until - r.from + 3599) / 3600, 1, 24));
  plan_request.k = r.hotspot_cells;
  *cell_m = plan_request.settings.cell_m;
  plan_request.budgets = r.budgets;
  plan_request.window_field = "to";  // the shift's length follows the period's
  plan_request.cell_field = nullptr;  // fixed at 150 m
  PINGAN_ASSIGN_OR_RETURN(analytics::PatrolPlan plan, analytics::suggest_patrols(index, plan_request, deadline));
  std::set<Cell> cells;
  for (const auto& station : plan.stations)
    for (const auto& cell : station.cells) {
      long long col = 0, row = 0;
      // cell_key(): "<size>m:<col>:<row>"
      if (std::sscanf(cell.key.c_str(), "%*[^:]:%lld:%lld", &col, &row) == 2) cells.emplace(col, row);
    }
  return cells;
}

struct Period {
  Timestamp from, until;
};

Result<PatrolFigures> figures_for(Engine& engine, const analytics::IncidentIndex* index,
                                  const PatrolStatsRequest& r, Period period, bool with_hotspots,
                                  bool* has_data, const Deadline& deadline) {
  PatrolFigures f;
  auto tree = engine.units();
  const TimeZone& zone = engine.time_zone();

  PINGAN_ASSIGN_OR_RETURN(std::vector<PatrolShift> shifts, engine.list_shifts(period.from, period.until));
  std::erase_if(shifts, [&](const PatrolShift& s) { return !scope_holds(r.scope, s.station_code, *tree); });
  for (const PatrolShift& s : shifts) {
    ++f.shifts;
    f.officer_shifts += s.crew;
    if (is_vehicle(s.kind)) ++f.vehicle_shifts;
  }

  PINGAN_ASSIGN_OR_RETURN(std::vector<PatrolPost> posts, engine.list_posts());
  for (const PatrolPost& post : posts) {
    if (!scope_holds(r.scope, post.station_code, *tree)) continue;
    ++f.posts;
    bool staffed = false;
    for (const PatrolShift& s : shifts) {
      if (staffed) break;
      if (s.post_code != post.code) continue;
      // The post's hours start on the shift's first local day or the day before.
      const CivilTime day = zone.to_local(s.starts_at);
      for (Timestamp back : {Timestamp(0), Timestamp(86400)}) {
        const CivilTime d = zone.to_local(zone.to_utc(CivilTime{day.year, day.month, day.day, 12, 0, 0}) - back);
        const Timestamp hours_start = zone.to_utc(CivilTime{d.year, d.month, d.day, post.start_minute / 60,
                                                            post.start_minute % 60, 0});
        if (hours_start >= period.from && hours_start < period.until &&
            shift_covers_post_on(s, post, CivilTime{d.year, d.month, d.day, 0, 0, 0}, zone))
          staffed = true;
      }
    }
    if (staffed) ++f.posts_staffed;
  }

  // Distance: every stored track point of the scope's units in the period.
  PINGAN_ASSIGN_OR_RETURN(std::vector<PatrolUnit> units, engine.list_patrol_units());
  std::set<std::string> in_scope;
  for (const PatrolUnit& u : units)
    if (scope_holds(r.scope, u.station_code, *tree)) in_scope.insert(u.call_sign);
  PINGAN_ASSIGN_OR_RETURN(std::vector<UnitPosition> points, engine.list_track_points("", period.from, period.until));
  double metres = 0;
  for (std::size_t i = 1; i < points.size(); ++i)
    if (points[i].call_sign == points[i - 1].call_sign && in_scope.count(points[i].call_sign))
      metres += distance_m(points[i - 1].point, points[i].point);
  f.distance_km = metres / 1000;
  *has_data = f.shifts > 0 || !points.empty();

  if (!with_hotspots || !index) return f;
  double cell_m = 150;
  PINGAN_ASSIGN_OR_RETURN(std::set<Cell> cells, top_cells(*index, r, &cell_m, deadline));
  f.hotspot_cells = static_cast<std::int64_t>(cells.size());
  if (cells.empty()) return f;
  const analytics::LocalProjection& projection = index->projection();
  auto cell_of = [&](double x, double y) { return Cell{std::int64_t(std::floor(x / cell_m)), std::int64_t(std::floor(y / cell_m))}; };
  std::set<Cell> covered;
  // Track segments of a unit lying inside one of its shifts.
  std::map<std::string, std::vector<const PatrolShift*>> shifts_of;
  for (const PatrolShift& s : shifts) shifts_of[s.call_sign].push_back(&s);
  auto on_shift = [&](const std::string& call_sign, Timestamp a, Timestamp b) {
    auto it = shifts_of.find(call_sign);
    if (it == shifts_of.end()) return false;
    for (const PatrolShift* s : it->second)
      if (a >= s->starts_at && b <= s->ends_at) return true;
    return false;
  };
  for (std::size_t i = 1; i < points.size(); ++i) {
    const UnitPosition& a = points[i - 1];
    const UnitPosition& b = points[i];
    if (a.call_sign != b.call_sign || !in_scope.count(b.call_sign) || !on_shift(b.call_sign, a.at, b.at)) continue;
    std::int32_t ax, ay, bx, by;
    projection.to_metres(a.point, &ax, &ay);
    projection.to_metres(b.point, &bx, &by);
    const double length = std::hypot(double(bx - ax), double(by - ay));
    const int steps = std::max(1, static_cast<int>(std::ceil(length / kSampleStepM)));
    for (int k = 0; k <= steps; ++k) {
      const double t = double(k) / steps;
      const Cell c = cell_of(ax + (bx - ax) * t, ay + (by - ay) * t);
      if (cells.count(c)) covered.insert(c);
    }
  }
  f.hotspot_cells_covered = static_cast<std::int64_t>(covered.size());
  f.hotspot_coverage = double(covered.size()) / double(cells.size());
  return f;
}

}  // namespace

Timestamp one_year_earlier(Timestamp t, const TimeZone& zone) {
  CivilTime c = zone.to_local(t);
  c.year -= 1;
  if (c.month == 2 && c.day == 29) c.day = 28;
  return zone.to_utc(c);
}

Result<PatrolStats> compute_patrol_stats(Engine& engine, const analytics::IncidentIndex* index,
                                         const PatrolStatsRequest& request, const Deadline& deadline) {
  if (request.until <= request.from) return Error::invalid("to", "the end of the period must be after its start");
  if (request.until - request.from > 366 * 86400) return Error::invalid("to", "the period is longer than 366 days");
  if (request.hotspot_cells < 1 || request.hotspot_cells > 100)
    return Error::invalid("hotspot_cells", fmt::format("{} is outside 1..100", request.hotspot_cells));
  PatrolStats stats;
  stats.from = request.from;
  stats.until = request.until;
  bool has_data = false;
  PINGAN_ASSIGN_OR_RETURN(stats.current,
                          figures_for(engine, index, request, Period{request.from, request.until}, true, &has_data, deadline));
  stats.hotspot_model = index && stats.current.hotspot_cells > 0 ? "etas" : "none";
  if (request.compare_last_year) {
    const TimeZone& zone = engine.time_zone();
    PatrolStatsRequest earlier = request;
    earlier.from = one_year_earlier(request.from, zone);
    earlier.until = one_year_earlier(request.until, zone);
    bool earlier_data = false;
    PINGAN_ASSIGN_OR_RETURN(PatrolFigures last,
                            figures_for(engine, index, earlier, Period{earlier.from, earlier.until}, true, &earlier_data, deadline));
    if (earlier_data) stats.last_year = last;
  }
  return stats;
}

}  // namespace pingan::analytics
