#pragma once
// The command centre's dispatch desk: patrol units, their live positions,
// recommendation of the best available units for an incident (by estimated
// arrival time, as a set when the incident type's run card asks for several),
// and the dispatch/arrive/clear steps that keep unit status and the
// incident's lifecycle in step.
//
// State: every unit and its latest position live in memory (the map and the
// recommender read them); units, dispatch assignments and downsampled tracks
// are written to the store. Times are passed in by the caller (wall clock for
// HTTP, simulated time for `pingan simulate`).
//
// Several servers on one database (issue 19): what another server's desk
// writes reaches this one through the change log. The desk subscribes to
// its engine's patrol changes (Engine::subscribe_patrol), re-reads the
// units named and publishes them as local changes, so its map shows another
// server's dispatches, arrivals, clearances and (at the stored track's
// resolution) positions within a catch-up. A dispatch checks its units in
// memory and again in the store, inside its transaction: of two servers
// dispatching one unit, one wins and the other gets kConflict naming it.
//
// Thread safety: all methods may be called from several threads. Claiming
// units for a dispatch is atomic: of two dispatchers racing for one unit,
// exactly one wins and the other gets kConflict naming the unit.

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/taxonomy.h"
#include "core/unit.h"
#include "core/patrol_unit.h"

namespace pingan {
class Engine;
}

namespace pingan::dispatch {

// Tunables, loaded from data/dispatch/config.json (all optional there).
struct DispatchConfig {
  // Road distance ≈ straight-line distance × detour factor.
  double detour_factor = 1.4;
  // Average urban speed per PatrolKind (index = the enum value), km/h.
  double speed_kmh[kPatrolKindCount] = {30, 25, 15, 5};
  // Reports implying a faster move since the unit's last report are refused.
  double max_plausible_speed_kmh = 180;
  // Reports farther than this outside the unit tree's bounding box are refused.
  double district_margin_m = 20000;
  // A unit en route within this distance of its incident is inferred arrived.
  double arrival_radius_m = 60;
  // Tracks are stored downsampled: a point is kept when this long or this far
  // from the last kept one.
  int track_min_interval_s = 30;
  double track_min_distance_m = 100;
  // Reports older than this (relative to the newest report seen) are "late".
  int max_report_lag_s = 600;
};
// Read strictly from a JSON object (config/settings.h reads the file):
// unknown keys and out-of-range values are refused, naming the key; keys
// left out keep their defaults.
Result<DispatchConfig> parse_dispatch_config(const nlohmann::json& doc);
Status validate_dispatch_config(const DispatchConfig& config);

// Run card (出警预案): which units an incident type needs.
struct RunCardNeed {
  std::optional<PatrolKind> kind;  // empty: any kind
  std::string role;                // empty: any role; else e.g. "rapid"
  int count = 1;
};
struct RunCard {
  std::string type_code;  // taxonomy type, or "*" for the default
  std::vector<RunCardNeed> needs;
};
// data/dispatch/run_cards.csv; a type without a row gets the "*" card.
class RunCards {
 public:
  // CSV text: type_code,kind,role,count (kind and role may be empty).
  // Errors name origin:line (config/settings.h reads the file).
  static Result<RunCards> parse(std::string_view csv_text, const std::string& origin);
  // Cards given in code (tests, the simulator); adds a "*" card of one unit
  // of any kind when none is given.
  static RunCards from_cards(std::vector<RunCard> cards);
  const RunCard& for_type(const std::string& type_code) const;
  // Errors naming the first card whose type the taxonomy does not know.
  Status check_types(const Taxonomy& taxonomy) const;
  const std::map<std::string, RunCard>& cards() const { return by_type_; }

