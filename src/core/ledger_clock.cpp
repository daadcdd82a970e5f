#include "core/ledger_clock.h"

#include <algorithm>

namespace pingan {
namespace {

bool starts(const LedgerDeadline& d, const LedgerHistoryEntry& e) {
  return d.start_step.empty() ? e.to_state == d.start_state : e.step == d.start_step;
}

bool stops(const LedgerDeadline& d, const LedgerHistoryEntry& e) {
  return std::find(d.until.begin(), d.until.end(), e.to_state) != d.until.end();
}

}  // namespace

const char* ledger_due_state_name(LedgerDueState s) {
  switch (s) {
    case LedgerDueState::kRunning: return "running";
    case LedgerDueState::kRemind: return "remind";
    case LedgerDueState::kOverdue: return "overdue";
    case LedgerDueState::kMet: return "met";
    case LedgerDueState::kMetLate: return "met_late";
  }
  return "running";
}

std::vector<LedgerDue> ledger_dues(const LedgerDefinition& definition, const LedgerItem& item, Timestamp now) {
  std::vector<LedgerDue> out;
  for (const LedgerDeadline& d : definition.deadlines()) {
    // The latest start, then the first stop after it.
    std::optional<std::size_t> start;
    for (std::size_t i = 0; i < item.history.size(); ++i)
      if (starts(d, item.history[i])) start = i;
    if (!start) continue;
    LedgerDue due;
    due.deadline = &d;
    due.started_at = item.history[*start].at;
    due.due_at = due.started_at + d.due_s;
    if (d.remind_before_s > 0) due.remind_at = due.due_at - d.remind_before_s;
    for (std::size_t i = *start + 1; i < item.history.size() && !due.stopped_at; ++i)
      if (stops(d, item.history[i])) due.stopped_at = item.history[i].at;

    if (due.stopped_at) {
      due.state = *due.stopped_at <= due.due_at ? LedgerDueState::kMet : LedgerDueState::kMetLate;
    } else if (now > due.due_at) {
      due.state = LedgerDueState::kOverdue;
      for (std::size_t k = 0; k < d.escalations.size(); ++k) {
        if (now - due.due_at >= d.escalations[k].after_s) {
          due.escalation = &d.escalations[k];
          due.escalation_level = static_cast<int>(k) + 1;
        } else {
          due.next_change_at = due.due_at + d.escalations[k].after_s;
          break;
        }
      }
    } else if (due.remind_at && now >= *due.remind_at) {
      due.state = LedgerDueState::kRemind;
      due.next_change_at = due.due_at + 1;
    } else {
      due.state = LedgerDueState::kRunning;
      due.next_change_at = due.remind_at ? *due.remind_at : due.due_at + 1;
    }
    out.push_back(due);
  }
  return out;
}

std::optional<Timestamp> next_ledger_check(const std::vector<LedgerDue>& dues) {
  std::optional<Timestamp> next;
  for (const LedgerDue& d : dues)
    if (d.next_change_at && (!next || *d.next_change_at < *next)) next = d.next_change_at;
  return next;
}

}  // namespace pingan
