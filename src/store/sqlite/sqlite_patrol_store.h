#pragma once
// Patrol units, assignments, tracks, posts and shifts in SQLite: writes on
// the writer connection and mutex of the SqliteStore that owns it, reads on
// its read pool (sqlite_dispatch_store.cpp, sqlite_patrol_store.cpp).

#include <sqlite3.h>

#include <mutex>

#include "store/patrol_store.h"
#include "store/sqlite/sqlite_read_pool.h"

namespace pingan {

class SqlitePatrolStore final : public PatrolStore {
 public:
  SqlitePatrolStore(std::mutex& mutex, sqlite3* db, sqlite::ReadPool& reads)
      : mutex_(mutex), db_(db), reads_(reads) {}

  Status save_patrol_state(std::span<const PatrolUnit> units, std::span<const Assignment> assignments) override;
  Result<std::vector<PatrolUnit>> list_patrol_units() override;
  Result<std::vector<Assignment>> list_assignments(Timestamp from, Timestamp until) override;
  Result<std::vector<Assignment>> list_open_assignments() override;
  Status append_track_points(std::span<const UnitPosition> points) override;
  Result<std::vector<UnitPosition>> list_track_points(const std::string& call_sign, Timestamp from,
                                                      Timestamp until) override;
  Result<std::vector<UnitPosition>> latest_track_points() override;
  Result<PatrolRecords> patrol_records_of(std::span<const std::string> call_signs) override;

  Status upsert_posts(std::span<const PatrolPost> posts) override;
  Result<std::vector<PatrolPost>> list_posts() override;
  Result<PatrolShift> add_shift(const PatrolShift& shift) override;
  Result<std::vector<PatrolShift>> list_shifts(Timestamp from, Timestamp until) override;

  // save_patrol_state() inside a transaction the caller has begun on the
  // writer, with mutex_ held (SqliteDeskStore, whose step moves an incident
  // in the same transaction).
  Status save_patrol_state_locked(std::span<const PatrolUnit> units, std::span<const Assignment> assignments);

 private:
  std::mutex& mutex_;
  sqlite3* const db_;  // GUARDED_BY(mutex_): the writer
  sqlite::ReadPool& reads_;
};

}  // namespace pingan
