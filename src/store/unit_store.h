#pragma once
// Organisational units (bureau, stations, communities) with their
// boundaries, durably. Only the engine calls it.

#include <span>
#include <vector>

#include "core/status.h"
#include "core/unit.h"

namespace pingan {

class UnitStore {
 public:
  virtual ~UnitStore() = default;
  // Inserts or updates by code, in one transaction. Parents must already
  // exist or be in the batch.
  virtual Status upsert_units(std::span<const Unit> units) = 0;
  virtual Result<std::vector<Unit>> list_units() = 0;
};

}  // namespace pingan
