#pragma once
// The incidents' follow-up loop (评估-派单-反馈-核查, issue 21) on the ledger
// engine: every incident that enters the loop has one item of the ledger
// type `followup` (data/ledgers/followup.json, whose states are the loop's
// statuses of core/lifecycle.h), kept in step with the incident, so that the
// loop has the ledgers' deadline (反馈期限 72h), reminders and escalations
// (engine/ledger_notices.h), history, figures and 台账 page. The incident
// stays the loop's door: its API, statuses and errors are unchanged, and
// the item follows it, never the other way round.
//
// Which step mirrors which move (the item's state is the incident's status):
//   handled → followup   create the item in handled if absent, then `task`
//                        (assessment = the move's note, the item assigned to
//                        the incident's unit and the task's assignee)
//   followup → fed_back  `feed_back` (feedback = the note)
//   fed_back → verified  `verify` (verify_result = the note)
//   fed_back → followup  `send_back` (verify_result = the note; reassigned)
//   verified → closed    `close`
//   handled → closed     `close_directly`, only for an incident that has an
//                        item still in handled (one whose `task` failed); an
//                        incident closed without ever being tasked never
//                        entered the loop and gets no item.
// An incident is in the loop when its status is followup, fed_back or
// verified, or it has a follow-up time (times.followup_at: it was tasked).
//
// The item of an incident: the followup item created here with origin
// ("incident", "<id>") (LedgerStore::find_by_origin, an index look-up per
// move). The origin is unique in the store, so two servers mirroring the
// same move create one item. (reconcile() maps items to incidents by their
// field incident_id, in one scan of the type.)
//
// The two writes (the incident's, then the item's) are not one
// transaction. sync() is idempotent: it compares the item with the
// incident's status and times and takes only the steps still missing, each
// at the incident's time of that status (never before the item's last
// step), so running it again, or after a crash between the two writes
// (Engine::reconcile_followups), brings a lagging item in line and does
// nothing to one in step. A round the item missed (the task sent back and
// fed back again) is taken as feed_back + send_back, at the new task's time.
//
// Actors and refusals: each step's actor and note come from the incident's
// event that reached the status (the transition's own for a mirror, the
// stored events for a catch-up); without one, `feed_back` is the task's
// assignee's and every other step is kBackfillActor's. The engine does not
// know the principal behind a transition (TransitionRequest names only an
// actor), so the grants are the step's first allowed role: the incident
// API has already decided who may move the incident. The ledger's own rules
// still apply, the verifier differing from the worker above all: a step the
// ledger refuses leaves the item where it was, is logged at warn with the
// incident's id and the reason, and is counted (FollowupSync::refused); the
// incident's move stands. A blank note gives the step's text field a
// placeholder (the ledger wants it non-blank).
//
// Thread safety: any thread; two syncs of one incident may race, the store
// runs each step under the item's row lock and a step found already taken
// is planned again from the item as it now is.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/incident.h"
#include "core/ledger_item.h"
#include "core/unit.h"
#include "engine/ledger_records.h"
#include "store/ledger_store.h"

namespace pingan {

inline constexpr const char* kFollowupLedgerType = "followup";
inline constexpr const char* kFollowupIncidentField = "incident_id";
// Who took a step no stored event names (a catch-up of the demo's bulk rows).
inline constexpr const char* kBackfillActor = "系统补录";

// What one sync did to an incident's item.
struct FollowupSync {
  std::optional<std::int64_t> item_id;  // the incident's item, if it has one now
  bool created = false;
  int steps = 0;         // steps taken by this sync
  std::string refused;   // why the ledger refused a step; empty: none was
  std::string state;     // the item's state after the sync; empty: no item
};

// What a catch-up found and did.
struct FollowupReconcile {
  std::int64_t incidents = 0;  // incidents in or past the loop, looked at
  std::int64_t lagging = 0;    // of them, whose item lagged (or was missing)
  std::int64_t created = 0;    // items created
  std::int64_t steps = 0;      // steps taken
  std::int64_t refused = 0;    // incidents whose item the ledger refused to move
  std::int64_t failed = 0;     // incidents whose sync failed otherwise (logged)
};

class FollowupLedger {
 public:
  // `type` is the followup definition of `records` (outlives this object).
  FollowupLedger(LedgerRecords& records, LedgerStore& store, const LedgerDefinition& type,
                 LedgerRecords::UnitsSource units);

  // The incident's item, the oldest if several; nullopt when it has none.
  Result<std::optional<LedgerItem>> item_of(IncidentId incident);

  // Brings the incident's item in line with the incident (see above);
  // `events` are the incident's events the steps take actors and notes from
  // (any order; others are ignored). A refusal is no error: it is in the
  // result. Errors: the store's, an unknown unit.
  Result<FollowupSync> sync(const Incident& incident, std::span<const IncidentEvent> events);

  // Engine::transition's mirror after the incident's move is durable: sync()
  // with the move's event; every failure is logged, never returned.
  void after_transition(const Incident& incident, const IncidentEvent& event);

  // The catch-up: every incident from `scan` whose item lags is synced with
  // its stored events (`events_of`, asked in batches).
  using IncidentScan = std::function<Status(const std::function<void(const Incident&)>&)>;
  using EventsOf = std::function<Result<std::vector<IncidentEvent>>(std::span<const IncidentId>)>;
  Result<FollowupReconcile> reconcile(const IncidentScan& scan, const EventsOf& events_of);

 private:
  Result<FollowupSync> sync_from(const Incident& incident, std::optional<LedgerItem> item,
                                 std::span<const IncidentEvent> events);
  // The incident's new item in handled; `created` false when another sync
  // created it first (the item as it now is is returned).
  Result<LedgerItem> create_for(const Incident& incident, std::span<const IncidentEvent> events, bool& created);

  LedgerRecords& records_;
  LedgerStore& store_;
  const LedgerDefinition& type_;
  LedgerRecords::UnitsSource units_;
};

// The next step that brings `item` towards `incident`'s status, or nullopt
// when it is in step (or ahead, or the incident is not in the loop). For
// the catch-up's filter and the tests.
struct FollowupStepPlan {
  std::string step;           // the followup type's step code
  IncidentStatus reaches{};   // the incident status the step mirrors
  Timestamp at = 0;           // the incident's time of it, not before the item's last step
};
std::optional<FollowupStepPlan> next_followup_step(const LedgerItem& item, const Incident& incident);

// Whether the incident has entered the follow-up loop (see above).
bool entered_followup_loop(const Incident& incident);

}  // namespace pingan
