#pragma once
// How far behind its primary a streaming read replica may be (issue 19,
// "Read replicas"), as a bound a list can state: "this page holds every
// write acknowledged more than S seconds before it was read".
//
// One measurement: at t0 the primary's WAL write position L is read (every
// commit acknowledged before t0 ends at or before L: the commit waited for
// its flush). If the replica has replayed past L, it held every commit
// acknowledged before t0, so a read at t is stale by at most t - t0. If it
// has not (asked three times, 5 ms apart: a commit flushed just before t0
// is replayed a moment later), the replica's `now() -
// pg_last_xact_replay_timestamp()` bounds it: each commit acknowledged
// before the last replayed commit's timestamp lies before it in the WAL
// (that bound trusts the two servers' clocks to agree). Why not the
// replica's `pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()` alone: a
// standby cut off from its primary has replayed all it received and would
// claim to be current for ever.
//
// A measurement is reused for 100 ms (a failed one for a second, so that an
// unreachable replica costs one connection attempt a second, not one a
// list); the bound a read states grows with the measurement's age, so it
// stays a bound. One thread measures at a time; the others use the last
// measurement meanwhile, or the primary when it is not usable.
//
// Thread safety: every method may be called from several threads.

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "store/postgres/pg_pool.h"

namespace pingan {

class ReplicaLag {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds kReuse{100};
  static constexpr std::chrono::milliseconds kRetryAfterFailure{1000};

  // `schema`: the primary's current schema; a replica whose search path
  // names another is not read (its `incidents` are another database's).
  ReplicaLag(pg::Pool& primary, pg::Pool& replica, std::string schema, double max_lag_s);

  // When the replica may be read now: the moment before which it holds
  // every acknowledged commit. nullopt when the primary must answer: the
  // replica cannot be reached, is not a standby of this database, or may be
  // more than max_lag_s behind.
  std::optional<Clock::time_point> holds_writes_before();
  // The bound of a page read after holds_writes_before() returned
  // `complete_as_of`, stated when the read is done: seconds since then,
  // rounded up to the millisecond.
  static double stale_by_at_most_s(Clock::time_point complete_as_of);
  // A read on the replica failed: the primary answers until the next
  // measurement, a second from now.
  void replica_failed(const Error& error);

 private:
  struct Measurement {
    Clock::time_point taken;
    // The replica held every commit acknowledged before this; empty when
    // it may not be read.
    std::optional<Clock::time_point> complete_as_of;
  };

  // One measurement (both round trips), outside the mutex.
  Measurement measure();
  Result<Clock::time_point> complete_as_of();
  // `m`'s complete_as_of for a read at `now`, if within max_lag_s.
  std::optional<Clock::time_point> usable(const Measurement& m, Clock::time_point now) const;
  // Logs when the replica becomes usable or stops being, once per change
  // of reason (a list per second would repeat the same line).
  void note(const std::string& problem);

  pg::Pool& primary_;
  pg::Pool& replica_;
  const std::string schema_;
  const double max_lag_s_;
  std::mutex mutex_;
  std::optional<Measurement> last_;  // GUARDED_BY(mutex_)
  bool measuring_ = false;           // GUARDED_BY(mutex_)
  // GUARDED_BY(mutex_): the reason last logged, "" when the replica was usable.
  std::string problem_ = "(none yet)";
};

}  // namespace pingan
