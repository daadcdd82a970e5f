#pragma once
// The dispatch desk's records in PostgreSQL: patrol units, assignments,
// track points, posts and shifts.

#include "store/patrol_store.h"
#include "store/postgres/pg_pool.h"

namespace pingan {

class PgPatrolStore final : public PatrolStore {
 public:
  explicit PgPatrolStore(pg::Pool& pool) : pool_(pool) {}

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

  // save_patrol_state's statements on `c`, inside the caller's transaction
  // (the desk store's).
  Status save_patrol_state_on(pg::Connection& c, std::span<const PatrolUnit> units,
                              std::span<const Assignment> assignments);

 private:
  pg::Pool& pool_;
};

}  // namespace pingan
