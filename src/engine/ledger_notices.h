#pragma once
// The ledger scheduler (issue 21): acts on what core/ledger_clock.h says is
// due. run(now) looks at every item of every type that is not in a final
// state, computes its deadlines at `now` and records each reminder (催办)
// and escalation (督办, 挂牌督办) reached and not yet recorded, exactly once
// per event (store/ledger_notice_store.h): a second run at the same time, or
// another server's run at once, records none of them again. `pingan serve`
// calls it every minute (cli/ledger_notice_runner.h); tests call it on a
// clock of their own.
//
// Which events a running deadline has reached at `now`: its reminder once
// now >= remind_at (while running or overdue: a run that first sees an item
// already overdue records the reminder it missed too, with its due time),
// and escalation k (level k, from 1) once ledger_dues() has risen to it,
// due at due_at + max(after, 1 s) (overdue begins strictly after due_at). A
// deadline stopped (met, or met late) records nothing new; one restarted (a
// hazard sent back to 整改) is a new run with its own notices.
//
// Engine::ledger_notices() owns one. Thread safety: any thread; runs may
// overlap (the store's insert-or-ignore keeps them apart).

#include <cstdint>
#include <vector>

#include "core/ledger_clock.h"
#include "core/status.h"
#include "core/time.h"
#include "engine/ledger_records.h"
#include "store/ledger_notice_store.h"

namespace pingan {

// The notices a deadline's state at some instant has reached (see above),
// without ids or noticed_at; item_id, type_code and unit_code from `item`.
std::vector<LedgerNotice> notices_reached(const LedgerItem& item, const LedgerDue& due);

class LedgerNotices {
 public:
  LedgerNotices(LedgerNoticeStore& store, LedgerRecords& ledgers) : store_(store), ledgers_(ledgers) {}

  // Records the notices reached at `now` and not recorded before, stamped
  // noticed_at = now; returns them, in item id order within each type in
  // code order. A failing store stops the run with its error (what was
  // recorded before stays; the next run records the rest).
  Result<std::vector<LedgerNotice>> run(Timestamp now);

  // The open notices among the newest of `filter` (scope and kind; at most
  // filter.limit returned): those whose deadline still runs at `now` in the
  // run they warned of. A notice of a deadline since met, or restarted, is
  // closed and left out.
  Result<std::vector<LedgerNotice>> list(const LedgerNoticeFilter& filter, Timestamp now);

  // The Chinese label of a notice's deadline and of its level ("整改期限",
  // "督办"; "催办" for a reminder), or empty when the type no longer has it.
  std::string deadline_label(const LedgerNotice& notice) const;
  std::string level_label(const LedgerNotice& notice) const;

 private:
  const LedgerDeadline* deadline_of(const LedgerNotice& notice) const;

  LedgerNoticeStore& store_;
  LedgerRecords& ledgers_;
};

}  // namespace pingan
