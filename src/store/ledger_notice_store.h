#pragma once
// The reminders and escalations (催办, 督办, 挂牌督办) the ledger scheduler
// has recorded (issue 21; engine/ledger_notices.h): one row per event, so
// that each is noticed exactly once however many servers run the scheduler.
//
// A notice is keyed by (item, deadline, the clock's start, kind, level):
// a deadline whose clock restarts (a hazard sent back to 整改) warns again
// for its new run, while the same event seen twice is one row. record()
// inserts what is not there yet and ignores the rest (INSERT OR IGNORE /
// ON CONFLICT DO NOTHING), so two servers recording the same event at once
// both succeed and one row results; each is told only of the rows it wrote.
//
// Implemented for SQLite (store/sqlite/sqlite_ledger_notice_store.h) and
// PostgreSQL (store/postgres/pg_ledger_notice_store.h), table
// ledger_notices of migration 17 (docs/schema.md). Thread safety as the
// Store's: any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "core/unit.h"

namespace pingan {

enum class LedgerNoticeKind { kRemind, kEscalate };
const char* ledger_notice_kind_name(LedgerNoticeKind kind);  // "remind", "escalate"
std::optional<LedgerNoticeKind> ledger_notice_kind_of(std::string_view name);

struct LedgerNotice {
  std::int64_t id = 0;  // the store's; 0 until recorded
  std::int64_t item_id = 0;
  std::string type_code;
  std::string unit_code;  // the item's responsible unit when noticed
  std::string deadline;   // the deadline's code ("rectify")
  Timestamp started_at = 0;  // when the deadline's clock (this run of it) started
  LedgerNoticeKind kind = LedgerNoticeKind::kRemind;
  int level = 0;             // 0 for a reminder; 1.. the escalation's rank
  Timestamp due_at = 0;      // when the event fell due (the reminder, or past due + after)
  Timestamp noticed_at = 0;  // when the scheduler recorded it
};

struct LedgerNoticeFilter {
  UnitScope scope = UnitScope::everything();
  std::optional<LedgerNoticeKind> kind;
  int limit = 200;  // 1..1000; newest due first (ties by id descending)
};

class LedgerNoticeStore {
 public:
  virtual ~LedgerNoticeStore() = default;

  // Inserts the notices not recorded yet (by their key, above) in one
  // transaction and returns those it inserted, with their ids, in the
  // order given. Their id fields are ignored.
  virtual Result<std::vector<LedgerNotice>> record(const std::vector<LedgerNotice>& notices) = 0;

  // Notices of units in the filter's scope, newest due first.
  virtual Result<std::vector<LedgerNotice>> list(const LedgerNoticeFilter& filter) = 0;
};

}  // namespace pingan
