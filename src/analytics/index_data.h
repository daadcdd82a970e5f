#pragma once
// The inside of IncidentIndex, for the analytics code that reads it directly
// (aggregations) while IncidentIndex::read() holds the shared lock.
//
// Rows are columns (17 bytes per row). Positions [0, sorted_end) are sorted
// by (unit number, time), so the rows of a unit over a period are one
// contiguous run found by binary search, and a subtree is a run of runs.
// Newer rows wait in the tail [sorted_end, size) in arrival order until
// enough gather to merge them in (IndexData::sort_rows). Voided rows are
// marked dead in place and dropped at the next merge.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "analytics/index_clock.h"
#include "analytics/index_cube.h"
#include "analytics/index_projection.h"
#include "analytics/index_units.h"
#include "core/incident.h"
#include "core/taxonomy.h"

namespace pingan::analytics {

inline constexpr std::uint8_t kDeadStatus = 0xFF;  // a voided row awaiting the next merge
inline constexpr std::uint8_t kUnknownType = 0xFF;
inline constexpr std::uint32_t kNoRow = std::numeric_limits<std::uint32_t>::max();

struct IndexColumns {
  std::vector<std::int32_t> minute;   // UTC minutes since the epoch
  std::vector<std::uint8_t> second;   // 0..59 within the minute
  std::vector<std::uint8_t> type;     // dense taxonomy index, kUnknownType
  std::vector<std::uint8_t> status;   // IncidentStatus, kDeadStatus
  std::vector<std::uint16_t> unit;    // UnitCatalog number, kNoUnit
  std::vector<std::int32_t> x, y;     // local metres, kNoPoint when unknown

  std::size_t size() const { return minute.size(); }
  Timestamp time(std::size_t row) const {
    return std::int64_t{minute[row]} * 60 + second[row];
  }
  bool live(std::size_t row) const { return status[row] != kDeadStatus; }
  void reserve(std::size_t n);
  void shrink_to_fit();
  // Keeps rows order[0], order[1], ... in that order.
  void permute(const std::vector<std::uint32_t>& order);
  std::size_t memory_bytes() const;
};

struct IndexData {
  explicit IndexData(const Taxonomy& taxonomy, const TimeZone& zone);

  // --- dictionaries ---
  std::vector<IncidentType> types;                   // taxonomy order
  std::vector<IncidentClass> classes;                // taxonomy order
  std::vector<std::uint8_t> class_of_type;           // per type, index into classes
  std::unordered_map<std::string, int> type_by_code;
  UnitCatalog catalog;
  LocalClock clock;
  LocalProjection projection;
  bool projection_set = false;

  // --- rows ---
  IndexColumns rows;
  std::size_t sorted_end = 0;
  // run_begin[d] .. run_begin[d + 1]: sorted rows of unit dimension d
  // (d = unit number, or catalog.size() for rows with no unit).
  std::vector<std::uint32_t> run_begin;
  std::int64_t live_rows = 0;
  std::int64_t dead_rows = 0;
  // Store id -> row; ids are SQLite row ids, dense from 1, so a vector.
  // Ids far beyond the row count go to the map.
  std::vector<std::uint32_t> row_of_id;
  std::unordered_map<std::int64_t, std::uint32_t> row_of_sparse_id;

  // --- counts ---
  DayCube cube;

  int unit_dims() const { return catalog.size() + 1; }
  int unit_dim(std::uint16_t unit) const { return unit == kNoUnit ? catalog.size() : unit; }
  std::size_t tail_size() const { return rows.size() - sorted_end; }
  std::uint32_t find_row(IncidentId id) const;
  void set_row(IncidentId id, std::uint32_t row);

  // Merges the tail into the sorted part and drops dead rows.
  void sort_rows();
  // Chooses the cube's day window from the rows and refills it.
  void rebuild_cube();

  std::size_t memory_bytes() const;

  // The rows of the unit ranges with from <= time < until: run(dim, begin,
  // end) for each unit's sorted rows [begin, end) (dead rows included:
  // callers skip them), then tail(row) for each live row of the tail.
  template <typename Run, typename Tail>
  void for_runs(const UnitRanges& units, Timestamp from, Timestamp until, Run&& run, Tail&& tail) const;
  // Calls visit(row) for every live row of the unit ranges with
  // from <= time < until: sorted rows unit by unit in time order, then the
  // tail in arrival order.
  template <typename Visit>
  void for_rows(const UnitRanges& units, Timestamp from, Timestamp until, Visit&& visit) const;
};

// --- template definitions ---

template <typename Run, typename Tail>
void IndexData::for_runs(const UnitRanges& units, Timestamp from, Timestamp until, Run&& run, Tail&& tail) const {
  if (from >= until) return;
  // Runs are sorted by (minute, second): find the first row at or after an
  // instant by minute, then by second within that minute.
  auto first_at = [this](std::uint32_t begin, std::uint32_t end, Timestamp t) {
    const std::int64_t m = floor_div(t, 60);
    const std::int32_t* minutes = rows.minute.data();
    const std::int32_t* it = std::lower_bound(minutes + begin, minutes + end, m,
                                              [](std::int32_t v, std::int64_t key) { return std::int64_t{v} < key; });
    auto r = static_cast<std::uint32_t>(it - minutes);
    while (r < end && rows.minute[r] == m && rows.time(r) < t) ++r;
    return r;
  };
  auto visit_dim = [&](int dim) {
    const std::uint32_t begin = run_begin[static_cast<std::size_t>(dim)];
    const std::uint32_t end = run_begin[static_cast<std::size_t>(dim) + 1];
    if (begin == end) return;
    const std::uint32_t lo = first_at(begin, end, from);
    const std::uint32_t hi = first_at(lo, end, until);
    if (lo < hi) run(dim, lo, hi);
  };
  for (const auto& [begin, end] : units.ranges)
    for (int d = begin; d < end; ++d) visit_dim(d);
  if (units.unplaced) visit_dim(catalog.size());
  if (tail_size() == 0) return;
  std::vector<char> wanted(static_cast<std::size_t>(unit_dims()), 0);
  for (const auto& [begin, end] : units.ranges)
    for (int d = begin; d < end; ++d) wanted[static_cast<std::size_t>(d)] = 1;
  if (units.unplaced) wanted[static_cast<std::size_t>(catalog.size())] = 1;
  for (std::size_t r = sorted_end; r < rows.size(); ++r) {
    if (!rows.live(r) || !wanted[static_cast<std::size_t>(unit_dim(rows.unit[r]))]) continue;
    const Timestamp t = rows.time(r);
    if (t >= from && t < until) tail(r);
  }
}

template <typename Visit>
void IndexData::for_rows(const UnitRanges& units, Timestamp from, Timestamp until, Visit&& visit) const {
  for_runs(
      units, from, until,
      [&](int, std::uint32_t begin, std::uint32_t end) {
        for (std::size_t r = begin; r < end; ++r)
          if (rows.live(r)) visit(r);
      },
      visit);
}

}  // namespace pingan::analytics
