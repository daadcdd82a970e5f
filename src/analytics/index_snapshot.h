#pragma once
// The analytics index written to a file and read back, so that a restarted
// server answers statistics after reading ~17 bytes per incident instead of
// scanning every record in the store (issue 19, "fast start"). A snapshot is
// stamped with the change log's position it holds every change up to; the
// server replays the log from there (Engine::follow_from, catch_up).
//
// What is kept is what cannot be derived cheaply: the compacted row columns,
// the id -> row map, the unit codes in the numbering the rows use, the type
// codes and the projection. The cube and the unit runs are rebuilt on load
// (IndexData::sort_rows, rebuild_cube: well under a second at 10 M rows).
//
// The file ends with a BLAKE2b digest of everything before it; a damaged or
// truncated file, another format version or another byte order is refused
// with the reason, and the caller rebuilds from the store. Written to a
// temporary file, synced and renamed, so a crash mid-write leaves the old
// snapshot or none, never half of one.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "analytics/index_data.h"
#include "core/status.h"

namespace pingan::analytics {

struct SnapshotStamp {
  std::int64_t position = 0;  // the change log's position the rows hold every change up to
  std::string database;       // which database they came from (a file path, a URL without password)
};

struct SnapshotContents {
  SnapshotStamp stamp;
  std::string zone;                     // the time zone's name the cube's days were counted in
  std::vector<std::string> type_codes;  // the taxonomy's type codes, in the rows' numbering
  bool projection_set = false;
  LocalProjection projection;
  std::vector<std::string> unit_codes;  // unit code of each unit number the rows use
  IndexColumns rows;                    // compacted: sorted, no dead rows
  std::vector<std::uint32_t> row_of_id;
  std::vector<std::pair<std::int64_t, std::uint32_t>> sparse_ids;
};

// `d` must be compacted (sort_rows() just ran: no tail, no dead rows).
Status write_snapshot(const std::string& path, const SnapshotStamp& stamp, const IndexData& d);
// Reads and checks the file: digest, sizes, and every number in range
// (rows, types, units, statuses), so that a crafted file cannot make the
// index read out of bounds.
Result<SnapshotContents> read_snapshot(const std::string& path);

}  // namespace pingan::analytics
