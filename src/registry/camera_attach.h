#pragma once
// The camera index attached to an engine (issue 21): built from the
// registry's cameras at start, rebuilt and swapped whenever cameras change
// (the engine's camera events: its own writes and, through the change log,
// other processes'), and on a resync. A query takes the snapshot it starts
// with and finishes on it (registry/camera_index.h's contract).
//
// Thread safety: snapshot() may be called from any thread; rebuilds run one
// at a time. Cameras change rarely (a batch import, a status change), so a
// rebuild scans the store (10,000 cameras in tens of milliseconds) instead
// of patching the packed grid.

#include <memory>
#include <mutex>
#include <vector>

#include "core/camera.h"
#include "engine/engine.h"
#include "registry/camera_index.h"

namespace pingan::registry {

// The cameras and their index, by the same slots.
struct CameraSnapshot {
  std::vector<Camera> cameras;
  CameraIndex index;
};

class CameraAttachment {
 public:
  explicit CameraAttachment(Engine& engine) : engine_(engine) {}

  std::shared_ptr<const CameraSnapshot> snapshot() const;
  // Scans the store and swaps in a new index; the old one stays in use by
  // the queries that hold it.
  Status rebuild();

 private:
  Engine& engine_;
  std::mutex rebuild_mutex_;
  mutable std::mutex snapshot_mutex_;
  std::shared_ptr<const CameraSnapshot> snapshot_;  // GUARDED_BY(snapshot_mutex_)
};

// Builds the index from the store and subscribes it to the engine's camera
// events and resyncs (held weakly: it lives as long as the returned pointer).
Result<std::shared_ptr<CameraAttachment>> attach_camera_index(Engine& engine);

}  // namespace pingan::registry
