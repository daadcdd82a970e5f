// Following other writers through the store's change log (issue 19): an
// import or a second pingan process writes, this engine's listeners (the
// analytics indexes, the live stream) hear of it within catch_up()'s period.

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "engine/engine.h"

namespace pingan {

Result<int> Engine::catch_up(int limit) {
  std::lock_guard lock(follow_mutex_);
  // The end first: SQLite commits one writer at a time, in seq order, so
  // every change up to `end` is visible to the read that follows.
  PINGAN_ASSIGN_OR_RETURN(const std::int64_t end, store_->changes().last_position());
  if (end > followed_) {
    PINGAN_ASSIGN_OR_RETURN(const std::int64_t first, store_->changes().first_position());
    if (first > followed_ + 1) return resync_locked(followed_, first, end);
  }
  PINGAN_ASSIGN_OR_RETURN(std::vector<ChangeRecord> changes, store_->changes().changes_by_others(followed_, limit));
  if (changes.empty()) {
    // Nothing from others up to the end: only this engine's own writes.
    followed_ = std::max(followed_, end);
    return 0;
  }
  bool units_changed = false;
  std::vector<IncidentId> ids;
  std::set<IncidentId> seen;
  std::vector<std::string> patrol_signs;  // the desk's units another server changed
  std::set<std::string> patrol_seen;
  std::vector<ChangeRecord> case_changes;  // cases, fugitives, dissuasion tasks, cameras, ledger items
  for (const ChangeRecord& c : changes) {
    if (c.kind == ChangeKind::kUnits) units_changed = true;
    else if (c.kind == ChangeKind::kPatrol) {
      if (patrol_seen.insert(c.call_sign).second) patrol_signs.push_back(c.call_sign);
    } else if (c.kind == ChangeKind::kIncident) {
      if (seen.insert(c.incident_id).second) ids.push_back(c.incident_id);
    } else {
      case_changes.push_back(c);
    }
  }
  if (units_changed) {
    // The tree first: incidents read next may name a unit that just came.
    PINGAN_RETURN_IF_ERROR(reload_units());
    std::shared_ptr<const UnitTree> tree = units();
    std::lock_guard listeners(listeners_mutex_);
    for (auto& l : units_listeners_) l(tree);
  }
  // Read back as they stand now (the latest of several changes of one), a
  // thousand at a time, and published outside the read.
  constexpr std::size_t kChunk = 1000;
  for (std::size_t i = 0; i < ids.size(); i += kChunk) {
    const std::span<const IncidentId> chunk(ids.data() + i, std::min(kChunk, ids.size() - i));
    PINGAN_ASSIGN_OR_RETURN(std::vector<Incident> incidents, store_->incidents().get_incidents(chunk));
    for (Incident& incident : incidents) publish(IncidentChange{std::move(incident), std::nullopt});
  }
  // After the incidents, as a local dispatch publishes its incident first.
  if (!patrol_signs.empty())
    for (auto& l : patrol_listeners_) PINGAN_RETURN_IF_ERROR(l(patrol_signs));
  if (!case_changes.empty()) {
    PINGAN_RETURN_IF_ERROR(cases_->follow(case_changes));
    PINGAN_RETURN_IF_ERROR(registry_->follow(case_changes));
    PINGAN_RETURN_IF_ERROR(ledgers_->follow(case_changes));
  }
  // Only once applied: a failure above leaves the position for a retry.
  followed_ = changes.back().seq;
  return static_cast<int>(changes.size());
}

Result<int> Engine::resync_locked(std::int64_t position, std::int64_t first, std::int64_t end) {
  std::string why = fmt::format(
      "the change log no longer holds changes {}..{} (kept a week; this server was at {}): rebuilding from the records",
      position + 1, first - 1, position);
  spdlog::warn("{}", why);
  // The unit tree first, as in catch_up(); then every listener rebuilds from
  // a scan that sees at least every change up to `end`.
  PINGAN_RETURN_IF_ERROR(reload_units());
  {
    std::shared_ptr<const UnitTree> tree = units();
    std::lock_guard listeners(listeners_mutex_);
    for (auto& l : units_listeners_) l(tree);
  }
  for (auto& rebuild : resync_listeners_) PINGAN_RETURN_IF_ERROR(rebuild());
  followed_ = end;
  ++resyncs_;
  last_resync_ = std::move(why);
  spdlog::warn("rebuilt after the gap; following from change {}", end);
  return 0;
}

Status Engine::follow_from(std::int64_t position) {
  std::lock_guard lock(follow_mutex_);
  PINGAN_ASSIGN_OR_RETURN(const std::int64_t last, store_->changes().last_position());
  if (position > last)
    return Error::conflict("position", fmt::format("position {} is past the change log's end {}: another database, "
                                                   "or one restored from an older backup", position, last));
  PINGAN_ASSIGN_OR_RETURN(const std::int64_t first, store_->changes().first_position());
  if (first > position + 1)
    return Error::conflict("position", fmt::format("the change log no longer holds changes {}..{} (kept a week)",
                                                   position + 1, first - 1));
  followed_ = position;
  return {};
}

void Engine::subscribe_patrol(PatrolListener listener) {
  std::lock_guard lock(follow_mutex_);
  patrol_listeners_.push_back(std::move(listener));
}

void Engine::subscribe_resync(ResyncListener listener) {
  std::lock_guard lock(follow_mutex_);
  resync_listeners_.push_back(std::move(listener));
}

Result<Engine::FollowState> Engine::follow_state() {
  FollowState s;
  {
    std::lock_guard lock(follow_mutex_);
    s.position = followed_;
    s.resyncs = resyncs_;
    s.last_resync = last_resync_;
  }
  PINGAN_ASSIGN_OR_RETURN(s.last, store_->changes().last_position());
  return s;
}

Status Engine::wait_for_changes(std::chrono::milliseconds timeout) {
  return store_->changes().wait_for_changes(timeout);
}

}  // namespace pingan
