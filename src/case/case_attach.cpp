#include "case/case_attach.h"

#include <mutex>
#include <variant>
#include <vector>

namespace pingan::cases {

namespace {

// The index and the events that arrive while a scan fills it: a scan reads
// the records as they stood when it began, so an event published meanwhile
// may carry a later state than the scan's copy. Those events are held and
// applied after the scan's records, never before.
struct Attached {
  std::shared_ptr<CaseIndex> index;
  std::mutex mutex;
  bool filling = false;                                                     // GUARDED_BY(mutex)
  std::vector<std::variant<CaseBundle, Fugitive, DissuasionTask>> pending;  // GUARDED_BY(mutex)

  template <typename Record>
  void on_event(const Record& r) {
    std::lock_guard lock(mutex);
    if (filling) pending.emplace_back(r);
    else index->apply(r);
  }

  Status fill(Engine& engine) {
    {
      std::lock_guard lock(mutex);
      filling = true;
    }
    std::vector<CaseBundle> bundles;
    std::vector<Fugitive> fugitives;
    std::vector<DissuasionTask> tasks;
    Status scanned = [&]() -> Status {
      PINGAN_RETURN_IF_ERROR(engine.cases().scan_cases([&](const CaseBundle& b) { bundles.push_back(b); }));
      PINGAN_RETURN_IF_ERROR(
          engine.cases().scan_fugitives([&](const FugitiveChange& f) { fugitives.push_back(f.listing); }));
      return engine.cases().scan_dissuasions([&](const DissuasionTask& t) { tasks.push_back(t); });
    }();
    std::lock_guard lock(mutex);
    if (scanned.ok()) {
      index->reset();
      index->apply_all(bundles, fugitives, tasks);
    }
    for (const auto& event : pending) std::visit([&](const auto& r) { index->apply(r); }, event);
    pending.clear();
    filling = false;
    return scanned;
  }
};

}  // namespace

Result<std::shared_ptr<CaseIndex>> attach_case_index(Engine& engine) {
  auto attached = std::make_shared<Attached>();
  attached->index = std::make_shared<CaseIndex>(engine.cases().rules().types, engine.units(), engine.time_zone(),
                                                engine.cases().rules().fraud_methods);
  // The listeners hold the attachment only weakly: it lives as long as its index.
  std::weak_ptr<Attached> weak = attached;
  engine.cases().subscribe_cases([weak](const CaseBundle& b) {
    if (auto a = weak.lock()) a->on_event(b);
  });
  engine.cases().subscribe_fugitives([weak](const FugitiveChange& f) {
    if (auto a = weak.lock()) a->on_event(f.listing);
  });
  engine.cases().subscribe_dissuasions([weak](const DissuasionTask& t) {
    if (auto a = weak.lock()) a->on_event(t);
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
  return std::shared_ptr<CaseIndex>(attached, attached->index.get());
}

}  // namespace pingan::cases
