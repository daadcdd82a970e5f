// pingan simulate: plays days of the demo district through the engine and
// the dispatch desk under two dispatch policies and prints their 1-3-5
// compliance side by side (sim/sim_run.h has the model).

#include <fmt/format.h>

#include <cstdio>
#include <future>
#include <memory>

#include "cli/commands.h"
#include "sim/sim_run.h"

namespace pingan::cli {
namespace {

struct SimulateCommandOptions {
  sim::SimOptions sim;
  std::string from = "2026-07-15";
  std::string policy = "both";
  std::string keep_dir;  // keep each policy's database here
};

Result<CivilTime> parse_date(const std::string& text) {
  CivilTime d;
  if (std::sscanf(text.c_str(), "%d-%d-%d", &d.year, &d.month, &d.day) != 3 || !is_valid_civil(d))
    return Error::invalid("from", fmt::format("'{}' is not a date YYYY-MM-DD", text));
  return d;
}

std::string percent(double share) { return fmt::format("{:.1f}%", 100.0 * share); }
std::string minutes(double seconds) {
  const auto s = static_cast<long>(seconds + 0.5);
  return fmt::format("{}:{:02} min", s / 60, s % 60);
}

void print_table(const SimulateCommandOptions& o, const std::vector<sim::SimPolicy>& policies,
                 const std::vector<sim::SimResult>& results) {
  const sim::SimOptions& s = o.sim;
  fmt::print("\n示范辖区 demo district, seed {}, {} day(s) from {}, {} units, desk delay {}–{} s, positions every {} s\n\n",
             s.demo.seed, s.days, o.from, results.front().units, s.desk_delay_min_s, s.desk_delay_max_s,
             s.report_interval_s);
  std::string header = "| |", rule = "|---|";
  for (sim::SimPolicy p : policies) {
    header += p == sim::SimPolicy::kNearestUnit ? " nearest unit (any station) |" : " own station's units only |";
    rule += "---:|";
  }
  fmt::print("{}\n{}\n", header, rule);
  auto row = [&](const char* label, auto cell) {
    std::string line = fmt::format("| {} |", label);
    for (const sim::SimResult& r : results) line += fmt::format(" {} |", cell(r));
    fmt::print("{}\n", line);
  };
  using R = sim::SimResult;
  row("calls (incidents)", [](const R& r) { return fmt::format("{}", r.response.incidents); });
  row("dispatched incidents", [](const R& r) { return fmt::format("{}", r.response.dispatched); });
  row("units sent", [](const R& r) { return fmt::format("{}", r.dispatches); });
  row("1 min: call → dispatch", [](const R& r) { return percent(r.response.dispatch_within_1min); });
  row("3 min: call → arrival", [](const R& r) { return percent(r.response.arrival_within_3min); });
  row("5 min: call → arrival", [](const R& r) { return percent(r.response.arrival_within_5min); });
  // The same calls as the metrics module counts them under the configured
  // standard (per-unit overrides applied; /api/stats/response).
  for (std::size_t m = 0; m < results.front().standard_marks.size(); ++m) {
    const std::string label = fmt::format("{}, configured standard", results.front().standard_marks[m].label);
    row(label.c_str(), [m](const R& r) {
      const auto& share = r.standard_marks[m].share_pct;
      return share ? fmt::format("{:.1f}%", *share) : std::string("–");
    });
  }
  row("median call → arrival", [](const R& r) { return minutes(r.response.median_call_to_arrival_s); });
  row("p90 call → arrival", [](const R& r) { return minutes(r.response.p90_call_to_arrival_s); });
  row("calls that waited for a free unit", [](const R& r) { return fmt::format("{}", r.waited); });
  row("units busy (en route or on scene)", [](const R& r) { return percent(r.busy_share); });
  row("position reports accepted / refused", [](const R& r) {
    return fmt::format("{} / {}", r.positions_accepted, r.positions_refused);
  });
  row("unit arrivals inferred from positions", [](const R& r) {
    return fmt::format("{} of {}", r.arrivals_inferred, r.dispatches);
  });
  row("wall time", [](const R& r) { return fmt::format("{:.1f} s", r.wall_seconds); });
  fmt::print("\nShares are of the dispatched incidents (an incident not reached misses the mark); "
             "times from the incidents' lifecycle in the store. The \"configured standard\" rows are {} "
             "(data/dispatch/response_standard.json) with its per-unit overrides, as /api/stats/response "
             "reports them.\n", results.front().standard_name);
}

void run_simulate(SimulateCommandOptions o) {
  auto first = parse_date(o.from);
  if (!first.ok()) return report_error(first.error());
  o.sim.first_day = *first;
  std::vector<sim::SimPolicy> policies;
  if (o.policy == "both" || o.policy == "nearest") policies.push_back(sim::SimPolicy::kNearestUnit);
  if (o.policy == "both" || o.policy == "own-station") policies.push_back(sim::SimPolicy::kOwnStation);
  if (policies.empty())
    return report_error(Error::invalid("policy", fmt::format("'{}' is not both, nearest or own-station", o.policy)));
  if (Status st = sim::validate_sim_options(o.sim); !st.ok()) return report_error(st.error());

  // Each policy on its own fresh database with the same seed, side by side
  // in time so that a speed-up plays both at once.
  std::vector<std::future<Result<sim::SimResult>>> runs;
  for (std::size_t i = 0; i < policies.size(); ++i) {
    sim::SimOptions options = o.sim;
    options.policy = policies[i];
    if (!o.keep_dir.empty())
      options.db = fmt::format("{}/sim-{}.db", o.keep_dir, sim::sim_policy_name(policies[i]));
    const bool report = i == 0;
    std::shared_ptr<TimeZone> zone;
    if (auto located = TimeZone::locate(options.time_zone); located.ok())
      zone = std::make_shared<TimeZone>(*located);
    runs.push_back(std::async(std::launch::async, [options, report, zone] {
      return sim::run_simulation(options, [&](Timestamp now) {
        if (report && zone)
          fmt::print(stderr, "模拟 simulated time {}\n", format_local(now, *zone));
      });
    }));
  }
  std::vector<sim::SimResult> results;
  for (auto& run : runs) {
    auto r = run.get();
    if (!r.ok()) return report_error(r.error());
    results.push_back(*r);
  }
  print_table(o, policies, results);
}

}  // namespace

void add_simulate_command(CLI::App& app) {
  auto options = std::make_shared<SimulateCommandOptions>();
  sim::SimOptions& s = options->sim;
  CLI::App* cmd = app.add_subcommand(
      "simulate", "play days of the demo district through the dispatch desk and compare two policies");
  cmd->add_option("--seed", s.demo.seed, "demo district seed (same seed, same district and calls)")->capture_default_str();
  cmd->add_option("--days", s.days, "simulated days")->capture_default_str()->check(CLI::Range(1, 366));
  cmd->add_option("--from", options->from, "first simulated local day (inside the demo's two years)")->capture_default_str();
  cmd->add_option("--speedup", s.speedup, "simulated seconds per wall second (0 = as fast as possible)")->capture_default_str();
  cmd->add_option("--interval", s.report_interval_s, "seconds between position reports")->capture_default_str();
  cmd->add_option("--desk-delay-min", s.desk_delay_min_s, "shortest call-to-dispatch time of the desk, s")->capture_default_str();
  cmd->add_option("--desk-delay-max", s.desk_delay_max_s, "longest call-to-dispatch time of the desk, s")->capture_default_str();
  cmd->add_option("--policy", options->policy, "both, nearest or own-station")->capture_default_str();
  cmd->add_option("--keep", options->keep_dir,
                  "folder to keep each policy's database in (sim-nearest.db, sim-own-station.db) for `pingan serve`");
  cmd->add_option("--tz", s.time_zone, "bureau time zone")->capture_default_str();
  cmd->add_option("--data-dir", s.data_dir, "folder with taxonomy/ (default: the shipped data/)");
  cmd->callback([options] { run_simulate(*options); });
}

}  // namespace pingan::cli
