// The dispatch desk's steps that move an incident with its units: a
// dispatch (units en route, incident dispatched) and an arrival (unit on
// scene, incident arrived). One store transaction (DeskStore), so a crash
// cannot leave a unit en route to an incident the record still shows as
// received. Validation is the transition's own (apply_transition), run on
// the incident as stored inside that transaction.

#include <fmt/format.h>

#include "engine/engine.h"

namespace pingan {

Result<std::optional<Incident>> Engine::save_desk_step(const DeskStep& step) {
  const Timestamp now = now_utc();
  IncidentEvent event_template;
  event_template.actor = step.move.actor;
  event_template.note = step.move.note;
  auto apply = [&](Incident& incident) -> Result<bool> {
    PINGAN_ASSIGN_OR_RETURN(bool moves, step.moves_when(incident));
    if (!moves) return false;
    if (Status st = apply_transition(incident, step.move, now); !st.ok()) {
      Error e = st.error();
      e.message = fmt::format("incident {} cannot move to {}: {}", incident.id, status_name(step.move.to), e.message);
      return e;
    }
    return true;
  };
  PINGAN_ASSIGN_OR_RETURN(
      std::optional<Incident> moved,
      store_->desk().save_desk_step(step.claims, step.units, step.assignments, step.incident_id, apply,
                                    event_template));
  if (moved) {
    const IncidentEvent event = publish_transition(*moved, event_template);
    // A desk step dispatches or arrives today; a move into the follow-up
    // loop would be mirrored as transition()'s is (followup_ledger.h).
    if (followups_ && config_.mirror_followups) followups_->after_transition(*moved, event);
  }
  return moved;
}

}  // namespace pingan
