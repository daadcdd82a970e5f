// Crash trials (issue 16): the real `pingan serve` is killed with SIGKILL at
// a random moment while client threads create incidents, move them through
// their life and dispatch patrol units, N times (100 by default), on one
// database holding the demo district. After each kill the server is started
// again on the same database and every acknowledged write (a whole 2xx
// reply) is looked for through the HTTP API; writes in flight at the kill
// may or may not be there, and are counted both ways. At the end, every
// acknowledged incident write of every trial is checked once more.
// Exits 1 when any acknowledged write is lost or the desk's records disagree
// after a restart (a unit step torn from its incident's move, a unit
// assigned to an incident in a state that does not match: verify.h), 2 when
// the trials could not run (the server would not start, a check could not
// read).
//
// SIGKILL ends the process, not the machine: what the kernel has accepted
// survives, so the trials test that a reply is sent only after the commit
// (and that recovery works), not fsync against a power cut.
//
//   bench_crash_trials --pingan build/pingan [--trials 100 --clients 4 --seed S]
//
// scripts/crash-trials.sh builds and runs it.

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <thread>
#include <vector>

#include "crash_trials/client.h"
#include "crash_trials/server_child.h"
#include "crash_trials/verify.h"

namespace pingan::crash {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using Seconds = std::chrono::duration<double>;

struct Options {
  std::string pingan = "build/pingan";
  int trials = 100;
  int clients = 4;
  std::uint64_t seed = 0;  // 0: drawn from the system
  int min_delay_ms = 50;
  int max_delay_ms = 1500;
  int demo_days = 0;  // 0: the demo's default (two years)
  std::string work_dir;
  bool keep = false;
  bool drop_wal = false;  // sabotage, to see the checks fail
};

struct Fleet {
  std::vector<std::string> units;
  std::vector<Anchor> anchors;  // the units' positions: points inside the district
};

// Puts every patrol unit back on duty and free (a kill leaves some en route),
// so each trial starts with the whole fleet to send, and returns it.
Fleet ready_fleet(int port, const std::string& token) {
  const HttpClient http(port, token, std::chrono::seconds(30));
  const HttpReply list = http.get("/api/patrol-units");
  if (!list.ok()) throw std::runtime_error(fmt::format("GET /api/patrol-units failed: {} {}", list.status, list.body));
  Fleet fleet;
  const nlohmann::json body = nlohmann::json::parse(list.body);
  for (const auto& u : body.at("items")) {
    const std::string call_sign = u.at("call_sign").get<std::string>();
    const std::string status = u.at("status").get<std::string>();
    const std::string path = "/api/patrol-units/" + encode_path_segment(call_sign);
    std::optional<HttpReply> fixed;
    if (status == "en_route" || status == "on_scene") fixed = http.post(path + "/clear", "{}");
    if (status == "off_duty") fixed = http.post(path + "/duty", R"({"on_duty":true})");
    if (fixed && !fixed->ok())
      throw std::runtime_error(fmt::format("cannot free patrol unit {}: {} {}", call_sign, fixed->status, fixed->body));
    fleet.units.push_back(call_sign);
    if (u.contains("position") && u["position"].is_object())
      fleet.anchors.push_back({u["position"].at("lat").get<double>(), u["position"].at("lon").get<double>()});
  }
  if (fleet.units.empty() || fleet.anchors.empty())
    throw std::runtime_error("the database has no patrol units with a position (is it the demo district?)");
  return fleet;
}

struct TrialOutcome {
  std::vector<ClientLog> logs;
  std::string source;
};

// Lets the clients write, kills the server after `delay`, and returns the logs.
TrialOutcome run_clients(int trial, int port, const std::string& token, const Fleet& fleet, int clients,
                         std::chrono::milliseconds delay, std::mt19937_64& rng, ServerChild& server) {
  TrialOutcome out;
  out.source = fmt::format("crash-{}", trial);
  out.logs.resize(static_cast<std::size_t>(clients));
  std::vector<ClientPlan> plans(static_cast<std::size_t>(clients));
  for (int c = 0; c < clients; ++c) {
    ClientPlan& p = plans[static_cast<std::size_t>(c)];
    p.trial = trial;
    p.client = c;
    p.seed = rng();
    p.source = out.source;
    p.anchors = fleet.anchors;
    p.token = token;
  }
  // Each unit belongs to one client (so no two clients race for it), dealt
  // round robin from a different start each trial.
  for (std::size_t i = 0; i < fleet.units.size(); ++i)
    plans[(i + static_cast<std::size_t>(trial)) % plans.size()].units.push_back(fleet.units[i]);

  std::atomic<bool> killing{false};
  std::vector<std::exception_ptr> errors(plans.size());
  std::vector<std::thread> threads;
  for (std::size_t c = 0; c < plans.size(); ++c)
    threads.emplace_back([&, c] {
      try {
        TrialClient(port, plans[c], killing, out.logs[c]).run();
      } catch (...) {
        errors[c] = std::current_exception();
      }
    });
  std::this_thread::sleep_for(delay);
  killing = true;
  server.kill_now();
  for (auto& t : threads) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  return out;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Every acknowledged incident write of every trial, once more, on `threads` threads.
Check final_check(int port, const std::string& token, const std::vector<TrialOutcome>& trials, int threads) {
  std::vector<Check> per(static_cast<std::size_t>(threads));
  std::atomic<std::size_t> next{0};
  std::vector<std::exception_ptr> errors(per.size());
  std::vector<std::thread> pool;
  for (std::size_t t = 0; t < per.size(); ++t)
    pool.emplace_back([&, t] {
      try {
        const Verifier verifier(port, token);
        for (std::size_t i; (i = next++) < trials.size();)
          per[t].add(verifier.check_trial(static_cast<int>(i + 1), trials[i].logs, trials[i].source, false));
      } catch (...) {
        errors[t] = std::current_exception();
      }
    });
  for (auto& t : pool) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  Check all;
  for (const Check& c : per) all.add(c);
  return all;
}

// The API asks for credentials (issue 17): a user of the shipped "command"
// role (指挥中心: incidents, patrol units, dispatch) over every unit, and an
// API token acting for it, made with the CLI as an installer would.
std::string issue_token(const std::string& pingan, const std::string& db, const std::string& log,
                        const std::string& out) {
  if (int rc = run_logged({pingan, "user", "add", "crash-trials", "--unit", "*", "--role", "command", "--db", db}, log,
                          out);
      rc != 0)
    throw std::runtime_error(fmt::format("pingan user add failed ({}); see {}", rc, log));
  if (int rc = run_logged({pingan, "user", "token", "crash-trials", "--name", "crash-trials", "--db", db}, log, out);
      rc != 0)
    throw std::runtime_error(fmt::format("pingan user token failed ({}); see {}", rc, log));
  std::string token = read_from(out, 0);
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  if (token.empty()) throw std::runtime_error("pingan user token printed no token; see " + log);
  return token;
}

int run(Options o) {
  const auto started = Clock::now();
  if (o.seed == 0) o.seed = (std::uint64_t{std::random_device{}()} << 32) | std::random_device{}();
  std::mt19937_64 rng(o.seed);
  if (o.work_dir.empty()) {
    std::string pattern = (fs::temp_directory_path() / "pingan-crash-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot create a work folder in " + pattern);
    o.work_dir = pattern;
  }
  fs::create_directories(o.work_dir);
  const std::string db = (fs::path(o.work_dir) / "crash.db").string();
  const std::string log = (fs::path(o.work_dir) / "pingan.log").string();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix);
  fmt::print("crash trials: {} trials, {} clients, kill after {}..{} ms, seed {}\n", o.trials, o.clients,
             o.min_delay_ms, o.max_delay_ms, o.seed);
  fmt::print("work folder {} (server output in pingan.log)\n", o.work_dir);

  std::vector<std::string> demo = {o.pingan, "demo", "--db", db};
  if (o.demo_days > 0) demo.insert(demo.end(), {"--days", std::to_string(o.demo_days)});
  const auto demo_start = Clock::now();
  if (int rc = run_logged(demo, log); rc != 0)
    throw std::runtime_error(fmt::format("pingan demo failed ({}); see {}", rc, log));
  fmt::print("demo district written in {:.1f} s\n", Seconds(Clock::now() - demo_start).count());
  const std::string token = issue_token(o.pingan, db, log, (fs::path(o.work_dir) / "token.txt").string());

  constexpr auto kStartTimeout = std::chrono::seconds(120);
  auto server = std::make_unique<ServerChild>(o.pingan, db, log, kStartTimeout);
  std::vector<double> startups = {server->startup().count()};
  fmt::print("first start: serving after {:.2f} s\n", startups.back());

  std::vector<TrialOutcome> outcomes;
  Check total;
  std::int64_t refused = 0;
  int transport_errors = 0;
  std::uniform_int_distribution<int> delay_ms(o.min_delay_ms, o.max_delay_ms);
  for (int trial = 1; trial <= o.trials; ++trial) {
    const auto trial_start = Clock::now();
    const Fleet fleet = ready_fleet(server->port(), token);
    const auto delay = std::chrono::milliseconds(delay_ms(rng));
    outcomes.push_back(run_clients(trial, server->port(), token, fleet, o.clients, delay, rng, *server));
    if (o.drop_wal)
      for (const char* suffix : {"-wal", "-shm"}) fs::remove(db + suffix);
    server = std::make_unique<ServerChild>(o.pingan, db, log, kStartTimeout);
    startups.push_back(server->startup().count());
    const auto verify_start = Clock::now();
    const Check check = Verifier(server->port(), token).check_trial(trial, outcomes.back().logs, outcomes.back().source, true);
    const double verify_s = Seconds(Clock::now() - verify_start).count();
    for (const ClientLog& l : outcomes.back().logs) {
      refused += l.refused;
      transport_errors += l.transport_error_before_kill ? 1 : 0;
      for (const std::string& r : l.refusals) fmt::print(stderr, "trial {}: refused: {}\n", trial, r);
    }
    for (const std::string& p : check.problems) fmt::print(stderr, "LOST {}\n", p);
    for (const std::string& m : check.mismatches) fmt::print(stderr, "MISMATCH {}\n", m);
    fmt::print("trial {:3}: kill at {:4} ms, acknowledged {:4} found {:4} lost {}, in flight {} found {} torn {}, "
               "assigned units {} mismatched {}, restart {:.2f} s, check {:.2f} s, trial {:.2f} s\n",
               trial, delay.count(), check.acknowledged_total(), check.acknowledged_total() - check.lost, check.lost,
               Check::sum(check.in_flight), Check::sum(check.in_flight_found), check.torn, check.units_checked,
               check.mismatched(), startups.back(), verify_s, Seconds(Clock::now() - trial_start).count());
    std::fflush(stdout);
    total.add(check);
  }

  const auto final_start = Clock::now();
  const Check again = final_check(server->port(), token, outcomes, std::max(1, o.clients));
  for (const std::string& p : again.problems) fmt::print(stderr, "LOST (final check) {}\n", p);
  const double final_s = Seconds(Clock::now() - final_start).count();
  server->stop();
  const double total_s = Seconds(Clock::now() - started).count();

  fmt::print("\n== crash trials: {} trials, seed {} ==\n", o.trials, o.seed);
  fmt::print("acknowledged writes: {} (creates {}, transitions {}, dispatches {}, arrivals {}, clears {})\n",
             total.acknowledged_total(), total.acknowledged[0], total.acknowledged[1], total.acknowledged[2],
             total.acknowledged[3], total.acknowledged[4]);
  fmt::print("acknowledged writes lost: {} after each restart, {} in the final check of all {} incident writes ({:.1f} s)\n",
             total.lost, again.lost, again.acknowledged_total() - again.acknowledged[4], final_s);
  fmt::print("in flight at the kill: {}, found after the restart {}, not found {}\n", Check::sum(total.in_flight),
             Check::sum(total.in_flight_found), Check::sum(total.in_flight) - Check::sum(total.in_flight_found));
  for (int k = 0; k < kWriteKinds; ++k)
    fmt::print("  {:10} {:4} in flight, {:4} found\n", kind_name(static_cast<WriteKind>(k)), total.in_flight[k],
               total.in_flight_found[k]);
  fmt::print("  torn (dispatch or arrival in flight: the unit moved, the incident did not): {}\n", total.torn);
  fmt::print("units assigned after a restart: {}, whose incident's state disagrees (half-updated): {}\n",
             total.units_checked, total.mismatched());
  fmt::print("refused (answered, not 2xx): {}; transport errors before a kill: {}\n", refused, transport_errors);
  fmt::print("server start (spawn to serving): median {:.2f} s, max {:.2f} s over {} starts\n", median(startups),
             *std::max_element(startups.begin(), startups.end()), startups.size());
  fmt::print("total time {:.1f} s ({:.2f} s per trial)\n", total_s, total_s / std::max(1, o.trials));
  if (!o.keep) fs::remove_all(o.work_dir);
  const bool lost = total.lost > 0 || again.lost > 0;
  const bool half_updated = total.torn > 0 || total.mismatched() > 0;
  if (lost) fmt::print("FAILED: acknowledged writes were lost\n");
  if (half_updated) fmt::print("FAILED: the desk's records were left half-updated (torn or mismatched above)\n");
  if (!lost && !half_updated) fmt::print("OK: no acknowledged write lost, no record half-updated\n");
  return lost || half_updated ? 1 : 0;
}

}  // namespace
}  // namespace pingan::crash

