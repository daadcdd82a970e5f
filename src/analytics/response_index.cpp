#include "analytics/response_index.h"

#include <algorithm>
#include <mutex>

#include "engine/engine.h"

namespace pingan::analytics {
namespace {

std::uint32_t seconds_between(Timestamp start, Timestamp end) {
  if (end <= start) return 0;
  return static_cast<std::uint32_t>(std::min<Timestamp>(end - start, kNoDuration - 1));
}

}  // namespace

ResponseDurations response_durations(const Incident& inc) {
  ResponseDurations d;
  const auto& dispatched = inc.times.dispatched_at;
  const auto& arrived = inc.times.arrived_at;
  // A unit that arrived without a logged dispatch (on view, or a log that
  // keeps only arrivals) had been committed by its arrival at the latest.
  std::optional<Timestamp> committed = dispatched;
  if (arrived && (!committed || *arrived < *committed)) committed = arrived;
  if (committed) d.call_to_dispatch = seconds_between(inc.reported_at, *committed);
  if (dispatched && arrived) d.dispatch_to_arrival = seconds_between(*dispatched, *arrived);
  if (arrived) d.call_to_arrival = seconds_between(inc.reported_at, *arrived);
  return d;
}

std::uint16_t ResponseIndex::intern_locked(const std::string& code) {
  auto it = unit_of_code_.find(code);
  if (it != unit_of_code_.end()) return it->second;
  // kDeadRow is reserved; a district has far fewer units than 65,535.
  const auto n = static_cast<std::uint16_t>(std::min<std::size_t>(columns_.unit_codes.size(), kDeadRow - 1));
  if (n == columns_.unit_codes.size()) {
    columns_.unit_codes.push_back(code);
    unit_of_code_.emplace(code, n);
  }
  return n;
}

void ResponseIndex::upsert_locked(const Incident& inc) {
  const bool counted = inc.counts_in_statistics();
  auto found = inc.id != 0 ? row_of_id_.find(inc.id) : row_of_id_.end();
  if (found != row_of_id_.end()) {
    const std::uint32_t row = found->second;
    if (columns_.live(row)) --live_;
    if (!counted) {
      columns_.unit[row] = kDeadRow;
      return;
    }
    columns_.reported_at[row] = inc.reported_at;
    columns_.unit[row] = intern_locked(inc.unit_code);
    columns_.durations[row] = response_durations(inc);
    ++live_;
    return;
  }
  if (!counted) return;
  columns_.reported_at.push_back(inc.reported_at);
  columns_.unit.push_back(intern_locked(inc.unit_code));
  columns_.durations.push_back(response_durations(inc));
  if (inc.id != 0) row_of_id_.emplace(inc.id, static_cast<std::uint32_t>(columns_.size() - 1));
  ++live_;
}

Status ResponseIndex::build_from(Engine& engine) {
  std::unique_lock lock(mutex_);
  columns_ = {};
  row_of_id_.clear();
  unit_of_code_.clear();
  live_ = 0;
  return engine.scan_incidents([&](const Incident& inc) { upsert_locked(inc); });
}

void ResponseIndex::upsert(const Incident& incident) {
  std::unique_lock lock(mutex_);
  upsert_locked(incident);
}

std::int64_t ResponseIndex::size() const {
  std::shared_lock lock(mutex_);
  return live_;
}

std::size_t ResponseIndex::memory_bytes() const {
  std::shared_lock lock(mutex_);
  return columns_.reported_at.capacity() * sizeof(Timestamp) + columns_.unit.capacity() * sizeof(std::uint16_t) +
         columns_.durations.capacity() * sizeof(ResponseDurations) +
         row_of_id_.size() * (sizeof(IncidentId) + sizeof(std::uint32_t) + 2 * sizeof(void*));
}

void ResponseIndex::read(const std::function<void(const ResponseColumns&)>& read) const {
  std::shared_lock lock(mutex_);
  read(columns_);
}

Result<std::shared_ptr<ResponseIndex>> attach_response_index(Engine& engine) {
  auto index = std::make_shared<ResponseIndex>();
  std::weak_ptr<ResponseIndex> weak = index;
  engine.subscribe([weak](const IncidentChange& change) {
    if (auto live = weak.lock()) live->upsert(change.incident);
  });
  PINGAN_RETURN_IF_ERROR(index->build_from(engine));
  return index;
}

}  // namespace pingan::analytics
