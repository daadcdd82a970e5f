#include "engine/followup_ledger.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <utility>

#include "core/text.h"
#include "engine/engine.h"

namespace pingan {
namespace {

using S = IncidentStatus;

// The key of the item mirroring an incident.
LedgerOrigin origin_of(IncidentId incident) { return {"incident", std::to_string(incident)}; }

// A loop has at most five steps; every round the item missed adds two.
constexpr int kMaxStepsPerSync = 16;
// How often a sync plans again after finding a step taken by another sync.
constexpr int kMaxReplans = 3;
// Incidents whose events the catch-up reads at once.
constexpr std::size_t kEventsBatch = 500;

// The followup state that mirrors an incident status; nullopt before handled.
std::optional<std::string> state_of(S status) {
  switch (status) {
    case S::kHandled:
    case S::kFollowUp:
    case S::kFedBack:
    case S::kVerified:
    case S::kClosed:
      return std::string(status_name(status));
    default:
      return std::nullopt;
  }
}

// When the item last entered `state`, or nullopt when it never did.
std::optional<Timestamp> last_entered(const LedgerItem& item, std::string_view state) {
  for (auto it = item.history.rbegin(); it != item.history.rend(); ++it)
    if (it->to_state == state) return it->at;
  return std::nullopt;
}

Timestamp last_step_at(const LedgerItem& item) {
  return item.history.empty() ? item.created_at : item.history.back().at;
}

// The incident's event that reached `status` at `at`, else the latest that
// reached it; null when none did.
const IncidentEvent* event_for(std::span<const IncidentEvent> events, S status, Timestamp at) {
  const IncidentEvent* latest = nullptr;
  for (const IncidentEvent& e : events) {
    if (e.to != status) continue;
    if (e.at == at) return &e;
    if (!latest || e.at >= latest->at) latest = &e;
  }
  return latest;
}

bool blank(const std::string& text) { return trim(text).empty(); }

std::string text_or(const std::string& text, const char* placeholder) {
  return blank(text) ? std::string(placeholder) : text;
}

// Refusals by the ledger's rules (core/ledger_item.h: apply_step), as
// opposed to a store that failed.
bool is_refusal(const Error& e) {
  return e.code == ErrorCode::kConflict || e.code == ErrorCode::kPermissionDenied ||
         e.code == ErrorCode::kInvalidArgument;
}

}  // namespace

bool entered_followup_loop(const Incident& incident) {
  return incident.status == S::kFollowUp || incident.status == S::kFedBack ||
         incident.status == S::kVerified || incident.times.followup_at.has_value();
}

std::optional<FollowupStepPlan> next_followup_step(const LedgerItem& item, const Incident& incident) {
  const std::optional<std::string> target = state_of(incident.status);
  if (!target) return std::nullopt;
  const std::string& to = *target;
  const LifecycleTimes& t = incident.times;
  const Timestamp previous = last_step_at(item);
  const auto plan = [&](const char* step, S reaches, std::optional<Timestamp> at) {
    return FollowupStepPlan{step, reaches, std::max(at.value_or(previous), previous)};
  };
  // The incident was tasked again (sent back) after the item's last task:
  // the item missed a round of feed_back + send_back.
  const std::optional<Timestamp> tasked = last_entered(item, "followup");
  const bool round_missed = tasked && t.followup_at && *t.followup_at > *tasked;
  const std::string& state = item.state;
  if (state == "handled") {
    if (entered_followup_loop(incident)) return plan("task", S::kFollowUp, t.followup_at);
    if (to == "closed") return plan("close_directly", S::kClosed, t.closed_at);
    return std::nullopt;
  }
  if (state == "followup") {
    if (to == "fed_back" || to == "verified" || to == "closed" || (to == "followup" && round_missed))
      return plan("feed_back", S::kFedBack, round_missed ? t.followup_at : t.fed_back_at);
    return std::nullopt;
  }
  if (state == "fed_back") {
    if (to == "verified" || to == "closed") return plan("verify", S::kVerified, t.verified_at);
    if ((to == "followup" || to == "fed_back") && round_missed)
      return plan("send_back", S::kFollowUp, t.followup_at);
    return std::nullopt;
  }
  if (state == "verified" && to == "closed") return plan("close", S::kClosed, t.closed_at);
  // In step, closed, or ahead of the incident (a step taken on the item
  // itself): nothing to mirror.
  return std::nullopt;
}

FollowupLedger::FollowupLedger(LedgerRecords& records, LedgerStore& store, const LedgerDefinition& type,
                               LedgerRecords::UnitsSource units)
    : records_(records), store_(store), type_(type), units_(std::move(units)) {}

Result<std::optional<LedgerItem>> FollowupLedger::item_of(IncidentId incident) {
  return store_.find_by_origin(origin_of(incident));
}

Result<LedgerItem> FollowupLedger::create_for(const Incident& incident, std::span<const IncidentEvent> events,
                                              bool& created) {
  NewLedgerItem n;
  n.unit_code = incident.unit_code;
  if (n.unit_code.empty()) {
    // An incident no unit holds is the bureau's: the tree's root.
    std::shared_ptr<const UnitTree> tree = units_();
    if (tree) {
      for (const Unit& u : tree->units())
        if (u.parent_code.empty()) {
          n.unit_code = u.code;
          break;
        }
    }
    if (n.unit_code.empty())
      return Error::invalid("unit_code", fmt::format("incident {} has no unit and there is no unit tree to give "
                                                     "its follow-up item the bureau's",
                                                     incident.id));
  }
  n.fields[kFollowupIncidentField] = LedgerValue(std::int64_t{incident.id});
  // Created when the incident was handled, by whoever assessed and tasked it.
  const Timestamp tasked_at = incident.times.followup_at.value_or(incident.reported_at);
  n.at = std::min(incident.times.handled_at.value_or(tasked_at), tasked_at);
  const IncidentEvent* tasking = event_for(events, S::kFollowUp, tasked_at);
  n.actor = tasking && !blank(tasking->actor) ? tasking->actor : std::string(kBackfillActor);
  if (!type_.who_may_create().empty()) n.actor_grants = {type_.who_may_create().front()};
  n.note = fmt::format("警情{}处置后进入评估-派单-反馈-核查", incident.id);
  Result<LedgerItem> made = records_.create(kFollowupLedgerType, n, UnitScope::everything(), origin_of(incident.id));
  created = made.ok();
  if (made.ok() || made.error().code != ErrorCode::kAlreadyExists) return made;
  // Another sync of the same incident created it first.
  PINGAN_ASSIGN_OR_RETURN(std::optional<LedgerItem> found, item_of(incident.id));
  if (!found) return made.error();
  return std::move(*found);
}

Result<FollowupSync> FollowupLedger::sync(const Incident& incident, std::span<const IncidentEvent> events) {
  PINGAN_ASSIGN_OR_RETURN(std::optional<LedgerItem> item, item_of(incident.id));
  return sync_from(incident, std::move(item), events);
}

Result<FollowupSync> FollowupLedger::sync_from(const Incident& incident, std::optional<LedgerItem> item,
                                               std::span<const IncidentEvent> events) {
  FollowupSync out;
  if (!item) {
    if (!entered_followup_loop(incident)) return out;  // never tasked: no item
    PINGAN_ASSIGN_OR_RETURN(LedgerItem made, create_for(incident, events, out.created));
    item = std::move(made);
  }
  int replans = 0;
  for (int n = 0; n < kMaxStepsPerSync; ++n) {
    const std::optional<FollowupStepPlan> plan = next_followup_step(*item, incident);
    if (!plan) break;
    const LedgerStep* step = type_.step(plan->step);
    if (!step || step->who.empty())
      return Error::internal(fmt::format("the followup ledger type has no step '{}' anyone may take", plan->step));
    const IncidentEvent* e = event_for(events, plan->reaches, plan->at);
    const std::string note = e ? e->note : std::string();
    StepRequest r;
    r.step = plan->step;
    r.at = plan->at;
    r.actor_grants = {step->who.front()};
    if (e && !blank(e->actor))
      r.actor = e->actor;
    else if (plan->step == "feed_back" && incident.followup && !blank(incident.followup->assignee))
      r.actor = incident.followup->assignee;
    else
      r.actor = kBackfillActor;
    if (step->assigns) {
      r.unit_code = item->unit_code;
      r.officer_id = incident.followup ? incident.followup->assignee : std::string();
    }
    if (plan->step == "task") {
      const std::string assessment = !blank(note) ? note : incident.followup ? incident.followup->assessment : "";
      r.fields["assessment"] = text_or(assessment, "（派单时未填写评估意见）");
    } else if (plan->step == "feed_back") {
      r.fields["feedback"] = text_or(note, "（反馈时未填写反馈情况）");
    } else if (plan->step == "verify") {
      r.fields["verify_result"] = text_or(note, "（核查时未填写核查意见）");
    } else if (plan->step == "send_back") {
      r.fields["verify_result"] = text_or(note, "（核查不通过，重新派单时未填写意见）");
    } else {
      r.note = note;
    }
    Result<LedgerStepped> stepped = records_.step(item->id, r, UnitScope::everything());
    if (stepped.ok()) {
      item = std::move(stepped->item);
      ++out.steps;
      continue;
    }
    const Error& error = stepped.error();
    if (error.code == ErrorCode::kConflict && error.field == "step" && replans < kMaxReplans) {
      // Another sync took a step since the item was read: plan again.
      ++replans;
      PINGAN_ASSIGN_OR_RETURN(item, records_.get(item->id, UnitScope::everything()));
      --n;
      continue;
    }
    if (!is_refusal(error)) return error;
    out.refused = fmt::format("{} ({}): {}", step->code, step->label, error.message);
    break;
  }
  out.item_id = item->id;
  out.state = item->state;
  return out;
}

void FollowupLedger::after_transition(const Incident& incident, const IncidentEvent& event) {
  // Only a move into the loop or out of it (closed) can concern an item.
  if (incident.status != S::kFollowUp && incident.status != S::kFedBack && incident.status != S::kVerified &&
      incident.status != S::kClosed)
    return;
  Result<FollowupSync> synced = sync(incident, std::span<const IncidentEvent>(&event, 1));
  if (!synced.ok()) {
    spdlog::warn("incident {} moved to {}, but its follow-up ledger item was not brought in step ({}); "
                 "Engine::reconcile_followups() catches it up",
                 incident.id, status_name(incident.status), synced.error().describe());
  } else if (!synced->refused.empty()) {
    spdlog::warn("incident {} moved to {}, but the follow-up ledger refused step {}; item {} stays in {}",
                 incident.id, status_name(incident.status), synced->refused, synced->item_id.value_or(0),
                 synced->state);
  }
}

Result<FollowupReconcile> FollowupLedger::reconcile(const IncidentScan& scan, const EventsOf& events_of) {
  FollowupReconcile out;
  // incident id -> its item (the oldest: the scan runs in id order).
  std::map<IncidentId, LedgerItem> items;
  PINGAN_RETURN_IF_ERROR(records_.scan(kFollowupLedgerType, [&](const LedgerItem& item) {
    auto field = item.fields.find(kFollowupIncidentField);
    if (field == item.fields.end()) return;
    if (const auto* id = std::get_if<std::int64_t>(&field->second)) items.try_emplace(*id, item);
  }));
  // The incidents whose item lags, copied: the scan's visitor may not call the store.
  std::vector<Incident> lagging;
  PINGAN_RETURN_IF_ERROR(scan([&](const Incident& incident) {
    auto found = items.find(incident.id);
    const bool entered = entered_followup_loop(incident);
    if (!entered && found == items.end()) return;
    ++out.incidents;
    const bool lags = found == items.end() ? entered : next_followup_step(found->second, incident).has_value();
    if (lags) lagging.push_back(incident);
  }));
  out.lagging = static_cast<std::int64_t>(lagging.size());
  for (std::size_t from = 0; from < lagging.size(); from += kEventsBatch) {
    const std::size_t end = std::min(lagging.size(), from + kEventsBatch);
    std::vector<IncidentId> ids;
    for (std::size_t i = from; i < end; ++i) ids.push_back(lagging[i].id);
    PINGAN_ASSIGN_OR_RETURN(std::vector<IncidentEvent> events, events_of(ids));
    std::map<IncidentId, std::vector<IncidentEvent>> by_incident;
    for (IncidentEvent& e : events) by_incident[e.incident_id].push_back(std::move(e));
    for (std::size_t i = from; i < end; ++i) {
      const Incident& incident = lagging[i];
      std::optional<LedgerItem> item;
      if (auto found = items.find(incident.id); found != items.end()) item = std::move(found->second);
      Result<FollowupSync> synced = sync_from(incident, std::move(item), by_incident[incident.id]);
      if (!synced.ok()) {
        ++out.failed;
        spdlog::warn("catching up the follow-up ledger item of incident {} failed: {}", incident.id,
                     synced.error().describe());
        continue;
      }
      out.created += synced->created ? 1 : 0;
      out.steps += synced->steps;
      if (!synced->refused.empty()) {
        ++out.refused;
        spdlog::warn("catching up incident {} ({}): the follow-up ledger refused step {}; item {} stays in {}",
                     incident.id, status_name(incident.status), synced->refused, synced->item_id.value_or(0),
                     synced->state);
      }
    }
  }
  return out;
}

// ---- the engine's share (engine.h) ----

Result<FollowupReconcile> Engine::reconcile_followups() {
  if (!followups_) return FollowupReconcile{};
  return followups_->reconcile(
      [this](const std::function<void(const Incident&)>& visit) { return store_->incidents().scan_incidents(visit); },
      [this](std::span<const IncidentId> ids) { return store_->incidents().events_of(ids); });
}

}  // namespace pingan
