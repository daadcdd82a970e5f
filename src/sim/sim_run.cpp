#include "sim/sim_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <map>
#include <queue>
#include <thread>
#include <tuple>

#include "analytics/response_index.h"
#include "analytics/response_stats.h"
#include "config/settings.h"
#include "dispatch/patrol_records.h"
#include "sim/sim_fleet.h"
#include "sim/sim_motion.h"
#include "engine/engine.h"
#include "ingest/demo_posts.h"
#include "ingest/demo_random.h"

namespace pingan::sim {
namespace {

constexpr const char* kDeskActor = "指挥中心(模拟)";
constexpr const char* kUnitActor = "巡逻组(模拟)";
// Without the demo's record of a step, these stand in (seconds).
constexpr Timestamp kDefaultOnScene = 20 * 60;
constexpr Timestamp kDefaultCloseAfter = 30 * 60;
constexpr Timestamp kDefaultPhoneHandling = 10 * 60;
// A unit that arrives after the first stays at least this long.
constexpr Timestamp kMinOnScene = 5 * 60;

// One call of the demo's history as the simulator plays it: the demo's
// record says whether police went and how long each step took; the
// simulator replaces who went and when they arrived.
struct Call {
  Incident incident;  // as generated; created with status received
  bool needs_units = false;
  Timestamp desk_delay = 0;
  Timestamp phone_handling = 0;
  Timestamp on_scene = 0;
  Timestamp close_after = 0;
  // Filled once created.
  IncidentId id = 0;
  std::string station;
  ingest::Xy where;
  int open_units = 0;
  std::optional<Timestamp> first_arrival;
};

enum class Mode { kPatrol, kTravel, kOnScene };

struct UnitState {
  SimFleetUnit fleet;
  ingest::Xy at, target;
  ingest::Xy home;  // where a bureau team waits between calls
  Mode mode = Mode::kPatrol;
  Timestamp moving_since = 0;  // motion is computed from here to the next tick
  int call = -1;
  Timestamp busy_since = 0;
  double busy_s = 0;
  ingest::Random random{0};
};

enum class EventKind { kCall, kDesk, kTick, kClear, kHandle, kClose };
struct Event {
  Timestamp at;
  std::uint64_t seq;
  EventKind kind;
  int index;
};
struct Later {
  bool operator()(const Event& a, const Event& b) const {
    return std::tie(a.at, a.seq) > std::tie(b.at, b.seq);
  }
};

Timestamp seconds_between(const std::optional<Timestamp>& from, const std::optional<Timestamp>& to,
                          Timestamp fallback) {
  if (!from || !to || *to < *from) return fallback;
  return *to - *from;
}

class Simulation {
 public:
  Simulation(const SimOptions& options, Engine& engine, dispatch::DispatchService& desk)
      : o_(options), engine_(engine), desk_(desk), geography_(options.demo.seed) {}

  Status prepare(std::vector<Incident> history);
  Status run(const std::function<void(Timestamp)>& progress);
  SimResult result() const;

 private:
  void push(Timestamp at, EventKind kind, int index) { queue_.push(Event{at, seq_++, kind, index}); }
  Status record_rota();
  Status on_call(Timestamp t, int c);
  Result<bool> try_dispatch(Timestamp t, int c);
  Status on_tick(Timestamp t);
  Status on_arrival(int u, Timestamp at);
  Status on_clear(Timestamp t, int u);
  Status transition(int c, IncidentStatus to, Timestamp at, const char* note);
  Status retry_waiting(Timestamp t);
  void add_busy(UnitState& unit, Timestamp until);
  // Station units cruise between random points of their area; bureau
  // teams (no station area) return to their post and wait there.
  ingest::Xy next_patrol_target(UnitState& unit) {
    if (unit.fleet.station_index < 0) return unit.home;
    return random_point_in_station(geography_, unit.fleet.station_index, unit.random);
  }
  double speed_ms(const UnitState& unit) const {
    return o_.dispatch->speed_kmh[static_cast<int>(unit.fleet.unit.kind)] / 3.6;
  }

