#include <spdlog/spdlog.h>

#include "analytics/incident_index.h"
#include "config/live_settings.h"
#include "http/api_routes.h"

namespace pingan {

Result<std::shared_ptr<analytics::IncidentIndex>> ApiContext::index() const {
  // One builder at a time; later requests wait for it rather than build twice.
  std::lock_guard lock(index_mutex);
  if (index_) return index_;
  spdlog::info("building the analytics index from the store");
  PINGAN_ASSIGN_OR_RETURN(index_, analytics::attach_index(engine));
  spdlog::info("analytics index ready: {} incidents", index_->size());
  return index_;
}

std::shared_ptr<const config::Settings> ApiContext::settings_now() const { return settings->current(); }

}  // namespace pingan
