#include "core/lifecycle.h"

#include <fmt/format.h>

#include "core/incident.h"
#include "core/text_limits.h"

namespace pingan {
namespace {

using S = IncidentStatus;

// Step times must not run backwards: a step is refused if it is earlier than
// the latest step already recorded.
Timestamp latest_step_time(const Incident& inc) {
  Timestamp latest = inc.reported_at;
  for (S s : kAllStatuses)
    if (auto* t = inc.times.slot(s); t && t->has_value()) latest = std::max(latest, **t);
  return latest;
}

}  // namespace

const char* status_name(IncidentStatus s) {
  switch (s) {
    case S::kReceived: return "received";
    case S::kDispatched: return "dispatched";
    case S::kArrived: return "arrived";
    case S::kHandled: return "handled";
    case S::kFollowUp: return "followup";
    case S::kFedBack: return "fed_back";
    case S::kVerified: return "verified";
    case S::kClosed: return "closed";
  }
  return "received";
}

const char* status_name_zh(IncidentStatus s) {
  switch (s) {
    case S::kReceived: return "接警";
    case S::kDispatched: return "派警";
    case S::kArrived: return "到场";
    case S::kHandled: return "处置";
    case S::kFollowUp: return "派单回访";
    case S::kFedBack: return "反馈";
    case S::kVerified: return "核查";
    case S::kClosed: return "办结";
  }
  return "接警";
}

Result<IncidentStatus> parse_status(std::string_view name) {
  for (S s : kAllStatuses)
    if (name == status_name(s)) return s;
  return Error::invalid("status", fmt::format("unknown status '{}' (received, dispatched, arrived, handled, "
                                              "followup, fed_back, verified, closed)", name));
}

bool is_allowed_transition(IncidentStatus from, IncidentStatus to) {
  switch (from) {
    case S::kReceived: return to == S::kDispatched || to == S::kHandled;
    case S::kDispatched: return to == S::kArrived;
    case S::kArrived: return to == S::kHandled;
    case S::kHandled: return to == S::kClosed || to == S::kFollowUp;
    case S::kFollowUp: return to == S::kFedBack;
    case S::kFedBack: return to == S::kVerified || to == S::kFollowUp;
    case S::kVerified: return to == S::kClosed;
    case S::kClosed: return false;
  }
  return false;
}

std::vector<IncidentStatus> allowed_next(IncidentStatus from) {
  std::vector<IncidentStatus> out;
  for (S s : kAllStatuses)
    if (is_allowed_transition(from, s)) out.push_back(s);
  return out;
}

std::optional<Timestamp>* LifecycleTimes::slot(IncidentStatus s) {
  return const_cast<std::optional<Timestamp>*>(std::as_const(*this).slot(s));
}

const std::optional<Timestamp>* LifecycleTimes::slot(IncidentStatus s) const {
  switch (s) {
    case S::kReceived: return nullptr;  // reported_at holds it
    case S::kDispatched: return &dispatched_at;
    case S::kArrived: return &arrived_at;
    case S::kHandled: return &handled_at;
    case S::kFollowUp: return &followup_at;
    case S::kFedBack: return &fed_back_at;
    case S::kVerified: return &verified_at;
    case S::kClosed: return &closed_at;
  }
  return nullptr;
}

Status apply_transition(Incident& inc, const TransitionRequest& req, Timestamp now) {
  // The request's own text first: it is wrong whatever the incident's state.
  PINGAN_RETURN_IF_ERROR(check_length("actor", req.actor, kMaxNameChars));
  PINGAN_RETURN_IF_ERROR(check_length("note", req.note, kMaxNoteChars));
  PINGAN_RETURN_IF_ERROR(check_length("assignee", req.assignee, kMaxNameChars));
  if (inc.voided)
    return Error::conflict("status", fmt::format("incident {} is voided ({}) and cannot change", inc.id, inc.void_reason));
  if (!is_allowed_transition(inc.status, req.to)) {
    std::string next;
    for (S s : allowed_next(inc.status)) next += (next.empty() ? "" : ", ") + std::string(status_name(s));
    return Error::conflict("to", fmt::format("cannot move incident {} from {} ({}) to {} ({}); allowed: {}",
                                             inc.id, status_name(inc.status), status_name_zh(inc.status),
                                             status_name(req.to), status_name_zh(req.to),
                                             next.empty() ? "none, it is closed" : next));
  }
  Timestamp at = req.at.value_or(now);
  if (at > now + 300)
    return Error::invalid("at", fmt::format("time {} is in the future", format_utc(at)));
  Timestamp latest = latest_step_time(inc);
  // A task sent back after a failed verification restarts the loop, so only
  // the chronological order against the previous step matters.
  if (at < latest)
    return Error::invalid("at", fmt::format("time {} is before the incident's latest step at {}",
                                            format_utc(at), format_utc(latest)));
  if (req.to == S::kFollowUp) {
    if (req.assignee.empty())
      return Error::invalid("assignee", "a follow-up task needs the community officer it is assigned to");
    if (!req.deadline)
      return Error::invalid("deadline", "a follow-up task needs a deadline");
    if (*req.deadline <= at)
      return Error::invalid("deadline", "the deadline must be after the time the task is given");
    inc.followup = FollowUpTask{req.assignee, *req.deadline, req.note};
    // A new tasking clears the previous feedback and verification.
    inc.times.fed_back_at.reset();
    inc.times.verified_at.reset();
  }
  *inc.times.slot(req.to) = at;
  inc.status = req.to;
  return {};
}

}  // namespace pingan
