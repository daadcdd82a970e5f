#pragma once
// The pingan side of bench/analytics: the IncidentIndex built from the
// generated rows, and the three queries through the same calls the HTTP API
// and the CLI make (run_stats for counts, the grid of grid.h for cells).

#include <fmt/format.h>

#include <map>
#include <memory>
#include <span>
#include <vector>

#include "analytics/aggregate.h"
#include "analytics/grid.h"
#include "analytics/hotspot.h"
#include "analytics/index_clock.h"
#include "analytics/incident_index.h"
#include "analytics/rising.h"
#include "analytics/stats_overview.h"
#include "dataset.h"
#include "timing.h"

namespace pingan::bench {

struct IndexBuild {
  double seconds = 0;
  std::int64_t rows = 0;
  std::size_t memory_bytes = 0;
};

// Feeds the rows to the index in batches through upsert_all, as the engine's
// listener does for a bulk import; ids are 1..n as a store would assign them.
inline IndexBuild build_index(analytics::IncidentIndex& index, const Dataset& d, const Taxonomy& taxonomy) {
  constexpr size_t kBatch = 50'000;
  std::vector<Incident> batch(kBatch);
  const auto start = std::chrono::steady_clock::now();
  for (size_t begin = 0; begin < d.rows.size(); begin += kBatch) {
    const size_t n = std::min(kBatch, d.rows.size() - begin);
    batch.resize(n);
    for (size_t i = 0; i < n; ++i) {
      const BenchRow& r = d.rows[begin + i];
      const IncidentType& type = taxonomy.types()[r.type];
      Incident& inc = batch[i];
      inc.id = static_cast<IncidentId>(begin + i + 1);
      inc.reported_at = r.t;
      inc.location = GeoPoint{r.lat, r.lon};
      inc.type_code = type.code;
      inc.class_code = type.class_code;
      inc.unit_code = d.unit_codes[r.unit];
      inc.status = static_cast<IncidentStatus>(r.status);
    }
    index.upsert_all(batch);
  }
  IndexBuild b;
  b.seconds = seconds_since(start);
  b.rows = index.size();
  b.memory_bytes = index.memory_bytes();
  return b;
}

// x/y of every row in the index's projection, so that SQL cells and the
// index's cells are the same squares.
inline void project_rows(Dataset& d, const analytics::LocalProjection& projection) {
  for (BenchRow& r : d.rows) projection.to_metres(GeoPoint{r.lat, r.lon}, &r.x, &r.y);
}

class PinganSide {
 public:
  PinganSide(const analytics::IncidentIndex& index, const QuerySpec& q) : index_(index), q_(q), grid_(station_grid()) {}

  // Q1: totals by class, with the same months a year earlier (同比).
  Answer q1() const {
    analytics::StatsQuery s;
    s.filter.from = q_.q1_from;
    s.filter.until = q_.q1_until;
    s.group_by = analytics::StatsGroup::kClass;
    s.compare = analytics::StatsCompare::kYearOnYear;
    const analytics::StatsResult r = analytics::run_stats(index_, s).value();
    Answer out;
    for (const analytics::StatsCell& c : r.cells) {
      const std::string& code = r.groups[static_cast<size_t>(c.group)].code;
      if (c.count > 0) out.emplace_back(code, "this", c.count);
      if (c.base.value_or(0) > 0) out.emplace_back(code, "last", *c.base);
    }
    return out;
  }

  // Q2: counts by community x type of one station: the station's child
  // units, then types within each (run_stats then_by).
  Answer q2() const {
    analytics::StatsQuery s;
    s.filter.scope = UnitScope::subtree(q_.station);
    s.filter.from = q_.q2_from;
    s.filter.until = q_.q2_until;
    s.group_by = analytics::StatsGroup::kUnit;
    s.then_by = analytics::StatsGroup::kType;
    const analytics::StatsResult r = analytics::run_stats(index_, s).value();
    Answer out;
    for (const analytics::StatsCell& c : r.cells)
      if (c.count > 0)
        out.emplace_back(r.groups[static_cast<size_t>(c.group)].code,
                         r.subgroups[static_cast<size_t>(c.subgroup)].code, c.count);
    return out;
  }

