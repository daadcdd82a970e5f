#pragma once
// DispatchService's state, shared by its implementation files
// (dispatch_service.cpp: open, units, duty; dispatch_positions.cpp: AVL
// reports; dispatch_recommend.cpp: ranking; dispatch_claims.cpp: dispatch,
// arrive, clear; dispatch_follow.cpp: other servers' desks). Not part of the
// public API.

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "dispatch/available_unit_index.h"
#include "dispatch/dispatch_service.h"
#include "engine/engine.h"

namespace pingan::dispatch {

struct UnitState {
  PatrolUnit unit;
  std::optional<UnitPosition> position;    // latest accepted report
  std::optional<UnitPosition> last_track;  // last point kept for the stored track
  std::optional<Assignment> open;          // while en route / on scene
  std::optional<GeoPoint> target;          // the incident's location while en route
  // Moves with every change of the unit's state in memory (a step, its
  // undoing, a re-read from the store): a re-read that began before a local
  // change, or a step's undoing after a re-read, must not overwrite it.
  std::uint64_t version = 0;
  bool removed = false;  // no longer stored (another process deleted it): off the map, slot kept
};

struct DispatchService::Impl {
  Impl(Engine& e, DispatchConfig c, RunCards r, std::optional<GeoPoint> origin)
      : engine(e), config(c), cards(std::move(r)), index(origin, speeds_of(c)) {}
  static RankingSpeeds speeds_of(const DispatchConfig& c) {
    RankingSpeeds s;
    s.detour_factor = c.detour_factor;
    for (int k = 0; k < kPatrolKindCount; ++k) s.speed_kmh[k] = c.speed_kmh[k];
    return s;
  }

  Engine& engine;

  mutable std::mutex mutex;
  DispatchConfig config;                                 // GUARDED_BY(mutex); reconfigure() replaces it
  RunCards cards;                                        // GUARDED_BY(mutex); likewise
  std::vector<UnitState> units;                          // GUARDED_BY(mutex); slot = index
  std::unordered_map<std::string, std::uint32_t> slots;  // GUARDED_BY(mutex); by call sign
  AvailableUnitIndex index;                              // GUARDED_BY(mutex)
  Timestamp newest_seen = 0;                             // GUARDED_BY(mutex)
  Counters counters;                                     // GUARDED_BY(mutex)
  BoundingBox district;                                  // GUARDED_BY(mutex)
  const void* district_tree = nullptr;                   // GUARDED_BY(mutex): the tree `district` came from

  // Unit state reaches the store in the order it changed in memory: a step
  // takes persist_mutex before it releases `mutex` (never the other way round).
  std::mutex persist_mutex;

  std::mutex listeners_mutex;
  std::vector<Listener> listeners;  // GUARDED_BY(listeners_mutex)

  // --- helpers; *_locked need `mutex` held ---
  UnitState* find_locked(const std::string& call_sign);
  // Appends a unit (its slot is its index), not yet indexed.
  UnitState& add_locked(PatrolUnit unit);
  std::uint32_t slot_of_locked(const UnitState& s) const { return std::uint32_t(&s - units.data()); }
  // Puts the unit in the index of available units, or takes it out, to match its status.
  void reindex_locked(UnitState& s);
  void refresh_district_locked();
  UnitChange change_of(const UnitState& s) const { return UnitChange{s.unit, s.position}; }
  bool has_listeners();
  void publish(const std::vector<UnitChange>& changes);
  // Writes units and assignments; called with persist_mutex held.
  Status persist(std::span<const PatrolUnit> units, std::span<const Assignment> assignments);

  // --- other servers' desks (dispatch_follow.cpp) ---
  // Re-reads the named units' records from the store (Engine::catch_up
  // names those another process changed) and takes in what changed there:
  // status, assignment, the newest stored position; a unit new to this desk
  // joins, one no longer stored leaves. Each unit that changed is published
  // as a local change is. Idempotent. Takes `mutex`, then persist_mutex, so
  // that this desk's own write in flight lands before the read.
  Status refresh(const std::vector<std::string>& call_signs);
  // Every unit, stored or in memory: after a gap in the change log.
  Status refresh_all();
};

}  // namespace pingan::dispatch
