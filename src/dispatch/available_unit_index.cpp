#include "dispatch/available_unit_index.h"

#include <algorithm>
#include <cmath>

namespace pingan::dispatch {
namespace {

// Planar distance may exceed the great-circle one by a few per cent away from
// the plane's origin; ring bounds are shrunk by this much so that no unit
// whose true ETA is better is left unvisited.
constexpr double kPlanarSlack = 0.97;

std::uint64_t cell_key(std::int32_t cx, std::int32_t cy) {
  return (std::uint64_t(std::uint32_t(cx)) << 32) | std::uint32_t(cy);
}

bool better(const RankedUnit& a, const RankedUnit& b) {
  return a.eta_s < b.eta_s || (a.eta_s == b.eta_s && a.slot < b.slot);
}

}  // namespace

LocalPlane::LocalPlane(GeoPoint o) : origin(o) {
  constexpr double kMetresPerDegree = 6371008.8 * M_PI / 180.0;
  metres_per_deg_lat = kMetresPerDegree;
  metres_per_deg_lon = kMetresPerDegree * std::cos(o.lat * M_PI / 180.0);
}

// A bounded max-heap of the best k so far (worst on top).
struct AvailableUnitIndex::Heap {
  std::size_t k;
  std::vector<RankedUnit> items;
  bool full() const { return items.size() >= k; }
  double worst_eta() const { return items.front().eta_s; }
  void offer(const RankedUnit& r) {
    auto worse = [](const RankedUnit& a, const RankedUnit& b) { return better(a, b); };
    if (!full()) {
      items.push_back(r);
      std::push_heap(items.begin(), items.end(), worse);
    } else if (better(r, items.front())) {
      std::pop_heap(items.begin(), items.end(), worse);
      items.back() = r;
      std::push_heap(items.begin(), items.end(), worse);
    }
  }
  std::vector<RankedUnit> sorted() && {
    std::sort(items.begin(), items.end(), better);
    return std::move(items);
  }
};

void AvailableUnitIndex::Grid::insert(std::uint32_t slot, std::int32_t cx, std::int32_t cy) {
  if (where.size() <= slot) where.resize(slot + 1);
  auto& cell = cells[cell_key(cx, cy)];
  where[slot] = Location{cell_key(cx, cy), std::uint32_t(cell.size()), true};
  cell.push_back(slot);
  ++count;
  min_cx = std::min(min_cx, cx);
  max_cx = std::max(max_cx, cx);
  min_cy = std::min(min_cy, cy);
  max_cy = std::max(max_cy, cy);
}

void AvailableUnitIndex::Grid::erase(std::uint32_t slot) {
  if (slot >= where.size() || !where[slot].present) return;
  Location& loc = where[slot];
  auto it = cells.find(loc.cell);
  auto& cell = it->second;
  const std::uint32_t moved = cell.back();
  cell[loc.pos] = moved;
  where[moved].pos = loc.pos;
  cell.pop_back();
  if (cell.empty()) cells.erase(it);
  loc.present = false;
  --count;
}

AvailableUnitIndex::AvailableUnitIndex(std::optional<GeoPoint> origin, RankingSpeeds speeds, double cell_m)
    : plane_(origin.value_or(GeoPoint{})), origin_set_(origin.has_value()), speeds_(speeds), cell_m_(cell_m) {}

std::int32_t AvailableUnitIndex::cell_of(double metres) const {
  return static_cast<std::int32_t>(std::floor(metres / cell_m_));
}

AvailableUnitIndex::KindGrids& AvailableUnitIndex::grids_for(const std::string& role) { return grids_[role]; }

const AvailableUnitIndex::KindGrids* AvailableUnitIndex::find_grids(const std::string& role) const {
  auto it = grids_.find(role);
  return it == grids_.end() ? nullptr : &it->second;
}

void AvailableUnitIndex::place(std::uint32_t slot, PatrolKind kind, const std::vector<std::string>& roles,
                               const GeoPoint& p) {
  if (!origin_set_) {
    plane_ = LocalPlane(p);
    origin_set_ = true;
  }
  if (members_.size() <= slot) members_.resize(slot + 1);
  Member& m = members_[slot];
  const std::int32_t cx = cell_of(plane_.x(p)), cy = cell_of(plane_.y(p));
  const std::uint64_t key = cell_key(cx, cy);
  if (!m.present) {
    m.kind = kind;
    m.roles = roles;
  }
  const int k = static_cast<int>(m.kind);
  auto put = [&](Grid& grid) {
    if (m.present && slot < grid.where.size() && grid.where[slot].present) {
      if (grid.where[slot].cell == key) return;
      grid.erase(slot);
    }
    grid.insert(slot, cx, cy);
  };
  put(grids_for("")[k]);
  for (const auto& role : m.roles) put(grids_for(role)[k]);
  m.point = p;
  if (!m.present) ++size_;
  m.present = true;
}

void AvailableUnitIndex::remove(std::uint32_t slot) {
  if (!contains(slot)) return;
  Member& m = members_[slot];
  const int k = static_cast<int>(m.kind);
  grids_for("")[k].erase(slot);
  for (const auto& role : m.roles) grids_for(role)[k].erase(slot);
  m.present = false;
  --size_;
}

void AvailableUnitIndex::search(const Grid& grid, PatrolKind kind, const GeoPoint& q, Heap& heap) const {
  if (grid.count == 0) return;
  const double spm = speeds_.seconds_per_metre(kind);
  const double qx = plane_.x(q), qy = plane_.y(q);
  const std::int32_t cx = cell_of(qx), cy = cell_of(qy);
  const double fx = qx - cx * cell_m_, fy = qy - cy * cell_m_;
  const double edge = std::min(std::min(fx, cell_m_ - fx), std::min(fy, cell_m_ - fy));
  auto visit_cell = [&](std::int32_t x, std::int32_t y) {
    auto it = grid.cells.find(cell_key(x, y));
    if (it == grid.cells.end()) return;
    for (std::uint32_t slot : it->second) {
      const double d = distance_m(q, members_[slot].point);
      heap.offer(RankedUnit{slot, d, d * spm});
    }
  };
  for (std::int32_t r = 0;; ++r) {
    if (r > 0 && heap.full()) {
      // Every point of ring r lies outside the square of rings 0..r-1.
      const double ring_min_m = (r - 1) * cell_m_ + edge;
      if (ring_min_m * kPlanarSlack * spm > heap.worst_eta()) return;
    }
    const std::int32_t x0 = cx - r, x1 = cx + r, y0 = cy - r, y1 = cy + r;
    if (x0 < grid.min_cx && x1 > grid.max_cx && y0 < grid.min_cy && y1 > grid.max_cy) {
      if (r > 0) return;  // the rings have covered every occupied cell
    }
    if (r == 0) {
      visit_cell(cx, cy);
      continue;
    }
    const std::int32_t lo_x = std::max(x0, grid.min_cx), hi_x = std::min(x1, grid.max_cx);
    const std::int32_t lo_y = std::max(y0 + 1, grid.min_cy), hi_y = std::min(y1 - 1, grid.max_cy);
    for (std::int32_t y : {y0, y1})
      if (y >= grid.min_cy && y <= grid.max_cy)
        for (std::int32_t x = lo_x; x <= hi_x; ++x) visit_cell(x, y);
    for (std::int32_t x : {x0, x1})
      if (x >= grid.min_cx && x <= grid.max_cx)
        for (std::int32_t y = lo_y; y <= hi_y; ++y) visit_cell(x, y);
  }
}

std::vector<RankedUnit> AvailableUnitIndex::nearest(const GeoPoint& q, std::size_t k, std::optional<PatrolKind> kind,
                                                    const std::string& role) const {
  if (k == 0) return {};
  const KindGrids* grids = find_grids(role);
  if (!grids) return {};
  Heap heap{k, {}};
  heap.items.reserve(k);
  if (kind) {
    search((*grids)[static_cast<int>(*kind)], *kind, q, heap);
  } else {
    // Fastest kinds first: their units fill the heap with good ETAs, so the
    // slower kinds' rings are cut off early.
    std::array<int, kPatrolKindCount> order;
    for (int i = 0; i < kPatrolKindCount; ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](int a, int b) { return speeds_.speed_kmh[a] > speeds_.speed_kmh[b]; });
    for (int i : order) search((*grids)[i], static_cast<PatrolKind>(i), q, heap);
  }
  return std::move(heap).sorted();
}

std::vector<RankedUnit> AvailableUnitIndex::nearest_by_scan(const GeoPoint& q, std::size_t k,
                                                            std::optional<PatrolKind> kind,
                                                            const std::string& role) const {
  std::vector<RankedUnit> all;
  for (std::uint32_t slot = 0; slot < members_.size(); ++slot) {
    const Member& m = members_[slot];
    if (!m.present || (kind && m.kind != *kind)) continue;
    if (!role.empty() && std::find(m.roles.begin(), m.roles.end(), role) == m.roles.end()) continue;
    const double d = distance_m(q, m.point);
    all.push_back(RankedUnit{slot, d, d * speeds_.seconds_per_metre(m.kind)});
  }
  const std::size_t n = std::min(k, all.size());
  std::partial_sort(all.begin(), all.begin() + std::ptrdiff_t(n), all.end(), better);
  all.resize(n);
  return all;
}

}  // namespace pingan::dispatch
