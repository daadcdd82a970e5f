#include "store/postgres/pg_patrol_store.h"
// STUB: replaced by the real implementation.
namespace pingan {
Status PgPatrolStore::save_patrol_state(std::span<const PatrolUnit> units, std::span<const Assignment> assignments) { return Error::internal("PgPatrolStore::save_patrol_state: not built yet"); }
Result<std::vector<PatrolUnit>> PgPatrolStore::list_patrol_units() { return Error::internal("PgPatrolStore::list_patrol_units: not built yet"); }
Result<std::vector<Assignment>> PgPatrolStore::list_assignments(Timestamp from, Timestamp until) { return Error::internal("PgPatrolStore::list_assignments: not built yet"); }
Result<std::vector<Assignment>> PgPatrolStore::list_open_assignments() { return Error::internal("PgPatrolStore::list_open_assignments: not built yet"); }
Status PgPatrolStore::append_track_points(std::span<const UnitPosition> points) { return Error::internal("PgPatrolStore::append_track_points: not built yet"); }
Result<std::vector<UnitPosition>> PgPatrolStore::list_track_points(const std::string& call_sign, Timestamp from,
                                                      Timestamp until) { return Error::internal("PgPatrolStore::list_track_points: not built yet"); }
Result<std::vector<UnitPosition>> PgPatrolStore::latest_track_points() { return Error::internal("PgPatrolStore::latest_track_points: not built yet"); }
Status PgPatrolStore::upsert_posts(std::span<const PatrolPost> posts) { return Error::internal("PgPatrolStore::upsert_posts: not built yet"); }
Result<std::vector<PatrolPost>> PgPatrolStore::list_posts() { return Error::internal("PgPatrolStore::list_posts: not built yet"); }
Result<PatrolShift> PgPatrolStore::add_shift(const PatrolShift& shift) { return Error::internal("PgPatrolStore::add_shift: not built yet"); }
Result<std::vector<PatrolShift>> PgPatrolStore::list_shifts(Timestamp from, Timestamp until) { return Error::internal("PgPatrolStore::list_shifts: not built yet"); }
Status PgPatrolStore::save_patrol_state_on(pg::Connection& c, std::span<const PatrolUnit> units,
                              std::span<const Assignment> assignments) { return Error::internal("PgPatrolStore::save_patrol_state_on: not built yet"); }
}  // namespace pingan
