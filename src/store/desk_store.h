#pragma once
// The dispatch desk's steps that change two domains at once: a dispatch
// marks its units en route (patrol records) and moves the incident to
// dispatched; an arrival puts its unit on scene and moves the incident to
// arrived. Written as two commits, a crash between them left a unit en route
// to an incident still "received"; written here, they are one transaction.
// Only the engine calls it (Engine::save_desk_step).

#include <functional>
#include <optional>
#include <span>
#include <string>

#include "core/incident.h"
#include "core/patrol_unit.h"
#include "core/status.h"

namespace pingan {

class DeskStore {
 public:
  virtual ~DeskStore() = default;

  // In one transaction: checks that every unit named in `claims` (those a
  // dispatch takes) is stored as available with no assignment, holding
  // them to the commit (PostgreSQL locks their rows; SQLite has one writer)
  // so that of two servers dispatching one unit exactly one wins; else
  // kConflict naming the unit (kNotFound when it is not stored) and nothing
  // is written. Then saves `units` and `assignments` as
  // PatrolStore::save_patrol_state does, then reads incident `id` and lets
  // `apply` decide. `apply` returns true after changing the incident: it is
  // written and an event from `event_template` appended, as
  // IncidentStore::update_incident does; false leaves the incident as it is
  // (no event); an error rolls everything back. Durable when it returns OK;
  // on any error nothing at all is written. Returns the incident as written,
  // or nullopt when `apply` left it.
  virtual Result<std::optional<Incident>> save_desk_step(std::span<const std::string> claims,
                                                         std::span<const PatrolUnit> units,
                                                         std::span<const Assignment> assignments, IncidentId id,
                                                         const std::function<Result<bool>(Incident&)>& apply,
                                                         const IncidentEvent& event_template) = 0;
};

}  // namespace pingan
