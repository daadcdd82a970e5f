#pragma once
// The records a correction (St. Louis Count = -1) can cancel, kept in memory
// by the import so that matching needs no index on the case number: the live
// records of the source that carry a case number, in id order, each as a
// 64-bit hash of (case number, code) and its id. Filled once from the store
// (the records of earlier imports and of this one so far) when the first
// correction is applied, then appended to by every batch the import stores.
// A flat array, not a map: appending 350k records costs next to nothing on
// the writer thread, and a batch's corrections are matched in one pass.
// A hash collision can only propose a wrong id: the store checks the case
// number and code again before it voids (IncidentStore::VoidById).
// Used by the writer thread only.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/incident.h"
#include "engine/engine.h"

namespace pingan::ingest {

class CorrectionTargets {
 public:
  struct Want {
    std::string_view case_number;
    std::string_view original_code;
  };

  bool loaded() const { return loaded_; }
  // Reads the live records of `source` that carry a case number.
  Status load(Engine& engine, const std::string& source);
  // A record the import stored; ids come in ascending order.
  void add(IncidentId id, std::string_view case_number, std::string_view code);
  // For each want, in order, the earliest live record with its case number
  // and code that an earlier want did not take, or 0. The records returned
  // count as taken from here on, whether voiding them succeeds or not.
  std::vector<IncidentId> take_earliest(std::span<const Want> wants);

 private:
  static std::uint64_t key(std::string_view case_number, std::string_view code);
  struct Target {
    std::uint64_t key;
    IncidentId id;  // 0 once taken
  };
  bool loaded_ = false;
  std::vector<Target> targets_;  // ascending id
};

}  // namespace pingan::ingest
