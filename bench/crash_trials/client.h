#pragma once
// One client thread of a crash trial: writes as fast as the server answers
// until the server dies, and logs every write (ledger.h). It records calls
// and moves them through their life in three ways:
//   desk   (60%): dispatch one of its own patrol units, the unit arrives,
//                 handled, the unit clears, closed;
//   manual (20%): transitions dispatched, arrived, handled, closed;
//   phone  (20%): handled, then closed, or the follow-up loop
//                 followup, fed_back, verified, closed.
// After each step of the incident's life it stops there with probability
// 0.15, so the kill finds incidents in every state. Each transition carries a
// note no other write has, so verify.h finds the very step in the events.

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <deque>
#include <iterator>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "http_client.h"
#include "ledger.h"

namespace pingan::crash {

struct Anchor {
  double lat = 0, lon = 0;
};

struct ClientPlan {
  int trial = 0;
  int client = 0;
  std::uint64_t seed = 0;
  std::string source;               // the trial's incident source, e.g. "crash-17"
  std::vector<std::string> units;   // patrol units only this client sends, all available
  std::vector<Anchor> anchors;      // points inside the district to scatter calls around
  std::string token;                // the API token every request carries
};

// A deadline three days from now, for the follow-up step.
inline std::string deadline_in_three_days() {
  const std::time_t t = std::time(nullptr) + 3 * 24 * 3600;
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

class TrialClient {
 public:
  TrialClient(int port, const ClientPlan& plan, const std::atomic<bool>& killing, ClientLog& log)
      : http_(port, plan.token, std::chrono::seconds(10)),
        plan_(plan),
        killing_(killing),
        log_(log),
        rng_(plan.seed),
        free_units_(plan.units.begin(), plan.units.end()) {}

  // Returns once a request finds the server dead.
  void run() {
    for (int n = 0;; ++n) {
      const std::string source_id = fmt::format("t{}-c{}-{}", plan_.trial, plan_.client, n);
      std::int64_t id = 0;
      Step step = create(source_id, &id);
      if (step == Step::kStop) return;
      if (step == Step::kRefused) continue;
      const double path = chance();
      if (path < 0.6 && !free_units_.empty())
        step = desk(id, source_id);
      else if (path < 0.8)
        step = manual(id, source_id);
      else
        step = phone(id, source_id);
      if (step == Step::kStop) return;
    }
  }

 private:
  // kDone: acknowledged; kRefused: answered, not 2xx (the incident's life
  // ends there); kStop: the server is gone.
  enum class Step { kDone, kRefused, kStop };

  double chance() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  bool go_on() { return chance() >= 0.15; }

  // Logs `write` as the reply says and returns what the caller does next.
  Step settle(Write write, const HttpReply& reply, nlohmann::json* body = nullptr) {
    if (reply.ok()) {
      write.acknowledged = true;
      if (body) *body = nlohmann::json::parse(reply.body, nullptr, false);
      log_.writes.push_back(std::move(write));
      return Step::kDone;
    }
    if (reply.answered()) {
      ++log_.refused;
      if (log_.refusals.size() < 5)
        log_.refusals.push_back(fmt::format("{} {}: {} {}", kind_name(write.kind), write.incident, reply.status,
                                            reply.body.substr(0, 300)));
      return Step::kRefused;
    }
    if (!killing_) log_.transport_error_before_kill = true;
    if (reply.delivery == Delivery::kNoAnswer) log_.writes.push_back(std::move(write));  // in flight
    return Step::kStop;
  }

  Step create(const std::string& source_id, std::int64_t* id) {
    static constexpr const char* kTypes[] = {"theft", "burglary", "family_dispute", "traffic_accident", "noise",
                                             "fraud"};
    const Anchor& a = plan_.anchors[rng_() % plan_.anchors.size()];
    std::uniform_real_distribution<double> jitter(-0.003, 0.003);
    nlohmann::json body = {{"type", kTypes[rng_() % std::size(kTypes)]},
                           {"location", {{"lat", a.lat + jitter(rng_)}, {"lon", a.lon + jitter(rng_)}}},
                           {"source", plan_.source},
                           {"source_id", source_id},
                           {"description", "crash trial call " + source_id}};
    Write w;
    w.kind = WriteKind::kCreate;
    w.source_id = source_id;
    nlohmann::json reply;
    Step step = settle(w, http_.post("/api/incidents", body.dump()), &reply);
    if (step != Step::kDone) return step;
    if (!reply.is_object() || !reply.contains("id") || !reply["id"].is_number_integer())
      throw std::runtime_error("POST /api/incidents answered 2xx without an id: " + reply.dump());
    *id = reply["id"].get<std::int64_t>();
    log_.writes.back().incident = *id;
    return Step::kDone;
  }

  Step transition(std::int64_t id, const std::string& source_id, const std::string& to) {
    Write w;
    w.kind = WriteKind::kTransition;
    w.incident = id;
    w.state = to;
    w.note = fmt::format("crash {} {}", source_id, to);
    nlohmann::json body = {{"to", to}, {"note", w.note}};
    if (to == "followup") {
      body["assignee"] = "社区民警 crash";
      body["deadline"] = deadline_in_three_days();
    }
    return settle(std::move(w), http_.post(fmt::format("/api/incidents/{}/transition", id), body.dump()));
  }

  Step unit_step(WriteKind kind, std::int64_t id, const std::string& unit) {
    Write w;
    w.kind = kind;
    w.incident = id;
    w.unit = unit;
    if (kind == WriteKind::kDispatch) {
      nlohmann::json body = {{"units", {unit}}};
      return settle(std::move(w), http_.post(fmt::format("/api/incidents/{}/dispatch", id), body.dump()));
    }
    const char* verb = kind == WriteKind::kArrive ? "arrive" : "clear";
    return settle(std::move(w), http_.post(fmt::format("/api/patrol-units/{}/{}", encode_path_segment(unit), verb), "{}"));
  }

  // Runs `steps` in order while each is acknowledged and go_on() says so.
  Step chain(std::int64_t id, const std::string& source_id, std::initializer_list<const char*> steps) {
    for (const char* to : steps) {
      if (!go_on()) return Step::kDone;
      if (Step s = transition(id, source_id, to); s != Step::kDone) return s;
    }
    return Step::kDone;
  }

  Step desk(std::int64_t id, const std::string& source_id) {
    const std::string unit = free_units_.front();
    free_units_.pop_front();
    // A refused unit step leaves the unit's state unknown to this client: it
    // is not used again this trial (the next trial starts from the server's word).
    if (Step s = unit_step(WriteKind::kDispatch, id, unit); s != Step::kDone) return s;
    Step s = Step::kDone;
    bool handled = false;
    if (go_on()) {
      s = unit_step(WriteKind::kArrive, id, unit);
      if (s == Step::kDone && go_on()) {
        s = transition(id, source_id, "handled");
        handled = s == Step::kDone;
      }
    }
    if (s == Step::kStop) return s;
    // The unit clears whatever became of the incident, so the client keeps units to send.
    if (Step c = unit_step(WriteKind::kClear, id, unit); c != Step::kDone) return c;
    free_units_.push_back(unit);
    if (handled && go_on()) return transition(id, source_id, "closed");
    return Step::kDone;
  }

  Step manual(std::int64_t id, const std::string& source_id) {
    return chain(id, source_id, {"dispatched", "arrived", "handled", "closed"});
  }

  Step phone(std::int64_t id, const std::string& source_id) {
    if (chance() < 0.3) return chain(id, source_id, {"handled", "followup", "fed_back", "verified", "closed"});
    return chain(id, source_id, {"handled", "closed"});
  }

  HttpClient http_;
  const ClientPlan& plan_;
  const std::atomic<bool>& killing_;
  ClientLog& log_;
  std::mt19937_64 rng_;
  std::deque<std::string> free_units_;
};

}  // namespace pingan::crash
