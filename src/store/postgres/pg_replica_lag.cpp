#include "store/postgres/pg_replica_lag.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <thread>

namespace pingan {
namespace {

constexpr int kReplayRetries = 2;
constexpr std::chrono::milliseconds kReplayRetryPause{5};

double seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

}  // namespace

ReplicaLag::ReplicaLag(pg::Pool& primary, pg::Pool& replica, std::string schema, double max_lag_s)
    : primary_(primary), replica_(replica), schema_(std::move(schema)), max_lag_s_(max_lag_s) {}

std::optional<ReplicaLag::Clock::time_point> ReplicaLag::holds_writes_before() {
  {
    std::lock_guard lock(mutex_);
    const Clock::time_point now = Clock::now();
    const bool fresh =
        last_ && now - last_->taken < (last_->complete_as_of ? kReuse : kRetryAfterFailure);
    if (fresh || measuring_) return last_ ? usable(*last_, now) : std::nullopt;
    measuring_ = true;
  }
  Measurement m = measure();
  std::lock_guard lock(mutex_);
  measuring_ = false;
  last_ = m;
  return usable(m, Clock::now());
}

void ReplicaLag::replica_failed(const Error& error) {
  std::lock_guard lock(mutex_);
  last_ = Measurement{Clock::now(), std::nullopt};
  const std::string problem = "a list failed on it: " + error.describe();
  if (problem != problem_)
    spdlog::warn("read replica {}: {}; the primary answers lists", pg::redact_url(replica_.url()),
                 problem);
  problem_ = problem;
}

ReplicaLag::Measurement ReplicaLag::measure() {
  const Clock::time_point taken = Clock::now();
  auto as_of = complete_as_of();
  Measurement m{taken, std::nullopt};
  if (!as_of.ok()) {
    note(as_of.error().describe());
    return m;
  }
  m.complete_as_of = *as_of;
  const double behind = seconds(Clock::now() - *as_of);
  note(behind > max_lag_s_ ? fmt::format("more than {} s behind", max_lag_s_) : "");
  return m;
}

Result<ReplicaLag::Clock::time_point> ReplicaLag::complete_as_of() {
  const Clock::time_point t0 = Clock::now();
  std::string primary_lsn;
  {
    PINGAN_ASSIGN_OR_RETURN(pg::Lease p, primary_.lease());
    PINGAN_ASSIGN_OR_RETURN(pg::PgResult r, p->exec("SELECT pg_current_wal_lsn()::text",
                                                    "reading the primary's WAL position"));
    primary_lsn = r.text(0, 0);
  }  // the primary's connection goes back before the replica's round trip
  pg::Params params;
  params.add(primary_lsn);
  // A replica being measured is not waited for long: the primary answers.
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, replica_.lease(std::chrono::milliseconds(500)));
  // A commit flushed just before t0 is replayed a millisecond or two later:
  // look again before falling back to the replay timestamp, which on a
  // quiet primary (its last commit an hour ago) would say an hour.
  for (int attempt = 0;; ++attempt) {
    PINGAN_ASSIGN_OR_RETURN(
        pg::PgResult r,
        c->exec("SELECT pg_is_in_recovery(), current_schema(), "
                "pg_last_wal_replay_lsn() >= $1::pg_lsn, "
                "EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8",
                params, "measuring the replica's lag"));
    if (!r.boolean(0, 0))
      return Error::unavailable("it is not a standby (pg_is_in_recovery() is false)");
    const std::string schema = r.is_null(0, 1) ? "" : r.text(0, 1);
    if (schema != schema_)
      return Error::unavailable(
          fmt::format("its search path reads schema '{}', the primary's is '{}'", schema, schema_));
    if (!r.is_null(0, 2) && r.boolean(0, 2)) return t0;
    if (attempt < kReplayRetries) {
      std::this_thread::sleep_for(kReplayRetryPause);
      continue;
    }
    // Behind the primary: how long ago the last commit it replayed was made.
    if (r.is_null(0, 3)) return Error::unavailable("it has replayed no commit since it started");
    const double behind = std::max(0.0, r.dbl(0, 3));
    return t0 - std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(behind));
  }
}

std::optional<ReplicaLag::Clock::time_point> ReplicaLag::usable(const Measurement& m,
                                                                Clock::time_point now) const {
  if (!m.complete_as_of || seconds(now - *m.complete_as_of) > max_lag_s_) return std::nullopt;
  return m.complete_as_of;
}

double ReplicaLag::stale_by_at_most_s(Clock::time_point complete_as_of) {
  return std::ceil(seconds(Clock::now() - complete_as_of) * 1000.0) / 1000.0;
}

void ReplicaLag::note(const std::string& problem) {
  std::lock_guard lock(mutex_);
  if (problem == problem_) return;
  if (problem.empty())
    spdlog::info("read replica {}: within {} s of the primary; lists are read there",
                 pg::redact_url(replica_.url()), max_lag_s_);
  else
    spdlog::warn("read replica {}: {}; the primary answers lists", pg::redact_url(replica_.url()),
                 problem);
  problem_ = problem;
}

}  // namespace pingan
