#pragma once
// The fugitive check for handheld terminals (警务通, issue 20): given an ID
// number, is the person wanted, and by whom. Answered from memory: every
// listing keyed by its person's keyed ID-number hash (the store's match key,
// CaseRecords::id_number_key), kept current by the engine's fugitive events
// and the change log, so a check costs one hash and one map look-up — no
// database round trip on a terminal's request. The plain number is never
// held here. Auditing each check is the caller's (the HTTP route).

#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/fugitive.h"
#include "engine/engine.h"

namespace pingan::cases {

class FugitiveWatch {
 public:
  // Replaces what the watch had of the listing (by id).
  void apply(const FugitiveChange& change);
  void clear();

  // The listings of the person with this match key that are still open
  // (listed: neither caught nor revoked), newest listing first.
  std::vector<Fugitive> wanted(const std::string& id_key) const;
  // Listings held (every status) and persons keyed.
  std::size_t listings() const;

 private:
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::vector<Fugitive>> by_key_;  // GUARDED_BY(mutex_)
  std::unordered_map<FugitiveId, std::string> key_of_;             // GUARDED_BY(mutex_)
};

// A watch filled by a scan of the listings and kept current by the engine's
// fugitive events (and through them the change log's); rebuilt on a resync.
// Subscribes before it scans, so no listing written meanwhile is missed.
Result<std::shared_ptr<FugitiveWatch>> attach_fugitive_watch(Engine& engine);

// What a check answers: the hash of the number (through the store's key),
// then the open listings. An ID number that fails its checksum is refused
// (invalid, field id_number): a mistyped number must not read as "not wanted".
Result<std::vector<Fugitive>> check_fugitive(Engine& engine, const FugitiveWatch& watch, const std::string& id_number);

}  // namespace pingan::cases
