#include <spdlog/spdlog.h>

#include "analytics/incident_index.h"
#include "config/live_settings.h"
#include "http/api_routes.h"
#include "case/case_attach.h"
#include "case/fugitive_watch.h"
#include "registry/camera_attach.h"

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

Result<std::shared_ptr<cases::CaseIndex>> ApiContext::case_index() const {
  std::lock_guard lock(case_index_mutex);
  if (case_index_) return case_index_;
  PINGAN_ASSIGN_OR_RETURN(case_index_, cases::attach_case_index(engine));
  spdlog::info("case index ready: {} cases", case_index_->cases());
  return case_index_;
}

Result<std::shared_ptr<cases::FugitiveWatch>> ApiContext::fugitive_watch() const {
  std::lock_guard lock(fugitive_watch_mutex);
  if (fugitive_watch_) return fugitive_watch_;
  PINGAN_ASSIGN_OR_RETURN(fugitive_watch_, cases::attach_fugitive_watch(engine));
  spdlog::info("fugitive check ready: {} listings", fugitive_watch_->listings());
  return fugitive_watch_;
}

Result<std::shared_ptr<registry::CameraAttachment>> ApiContext::camera_index() const {
  std::lock_guard lock(camera_index_mutex);
  if (camera_index_) return camera_index_;
  PINGAN_ASSIGN_OR_RETURN(camera_index_, registry::attach_camera_index(engine));
  spdlog::info("camera index ready: {} cameras", camera_index_->snapshot()->cameras.size());
  return camera_index_;
}

std::shared_ptr<const config::Settings> ApiContext::settings_now() const { return settings->current(); }

}  // namespace pingan
