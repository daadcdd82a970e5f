#pragma once
// The change log in PostgreSQL (migrations 10 and 11): statement triggers
// on incidents, units and track points, and constraint triggers deferred to
// commit on patrol units and assignments (kind 'patrol', by call sign), add
// rows tagged with the connection's pingan.writer,
// under an advisory lock held to commit so that seq order is commit order;
// they NOTIFY pingan_changes with the schema's name. wait_for_changes()
// LISTENs on a connection of its own and wakes on those notifications, so a
// follower hears of another server's write within a round trip, not a poll
// period. Why LISTEN/NOTIFY and not logical decoding: docs/province.md.

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "store/change_log.h"
#include "store/postgres/pg_pool.h"

namespace pingan {

class PgChangeLog final : public ChangeLog {
 public:
  // `schema`: the schema whose notifications are this store's (the first of
  // its search path).
  PgChangeLog(pg::Pool& pool, std::string schema) : pool_(pool), schema_(std::move(schema)) {}
  ~PgChangeLog() override;

  Result<std::int64_t> last_position() override;
  Result<std::int64_t> first_position() override;
  Result<std::vector<ChangeRecord>> changes_by_others(std::int64_t after, int limit) override;
  Status wait_for_changes(std::chrono::milliseconds timeout) override;

  // Drops rows older than a week (at open).
  Status prune();

 private:
  Status listen_locked();

  pg::Pool& pool_;
  const std::string schema_;
  std::mutex listen_mutex_;
  std::unique_ptr<pg::Connection> listener_;  // GUARDED_BY(listen_mutex_)
};

}  // namespace pingan
