#pragma once
// The in-memory columnar index of incidents that every statistic reads.
// Built from the store at start-up (with progress) and kept current by the
// Engine's listener (attach_index below), so answers never lag the records.
//
// Layout (index_data.h): one row per live (not voided) incident, 17 bytes of
// columns (UTC minute and second, unit, type, status, x/y in local metres),
// sorted by (unit, time) with recent rows in a small unsorted tail; a map
// from store id to row (4 bytes per id); and a cube of counts by
// unit x type x local day with prefix sums along the days (index_cube.h)
// for the periods people ask about. memory_bytes() reports the real figure
// (about 22 bytes per incident on the demo district).
//
// Thread safety: every method may be called from several threads; readers
// share a lock, writers (upsert, build_from, set_units) take it alone.

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/index_projection.h"
#include "analytics/index_snapshot.h"
#include "analytics/index_units.h"
#include "core/incident.h"
#include "core/status.h"
#include "core/taxonomy.h"
#include "core/time.h"
#include "core/unit.h"

namespace pingan {

class Engine;

namespace analytics {

struct IndexData;

// A filter over the index's rows; every statistic starts from one. Unknown
// class or type codes match nothing (callers validate codes first, see
// validate_filter).
struct RowFilter {
  UnitScope scope = UnitScope::everything();
  std::vector<std::string> class_codes;  // empty = all
  std::vector<std::string> type_codes;   // empty = all
  std::vector<IncidentStatus> statuses;  // empty = all
  Timestamp from = std::numeric_limits<Timestamp>::min();  // reported_at >= from
  Timestamp until = std::numeric_limits<Timestamp>::max(); // reported_at < until
};

// One incident as spatial code sees it.
struct PointRow {
  std::int32_t x, y;       // local metres; both kNoPoint when the incident has no location
  std::int32_t minute;     // UTC minutes since the epoch
  std::uint8_t type;       // dense type index (taxonomy order)
  std::uint16_t unit;      // dense unit index; kNoUnit if none
};

// How a server's index was filled, for its log and /api/health.
struct IndexStart {
  bool from_snapshot = false;
  std::int64_t snapshot_position = 0;  // from_snapshot: the change it held every change up to
  std::int64_t changes_replayed = 0;   // from_snapshot: changes applied from the log since
  double seconds = 0;                  // from the start to a current index
  std::string note;                    // why a snapshot was not used; empty when it was or none existed
};
class IncidentIndex {
 public:
  IncidentIndex(const Taxonomy& taxonomy, std::shared_ptr<const UnitTree> units, TimeZone zone);
  ~IncidentIndex();
  IncidentIndex(const IncidentIndex&) = delete;
  IncidentIndex& operator=(const IncidentIndex&) = delete;

  // Replaces the contents with every live incident of the store;
  // progress(rows read) about every 100k rows.
  Status build_from(Engine& engine, const std::function<void(std::int64_t)>& progress = {});
  // Adds or updates one incident: a known id is updated (status changes
  // arrive again with the same id; a voided incident leaves the counts), an
  // unknown id is added. Id 0 (unknown) is always added.
  void upsert(const Incident& incident);
  // Several at once under one lock (a bulk insert).
  void upsert_all(const std::vector<Incident>& incidents);
  // Replaces the unit tree after units change (rows keep their unit codes).
  // Cheap when `units` is the tree already in use.
  void set_units(std::shared_ptr<const UnitTree> units);

  // Writes the rows to `path` (index_snapshot.h), compacting them first;
  // writers wait meanwhile (about a second per 10 M rows).
  Status save_snapshot(const std::string& path, std::int64_t position, const std::string& database);
  // Replaces the contents with a snapshot's rows, renumbered for the current
  // unit tree, and returns its stamp. Refused, contents untouched, when the
  // file is damaged or was written under another taxonomy or time zone.
  Result<SnapshotStamp> load_snapshot(const std::string& path);
  // How this index was filled (attach_index_from_snapshot records it).
  IndexStart start() const;

  // Merges the recent rows into the time-sorted runs now (writers do it
  // when enough gather; tests and benchmarks call it to measure one layout).
  void compact();

  // What the index holds, for logs and benchmarks.
  struct Shape {
    std::int64_t rows = 0;       // live incidents
    std::int64_t tail_rows = 0;  // not yet merged into the sorted runs
    std::int64_t dead_rows = 0;  // voided, dropped at the next merge
    std::string cube_first_day, cube_last_day;  // the dense window's local dates; empty without a cube
    int cube_slots = 0;          // (unit, type) pairs with counts
    int cube_dense_slots = 0;    // of which kept as prefix sums over the window
    std::size_t memory_bytes = 0;
    std::size_t cube_bytes = 0;
  };
  Shape shape() const;

  std::int64_t size() const;  // live incidents
  std::size_t memory_bytes() const;
  // Fixed once set: from the units' boundaries, or the first located incident.
  const LocalProjection& projection() const;
  const TimeZone& zone() const;

  // Calls visit for each row passing the filter (shared lock held: do not
  // call back into the index's writers).
  void for_each_point(const RowFilter& filter, const std::function<void(const PointRow&)>& visit) const;
  // Number of rows passing the filter (from the cube when it can answer).
  std::int64_t count(const RowFilter& filter) const;

  // Dense index <-> code lookups used by results.
  int type_index(std::string_view type_code) const;        // -1 if unknown
  const IncidentType& type_at(int index) const;
  int type_count() const;
  int unit_index(std::string_view unit_code) const;        // -1 if unknown
  // Units of the tree first (depth-first), then codes seen only on incidents.
  // Numbers and references hold until the unit tree changes (set_units);
  // read() holds the lock for code that must not see a change midway.
  const Unit& unit_at(int index) const;
  int unit_count() const;
  std::shared_ptr<const UnitTree> units() const;

  // Runs `read` with the shared lock held, for analytics code that reads the
  // columns and the cube directly (aggregate.h).
  void read(const std::function<void(const IndexData&)>& read) const;

 private:
  friend Result<std::shared_ptr<IncidentIndex>> attach_index_from_snapshot(
      Engine&, const std::string&, const std::string&, IndexStart*,
      const std::function<void(std::int64_t, std::int64_t)>&);
  void record_start(const IndexStart& start);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Creates the index for an engine, subscribes it to the engine's writes and
// fills it from the store (subscribing first, so no write is missed; a
// write racing the build is applied after it, and upserts are idempotent).
// A gap in the change log (Engine::catch_up) rebuilds it from the store.
// progress(rows read, rows in the store).
Result<std::shared_ptr<IncidentIndex>> attach_index(
    Engine& engine, const std::function<void(std::int64_t, std::int64_t)>& progress = {});

// attach_index(), starting from the snapshot at `snapshot_path` when there
// is a usable one: written for `database`, under this taxonomy and zone, and
// with every change since it still in the log (Engine::follow_from); the
// engine's catch_up() then replays the log from its position before this
// returns. Any other snapshot is left aside with the reason in `start->note`,
// and the index is built from the store.
Result<std::shared_ptr<IncidentIndex>> attach_index_from_snapshot(
    Engine& engine, const std::string& snapshot_path, const std::string& database, IndexStart* start,
    const std::function<void(std::int64_t, std::int64_t)>& progress = {});

}  // namespace analytics
}  // namespace pingan
