#pragma once
// The demo district: a fictional bureau "平安市公安局示范分局" (code PA) near
// Jinan with 8 stations and 40 communities, and two years of synthetic
// incidents whose structure is realistic enough to exercise dashboards,
// hotspot maps, trend detection and forecasts: daily, weekly and yearly
// rhythms, holidays, type-specific trends, persistent hotspots, a background
// that follows population, and near-repeat (self-exciting) burglaries.
// docs/demo.md describes the model.
//
// Deterministic: the same options give byte-identical units and incidents on
// every platform (own PRNG and distributions, no std:: distributions).

#include <cstdint>
#include <functional>
#include <vector>

#include "core/incident.h"
#include "core/status.h"
#include "core/taxonomy.h"
#include "core/time.h"
#include "core/unit.h"

namespace pingan {
class Engine;
}  // namespace pingan

namespace pingan::ingest {

struct DemoOptions {
  std::uint64_t seed = 20240601;
  CivilTime first_day{2024, 11, 1};  // local dates, Asia/Shanghai (only the date fields are read)
  int days = 730;                     // two years: 2024-11-01 .. 2026-10-31
  double incidents_per_day = 160;     // mean; the default gives ~117k incidents
};

// Checks the options: a valid first day, 1..36500 days, 0 < incidents_per_day <= 1e6.
Status validate_demo_options(const DemoOptions& options);

// Units of the demo district: 1 bureau, 8 stations, 40 communities, all with
// polygons. Communities tile their station and stations tile the district
// (each station's polygon is the union of its communities').
std::vector<Unit> demo_units(const DemoOptions& options);

// The instant the demo stops: local midnight after the last day, as UTC.
// Every generated time is before it; incidents whose handling would run past
// it are left open at the step they had reached.
Timestamp demo_end(const DemoOptions& options);

// Whether the taxonomy has every type the demo generates (the demo refuses
// to invent codes). Names the first missing code.
Status check_demo_taxonomy(const Taxonomy& taxonomy);

// Calls visit(incident) for every incident in reported_at order, without
// holding them all in memory (only one day and the pending near repeats), so
// 10 million incidents can be generated for benchmarks. Each incident passes
// validate_new_incident(incident, taxonomy, demo_end(options)); class_code is
// filled. Throws std::invalid_argument when the options are invalid or
// check_demo_taxonomy fails: both are programming errors for the callers
// (CLI and benchmarks check first).
void generate_demo_incidents(const DemoOptions& options, const Taxonomy& taxonomy,
                             const std::function<void(Incident&&)>& visit);

struct DemoReport {
  std::int64_t units = 0;
  std::int64_t patrol_units = 0;  // demo_patrol_units.h, on duty at their starting positions
  std::int64_t incidents = 0;   // new rows written
  std::int64_t duplicates = 0;  // (source, source_id) already in the store: a rerun adds nothing
  std::int64_t followups = 0;   // follow-up loop ledger items created (Engine::reconcile_followups)
};

// Writes units, patrol units with their starting positions (at demo_end),
// then incidents (batches of 20,000 through engine.insert_batch),
// calling progress(done, expected) after each batch, then the `followup`
// ledger items of the incidents that entered the follow-up loop
// (Engine::reconcile_followups; a rerun creates none). `expected` is the mean
// count (incidents_per_day * days): the true count differs by a little, and
// the last call reports (done, done).
Result<DemoReport> write_demo_district(
    Engine& engine, const DemoOptions& options,
    const std::function<void(std::int64_t done, std::int64_t expected)>& progress);

}  // namespace pingan::ingest
