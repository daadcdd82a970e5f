#pragma once
// The dispatch desk's records, durably: patrol units, dispatch assignments,
// downsampled tracks, posts and shifts (core/patrol_unit.h,
// core/patrol_post.h). Only the engine calls it.

#include <span>
#include <string>
#include <vector>

#include "core/patrol_post.h"
#include "core/patrol_unit.h"
#include "core/status.h"
#include "core/time.h"

namespace pingan {

// What the store holds of some patrol units, read in one snapshot
// (PatrolStore::patrol_records_of).
struct PatrolRecords {
  std::vector<PatrolUnit> units;               // those stored, by call sign
  std::vector<Assignment> open_assignments;    // theirs not cleared yet
  std::vector<UnitPosition> latest_points;     // the newest track point of each that has one
};

class PatrolStore {
 public:
  virtual ~PatrolStore() = default;

  // Inserts or updates units by call sign and assignments by (incident_id,
  // call_sign, dispatched_at), all in one transaction.
  virtual Status save_patrol_state(std::span<const PatrolUnit> units, std::span<const Assignment> assignments) = 0;
  virtual Result<std::vector<PatrolUnit>> list_patrol_units() = 0;
  // Assignments dispatched in [from, until), by dispatched_at then call sign.
  virtual Result<std::vector<Assignment>> list_assignments(Timestamp from, Timestamp until) = 0;
  // Assignments not cleared yet (units en route or on scene).
  virtual Result<std::vector<Assignment>> list_open_assignments() = 0;
  // Appends downsampled track points in one transaction (one durable commit);
  // a point whose (call_sign, at) is stored already is skipped.
  virtual Status append_track_points(std::span<const UnitPosition> points) = 0;
  // Points with from <= at < until of one unit (empty call sign: every unit),
  // in (call_sign, at) order.
  virtual Result<std::vector<UnitPosition>> list_track_points(const std::string& call_sign, Timestamp from,
                                                              Timestamp until) = 0;
  // The newest stored point of every unit, by call sign.
  virtual Result<std::vector<UnitPosition>> latest_track_points() = 0;
  // The records of the named units as they stand now, in one snapshot: how
  // a server re-reads the units another server's desk changed (the change
  // log names them). A call sign not stored is left out.
  virtual Result<PatrolRecords> patrol_records_of(std::span<const std::string> call_signs) = 0;

  // Inserts or updates posts by code, in one transaction.
  virtual Status upsert_posts(std::span<const PatrolPost> posts) = 0;
  virtual Result<std::vector<PatrolPost>> list_posts() = 0;
  // Stores a validated shift; returns it with its id.
  virtual Result<PatrolShift> add_shift(const PatrolShift& shift) = 0;
  // Shifts overlapping [from, until), by start then id.
  virtual Result<std::vector<PatrolShift>> list_shifts(Timestamp from, Timestamp until) = 0;
};

}  // namespace pingan
