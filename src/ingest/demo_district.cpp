#include "ingest/demo_district.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

#include "engine/engine.h"
#include "ingest/demo_geography.h"
#include "ingest/demo_patrol_units.h"
#include "ingest/demo_text.h"

namespace pingan::ingest {
namespace {

constexpr size_t kBatchSize = 20000;

}  // namespace

std::vector<Unit> demo_units(const DemoOptions& options) {
  const DemoGeography geography(options.seed);
  std::vector<Unit> units;
  Unit bureau;
  bureau.code = "PA";
  bureau.name = std::string(bureau_name());
  bureau.kind = UnitKind::kBureau;
  // The district is the union of the station areas.
  std::vector<Polygon> district;
  for (const auto& s : geography.stations()) district.push_back(s.boundary.polygons().front());
  bureau.boundary = Boundary(std::move(district));
  units.push_back(std::move(bureau));
  for (const auto& s : geography.stations()) {
    Unit u;
    u.code = s.code;
    u.name = s.name;
    u.kind = UnitKind::kStation;
    u.parent_code = "PA";
    u.boundary = s.boundary;
    units.push_back(std::move(u));
  }
  for (const auto& c : geography.communities()) {
    Unit u;
    u.code = c.code;
    u.name = c.name;
    u.kind = UnitKind::kCommunity;
    u.parent_code = geography.stations()[size_t(c.station)].code;
    u.boundary = c.boundary;
    units.push_back(std::move(u));
  }
  return units;
}

Result<DemoReport> write_demo_district(
    Engine& engine, const DemoOptions& options,
    const std::function<void(std::int64_t done, std::int64_t expected)>& progress) {
  PINGAN_RETURN_IF_ERROR(validate_demo_options(options));
  PINGAN_RETURN_IF_ERROR(check_demo_taxonomy(engine.taxonomy()));
  DemoReport report;
  std::vector<Unit> units = demo_units(options);
  report.units = std::int64_t(units.size());
  PINGAN_RETURN_IF_ERROR(engine.upsert_units(std::move(units)));
  const auto patrol_units = demo_patrol_units(options);
  PINGAN_RETURN_IF_ERROR(engine.save_patrol_state(patrol_units, {}));
  PINGAN_RETURN_IF_ERROR(engine.append_track_points(demo_patrol_positions(options, demo_end(options))));
  report.patrol_units = std::int64_t(patrol_units.size());

  const Timestamp now = demo_end(options);
  const auto expected = std::int64_t(std::llround(options.incidents_per_day * options.days));
  std::int64_t done = 0;
  std::vector<Incident> batch;
  batch.reserve(kBatchSize);
  std::optional<Error> failure;
  auto flush = [&] {
    if (batch.empty() || failure) return;
    auto written = engine.insert_batch(batch);
    if (!written.ok()) {
      failure = written.error();
      return;
    }
    report.incidents += written->inserted;
    report.duplicates += written->duplicates;
    done += std::int64_t(batch.size());
    batch.clear();
    if (progress) progress(done, expected);
  };
  generate_demo_incidents(options, engine.taxonomy(), [&](Incident&& incident) {
    if (failure) return;  // the generator cannot be stopped; skip the rest cheaply
    Status valid = validate_new_incident(incident, engine.taxonomy(), now);
    if (!valid.ok()) {
      Error e = valid.error();
      e.message = fmt::format("demo incident {}: {}", incident.source_id, e.message);
      failure = std::move(e);
      return;
    }
    batch.push_back(std::move(incident));
    if (batch.size() >= kBatchSize) flush();
  });
  flush();
  if (failure) return *failure;
  // The rows went in without Engine::transition: their follow-up loop's
  // ledger items (engine/followup_ledger.h) come from the catch-up, in bulk
  // mode like the demo's other ledgers.
  PINGAN_RETURN_IF_ERROR(engine.ledgers().begin_bulk());
  Result<FollowupReconcile> followups = engine.reconcile_followups();
  PINGAN_RETURN_IF_ERROR(engine.ledgers().end_bulk());
  if (!followups.ok()) return followups.error();
  report.followups = followups->created;
  if (progress) progress(done, done);
  return report;
}

}  // namespace pingan::ingest
