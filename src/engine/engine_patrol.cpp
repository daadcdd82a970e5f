// The engine's door to the patrol records (PatrolStore): the dispatch desk,
// the demo and patrol statistics read and write them here, never through
// the store. The desk keeps units and positions in memory and publishes
// their changes to its own listeners (dispatch/dispatch_service.h).

#include "engine/engine.h"

namespace pingan {

Status Engine::save_patrol_state(std::span<const PatrolUnit> units, std::span<const Assignment> assignments) {
  return store_->patrol().save_patrol_state(units, assignments);
}

Result<std::vector<PatrolUnit>> Engine::list_patrol_units() { return store_->patrol().list_patrol_units(); }

Result<std::vector<Assignment>> Engine::list_assignments(Timestamp from, Timestamp until) {
  return store_->patrol().list_assignments(from, until);
}

Result<std::vector<Assignment>> Engine::list_open_assignments() { return store_->patrol().list_open_assignments(); }

Status Engine::append_track_points(std::span<const UnitPosition> points) {
  return store_->patrol().append_track_points(points);
}

Result<std::vector<UnitPosition>> Engine::list_track_points(const std::string& call_sign, Timestamp from,
                                                            Timestamp until) {
  return store_->patrol().list_track_points(call_sign, from, until);
}

Result<std::vector<UnitPosition>> Engine::latest_track_points() { return store_->patrol().latest_track_points(); }

Result<PatrolRecords> Engine::patrol_records_of(std::span<const std::string> call_signs) {
  return store_->patrol().patrol_records_of(call_signs);
}

Status Engine::upsert_posts(std::span<const PatrolPost> posts) { return store_->patrol().upsert_posts(posts); }

Result<std::vector<PatrolPost>> Engine::list_posts() { return store_->patrol().list_posts(); }

Result<PatrolShift> Engine::add_shift(const PatrolShift& shift) { return store_->patrol().add_shift(shift); }

Result<std::vector<PatrolShift>> Engine::list_shifts(Timestamp from, Timestamp until) {
  return store_->patrol().list_shifts(from, until);
}

}  // namespace pingan
