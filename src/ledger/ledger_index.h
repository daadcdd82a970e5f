#pragma once
// The ledger figures' index (issue 21): per ledger type, every item's
// creation, the instants it first reached each counts_as tag, its numeric
// fields, and its history for the deadline clock, so that the figures of a
// bulletin (矛盾纠纷排查 383 起、化解 369 起、化解率 96.34%, 检查场所 N 家次,
// 清查行动出动警力 N 人次) are read from memory for any unit subtree and
// period. Fed with whole items: the engine hands over an item each time one
// is written and the index replaces what that id counted before. The
// figures by name (ledger_figures.h) are the way to ask it; the layout is
// in ledger_index_data.h.
//
// Thread safety: every method may be called from several threads; readers
// share a lock, writers (apply, apply_all, reset, set_units) take it alone.

#include <functional>
#include <memory>
#include <shared_mutex>
#include <span>
#include <vector>

#include "core/ledger_definition.h"
#include "core/ledger_item.h"
#include "core/unit.h"
#include "ledger/ledger_index_data.h"

namespace pingan::ledger {

class LedgerIndex {
 public:
  LedgerIndex(std::vector<LedgerDefinition> types, std::shared_ptr<const UnitTree> units, TimeZone zone);
  LedgerIndex(const LedgerIndex&) = delete;
  LedgerIndex& operator=(const LedgerIndex&) = delete;

  // Replaces whatever the index held for the item's id by what it counts
  // now; an item of a type the index does not know is left out.
  void apply(const LedgerItem& item);
  // Many items under one lock (a start-up or a rebuild).
  void apply_all(std::span<const LedgerItem> items);
  // Forgets every item (before a rebuild from the store).
  void reset();
  // Replaces the unit tree after units change; items keep their unit codes.
  void set_units(std::shared_ptr<const UnitTree> units);

  // Runs `read` with the shared lock held, so that several figures (a
  // period, its 同比 and 环比, the units' ranking) describe one moment. Do
  // not call the writers from inside.
  void read(const std::function<void(const LedgerIndexData&)>& read) const;

  // The bureau's zone: when its days and years begin (同比, 环比).
  const TimeZone& zone() const { return zone_; }
  std::int64_t items() const;

 private:
  const TimeZone zone_;
  mutable std::shared_mutex mutex_;
  LedgerIndexData data_;  // guarded by mutex_
};

}  // namespace pingan::ledger
