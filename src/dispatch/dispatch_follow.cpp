// DispatchService following other servers' desks on the same database
// (issue 19): Engine::catch_up names the patrol units whose records another
// process changed (the change log's 'patrol' rows); the desk re-reads them
// from the store and takes in their status, assignment and newest stored
// track point, publishing each changed unit as a local change is published.
//
// Positions travel as the stored, downsampled track (a point per unit when
// it moved track_min_distance_m or track_min_interval_s passed), not as raw
// AVL reports: another server's map follows a unit at that resolution, and
// the log holds a row per track point, not per report.

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "dispatch/dispatch_service_impl.h"

namespace pingan::dispatch {
namespace {

bool same_unit(const PatrolUnit& a, const PatrolUnit& b) {
  return a.kind == b.kind && a.station_code == b.station_code && a.crew_size == b.crew_size && a.roles == b.roles &&
         a.status == b.status && a.assignment == b.assignment;
}

bool same_position(const std::optional<UnitPosition>& a, const std::optional<UnitPosition>& b) {
  if (!a || !b) return !a && !b;
  return a->at == b->at && a->point.lat == b->point.lat && a->point.lon == b->point.lon;
}

// What this desk held of a unit when the re-read began.
struct Before {
  std::uint64_t version = 0;
  std::optional<IncidentId> assignment;
  std::optional<GeoPoint> target;
};

}  // namespace

Status DispatchService::Impl::refresh(const std::vector<std::string>& call_signs) {
  if (call_signs.empty()) return {};
  std::unordered_map<std::string, Before> before;  // absent: not on this desk
  std::unique_lock lock(mutex);
  for (const std::string& cs : call_signs)
    if (const UnitState* s = find_locked(cs)) before[cs] = Before{s->version, s->unit.assignment, s->target};
  // A step of this desk holds persist_mutex from its change in memory to
  // the store's answer: taken here, every such write has landed (or failed)
  // before the read, which therefore sees it. Taken before `mutex` is
  // released, the desk's lock order.
  std::unique_lock persist_lock(persist_mutex);
  lock.unlock();
  auto records = engine.patrol_records_of(call_signs);
  persist_lock.unlock();
  if (!records.ok()) return records.error();

  // An en-route unit's incident location, for inferring its arrival: kept
  // when this desk knew the assignment already, else read once per incident.
  std::map<IncidentId, std::optional<GeoPoint>> targets;
  for (const PatrolUnit& u : records->units) {
    if (u.status != PatrolStatus::kEnRoute || !u.assignment) continue;
    auto known = before.find(u.call_sign);
    if (known != before.end() && known->second.assignment == u.assignment && known->second.target)
      targets.emplace(*u.assignment, known->second.target);
    else
      targets.emplace(*u.assignment, std::nullopt);
  }
  for (auto& [id, where] : targets) {
    if (where) continue;
    auto incident = engine.get_incident(id, UnitScope::everything());
    if (incident.ok()) where = incident->location;
  }

  std::map<std::string, const PatrolUnit*, std::less<>> stored;
  for (const PatrolUnit& u : records->units) stored.emplace(u.call_sign, &u);
  std::map<std::string, const Assignment*, std::less<>> open_of;  // the one matching the unit's assignment
  for (const Assignment& a : records->open_assignments)
    if (auto u = stored.find(a.call_sign); u != stored.end() && u->second->assignment == a.incident_id)
      open_of[a.call_sign] = &a;
  std::map<std::string, const UnitPosition*, std::less<>> point_of;
  for (const UnitPosition& p : records->latest_points) point_of[p.call_sign] = &p;

  std::vector<UnitChange> changes;
  {
    std::lock_guard relock(mutex);
    for (const std::string& cs : call_signs) {
      UnitState* s = find_locked(cs);
      auto known = before.find(cs);
      // Changed on this desk since the read began (a step, an upsert): that
      // change is newer than the read, and its own write or undoing settles it.
      if (s ? known == before.end() || s->version != known->second.version : known != before.end()) continue;
      auto row = stored.find(cs);
      if (row == stored.end()) {
        if (s) {
          // Deleted by another process (pingan never deletes a unit; an
          // operator's SQL may): off the map, the slot kept.
          spdlog::info("dispatch: patrol unit '{}' is no longer stored; taken off the desk", cs);
          index.remove(slot_of_locked(*s));
          slots.erase(cs);
          s->removed = true;
        }
        continue;
      }
      const PatrolUnit& u = *row->second;
      const bool added = !s;
      if (added) s = &add_locked(u);
      const PatrolUnit old_unit = s->unit;
      const std::optional<UnitPosition> old_position = s->position;
      // Kind and roles decide which grids hold the unit: out first.
      index.remove(slot_of_locked(*s));
      s->unit = u;
      if (auto a = open_of.find(cs); a != open_of.end()) s->open = *a->second;
      else s->open.reset();
      s->target.reset();
      if (u.status == PatrolStatus::kEnRoute && u.assignment) s->target = targets[*u.assignment];
      // Positions only move forward: this desk may hold a newer report.
      if (auto p = point_of.find(cs); p != point_of.end()) {
        const UnitPosition& point = *p->second;
        if (!s->position || point.at > s->position->at) s->position = point;
        if (!s->last_track || point.at > s->last_track->at) s->last_track = point;
        newest_seen = std::max(newest_seen, point.at);
      }
      ++s->version;
      reindex_locked(*s);
      if (added || !same_unit(old_unit, s->unit) || !same_position(old_position, s->position))
        changes.push_back(change_of(*s));
    }
  }
  publish(changes);
  return {};
}

Status DispatchService::Impl::refresh_all() {
  PINGAN_ASSIGN_OR_RETURN(std::vector<PatrolUnit> stored, engine.list_patrol_units());
  std::set<std::string> call_signs;
  for (const PatrolUnit& u : stored) call_signs.insert(u.call_sign);
  {
    std::lock_guard lock(mutex);
    for (const auto& entry : slots) call_signs.insert(entry.first);
  }
  return refresh(std::vector<std::string>(call_signs.begin(), call_signs.end()));
}

}  // namespace pingan::dispatch