 private:
  std::map<std::string, RunCard> by_type_;
};

// One unit offered for an incident.
struct Candidate {
  std::string call_sign;
  PatrolKind kind = PatrolKind::kCar;
  std::string station_code;
  double distance_m = 0;  // straight line from the unit's last position
  double eta_s = 0;       // distance × detour / speed of its kind
  int need_index = -1;    // which RunCardNeed it fills (recommend only)
};

struct Recommendation {
  IncidentId incident_id = 0;
  std::string type_code;
  RunCard card;                       // the run card the set covers
  std::vector<Candidate> units;       // one set covering the run card, fastest first per need
  std::vector<std::string> unmet;     // needs no available unit could fill, described
};

// Why a position report was refused.
enum class PositionRejection : std::uint8_t {
  kUnknownUnit, kInvalid, kLate, kDuplicate, kTooFast, kOutsideDistrict
};
inline constexpr int kPositionRejectionCount = 6;
const char* position_rejection_name(PositionRejection r);  // "unknown_unit", "invalid", "late", ...

struct PositionBatchResult {
  std::int64_t accepted = 0;
  struct Refused {
    std::size_t index;  // position in the batch
    std::string call_sign;
    PositionRejection reason;
    std::string message;  // human-readable, names the figure (e.g. "412 km/h since 12:03:10")
  };
  std::vector<Refused> refused;
};

// What the live stream and the simulator hear about.
struct UnitChange {
  PatrolUnit unit;
  std::optional<UnitPosition> position;
};

class DispatchService {
 public:
  // Loads units and their latest positions from the engine's store.
  static Result<std::unique_ptr<DispatchService>> open(Engine& engine, DispatchConfig config, RunCards cards);
  ~DispatchService();

  DispatchConfig config() const;
  // Replaces the tunables and run cards (a reload of the settings): checked
  // first, then in force for every report and recommendation after it.
  Status reconfigure(DispatchConfig config, RunCards cards);

  // Inserts or updates units by call sign (status and assignment are kept for
  // existing units unless `unit.status` is off duty).
  Status upsert_units(std::vector<PatrolUnit> units);
  // Units whose station is inside the scope, with their latest positions.
  std::vector<UnitChange> list_units(const UnitScope& scope) const;
  Result<UnitChange> get_unit(const std::string& call_sign) const;
  // On/off duty (available <-> off duty). A unit with an assignment cannot go off duty.
  Result<PatrolUnit> set_duty(const std::string& call_sign, bool on_duty, Timestamp at, const std::string& actor);

  // Validates each report against the unit's last one; keeps the accepted
  // ones as latest positions and downsampled tracks; infers arrivals.
  PositionBatchResult report_positions(std::span<const PositionReport> reports);

  // The k available units with the shortest ETA to `point` (optionally only
  // of one kind / role), fastest first.
  std::vector<Candidate> nearest_available(const GeoPoint& point, std::size_t k,
                                           std::optional<PatrolKind> kind = std::nullopt,
                                           const std::string& role = "") const;
  // A set of available units covering the incident type's run card.
  Result<Recommendation> recommend(IncidentId incident_id, const UnitScope& scope) const;

  // Claims every named unit (all or none; kConflict when one is not
  // available, here or in the store, where another server may have taken
  // it), marks them en route, and moves the incident to dispatched when it
  // is still received. Refused by the store, the units are re-read from it.
  Result<std::vector<PatrolUnit>> dispatch(IncidentId incident_id, const std::vector<std::string>& call_signs,
                                           Timestamp at, const std::string& actor, const UnitScope& scope);
  // The unit reached its incident: on scene; the incident moves to arrived
  // with the first unit.
  Result<PatrolUnit> arrive(const std::string& call_sign, Timestamp at, const std::string& actor);
  // The unit is free again (available), its assignment ended.
  Result<PatrolUnit> clear(const std::string& call_sign, Timestamp at, const std::string& actor);

  using Listener = std::function<void(const UnitChange&)>;
  void subscribe(Listener listener);

  // Running totals since start, for /api/health and the benchmark.
  struct Counters {
    std::int64_t positions_accepted = 0;
    std::map<std::string, std::int64_t> positions_refused;  // by rejection name
  };
  Counters counters() const;

 private:
  struct Impl;
  explicit DispatchService(std::shared_ptr<Impl> impl);
  // Shared with the engine's patrol listener, which holds it weakly: a
  // catch-up after this desk is gone finds nothing to refresh.
  std::shared_ptr<Impl> impl_;
};

}  // namespace pingan::dispatch
