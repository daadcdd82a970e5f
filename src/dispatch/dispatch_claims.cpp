// DispatchService: dispatch (the atomic claim of units), arrive and clear,
// keeping unit status, the dispatch records and the incident's lifecycle in
// step. A dispatch or an arrival writes its units and moves its incident in
// one transaction (Engine::save_desk_step): a crash leaves both or neither,
// and a move the incident's lifecycle refuses refuses the step. A dispatch
// claims its units in memory (one server's dispatchers) and again in the
// store inside that transaction (DeskStep::claims: other servers' desks).

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/text_limits.h"
#include "dispatch/dispatch_service_impl.h"

namespace pingan::dispatch {
namespace {

bool accepts_units(IncidentStatus s) {
  return s == IncidentStatus::kReceived || s == IncidentStatus::kDispatched || s == IncidentStatus::kArrived;
}

// Whether units may be sent to the incident: checked on the desk's first
// read, and again inside the dispatch's transaction, where a dispatcher's
// transition or an import's voiding racing the dispatch would show.
Status takes_units(const Incident& incident) {
  if (incident.voided)
    return Error::conflict("incident", fmt::format("incident {} is voided ({})", incident.id, incident.void_reason));
  if (!accepts_units(incident.status))
    return Error::conflict("incident", fmt::format("incident {} is {}; units are sent only before it is handled",
                                                   incident.id, status_name(incident.status)));
  return {};
}

TransitionRequest move_to(IncidentStatus to, Timestamp at, const std::string& actor, std::string note) {
  TransitionRequest request;
  request.to = to;
  request.at = at;
  request.actor = actor;
  request.note = std::move(note);
  return request;
}

}  // namespace

Result<std::vector<PatrolUnit>> DispatchService::dispatch(IncidentId incident_id,
                                                          const std::vector<std::string>& call_signs, Timestamp at,
                                                          const std::string& actor, const UnitScope& scope) {
  Impl& m = *impl_;
  if (call_signs.empty()) return Error::invalid("units", "name at least one unit");
  for (std::size_t i = 0; i < call_signs.size(); ++i)
    PINGAN_RETURN_IF_ERROR(check_length(fmt::format("units[{}]", i), call_signs[i], kMaxCodeChars));
  PINGAN_RETURN_IF_ERROR(check_length("actor", actor, kMaxNameChars));
  for (std::size_t i = 0; i < call_signs.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (call_signs[i] == call_signs[j])
        return Error::invalid("units", fmt::format("unit '{}' is named twice", call_signs[i]));
  PINGAN_ASSIGN_OR_RETURN(Incident incident, m.engine.get_incident(incident_id, scope));
  PINGAN_RETURN_IF_ERROR(takes_units(incident));
  if (at < incident.reported_at)
    return Error::invalid("at", fmt::format("{} is before the call at {}", format_utc(at),
                                            format_utc(incident.reported_at)));

  std::vector<PatrolUnit> claimed;
  std::vector<Assignment> records;
  std::vector<UnitChange> changes;
  std::vector<std::uint64_t> versions;  // each claim's, for undoing exactly it
  {
    std::unique_lock lock(m.mutex);
    // All or none: check every unit before changing any.
    for (const std::string& cs : call_signs) {
      const UnitState* s = m.find_locked(cs);
      if (!s) return Error{ErrorCode::kNotFound, "units", fmt::format("patrol unit '{}' does not exist", cs)};
      if (s->unit.status != PatrolStatus::kAvailable) {
        std::string why = patrol_status_name(s->unit.status);
        if (s->unit.assignment) why += fmt::format(" (incident {})", *s->unit.assignment);
        return Error::conflict("units", fmt::format("unit '{}' is not available: {}", cs, why));
      }
    }
    for (const std::string& cs : call_signs) {
      UnitState& s = *m.find_locked(cs);
      s.unit.status = PatrolStatus::kEnRoute;
      s.unit.assignment = incident_id;
      s.open = Assignment{incident_id, cs, at, std::nullopt, std::nullopt, actor};
      s.target = incident.location;
      versions.push_back(++s.version);
      m.reindex_locked(s);
      claimed.push_back(s.unit);
      records.push_back(*s.open);
      changes.push_back(m.change_of(s));
    }
    std::unique_lock persist_lock(m.persist_mutex);
    lock.unlock();
    DeskStep step;
    // Checked again in the store: another server's desk may have taken a
    // unit this memory still shows available (before its catch-up).
    step.claims = call_signs;
    step.units = claimed;
    step.assignments = records;
    step.incident_id = incident_id;
    step.move = move_to(IncidentStatus::kDispatched, at, actor, fmt::format("派警 {}", fmt::join(call_signs, ", ")));
    // The first units sent move a received incident; later ones find it
    // dispatched or arrived already and leave it.
    step.moves_when = [](const Incident& now) -> Result<bool> {
      PINGAN_RETURN_IF_ERROR(takes_units(now));
      return now.status == IncidentStatus::kReceived;
    };
    auto written = m.engine.save_desk_step(step);
    persist_lock.unlock();
    if (!written.ok()) {
      {
        std::lock_guard relock(m.mutex);
        for (std::size_t i = 0; i < call_signs.size(); ++i) {
          UnitState* s = m.find_locked(call_signs[i]);
          // Changed since the claim (a re-read from the store took in
          // another server's dispatch): that is newer than the claim.
          if (!s || s->version != versions[i]) continue;
          s->unit.status = PatrolStatus::kAvailable;
          s->unit.assignment.reset();
          s->open.reset();
          s->target.reset();
          ++s->version;
          m.reindex_locked(*s);
        }
      }
      // The store refused a unit this memory thought free: it is stale
      // there, so the units are re-read now rather than at the next catch-up
      // (which may already have passed over that change while the claim hid it).
      const ErrorCode code = written.error().code;
      if (code == ErrorCode::kConflict || code == ErrorCode::kNotFound)
        if (Status st = m.refresh(call_signs); !st.ok())
          spdlog::warn("dispatch: re-reading {} after a refused dispatch failed: {}", fmt::join(call_signs, ", "),
                       st.error().describe());
      return written.error();
    }
  }
  m.publish(changes);
  return claimed;
}

Result<PatrolUnit> DispatchService::arrive(const std::string& call_sign, Timestamp at, const std::string& actor) {
  PINGAN_RETURN_IF_ERROR(check_length("actor", actor, kMaxNameChars));
  Impl& m = *impl_;
  PatrolUnit unit;
  Assignment record;
  std::vector<UnitChange> changes;
  {
    std::unique_lock lock(m.mutex);
    UnitState* s = m.find_locked(call_sign);
    if (!s) return Error::not_found(fmt::format("patrol unit '{}' does not exist", call_sign));
    if (s->unit.status != PatrolStatus::kEnRoute || !s->open)
      return Error::conflict("status", fmt::format("unit '{}' is {}; only a unit en route can arrive", call_sign,
                                                   patrol_status_name(s->unit.status)));
    if (at < s->open->dispatched_at)
      return Error::invalid("at", fmt::format("{} is before the unit was dispatched at {}", format_utc(at),
                                              format_utc(s->open->dispatched_at)));
    const std::optional<GeoPoint> target = s->target;  // for inferring the arrival again, should this one fail
    s->unit.status = PatrolStatus::kOnScene;
    s->open->arrived_at = at;
    s->target.reset();
    const std::uint64_t changed = ++s->version;
    unit = s->unit;
    record = *s->open;
    changes.push_back(m.change_of(*s));
    std::unique_lock persist_lock(m.persist_mutex);
    lock.unlock();
    DeskStep step;
    step.units = std::span<const PatrolUnit>(&unit, 1);
    step.assignments = std::span<const Assignment>(&record, 1);
    step.incident_id = record.incident_id;
    step.move = move_to(IncidentStatus::kArrived, at, actor, fmt::format("到场 {}", call_sign));
    // The first unit on scene moves the incident; a later one, or one whose
    // incident a dispatcher moved on (or an import voided) meanwhile, leaves it.
    step.moves_when = [](const Incident& now) -> Result<bool> {
      return !now.voided && now.status == IncidentStatus::kDispatched;
    };
    auto written = m.engine.save_desk_step(step);
    if (!written.ok()) {
      persist_lock.unlock();
      std::lock_guard relock(m.mutex);
      if (UnitState* again = m.find_locked(call_sign); again && again->version == changed) {
        again->unit.status = PatrolStatus::kEnRoute;
        if (again->open) again->open->arrived_at.reset();
        again->target = target;
        ++again->version;
      }
      return written.error();
    }
  }
  m.publish(changes);
  return unit;
}

Result<PatrolUnit> DispatchService::clear(const std::string& call_sign, Timestamp at, const std::string& actor) {
  PINGAN_RETURN_IF_ERROR(check_length("actor", actor, kMaxNameChars));
  Impl& m = *impl_;
  PatrolUnit unit;
  std::vector<Assignment> records;
  std::vector<UnitChange> changes;
  {
    std::unique_lock lock(m.mutex);
    UnitState* s = m.find_locked(call_sign);
    if (!s) return Error::not_found(fmt::format("patrol unit '{}' does not exist", call_sign));
    if (!s->unit.assignment)
      return Error::conflict("status", fmt::format("unit '{}' is {}; it has no assignment to clear", call_sign,
                                                   patrol_status_name(s->unit.status)));
    if (s->open && at < s->open->dispatched_at)
      return Error::invalid("at", fmt::format("{} is before the unit was dispatched at {}", format_utc(at),
                                              format_utc(s->open->dispatched_at)));
    const UnitState before = *s;
    if (s->open) {
      s->open->cleared_at = at;
      records.push_back(*s->open);
    }
    s->unit.status = PatrolStatus::kAvailable;
    s->unit.assignment.reset();
    s->open.reset();
    s->target.reset();
    const std::uint64_t changed = ++s->version;
    m.reindex_locked(*s);
    unit = s->unit;
    changes.push_back(m.change_of(*s));
    std::unique_lock persist_lock(m.persist_mutex);
    lock.unlock();
    Status written = m.persist(std::span<const PatrolUnit>(&unit, 1), records);
    if (!written.ok()) {
      persist_lock.unlock();
      std::lock_guard relock(m.mutex);
      if (UnitState* again = m.find_locked(call_sign); again && again->version == changed) {
        const std::optional<UnitPosition> position = again->position;  // reports since stay
        *again = before;
        again->position = position;
        again->version = changed + 1;
        m.reindex_locked(*again);
      }
      return written.error();
    }
  }
  spdlog::debug("dispatch: {} cleared at {} by {}", call_sign, at, actor);
  m.publish(changes);
  return unit;
}

}  // namespace pingan::dispatch
