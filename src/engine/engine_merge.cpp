// Engine::merge and Engine::merged_calls: duplicate calls linked under one
// incident (issue 4). The rules are checked before the write, under the
// engine's merge lock so that no other merge changes the target or the call
// in between; the write itself re-checks the merged call under the store's
// transaction.

#include <fmt/format.h>

#include <algorithm>

#include "engine/engine.h"

namespace pingan {

Result<Incident> Engine::merge(IncidentId id, IncidentId into, const UnitScope& scope, const std::string& actor) {
  if (id == into) return Error::invalid("into", fmt::format("incident {} cannot be merged into itself", id));
  std::lock_guard merging(merge_mutex_);
  auto target = store_->incidents().get_incident(into, scope);
  if (!target.ok()) {
    if (target.error().code == ErrorCode::kNotFound)
      return Error::invalid("into", fmt::format("no incident {} in your units", into));
    return target.error();
  }
  if (target->voided) return Error::conflict("into", fmt::format("incident {} is voided", into));
  if (target->merged_into)
    return Error::conflict("into", fmt::format("incident {} is itself merged into #{}", into, *target->merged_into));
  // A call that others were merged into would leave them pointing at a merged
  // record: merge those into the survivor first.
  IncidentFilter linked;
  linked.scope = UnitScope::everything();
  linked.merged_into = id;
  linked.include_voided = true;
  linked.limit = 1;
  PINGAN_ASSIGN_OR_RETURN(IncidentPage page, store_->incidents().list_incidents(linked));
  if (page.total > 0)
    return Error::conflict("id", fmt::format("incident {} has {} call(s) merged into it", id, page.total));

  IncidentEvent event_template;
  event_template.actor = actor;
  event_template.note = fmt::format("merged into #{}", into);
  event_template.at = now_utc();
  PINGAN_ASSIGN_OR_RETURN(Incident updated, store_->incidents().update_incident(
                                                id, scope,
                                                [&](Incident& inc) -> Status {
                                                  if (inc.merged_into)
                                                    return Error::conflict(
                                                        "id", fmt::format("incident {} is already merged into #{}",
                                                                          id, *inc.merged_into));
                                                  if (inc.voided)
                                                    return Error::conflict("id", fmt::format("incident {} is voided", id));
                                                  inc.merged_into = into;
                                                  return {};
                                                },
                                                event_template));
  IncidentEvent event = event_template;
  event.incident_id = updated.id;
  event.from = updated.status;
  event.to = updated.status;
  publish(IncidentChange{updated, event});
  return updated;
}

Result<std::vector<Incident>> Engine::merged_calls(IncidentId id, const UnitScope& scope) {
  PINGAN_RETURN_IF_ERROR(store_->incidents().get_incident(id, scope));
  IncidentFilter f;
  f.scope = scope;
  f.merged_into = id;
  f.include_voided = true;
  f.limit = 1000;
  PINGAN_ASSIGN_OR_RETURN(IncidentPage page, store_->incidents().list_incidents(f));
  std::reverse(page.items.begin(), page.items.end());  // the store lists newest first
  return std::move(page.items);
}

}  // namespace pingan
