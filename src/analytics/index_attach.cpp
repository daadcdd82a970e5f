// Attaching an index to an engine (incident_index.h): subscribed to its
// writes, its unit tree and its resyncs, then filled from the store, or from
// a snapshot and the change log since (issue 19, fast start).

#include <chrono>
#include <filesystem>

#include <fmt/format.h>

#include "analytics/incident_index.h"
#include "engine/engine.h"

namespace pingan::analytics {

namespace {

Status fill_from_store(Engine& engine, IncidentIndex& index,
                       const std::function<void(std::int64_t, std::int64_t)>& progress) {
  std::int64_t total = 0;
  if (auto n = engine.count_incidents(); n.ok()) total = *n;
  return index.build_from(engine, [&](std::int64_t done) {
    if (progress) progress(done, total);
  });
}

Result<std::shared_ptr<IncidentIndex>> subscribed_index(Engine& engine) {
  auto index = std::make_shared<IncidentIndex>(engine.taxonomy(), engine.units(), engine.time_zone());
  std::weak_ptr<IncidentIndex> weak = index;
  // The index learns of every change from the engine's events alone: the
  // incidents written and voided, and the unit tree after each change.
  engine.subscribe([weak](const IncidentChange& change) {
    if (auto live = weak.lock()) live->upsert(change.incident);  // dropped: the engine has no unsubscribe
  });
  engine.subscribe_units([weak](const std::shared_ptr<const UnitTree>& tree) {
    if (auto live = weak.lock()) live->set_units(tree);
  });
  // A follower too far behind the log rebuilds from the store; the rebuild
  // holds the index's lock, so statistics wait for it rather than answer
  // from rows known to be incomplete.
  engine.subscribe_resync([weak, &engine]() -> Status {
    if (auto live = weak.lock()) return live->build_from(engine);
    return {};
  });
  return index;
}

}  // namespace

Result<std::shared_ptr<IncidentIndex>> attach_index(
    Engine& engine, const std::function<void(std::int64_t, std::int64_t)>& progress) {
  PINGAN_ASSIGN_OR_RETURN(std::shared_ptr<IncidentIndex> index, subscribed_index(engine));
  PINGAN_RETURN_IF_ERROR(fill_from_store(engine, *index, progress));
  return index;
}

Result<std::shared_ptr<IncidentIndex>> attach_index_from_snapshot(
    Engine& engine, const std::string& snapshot_path, const std::string& database, IndexStart* start,
    const std::function<void(std::int64_t, std::int64_t)>& progress) {
  const auto began = std::chrono::steady_clock::now();
  IndexStart local;
  IndexStart& out = start ? *start : local;
  out = IndexStart{};
  PINGAN_ASSIGN_OR_RETURN(std::shared_ptr<IncidentIndex> index, subscribed_index(engine));
  auto use_snapshot = [&]() -> Status {
    if (snapshot_path.empty() || !std::filesystem::exists(snapshot_path)) return {};
    PINGAN_ASSIGN_OR_RETURN(SnapshotStamp stamp, index->load_snapshot(snapshot_path));
    if (stamp.database != database)
      return Error::conflict("snapshot", fmt::format("{} was written for database {}, not {}", snapshot_path,
                                                     stamp.database, database));
    PINGAN_RETURN_IF_ERROR(engine.follow_from(stamp.position));
    out.from_snapshot = true;
    out.snapshot_position = stamp.position;
    // Replay everything since, however many batches that takes.
    for (;;) {
      PINGAN_ASSIGN_OR_RETURN(const int applied, engine.catch_up());
      out.changes_replayed += applied;
      if (applied == 0) break;
    }
    return {};
  };
  if (Status s = use_snapshot(); !s.ok()) {
    out = IndexStart{};
    out.note = s.error().message;
  }
  if (!out.from_snapshot) PINGAN_RETURN_IF_ERROR(fill_from_store(engine, *index, progress));
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  index->record_start(out);
  return index;
}

}  // namespace pingan::analytics
