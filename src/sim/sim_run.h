#pragma once
// `pingan simulate`: plays days of the demo district through the real
// engine and dispatch desk. Calls arrive as in the demo's history (the
// generator is deterministic by seed), created through the Engine with
// status received; units patrol their station and report positions every
// few seconds through DispatchService::report_positions; the desk dispatches
// after a realistic delay (recommend → dispatch); units travel at their
// kind's speed over the detour, arrival is inferred from their positions,
// they stay on scene as long as the demo's record of the call says, then
// clear, and the incident is handled and closed through the Engine. The
// demo's posts and a rota (foot patrols manning a night and a school post
// per station, every other unit on three 8-hour shifts a day) are recorded
// too. Every
// time in the database is simulated time, so the server's statistics come
// out of a run as from real use.

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>
#include <string>

#include "core/status.h"
#include "core/time.h"
#include "dispatch/dispatch_service.h"
#include "dispatch/response_summary.h"
#include "ingest/demo_district.h"

namespace pingan::sim {

enum class SimPolicy : std::uint8_t {
  kNearestUnit,  // the recommender's best units, from any station
  kOwnStation,   // only units of the station whose area holds the incident
};
const char* sim_policy_name(SimPolicy policy);  // "nearest", "own-station"

struct SimOptions {
  // The district and its history; the simulated days are taken from it.
  ingest::DemoOptions demo;
  CivilTime first_day{2026, 7, 15};  // first simulated local day, inside the demo's days
  int days = 1;
  // Simulated seconds per wall-clock second; 0 = as fast as possible.
  double speedup = 0;
  int report_interval_s = 30;
  // The desk's time from call to dispatch decision, uniform in [min, max],
  // drawn per call from the seed.
  int desk_delay_min_s = 30;
  int desk_delay_max_s = 90;
  // Patrolling units cruise at this share of their kind's speed.
  double patrol_speed_share = 0.5;
  // After the last call, units keep moving this long so that calls near
  // the end are reached and cleared.
  int tail_s = 3 * 3600;
  SimPolicy policy = SimPolicy::kNearestUnit;
  // The desk's tunables; empty: those of the configuration folder.
  std::optional<dispatch::DispatchConfig> dispatch;
  std::string db = ":memory:";  // a fresh database; a file path keeps the run for `pingan serve`
  std::string data_dir;         // the configuration folder (config/settings.h); empty = shipped data/
  std::string time_zone = "Asia/Shanghai";
};

// Checks days, interval, delays, speed-up and that the days lie in the demo.
Status validate_sim_options(const SimOptions& options);

// One mark of the configured rapid-response standard
// (data/dispatch/response_standard.json, per-unit overrides applied), as the
// metrics module (analytics/response_stats.h, /api/stats/response) reports it.
struct SimStandardMark {
  std::string label;  // "5分钟到场"
  std::uint32_t default_seconds = 0;
  std::optional<double> share_pct;  // of the responded incidents
};

struct SimResult {
  Timestamp from = 0, until = 0;  // the simulated days
  dispatch::ResponseSummary response;     // read back from the store after the run
  std::string standard_name;
  std::vector<SimStandardMark> standard_marks;
  std::int64_t calls = 0;       // incidents created
  std::int64_t dispatches = 0;  // units sent
  std::int64_t waited = 0;      // calls that found no unit at the desk's first try
  int units = 0;
  double busy_share = 0;        // en route or on scene, over units × simulated time
  std::int64_t positions_accepted = 0;
  std::int64_t positions_refused = 0;
  std::int64_t arrivals_inferred = 0;  // arrivals the service inferred from positions
  double wall_seconds = 0;
};

// Runs one policy on a fresh database (options.db). `progress` gets the
// simulated time now and then.
Result<SimResult> run_simulation(const SimOptions& options,
                                 const std::function<void(Timestamp sim_now)>& progress = {});

}  // namespace pingan::sim
