#pragma once
// Checks a trial's writes (ledger.h) against the restarted server, over the
// HTTP API only. An acknowledged write is lost when its evidence is missing:
//   create      GET /api/incidents/{id} has it, with the source_id sent;
//   transition  GET /api/incidents/{id}/events has a step to that state
//               with the write's own note;
//   dispatch    the events have the step to dispatched noted "派警 <unit>"
//               (a received incident moves when its first unit is sent);
//   arrive      the events have the step to arrived noted "到场 <unit>";
// and, as a whole, the incident's status is the one its last acknowledged
// step left (or the one its write in flight would give), and each unit
// (GET /api/patrol-units) is where its last acknowledged dispatch, arrival
// or clearing put it (or its write in flight would). A write in flight is
// "found" when its evidence is there; a dispatch or arrival in flight whose
// unit moved but whose incident did not is "torn". Right after each restart
// every unit with an assignment is also held against its incident: en route
// to an incident still received, or on scene at one not yet arrived, is a
// "mismatch". The desk writes a unit step and its incident's move in one
// transaction (Engine::save_desk_step), so both counts must be 0; they were
// not while it committed the unit first and moved the incident after.

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "http_client.h"
#include "ledger.h"

namespace pingan::crash {

struct Check {
  std::array<std::int64_t, kWriteKinds> acknowledged{};
  std::int64_t lost = 0;
  std::array<std::int64_t, kWriteKinds> in_flight{};
  std::array<std::int64_t, kWriteKinds> in_flight_found{};
  std::int64_t torn = 0;  // dispatches and arrivals in flight: the unit moved, the incident did not
  std::int64_t units_checked = 0;    // units with an assignment, after the restart
  std::vector<std::string> problems;    // one line per lost write
  std::vector<std::string> mismatches;  // one line per unit whose assignment disagrees with its incident

  static std::int64_t sum(const std::array<std::int64_t, kWriteKinds>& counts) {
    std::int64_t n = 0;
    for (auto c : counts) n += c;
    return n;
  }
  std::int64_t acknowledged_total() const { return sum(acknowledged); }
  void add(const Check& other) {
    for (int k = 0; k < kWriteKinds; ++k) {
      acknowledged[k] += other.acknowledged[k];
      in_flight[k] += other.in_flight[k];
      in_flight_found[k] += other.in_flight_found[k];
    }
    lost += other.lost;
    torn += other.torn;
    units_checked += other.units_checked;
    problems.insert(problems.end(), other.problems.begin(), other.problems.end());
    mismatches.insert(mismatches.end(), other.mismatches.begin(), other.mismatches.end());
  }
  std::int64_t mismatched() const { return static_cast<std::int64_t>(mismatches.size()); }
};

// One incident as the restarted server has it.
struct IncidentView {
  bool exists = false;
  std::string status;
  std::string source_id;
  std::vector<std::pair<std::string, std::string>> events;  // (to, note)

  bool has_event(const std::string& to, const std::string& note) const {
    for (const auto& [t, n] : events)
      if (t == to && n == note) return true;
    return false;
  }
};

struct UnitView {
  std::string status;
  std::optional<std::int64_t> assignment;
};

// The state a state-changing write moves its incident to ("" for clear).
inline std::string target_state(const Write& w) {
  switch (w.kind) {
    case WriteKind::kCreate: return "received";
    case WriteKind::kTransition: return w.state;
    case WriteKind::kDispatch: return "dispatched";
    case WriteKind::kArrive: return "arrived";
    case WriteKind::kClear: return "";
  }
  return "";
}

// Where a unit write leaves its unit.
inline UnitView unit_after(const Write& w) {
  if (w.kind == WriteKind::kDispatch) return {"en_route", w.incident};
  if (w.kind == WriteKind::kArrive) return {"on_scene", w.incident};
  return {"available", std::nullopt};
}

inline bool same_unit_state(const UnitView& a, const UnitView& b) {
  return a.status == b.status && a.assignment == b.assignment;
}

class Verifier {
 public:
  Verifier(int port, const std::string& token) : http_(port, token, std::chrono::seconds(30)) {}

  // Reads the patrol units (call sign -> view) as the server has them now.
  std::map<std::string, UnitView> units() const {
    const nlohmann::json body = get_json("/api/patrol-units");
    std::map<std::string, UnitView> out;
    for (const auto& u : body.at("items")) {
      UnitView v;
      v.status = u.at("status").get<std::string>();
      if (!u.at("assignment").is_null()) v.assignment = u.at("assignment").get<std::int64_t>();
      out[u.at("call_sign").get<std::string>()] = v;
    }
    return out;
  }