  const SimOptions& o_;
  Engine& engine_;
  dispatch::DispatchService& desk_;
  ingest::DemoGeography geography_;
  Timestamp start_ = 0, end_ = 0, last_tick_ = 0;
  std::vector<Call> calls_;
  std::vector<UnitState> units_;
  std::priority_queue<Event, std::vector<Event>, Later> queue_;
  std::uint64_t seq_ = 0;
  std::deque<int> waiting_;  // calls the desk could not yet send a unit to, oldest first
  SimResult result_;
};

Status Simulation::prepare(std::vector<Incident> history) {
  const TimeZone& zone = engine_.time_zone();
  start_ = zone.to_utc(CivilTime{o_.first_day.year, o_.first_day.month, o_.first_day.day, 0, 0, 0});
  CivilTime last = utc_to_civil(civil_to_utc(CivilTime{o_.first_day.year, o_.first_day.month,
                                                       o_.first_day.day, 12, 0, 0}) +
                                std::int64_t(o_.days) * 86400);
  end_ = zone.to_utc(CivilTime{last.year, last.month, last.day, 0, 0, 0});

  ingest::Random desk_random(ingest::mix64(o_.demo.seed ^ 0x5e5ca11dULL));
  const int delay_span = o_.desk_delay_max_s - o_.desk_delay_min_s + 1;
  for (Incident& inc : history) {
    if (inc.reported_at < start_ || inc.reported_at >= end_ || !inc.location) continue;
    Call call;
    const LifecycleTimes& t = inc.times;
    call.needs_units = t.dispatched_at.has_value();
    call.desk_delay = o_.desk_delay_min_s + desk_random.below(static_cast<std::uint32_t>(delay_span));
    call.phone_handling =
        seconds_between(std::optional<Timestamp>(inc.reported_at), t.handled_at, kDefaultPhoneHandling);
    call.on_scene = seconds_between(t.arrived_at, t.handled_at, kDefaultOnScene);
    call.close_after = seconds_between(t.handled_at, t.closed_at, kDefaultCloseAfter);
    call.where = geography_.plane().to_xy(*inc.location);
    call.incident = std::move(inc);
    calls_.push_back(std::move(call));
  }
  for (int c = 0; c < static_cast<int>(calls_.size()); ++c)
    push(calls_[c].incident.reported_at, EventKind::kCall, c);

  std::vector<PatrolUnit> fleet_units;
  for (SimFleetUnit& f : simulation_fleet(o_.demo, geography_)) {
    UnitState u;
    u.random = ingest::Random(ingest::mix64(o_.demo.seed * 31 + units_.size() + 1));
    u.at = u.home = geography_.plane().to_xy(f.start);
    u.target = next_patrol_target(u);
    u.moving_since = start_;
    fleet_units.push_back(f.unit);
    u.fleet = std::move(f);
    units_.push_back(std::move(u));
  }
  PINGAN_RETURN_IF_ERROR(desk_.upsert_units(fleet_units));
  for (const UnitState& u : units_) {
    PINGAN_ASSIGN_OR_RETURN(dispatch::UnitChange now, desk_.get_unit(u.fleet.unit.call_sign));
    if (now.unit.status == PatrolStatus::kOffDuty) {
      auto on = desk_.set_duty(u.fleet.unit.call_sign, true, start_, kUnitActor);
      if (!on.ok()) return on.error();
    }
  }
  PINGAN_RETURN_IF_ERROR(record_rota());
  result_.units = static_cast<int>(units_.size());
  result_.from = start_;
  result_.until = end_;
  last_tick_ = start_ - o_.report_interval_s;
  push(start_, EventKind::kTick, 0);
  return {};
}

// The demo's posts and a rota: each station's first foot patrol mans its
// first night post (19:30-03:30) and its second the first school post
// (06:30-14:30); every other unit works three 8-hour shifts a day with its
// crew. So the patrol figures (/api/stats/patrol) of a kept run come from
// records like a real rota's.
Status Simulation::record_rota() {
  const std::vector<PatrolPost> posts = ingest::demo_posts(o_.demo);
  PINGAN_RETURN_IF_ERROR(dispatch::save_posts(engine_, posts));
  auto first_post = [&](const std::string& station, const char* kind) -> const PatrolPost* {
    for (const PatrolPost& p : posts)
      if (p.station_code == station && p.kind == kind) return &p;
    return nullptr;
  };
  auto add = [&](const UnitState& u, Timestamp from, Timestamp until, const std::string& post) -> Status {
    PatrolShift s;
    s.call_sign = u.fleet.unit.call_sign;
    s.starts_at = from;
    s.ends_at = until;
    s.crew = u.fleet.unit.crew_size;
    s.post_code = post;
    auto stored = dispatch::record_shift(engine_, desk_, s);
    if (!stored.ok()) return stored.error();
    return {};
  };
  for (Timestamp day = start_; day < end_; day += 86400) {
    std::map<std::string, int> foot_seen;  // by station
    for (const UnitState& u : units_) {
      const std::string& station = u.fleet.unit.station_code;
      const int foot = u.fleet.unit.kind == PatrolKind::kFoot ? ++foot_seen[station] : 0;
      const PatrolPost* post = foot == 1 ? first_post(station, "night") : foot == 2 ? first_post(station, "school") : nullptr;
      if (post && foot == 1) {
        PINGAN_RETURN_IF_ERROR(add(u, day + 19 * 3600 + 1800, day + 27 * 3600 + 1800, post->code));
      } else if (post) {
        PINGAN_RETURN_IF_ERROR(add(u, day + 6 * 3600 + 1800, day + 14 * 3600 + 1800, post->code));
      } else {
        for (int shift = 0; shift < 3; ++shift)
          PINGAN_RETURN_IF_ERROR(add(u, day + shift * 8 * 3600, day + (shift + 1) * 8 * 3600, ""));
      }
    }
  }
  return {};
}

Status Simulation::transition(int c, IncidentStatus to, Timestamp at, const char* note) {
  TransitionRequest request;
  request.to = to;
  request.at = at;
  request.actor = kDeskActor;
  request.note = note;
  auto r = engine_.transition(calls_[c].id, UnitScope::everything(), request);
  if (!r.ok()) return r.error();
  return {};
}

Status Simulation::on_call(Timestamp t, int c) {
  Call& call = calls_[c];
  auto created = engine_.create_incident(call.incident, "110");
  if (!created.ok()) return created.error();
  call.id = created->id;
  ++result_.calls;
  auto tree = engine_.units();
  const Unit* unit = tree->find(created->unit_code);
  if (unit && unit->kind == UnitKind::kCommunity) unit = tree->find(unit->parent_code);
  if (unit && unit->kind == UnitKind::kStation) call.station = unit->code;
  if (call.needs_units)
    push(t + call.desk_delay, EventKind::kDesk, c);
  else
    push(t + call.phone_handling, EventKind::kHandle, c);
  return {};
}

// Sends the policy's units to the call; false when none is available.
Result<bool> Simulation::try_dispatch(Timestamp t, int c) {
  Call& call = calls_[c];
  const bool own = o_.policy == SimPolicy::kOwnStation && !call.station.empty();
  const UnitScope scope = own ? UnitScope::subtree(call.station) : UnitScope::everything();
  PINGAN_ASSIGN_OR_RETURN(dispatch::Recommendation rec, desk_.recommend(call.id, scope));
  std::vector<std::string> signs;
  for (const dispatch::Candidate& cand : rec.units)
    if (!own || cand.station_code == call.station) signs.push_back(cand.call_sign);
  if (signs.empty() && own) {
    // The run card could not be met inside the station: its nearest free unit.
    for (const dispatch::Candidate& cand : desk_.nearest_available(*call.incident.location, units_.size()))
      if (cand.station_code == call.station) {
        signs.push_back(cand.call_sign);
        break;
      }
  }
  if (signs.empty()) return false;
  PINGAN_ASSIGN_OR_RETURN(std::vector<PatrolUnit> sent,
                          desk_.dispatch(call.id, signs, t, kDeskActor, UnitScope::everything()));
  for (const PatrolUnit& p : sent) {
    auto it = std::find_if(units_.begin(), units_.end(),
                           [&](const UnitState& u) { return u.fleet.unit.call_sign == p.call_sign; });
    if (it == units_.end()) return Error::internal(fmt::format("dispatched unknown unit {}", p.call_sign));
    it->mode = Mode::kTravel;
    it->target = call.where;
    it->call = c;
    it->busy_since = t;
    it->moving_since = std::max(t, it->moving_since);
    ++call.open_units;
    ++result_.dispatches;
  }
  return true;
}

Status Simulation::retry_waiting(Timestamp t) {
  std::deque<int> still;
  while (!waiting_.empty()) {
    const int c = waiting_.front();
    waiting_.pop_front();
    PINGAN_ASSIGN_OR_RETURN(bool sent, try_dispatch(t, c));
    if (!sent) still.push_back(c);
  }
  waiting_ = std::move(still);
  return {};
}

void Simulation::add_busy(UnitState& unit, Timestamp until) {
  const Timestamp a = std::clamp(unit.busy_since, start_, end_);
  const Timestamp b = std::clamp(until, start_, end_);
  unit.busy_s += static_cast<double>(b - a);
}

Status Simulation::on_tick(Timestamp t) {
  std::vector<PositionReport> reports;
  std::vector<std::pair<int, Timestamp>> arrivals;
  for (int i = 0; i < static_cast<int>(units_.size()); ++i) {
    UnitState& u = units_[i];
    const Timestamp from = std::min(u.moving_since, t);
    if (u.mode == Mode::kTravel) {
      SimStep step = step_towards(u.at, u.target, speed_ms(u) / o_.dispatch->detour_factor, from, t);
      u.at = step.at;
      if (step.reached) {
        arrivals.emplace_back(i, *step.reached);
        if (*step.reached < t)
          reports.push_back(PositionReport{u.fleet.unit.call_sign, *step.reached,
                                           geography_.plane().to_geo(u.at), std::nullopt});
      }
    } else if (u.mode == Mode::kPatrol) {
      SimStep step = step_towards(u.at, u.target, speed_ms(u) * o_.patrol_speed_share, from, t);
      u.at = step.at;
      if (step.reached) u.target = next_patrol_target(u);
    }
    u.moving_since = t;
    reports.push_back(
        PositionReport{u.fleet.unit.call_sign, t, geography_.plane().to_geo(u.at), std::nullopt});
  }
  std::stable_sort(reports.begin(), reports.end(),
                   [](const PositionReport& a, const PositionReport& b) { return a.at < b.at; });
  dispatch::PositionBatchResult batch = desk_.report_positions(reports);
  result_.positions_accepted += batch.accepted;
  result_.positions_refused += static_cast<std::int64_t>(batch.refused.size());
  for (const auto& [i, at] : arrivals) PINGAN_RETURN_IF_ERROR(on_arrival(i, at));
  last_tick_ = t;
  PINGAN_RETURN_IF_ERROR(retry_waiting(t));
  if (t < end_ + o_.tail_s) push(t + o_.report_interval_s, EventKind::kTick, 0);
  return {};
}

Status Simulation::on_arrival(int i, Timestamp at) {
  UnitState& u = units_[i];
  PINGAN_ASSIGN_OR_RETURN(dispatch::UnitChange now, desk_.get_unit(u.fleet.unit.call_sign));
  if (now.unit.status == PatrolStatus::kOnScene) {
    ++result_.arrivals_inferred;
  } else {
    auto arrived = desk_.arrive(u.fleet.unit.call_sign, at, kUnitActor);
    if (!arrived.ok()) return arrived.error();
  }
  u.mode = Mode::kOnScene;
  Call& call = calls_[u.call];
  Timestamp clear_at;
  if (!call.first_arrival) {
    call.first_arrival = at;
    clear_at = at + call.on_scene;
  } else {
    clear_at = std::max(*call.first_arrival + call.on_scene, at + kMinOnScene);
  }
  push(clear_at, EventKind::kClear, i);
  return {};
}

Status Simulation::on_clear(Timestamp t, int i) {
  UnitState& u = units_[i];
  auto cleared = desk_.clear(u.fleet.unit.call_sign, t, kUnitActor);
  if (!cleared.ok()) return cleared.error();
  add_busy(u, t);
  Call& call = calls_[u.call];
  u.mode = Mode::kPatrol;
  u.call = -1;
  u.moving_since = std::max(t, u.moving_since);
  u.target = next_patrol_target(u);
  if (--call.open_units == 0) {
    PINGAN_RETURN_IF_ERROR(transition(static_cast<int>(&call - calls_.data()), IncidentStatus::kHandled, t, "现场处置完毕"));
    push(t + call.close_after, EventKind::kClose, static_cast<int>(&call - calls_.data()));
  }
  return retry_waiting(t);
}

Status Simulation::run(const std::function<void(Timestamp)>& progress) {
  const auto wall_start = std::chrono::steady_clock::now();
  const Timestamp stop = end_ + o_.tail_s;
  Timestamp next_progress = start_;
  while (!queue_.empty() && queue_.top().at <= stop) {
    const Event e = queue_.top();
    queue_.pop();
    if (o_.speedup > 0) {
      const auto due = wall_start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                        std::chrono::duration<double>(double(e.at - start_) / o_.speedup));
      std::this_thread::sleep_until(due);
    }
    if (progress && e.at >= next_progress) {
      progress(e.at);
      next_progress = e.at + 3600;
    }
    switch (e.kind) {
      case EventKind::kCall:
        PINGAN_RETURN_IF_ERROR(on_call(e.at, e.index));
        break;
      case EventKind::kDesk: {
        PINGAN_ASSIGN_OR_RETURN(bool sent, try_dispatch(e.at, e.index));
        if (!sent) {
          ++result_.waited;
          waiting_.push_back(e.index);
        }
        break;
      }
      case EventKind::kTick:
        PINGAN_RETURN_IF_ERROR(on_tick(e.at));
        break;
      case EventKind::kClear:
        PINGAN_RETURN_IF_ERROR(on_clear(e.at, e.index));
        break;
      case EventKind::kHandle:
        PINGAN_RETURN_IF_ERROR(transition(e.index, IncidentStatus::kHandled, e.at, "电话处置"));
        push(e.at + calls_[e.index].close_after, EventKind::kClose, e.index);
        break;
      case EventKind::kClose:
        PINGAN_RETURN_IF_ERROR(transition(e.index, IncidentStatus::kClosed, e.at, "办结"));
        break;
    }
  }
  double busy = 0;
  for (UnitState& u : units_) {
    if (u.call >= 0) add_busy(u, end_);
    busy += u.busy_s;
  }
  const double capacity = static_cast<double>(units_.size()) * static_cast<double>(end_ - start_);
  result_.busy_share = capacity > 0 ? busy / capacity : 0;
  result_.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return {};
}

SimResult Simulation::result() const { return result_; }

}  // namespace

