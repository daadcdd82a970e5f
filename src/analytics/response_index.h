#pragma once
// The response durations of every counted incident (not voided, not merged),
// kept in memory beside the incident index so that 1-3-5 statistics never
// scan the store per query. Built from the store at start-up and kept
// current by the Engine's listener (attach_response_index): a transition to
// dispatched or arrived publishes the whole incident, and its row is
// rewritten in place.
//
// Layout: columns of 22 bytes per row (reported_at, unit number, three
// durations as uint32 seconds with kNoDuration for "not recorded"), in
// arrival order, plus a map from store id to row. Rows whose incident was
// voided or merged later are marked dead (unit kDeadRow) and skipped.
//
// Thread safety: readers share a lock (read()); writers take it alone.

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "analytics/response_standard.h"
#include "core/incident.h"
#include "core/status.h"

namespace pingan {
class Engine;
}  // namespace pingan

namespace pingan::analytics {

inline constexpr std::uint32_t kNoDuration = std::numeric_limits<std::uint32_t>::max();
inline constexpr std::uint16_t kDeadRow = std::numeric_limits<std::uint16_t>::max();

// The three durations of one incident; kNoDuration where an end is missing.
// A step logged before its start (clock skew) counts as 0 seconds.
struct ResponseDurations {
  std::uint32_t call_to_dispatch = kNoDuration;
  std::uint32_t dispatch_to_arrival = kNoDuration;
  std::uint32_t call_to_arrival = kNoDuration;
  std::uint32_t of(ResponseMetric m) const {
    return m == ResponseMetric::kCallToDispatch     ? call_to_dispatch
           : m == ResponseMetric::kDispatchToArrival ? dispatch_to_arrival
                                                     : call_to_arrival;
  }
  // A unit was committed (dispatched or arrived): the incident is in the
  // denominators of the marks.
  bool responded() const { return call_to_dispatch != kNoDuration; }
};
ResponseDurations response_durations(const Incident& incident);

struct ResponseColumns {
  std::vector<Timestamp> reported_at;
  std::vector<std::uint16_t> unit;  // into unit_codes; kDeadRow when no longer counted
  std::vector<ResponseDurations> durations;
  std::vector<std::string> unit_codes;  // "" = no unit
  std::size_t size() const { return reported_at.size(); }
  bool live(std::size_t row) const { return unit[row] != kDeadRow; }
};

class ResponseIndex {
 public:
  ResponseIndex() = default;
  ResponseIndex(const ResponseIndex&) = delete;
  ResponseIndex& operator=(const ResponseIndex&) = delete;

  // Replaces the contents with every counted incident of the store.
  Status build_from(Engine& engine);
  // Adds, rewrites or (voided, merged) drops one incident. Id 0 always adds.
  void upsert(const Incident& incident);

  std::int64_t size() const;  // live rows
  std::size_t memory_bytes() const;
  // Runs `read` with the shared lock held.
  void read(const std::function<void(const ResponseColumns&)>& read) const;

 private:
  void upsert_locked(const Incident& incident);
  std::uint16_t intern_locked(const std::string& code);

  mutable std::shared_mutex mutex_;
  ResponseColumns columns_;                                  // GUARDED_BY(mutex_)
  std::unordered_map<IncidentId, std::uint32_t> row_of_id_;  // GUARDED_BY(mutex_)
  std::unordered_map<std::string, std::uint16_t> unit_of_code_;  // GUARDED_BY(mutex_)
  std::int64_t live_ = 0;                                    // GUARDED_BY(mutex_)
};

// Creates the index, subscribes it to the engine's writes (first, so that no
// write is missed; upserts are idempotent) and fills it from the store.
Result<std::shared_ptr<ResponseIndex>> attach_response_index(Engine& engine);

}  // namespace pingan::analytics
