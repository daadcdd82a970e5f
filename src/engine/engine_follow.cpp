// Following other writers through the store's change log (issue 19): an
// import or a second pingan process writes, this engine's listeners (the
// analytics indexes, the live stream) hear of it within catch_up()'s period.

#include <algorithm>
#include <set>

#include "engine/engine.h"

namespace pingan {

Result<int> Engine::catch_up(int limit) {
  std::lock_guard lock(follow_mutex_);
  // The end first: SQLite commits one writer at a time, in seq order, so
  // every change up to `end` is visible to the read that follows.
  PINGAN_ASSIGN_OR_RETURN(const std::int64_t end, store_->changes().last_position());
  PINGAN_ASSIGN_OR_RETURN(std::vector<ChangeRecord> changes, store_->changes().changes_by_others(followed_, limit));
  if (changes.empty()) {
    // Nothing from others up to the end: only this engine's own writes.
    followed_ = std::max(followed_, end);
    return 0;
  }
  bool units_changed = false;
  std::vector<IncidentId> ids;
  std::set<IncidentId> seen;
  for (const ChangeRecord& c : changes) {
    if (c.kind == ChangeKind::kUnits) units_changed = true;
    else if (seen.insert(c.incident_id).second) ids.push_back(c.incident_id);
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
  // Only once applied: a failure above leaves the position for a retry.
  followed_ = changes.back().seq;
  return static_cast<int>(changes.size());
}

Result<Engine::FollowState> Engine::follow_state() {
  FollowState s;
  {
    std::lock_guard lock(follow_mutex_);
    s.position = followed_;
  }
  PINGAN_ASSIGN_OR_RETURN(s.last, store_->changes().last_position());
  return s;
}

Status Engine::wait_for_changes(std::chrono::milliseconds timeout) {
  return store_->changes().wait_for_changes(timeout);
}

}  // namespace pingan
