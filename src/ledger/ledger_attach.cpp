#include "ledger/ledger_attach.h"

#include <mutex>
#include <vector>

namespace pingan::ledger {
namespace {

// The index and the items that arrive while a scan fills it: a scan reads
// the items as they stood when it began, so an event published meanwhile
// may carry a later state than the scan's copy. Those are held and applied
// after the scan's items, never before.
struct Attached {
  std::shared_ptr<LedgerIndex> index;
  std::mutex mutex;
  bool filling = false;             // GUARDED_BY(mutex)
  std::vector<LedgerItem> pending;  // GUARDED_BY(mutex)

  void on_item(const LedgerItem& item) {
    std::lock_guard lock(mutex);
    if (filling) pending.push_back(item);
    else index->apply(item);
  }

  Status fill(Engine& engine) {
    {
      std::lock_guard lock(mutex);
      filling = true;
    }
    std::vector<LedgerItem> items;
    Status scanned = [&]() -> Status {
      for (const LedgerDefinition& type : engine.ledgers().types())
        PINGAN_RETURN_IF_ERROR(engine.ledgers().scan(type.code(), [&](const LedgerItem& item) { items.push_back(item); }));
      return {};
    }();
    std::lock_guard lock(mutex);
    if (scanned.ok()) {
      index->reset();
      index->apply_all(items);
    }
    for (const LedgerItem& item : pending) index->apply(item);
    pending.clear();
    filling = false;
    return scanned;
  }
};

}  // namespace

Result<std::shared_ptr<LedgerIndex>> attach_ledger_index(Engine& engine) {
  auto attached = std::make_shared<Attached>();
  attached->index = std::make_shared<LedgerIndex>(engine.ledgers().types(), engine.units(), engine.time_zone());
  // The listeners hold the attachment only weakly: it lives as long as its index.
  std::weak_ptr<Attached> weak = attached;
  engine.ledgers().subscribe_items([weak](const LedgerItem& item) {
    if (auto a = weak.lock()) a->on_item(item);
  });
  engine.subscribe_units([weak](const std::shared_ptr<const UnitTree>& tree) {
    if (auto a = weak.lock()) a->index->set_units(tree);
  });
  Engine* e = &engine;
  engine.subscribe_resync([weak, e]() -> Status {
    auto a = weak.lock();
    return a ? a->fill(*e) : Status();
  });
  PINGAN_RETURN_IF_ERROR(attached->fill(engine));
  // The index keeps its attachment alive: an aliasing pointer to the index
  // that owns the whole.
  return std::shared_ptr<LedgerIndex>(attached, attached->index.get());
}

}  // namespace pingan::ledger