  // Q1 as a bulletin reads it (stats_overview.h): classes with 同比 and 环比,
  // and the stations ranked with their 同比.
  std::size_t overview() const {
    return analytics::campaign_overview(index_, UnitScope::everything(), q_.q1_from, q_.q1_until)
        .value()
        .units.size();
  }

  // Q3: counts per 150 m cell for one station and month: one pass over the
  // station-month's points (a contiguous run per community in the index),
  // binned on the aligned grid of grid.h that covers the station's boundary.
  Answer q3() const {
    analytics::RowFilter f;
    f.scope = UnitScope::subtree(q_.station);
    f.from = q_.q3_from;
    f.until = q_.q3_until;
    counts_.assign(static_cast<size_t>(grid_.size()), 0);
    outside_.clear();
    // Whole metres and whole-metre cell edges: integer arithmetic, and the
    // same cell as Grid::cell_of.
    const auto x0 = static_cast<std::int32_t>(grid_.min_x()), y0 = static_cast<std::int32_t>(grid_.min_y());
    const std::int32_t cell_m = q_.cell_metres, cols = grid_.cols(), rows = grid_.rows();
    index_.for_each_point(f, [&](const analytics::PointRow& p) {
      if (p.x == analytics::kNoPoint) return;
      const std::int32_t dx = p.x - x0, dy = p.y - y0;
      const std::int32_t col = dx / cell_m, row = dy / cell_m;
      if (dx >= 0 && dy >= 0 && col < cols && row < rows)
        ++counts_[static_cast<size_t>(row * cols + col)];
      else  // rounding can put a point a metre past the boundary's box
        ++outside_[{analytics::floor_div(p.x, cell_m), analytics::floor_div(p.y, cell_m)}];
    });
    Answer out;
    for (int cell = 0; cell < grid_.size(); ++cell)
      if (counts_[static_cast<size_t>(cell)] > 0)
        out.emplace_back(std::to_string(grid_.global_col(cell)), std::to_string(grid_.global_row(cell)),
                         counts_[static_cast<size_t>(cell)]);
    for (const auto& [key, n] : outside_)
      out.emplace_back(std::to_string(key.first), std::to_string(key.second), n);
    return out;
  }

  // Q3 as GET /api/hotspots?method=counts answers it: the same counts plus
  // each cell's key, centre and outline in WGS84 and the study area.
  std::size_t hotspot_map() const {
    analytics::HotspotRequest request;
    request.filter.scope = UnitScope::subtree(q_.station);
    request.filter.from = q_.q3_from;
    request.filter.until = q_.q3_until;
    request.method = analytics::HotspotMethod::kCounts;
    request.cell_m = q_.cell_metres;
    return analytics::compute_hotspots(index_, request).value().cells.size();
  }

  // What is rising, district-wide by station x type, in the 28 days before
  // the end of the data against the 12 windows before.
  std::int64_t rising(Timestamp at) const {
    analytics::RisingQuery q;
    q.by = analytics::RisingBy::kUnitType;
    q.at = at;
    return analytics::find_rising(index_, q, at).value().tested;
  }

 private:
  const analytics::IncidentIndex& index_;
  QuerySpec q_;
  // The grid over the station's boundary box, in the index's metres.
  analytics::Grid station_grid() const {
    const BoundingBox& box = index_.units()->find(q_.station)->boundary.bbox();
    std::int32_t x0, y0, x1, y1;
    index_.projection().to_metres(GeoPoint{box.min_lat, box.min_lon}, &x0, &y0);
    index_.projection().to_metres(GeoPoint{box.max_lat, box.max_lon}, &x1, &y1);
    return analytics::Grid::covering(x0, y0, x1, y1, q_.cell_metres).value();
  }

  analytics::Grid grid_;
  mutable std::vector<std::int64_t> counts_;  // reused between runs
  mutable std::map<std::pair<std::int64_t, std::int64_t>, std::int64_t> outside_;
};

}  // namespace pingan::bench
