// Records as they are, for moving a database between stores (`pingan
// migrate`, issue 19): no validation beyond the store's keys, since they
// were validated when first written, and no events published.

#include "engine/engine.h"

namespace pingan {

Result<std::vector<Incident>> Engine::incidents_by_id(std::span<const IncidentId> ids) {
  return store_->incidents().get_incidents(ids);
}

Result<std::vector<IncidentEvent>> Engine::events_of(std::span<const IncidentId> ids) {
  return store_->incidents().events_of(ids);
}

Result<std::int64_t> Engine::copy_in(std::span<const Incident> incidents, std::span<const IncidentEvent> events) {
  return store_->incidents().copy_in(incidents, events);
}

}  // namespace pingan
