#include "registry/camera_attach.h"

#include <spdlog/spdlog.h>

namespace pingan::registry {

std::shared_ptr<const CameraSnapshot> CameraAttachment::snapshot() const {
  std::lock_guard lock(snapshot_mutex_);
  return snapshot_;
}

Status CameraAttachment::rebuild() {
  std::lock_guard rebuilding(rebuild_mutex_);
  std::vector<Camera> cameras;
  PINGAN_RETURN_IF_ERROR(
      engine_.registry().scan_cameras([&](const StoredCamera& c) { cameras.push_back(c.camera); }));
  PINGAN_ASSIGN_OR_RETURN(CameraIndex index, CameraIndex::build(cameras));
  auto next = std::make_shared<const CameraSnapshot>(CameraSnapshot{std::move(cameras), std::move(index)});
  std::lock_guard lock(snapshot_mutex_);
  snapshot_ = std::move(next);
  return {};
}

Result<std::shared_ptr<CameraAttachment>> attach_camera_index(Engine& engine) {
  auto attached = std::make_shared<CameraAttachment>(engine);
  // Subscribed before the first scan: a camera written meanwhile triggers a
  // rebuild that sees it.
  std::weak_ptr<CameraAttachment> weak = attached;
  engine.registry().subscribe_cameras([weak] {
    if (auto a = weak.lock()) {
      Status s = a->rebuild();
      if (!s.ok()) spdlog::error("rebuilding the camera index: {}", s.error().describe());
    }
  });
  engine.subscribe_resync([weak]() -> Status {
    auto a = weak.lock();
    return a ? a->rebuild() : Status();
  });
  PINGAN_RETURN_IF_ERROR(attached->rebuild());
  return attached;
}

}  // namespace pingan::registry
