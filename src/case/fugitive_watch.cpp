#include "case/fugitive_watch.h"

#include <algorithm>
#include <mutex>

#include "core/id_number.h"
#include "core/personal_masks.h"

namespace pingan::cases {

void FugitiveWatch::apply(const FugitiveChange& change) {
  std::unique_lock lock(mutex_);
  const FugitiveId id = change.listing.id;
  if (auto old = key_of_.find(id); old != key_of_.end()) {
    // listed -> caught | revoked is the whole life (core/fugitive.h): an
    // older copy arriving late (a scan racing an event) must not reopen it.
    if (change.listing.status == FugitiveStatus::kListed) {
      auto bucket = by_key_.find(old->second);
      if (bucket != by_key_.end())
        for (const Fugitive& held : bucket->second)
          if (held.id == id && held.status != FugitiveStatus::kListed) return;
    }
    auto bucket = by_key_.find(old->second);
    if (bucket != by_key_.end()) {
      std::erase_if(bucket->second, [id](const Fugitive& f) { return f.id == id; });
      if (bucket->second.empty()) by_key_.erase(bucket);
    }
    key_of_.erase(old);
  }
  // A listing without a number cannot be found by one.
  if (change.id_key.empty()) return;
  by_key_[change.id_key].push_back(change.listing);
  key_of_[id] = change.id_key;
}

void FugitiveWatch::clear() {
  std::unique_lock lock(mutex_);
  by_key_.clear();
  key_of_.clear();
}

std::vector<Fugitive> FugitiveWatch::wanted(const std::string& id_key) const {
  std::vector<Fugitive> out;
  {
    std::shared_lock lock(mutex_);
    auto it = by_key_.find(id_key);
    if (it == by_key_.end()) return out;
    for (const Fugitive& f : it->second)
      if (f.status == FugitiveStatus::kListed) out.push_back(f);
  }
  std::sort(out.begin(), out.end(), [](const Fugitive& a, const Fugitive& b) {
    return a.listed_at != b.listed_at ? a.listed_at > b.listed_at : a.id > b.id;
  });
  return out;
}

std::size_t FugitiveWatch::listings() const {
  std::shared_lock lock(mutex_);
  return key_of_.size();
}

Result<std::shared_ptr<FugitiveWatch>> attach_fugitive_watch(Engine& engine) {
  auto watch = std::make_shared<FugitiveWatch>();
  std::weak_ptr<FugitiveWatch> weak = watch;
  engine.cases().subscribe_fugitives([weak](const FugitiveChange& change) {
    if (auto w = weak.lock()) w->apply(change);
  });
  Engine* e = &engine;
  engine.subscribe_resync([weak, e]() -> Status {
    auto w = weak.lock();
    if (!w) return {};
    w->clear();
    return e->cases().scan_fugitives([&](const FugitiveChange& change) { w->apply(change); });
  });
  // A listing that changes while the scan runs reaches the watch twice, the
  // scan's (older) copy possibly last: apply() keeps a final state against
  // a listed one, and a listing only ever moves from listed to final, so
  // the order does not matter.
  PINGAN_RETURN_IF_ERROR(engine.cases().scan_fugitives([&](const FugitiveChange& change) { watch->apply(change); }));
  return watch;
}

Result<std::vector<Fugitive>> check_fugitive(Engine& engine, const FugitiveWatch& watch, const std::string& id_number) {
  const std::string normal = normalise_id_number(id_number);
  PINGAN_RETURN_IF_ERROR(check_id_number("id_number", normal));
  PINGAN_ASSIGN_OR_RETURN(std::string key, engine.cases().id_number_key(normal));
  return watch.wanted(key);
}

}  // namespace pingan::cases
