#pragma once
// What is due on a work item at a given instant: for each deadline of its
// type (core/ledger_definition.h), whether its clock runs, when it falls
// due, whether a reminder is due, whether it is overdue and to which
// escalation (督办, 挂牌督办) it has risen. A pure function of `now`, so the
// engine's scheduler and the tests drive the same clock.
//
// A deadline's clock starts at the latest entry of the item's history that
// entered its start_state (or took its start_step) and stops at the first
// later entry that reaches one of its `until` states. Re-entering the start
// (a hazard sent back to 整改) starts it afresh.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ledger_definition.h"
#include "core/ledger_item.h"
#include "core/time.h"

namespace pingan {

enum class LedgerDueState {
  kRunning,   // started, not yet at the reminder
  kRemind,    // remind_at <= now <= due_at
  kOverdue,   // now > due_at, still running
  kMet,       // stopped at or before due_at
  kMetLate,   // stopped after due_at
};
const char* ledger_due_state_name(LedgerDueState s);  // "overdue"

struct LedgerDue {
  const LedgerDeadline* deadline = nullptr;  // points into the definition
  LedgerDueState state = LedgerDueState::kRunning;
  Timestamp started_at = 0;
  Timestamp due_at = 0;
  std::optional<Timestamp> remind_at;    // when the deadline has a reminder
  std::optional<Timestamp> stopped_at;   // kMet, kMetLate
  // The highest escalation reached (kOverdue only): now - due_at >= after.
  const LedgerEscalation* escalation = nullptr;
  int escalation_level = 0;              // 0 none, 1 the first escalation ...
  // The next instant the answer changes if nothing happens (the reminder, the
  // due time passing, the next escalation); empty once stopped or at the top.
  std::optional<Timestamp> next_change_at;
};

// One entry per deadline of the type whose clock has started, in file
// order. Deadlines never started (the item has not reached their start) are
// left out.
std::vector<LedgerDue> ledger_dues(const LedgerDefinition& definition, const LedgerItem& item, Timestamp now);

// The earliest next_change_at over the item's dues: when a scheduler should
// look at the item again.
std::optional<Timestamp> next_ledger_check(const std::vector<LedgerDue>& dues);

}  // namespace pingan
