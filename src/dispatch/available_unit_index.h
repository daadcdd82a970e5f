#pragma once
// The spatial index of AVAILABLE patrol units that the recommender reads: a
// uniform grid of square cells on a local metric plane, one grid per
// (kind, role) so a query for "the nearest rapid-reaction car" touches only
// such units. Moving a unit or changing its status is O(1) (a swap-remove
// from one cell vector and a push onto another), which matters because
// thousands of AVL reports a second move units; a kd-tree would need a
// rebuild on every change.
//
// Ranking is by estimated arrival time: great-circle distance × detour /
// speed of the unit's kind. Kinds have different speeds, so each kind's grid
// is searched ring by ring, fastest kind first, into one shared top-k; a
// ring is not opened once the smallest ETA any unit in it could have exceeds
// the k-th best found so far.
//
// Not thread-safe: the DispatchService guards it with its mutex.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/geo.h"
#include "core/patrol_unit.h"

namespace pingan::dispatch {

// An equirectangular plane around an origin; within a few hundred km of it the
// planar distance is within 3% of the great-circle one (the search's slack).
struct LocalPlane {
  explicit LocalPlane(GeoPoint origin = {});
  double x(const GeoPoint& p) const { return (p.lon - origin.lon) * metres_per_deg_lon; }
  double y(const GeoPoint& p) const { return (p.lat - origin.lat) * metres_per_deg_lat; }
  GeoPoint origin;
  double metres_per_deg_lat = 0, metres_per_deg_lon = 0;
};

struct RankedUnit {
  std::uint32_t slot = 0;  // the caller's dense id of the unit
  double distance_m = 0;
  double eta_s = 0;
};

struct RankingSpeeds {
  double detour_factor = 1.4;
  double speed_kmh[kPatrolKindCount] = {30, 25, 15, 5};
  double seconds_per_metre(PatrolKind kind) const {
    return detour_factor / (speed_kmh[static_cast<int>(kind)] / 3.6);
  }
};

class AvailableUnitIndex {
 public:
  // The plane is centred on `origin`, or on the first unit placed when none
  // is given (keep units within a few hundred km of it).
  AvailableUnitIndex(std::optional<GeoPoint> origin, RankingSpeeds speeds, double cell_m = 500);
  // New speeds (a reload of the dispatch settings); rankings use them from the next query.
  void set_speeds(const RankingSpeeds& speeds) { speeds_ = speeds; }

  // Adds the unit, or moves it when present (its kind and roles must not
  // change while it is present: remove it first).
  void place(std::uint32_t slot, PatrolKind kind, const std::vector<std::string>& roles, const GeoPoint& p);
  void remove(std::uint32_t slot);
  bool contains(std::uint32_t slot) const { return slot < members_.size() && members_[slot].present; }
  std::size_t size() const { return size_; }

  // The k units of the shortest ETA to `q`, optionally only of one kind and
  // holding `role` (empty: any), ordered by (eta, slot).
  std::vector<RankedUnit> nearest(const GeoPoint& q, std::size_t k, std::optional<PatrolKind> kind = std::nullopt,
                                  const std::string& role = "") const;
  // The same answer by scanning every unit: the reference for tests and the
  // benchmark.
  std::vector<RankedUnit> nearest_by_scan(const GeoPoint& q, std::size_t k,
                                          std::optional<PatrolKind> kind = std::nullopt,
                                          const std::string& role = "") const;

 private:
  struct Member {
    bool present = false;
    PatrolKind kind = PatrolKind::kCar;
    std::vector<std::string> roles;
    GeoPoint point;
  };
  struct Location {
    std::uint64_t cell = 0;
    std::uint32_t pos = 0;
    bool present = false;
  };
  struct Grid {
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> cells;
    std::vector<Location> where;  // by slot
    std::size_t count = 0;
    // The cells ever occupied lie in this box (it only grows): the search
    // stops when its rings have covered it.
    std::int32_t min_cx = INT32_MAX, max_cx = INT32_MIN, min_cy = INT32_MAX, max_cy = INT32_MIN;
    void insert(std::uint32_t slot, std::int32_t cx, std::int32_t cy);
    void erase(std::uint32_t slot);
  };
  using KindGrids = std::array<Grid, kPatrolKindCount>;
  struct Heap;

  std::int32_t cell_of(double metres) const;
  void search(const Grid& grid, PatrolKind kind, const GeoPoint& q, Heap& heap) const;
  KindGrids& grids_for(const std::string& role);
  const KindGrids* find_grids(const std::string& role) const;

  LocalPlane plane_;
  bool origin_set_ = false;
  RankingSpeeds speeds_;
  double cell_m_;
  std::vector<Member> members_;  // by slot
  std::size_t size_ = 0;
  std::map<std::string, KindGrids> grids_;  // "" = every unit of the kind; else units holding the role
};

}  // namespace pingan::dispatch
