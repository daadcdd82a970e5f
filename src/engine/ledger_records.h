#pragma once
// The engine's door for ledger work items (台账条目, issue 21): the ledger
// types read from the data folder when the engine opens, core's rules
// (core/ledger_item.h) before every write, the checks that need the unit
// tree (the unit is known and inside the caller's scope), and the store's
// write, whose transaction reads the item under its row lock and runs the
// step there (store/ledger_store.h). Engine::ledgers() owns one; nothing
// else writes these records.
//
// A step whose definition `opens` another type (an inspection's finding
// opens a hazard) creates that item in the same call and the same store
// transaction: both are written or neither. The opened item takes the
// fields the step's item holds as <type>_<code> (hazard_kind -> kind) or
// under the same code, where the value is valid for the opened type; its
// `source` the opening type's code and `source_item` the opening item's id
// where the opened type has those fields; the unit and officer of the
// opening item; the step's actor, grants and time.
//
// Events: after every durable write (an item created, a step taken, an
// item a step opened) the listeners hear of each item as stored, on the
// writing thread; the store logs the same write in the change log
// (ChangeKind::kLedger, record_id the item), so follow() tells this
// engine's listeners of other processes' writes. The ledger figures' index
// (ledger/ledger_attach.h) listens.
//
// Thread safety: the types are immutable; calls may come from any thread.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/ledger_clock.h"
#include "core/ledger_definition.h"
#include "core/ledger_item.h"
#include "core/unit.h"
#include "engine/ledger_catalogue.h"
#include "store/change_log.h"
#include "store/ledger_store.h"

namespace pingan {

class LedgerRecords {
 public:
  using UnitsSource = std::function<std::shared_ptr<const UnitTree>()>;
  LedgerRecords(LedgerStore& store, LedgerCatalogue types, UnitsSource units);

  // Every type, in code order.
  const std::vector<LedgerDefinition>& types() const { return types_.list(); }
  const LedgerCatalogue& catalogue() const { return types_; }
  // The type with this code, or kNotFound naming the known ones.
  Result<const LedgerDefinition*> type(std::string_view code) const;

  // A new item of type `type_code`: the unit known (else invalid "unit_code")
  // and inside `scope` (else kPermissionDenied), then create_ledger_item's
  // checks; stored with its creating entry. kAlreadyExists for an `origin`
  // already imported.
  Result<LedgerItem> create(const std::string& type_code, const NewLedgerItem& request,
                            const UnitScope& scope, const LedgerOrigin& origin = {});
  // Takes a step on item `id` (kNotFound when missing or outside `scope`):
  // apply_step's checks on the item as stored, under its row lock; a step
  // that assigns must name a known unit inside `scope`; a step that opens
  // another type creates that item too (see above).
  Result<LedgerStepped> step(std::int64_t id, const StepRequest& request, const UnitScope& scope);
  Result<LedgerItem> get(std::int64_t id, const UnitScope& scope);
  // A page of one type's items (the type must exist).
  Result<LedgerPage> list(const LedgerFilter& filter);
  // The item's deadlines at `now` (core/ledger_clock.h); the LedgerDue's
  // pointers point into types(), valid as long as this object.
  Result<std::vector<LedgerDue>> dues(std::int64_t id, const UnitScope& scope, Timestamp now);
  // Every item of a type, in id order, with its history.
  Status scan(const std::string& type_code, const std::function<void(const LedgerItem&)>& visit);
  // Bulk mode for the demo or one importer at a time (store/ledger_store.h).
  Status begin_bulk() { return store_.begin_bulk(); }
  Status end_bulk() { return store_.end_bulk(); }

  // ---- events ----
  // `listener` hears of every item written, as stored with its history,
  // after the write is durable: by create() and step() (the stepped item,
  // then the item it opened) on the writing thread, and by follow(). Keep
  // it quick; it must not call back into these records' listeners.
  void subscribe_items(std::function<void(const LedgerItem&)> listener);
  // Engine::catch_up's share: the kLedger changes of other processes, each
  // item read back once as it stands now and told to the listeners.
  Status follow(const std::vector<ChangeRecord>& changes);

 private:
  void publish(const LedgerItem& item);

  Status check_unit(const std::string& field, const std::string& code,
                    const UnitScope& scope) const;
  // The item a step opening `target` creates from `item` after the step.
  Result<LedgerNewRow> opened_by(const LedgerDefinition& target, const LedgerItem& item,
                                 const StepRequest& request) const;

  LedgerStore& store_;
  const LedgerCatalogue types_;
  UnitsSource units_;
  std::mutex listeners_mutex_;
  std::vector<std::function<void(const LedgerItem&)>> listeners_;  // GUARDED_BY(listeners_mutex_)
};

}  // namespace pingan