const char* sim_policy_name(SimPolicy policy) {
  return policy == SimPolicy::kNearestUnit ? "nearest" : "own-station";
}

Status validate_sim_options(const SimOptions& o) {
  PINGAN_RETURN_IF_ERROR(ingest::validate_demo_options(o.demo));
  if (o.days < 1 || o.days > 366) return Error::invalid("days", fmt::format("{} is outside 1..366", o.days));
  if (o.speedup < 0) return Error::invalid("speedup", "may not be negative (0 = as fast as possible)");
  if (o.report_interval_s < 1 || o.report_interval_s > 600)
    return Error::invalid("report_interval", fmt::format("{} s is outside 1..600", o.report_interval_s));
  if (o.desk_delay_min_s < 0 || o.desk_delay_max_s < o.desk_delay_min_s || o.desk_delay_max_s > 3600)
    return Error::invalid("desk_delay", fmt::format("{}..{} s is not a range inside 0..3600",
                                                    o.desk_delay_min_s, o.desk_delay_max_s));
  if (!is_valid_civil(CivilTime{o.first_day.year, o.first_day.month, o.first_day.day, 0, 0, 0}))
    return Error::invalid("from", "is not a valid date");
  const Timestamp demo_first = civil_to_utc(CivilTime{o.demo.first_day.year, o.demo.first_day.month,
                                                      o.demo.first_day.day, 0, 0, 0});
  const Timestamp sim_first = civil_to_utc(CivilTime{o.first_day.year, o.first_day.month, o.first_day.day, 0, 0, 0});
  if (sim_first < demo_first || sim_first + std::int64_t(o.days) * 86400 > demo_first + std::int64_t(o.demo.days) * 86400)
    return Error::invalid("from", fmt::format("the simulated days must lie inside the demo's {} days from {:04}-{:02}-{:02}",
                                              o.demo.days, o.demo.first_day.year, o.demo.first_day.month,
                                              o.demo.first_day.day));
  return {};
}

