#pragma once
// The data every engine of bench/analytics answers from: the demo district's
// incidents (src/ingest/demo_district.h) kept as compact rows, and the three
// queries of the issue pinned to dates inside the data.

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "core/taxonomy.h"
#include "core/time.h"
#include "core/unit.h"
#include "ingest/demo_district.h"

namespace pingan::bench {

// One incident as the benchmark keeps it (32 bytes): enough to rebuild the
// Incident fields the index reads and the columns the SQL tables hold.
struct BenchRow {
  Timestamp t;             // reported_at, UTC seconds
  double lat, lon;
  std::int32_t x = 0, y = 0;  // metres in the index's projection (filled after the index is built)
  std::uint16_t unit;      // index into Dataset::unit_codes
  std::uint8_t type;       // index into the taxonomy's types
  std::uint8_t status;     // IncidentStatus
};

struct Dataset {
  std::vector<BenchRow> rows;
  std::vector<std::string> unit_codes;  // demo units in demo_units() order
  std::vector<Unit> units;
};

// Generates the demo district's incidents into rows (time order).
inline Dataset generate_dataset(const ingest::DemoOptions& options, const Taxonomy& taxonomy) {
  Dataset d;
  d.units = ingest::demo_units(options);
  std::unordered_map<std::string, std::uint16_t> unit_index;
  for (const Unit& u : d.units) {
    unit_index.emplace(u.code, static_cast<std::uint16_t>(d.unit_codes.size()));
    d.unit_codes.push_back(u.code);
  }
  std::unordered_map<std::string, std::uint8_t> type_index;
  for (size_t i = 0; i < taxonomy.types().size(); ++i)
    type_index.emplace(taxonomy.types()[i].code, static_cast<std::uint8_t>(i));
  d.rows.reserve(static_cast<size_t>(options.incidents_per_day * options.days * 1.02));
  ingest::generate_demo_incidents(options, taxonomy, [&](Incident&& inc) {
    BenchRow r{};
    r.t = inc.reported_at;
    r.lat = inc.location ? inc.location->lat : 0;
    r.lon = inc.location ? inc.location->lon : 0;
    r.unit = unit_index.at(inc.unit_code);
    r.type = type_index.at(inc.type_code);
    r.status = static_cast<std::uint8_t>(inc.status);
    d.rows.push_back(r);
  });
  return d;
}

// The three queries, as bounds every engine uses alike. Periods are local
// calendar months of the bureau (Asia/Shanghai for the demo), turned into
// UTC instants once, as an application would before calling a database.
struct QuerySpec {
  int year = 0;  // the last year with a complete June-August in the data
  // Q1: totals by class, Jun-Aug of `year` and of the year before (YoY).
  Timestamp q1_from = 0, q1_until = 0, q1_last_year_from = 0, q1_last_year_until = 0;
  // Q2: counts by unit x type in Jun-Aug of `year`, one station's subtree.
  // Q3: counts per cell of `cell_metres`, July of `year`, the same station.
  std::string station;
  std::vector<std::string> station_units;  // the station and its communities
  Timestamp q2_from = 0, q2_until = 0, q3_from = 0, q3_until = 0;
  int cell_metres = 150;
};

inline QuerySpec make_query_spec(const ingest::DemoOptions& options, const TimeZone& zone,
                                 const std::vector<Unit>& units, const std::string& station) {
  QuerySpec q;
  const CivilTime last_day = zone.to_local(ingest::demo_end(options) - 1);
  q.year = last_day.month >= 9 ? last_day.year : last_day.year - 1;
  auto local = [&](int y, int m) { return zone.to_utc(CivilTime{y, m, 1, 0, 0, 0}); };
  q.q1_from = local(q.year, 6);
  q.q1_until = local(q.year, 9);
  q.q1_last_year_from = local(q.year - 1, 6);
  q.q1_last_year_until = local(q.year - 1, 9);
  q.q2_from = q.q1_from;
  q.q2_until = q.q1_until;
  q.q3_from = local(q.year, 7);
  q.q3_until = local(q.year, 8);
  q.station = station;
  for (const Unit& u : units)
    if (u.code == station || u.parent_code == station) q.station_units.push_back(u.code);
  return q;
}

// A query's answer as (key, key, count) rows, sorted, so that engines can be
// compared: Q1 (class, "this"|"last", n), Q2 (unit, type, n), Q3 (cx, cy, n).
using Answer = std::vector<std::tuple<std::string, std::string, std::int64_t>>;

inline Answer sorted(Answer a) {
  std::sort(a.begin(), a.end());
  return a;
}

inline std::int64_t answer_total(const Answer& a) {
  std::int64_t n = 0;
  for (const auto& row : a) n += std::get<2>(row);
  return n;
}

// The cell of a coordinate: floor(v / size), also for negative v.
inline std::int32_t cell_of(std::int32_t v, int size) {
  return v >= 0 ? v / size : -((-v + size - 1) / size);
}

}  // namespace pingan::bench