  // Checks one trial's logs. `first_look` is true right after the kill's
  // restart: writes in flight are judged and units compared. Later (the
  // final pass over every trial) units have moved on and the writes in
  // flight were judged already: only acknowledged incident writes count.
  Check check_trial(int trial, const std::vector<ClientLog>& logs, const std::string& source,
                    bool first_look) const {
    Check check;
    std::map<std::string, UnitView> unit_views;
    if (first_look) {
      unit_views = units();
      check_assignments(trial, unit_views, check);
    }
    std::map<std::string, std::int64_t> by_source_id;  // filled only if a create was in flight
    for (std::size_t c = 0; c < logs.size(); ++c) {
      const std::vector<Write>& writes = logs[c].writes;
      if (first_look && by_source_id.empty() && !writes.empty() && !writes.back().acknowledged &&
          writes.back().kind == WriteKind::kCreate)
        by_source_id = incidents_of_source(source);
      std::map<std::int64_t, IncidentView> incidents;
      for (const Write& w : writes)
        if (w.incident != 0 && !incidents.count(w.incident)) incidents[w.incident] = incident(w.incident);

      std::vector<bool> lost(writes.size(), false);
      auto mark_lost = [&](std::size_t i, const std::string& why) {
        if (lost[i]) return;
        lost[i] = true;
        const Write& w = writes[i];
        check.problems.push_back(fmt::format("trial {} client {}: acknowledged {} (incident {}{}{}) lost: {}", trial, c,
                                             kind_name(w.kind), w.incident, w.unit.empty() ? "" : ", unit ",
                                             w.unit, why));
      };

      for (std::size_t i = 0; i < writes.size(); ++i) {
        const Write& w = writes[i];
        const IncidentView* inc = w.incident ? &incidents[w.incident] : nullptr;
        if (w.acknowledged) {
          ++check.acknowledged[static_cast<int>(w.kind)];
          if (auto why = missing_evidence(w, inc)) mark_lost(i, *why);
          continue;
        }
        if (!first_look) continue;
        ++check.in_flight[static_cast<int>(w.kind)];
        if (in_flight_found(w, inc, unit_views, by_source_id, check))
          ++check.in_flight_found[static_cast<int>(w.kind)];
      }

      // Each incident's status: its last acknowledged step's, or its
      // in-flight write's (only ever the log's last write).
      std::map<std::int64_t, std::size_t> last_acked_step;
      for (std::size_t i = 0; i < writes.size(); ++i)
        if (writes[i].acknowledged && !target_state(writes[i]).empty()) last_acked_step[writes[i].incident] = i;
      for (const auto& [id, i] : last_acked_step) {
        const IncidentView& inc = incidents[id];
        if (!inc.exists) continue;  // already lost as a create
        const Write& tail = writes.back();
        const bool alt = !tail.acknowledged && tail.incident == id && inc.status == target_state(tail);
        if (inc.status != target_state(writes[i]) && !alt)
          mark_lost(i, fmt::format("the incident is {}, its last acknowledged step moved it to {}", inc.status,
                                   target_state(writes[i])));
      }

      // Each unit: where its last acknowledged step put it, or its in-flight write would.
      if (first_look) {
        std::map<std::string, std::size_t> last_acked_unit_step;
        for (std::size_t i = 0; i < writes.size(); ++i)
          if (writes[i].acknowledged && !writes[i].unit.empty()) last_acked_unit_step[writes[i].unit] = i;
        for (const auto& [unit, i] : last_acked_unit_step) {
          const UnitView now = unit_views[unit];
          const Write& tail = writes.back();
          const bool alt = !tail.acknowledged && tail.unit == unit && same_unit_state(now, unit_after(tail));
          const UnitView want = unit_after(writes[i]);
          if (!same_unit_state(now, want) && !alt)
            mark_lost(i, fmt::format("unit is {} (incident {}), its last acknowledged step left it {} (incident {})",
                                     now.status, now.assignment.value_or(0), want.status,
                                     want.assignment.value_or(0)));
        }
      }
      for (bool l : lost) check.lost += l ? 1 : 0;
    }
    return check;
  }

 private:
  nlohmann::json get_json(const std::string& path) const {
    const HttpReply r = http_.get(path);
    if (!r.ok())
      throw std::runtime_error(fmt::format("verification: GET {} failed ({}, status {}): {}", path,
                                           r.answered() ? "answered" : "no answer", r.status, r.body.substr(0, 300)));
    return nlohmann::json::parse(r.body);
  }