Result<SimResult> run_simulation(const SimOptions& given, const std::function<void(Timestamp)>& progress) {
  PINGAN_RETURN_IF_ERROR(validate_sim_options(given));
  PINGAN_ASSIGN_OR_RETURN(config::Settings settings, config::load_settings(given.data_dir));
  SimOptions options = given;
  if (!options.dispatch) options.dispatch = settings.dispatch;
  PINGAN_ASSIGN_OR_RETURN(std::unique_ptr<Engine> engine,
                          Engine::open(EngineConfig{options.db, settings.data_dir, options.time_zone}, settings.taxonomy));
  PINGAN_RETURN_IF_ERROR(ingest::check_demo_taxonomy(engine->taxonomy()));
  PINGAN_RETURN_IF_ERROR(engine->upsert_units(ingest::demo_units(options.demo)));
  PINGAN_ASSIGN_OR_RETURN(std::unique_ptr<dispatch::DispatchService> desk,
                          dispatch::DispatchService::open(*engine, *options.dispatch, settings.run_cards));
  // The simulated days' calls, as the demo's history has them.
  std::vector<Incident> history;
  const TimeZone& zone = engine->time_zone();
  const Timestamp from = zone.to_utc(CivilTime{options.first_day.year, options.first_day.month,
                                               options.first_day.day, 0, 0, 0});
  const Timestamp until = from + std::int64_t(options.days + 1) * 86400;
  ingest::generate_demo_incidents(options.demo, engine->taxonomy(), [&](Incident&& inc) {
    if (inc.reported_at >= from && inc.reported_at < until) history.push_back(std::move(inc));
  });
  Simulation sim(options, *engine, *desk);
  PINGAN_RETURN_IF_ERROR(sim.prepare(std::move(history)));
  PINGAN_RETURN_IF_ERROR(sim.run(progress));
  SimResult result = sim.result();
  std::vector<Incident> stored;
  PINGAN_RETURN_IF_ERROR(engine->scan_incidents([&](const Incident& inc) { stored.push_back(inc); }));
  result.response = dispatch::summarise_response(stored);
  // The same calls through the metrics module and the configured standard.
  const analytics::ResponseStandard& standard = settings.response_standard;
  PINGAN_ASSIGN_OR_RETURN(auto response_index, analytics::attach_response_index(*engine));
  analytics::ResponseQuery query;
  query.from = result.from;
  query.until = result.until;
  PINGAN_ASSIGN_OR_RETURN(analytics::ResponseReport report,
                          analytics::response_report(*response_index, standard, *engine->units(),
                                                     engine->time_zone(), query));
  result.standard_name = standard.name;
  for (std::size_t i = 0; i < standard.marks.size() && i < report.total.current.marks.size(); ++i)
    result.standard_marks.push_back(SimStandardMark{standard.marks[i].label, standard.marks[i].seconds,
                                                    report.total.current.marks[i].share_pct});
  return result;
}

}  // namespace pingan::sim