int main(int argc, char** argv) {
  CLI::App app{"pingan crash trials: SIGKILL the server while clients write, restart, find every acknowledged write"};
  pingan::crash::Options o;
  app.add_option("--pingan", o.pingan, "the pingan binary")->capture_default_str();
  app.add_option("--trials", o.trials, "kills")->capture_default_str()->check(CLI::Range(1, 100000));
  app.add_option("--clients", o.clients, "client threads writing")->capture_default_str()->check(CLI::Range(1, 64));
  app.add_option("--seed", o.seed, "random seed (0: drawn and printed)")->capture_default_str();
  app.add_option("--min-delay-ms", o.min_delay_ms, "earliest kill after the clients start")
      ->capture_default_str()
      ->check(CLI::Range(0, 600000));
  app.add_option("--max-delay-ms", o.max_delay_ms, "latest kill after the clients start")
      ->capture_default_str()
      ->check(CLI::Range(0, 600000));
  app.add_option("--demo-days", o.demo_days, "days of demo incidents (0: the demo's two years)")
      ->capture_default_str()
      ->check(CLI::Range(0, 3660));
  app.add_option("--work-dir", o.work_dir, "folder for the database and the server log (default: a new temp folder)");
  app.add_flag("--keep", o.keep, "keep the work folder (database and log) at the end");
  app.add_flag("--drop-wal", o.drop_wal,
               "sabotage: delete the SQLite WAL after each kill, losing the commits not yet checkpointed; "
               "shows that the checks catch lost writes (the run must then fail)");
  CLI11_PARSE(app, argc, argv);
  if (o.max_delay_ms < o.min_delay_ms) {
    fmt::print(stderr, "--max-delay-ms must not be below --min-delay-ms\n");
    return 2;
  }
  try {
    return pingan::crash::run(o);
  } catch (const std::exception& e) {
    fmt::print(stderr, "crash trials could not run: {}\n", e.what());
    return 2;
  }
}