  IncidentView incident(std::int64_t id) const {
    IncidentView v;
    const std::string path = fmt::format("/api/incidents/{}", id);
    const HttpReply r = http_.get(path);
    if (r.answered() && r.status == 404) return v;
    if (!r.ok()) throw std::runtime_error(fmt::format("verification: GET {} answered {}", path, r.status));
    const auto body = nlohmann::json::parse(r.body);
    v.exists = true;
    v.status = body.at("status").get<std::string>();
    v.source_id = body.at("source_id").get<std::string>();
    const nlohmann::json events = get_json(path + "/events");
    for (const auto& e : events.at("items"))
      v.events.emplace_back(e.at("to").get<std::string>(), e.value("note", std::string()));
    return v;
  }

  // Whether a unit's state can stand beside its incident's: a unit en route
  // needs an incident dispatched (or further: another unit may have arrived,
  // a dispatcher may have handled it); a unit on scene one arrived or further.
  static bool agrees(const std::string& unit_status, const std::string& incident_status) {
    if (unit_status == "en_route") return incident_status != "received";
    if (unit_status == "on_scene") return incident_status != "received" && incident_status != "dispatched";
    return true;
  }

  // Every unit with an assignment against its incident, as restarted.
  void check_assignments(int trial, const std::map<std::string, UnitView>& units, Check& check) const {
    for (const auto& [call_sign, unit] : units) {
      if (!unit.assignment) continue;
      ++check.units_checked;
      const IncidentView inc = incident(*unit.assignment);
      if (inc.exists && agrees(unit.status, inc.status)) continue;
      check.mismatches.push_back(fmt::format("trial {}: unit {} is {} (incident {}), the incident is {}", trial,
                                             call_sign, unit.status, *unit.assignment,
                                             inc.exists ? inc.status : "missing"));
    }
  }

  // source_id -> id of every incident of the trial's source, page by page.
  std::map<std::string, std::int64_t> incidents_of_source(const std::string& source) const {
    std::map<std::string, std::int64_t> out;
    for (std::int64_t offset = 0;; offset += 1000) {
      const auto page = get_json(fmt::format("/api/incidents?source={}&limit=1000&offset={}", source, offset));
      for (const auto& inc : page.at("items"))
        out[inc.at("source_id").get<std::string>()] = inc.at("id").get<std::int64_t>();
      if (page.at("items").size() < 1000) return out;
    }
  }

  // Why an acknowledged write is not there, or nullopt when it is. Clearing
  // has only the unit check.
  static std::optional<std::string> missing_evidence(const Write& w, const IncidentView* inc) {
    if (w.kind == WriteKind::kClear) return std::nullopt;
    if (!inc || !inc->exists) return "the incident does not exist";
    switch (w.kind) {
      case WriteKind::kCreate:
        if (inc->source_id != w.source_id) return fmt::format("its source_id is '{}'", inc->source_id);
        return std::nullopt;
      case WriteKind::kTransition:
        if (!inc->has_event(w.state, w.note)) return fmt::format("no step to {} noted '{}'", w.state, w.note);
        return std::nullopt;
      case WriteKind::kDispatch:
        if (!inc->has_event("dispatched", "派警 " + w.unit)) return "no step to dispatched noted '派警 " + w.unit + "'";
        return std::nullopt;
      case WriteKind::kArrive:
        if (!inc->has_event("arrived", "到场 " + w.unit)) return "no step to arrived noted '到场 " + w.unit + "'";
        return std::nullopt;
      case WriteKind::kClear: break;
    }
    return std::nullopt;
  }

  static bool in_flight_found(const Write& w, const IncidentView* inc, std::map<std::string, UnitView>& units,
                              const std::map<std::string, std::int64_t>& by_source_id, Check& check) {
    switch (w.kind) {
      case WriteKind::kCreate: return by_source_id.count(w.source_id) > 0;
      case WriteKind::kTransition: return !missing_evidence(w, inc);
      case WriteKind::kDispatch:
      case WriteKind::kArrive: {
        const bool moved = !missing_evidence(w, inc);
        const bool unit_moved = same_unit_state(units[w.unit], unit_after(w));
        if (unit_moved && !moved) ++check.torn;
        return moved || unit_moved;
      }
      case WriteKind::kClear: return same_unit_state(units[w.unit], unit_after(w));
    }
    return false;
  }

  HttpClient http_;
};

}  // namespace pingan::crash
