#pragma once
// Units in SQLite, on the connection and mutex of the SqliteStore that owns it.

#include <sqlite3.h>

#include <mutex>

#include "store/unit_store.h"

namespace pingan {

class SqliteUnitStore final : public UnitStore {
 public:
  SqliteUnitStore(std::mutex& mutex, sqlite3* db) : mutex_(mutex), db_(db) {}

  Status upsert_units(std::span<const Unit> units) override;
  Result<std::vector<Unit>> list_units() override;

 private:
  std::mutex& mutex_;
  sqlite3* const db_;  // GUARDED_BY(mutex_)
};

}  // namespace pingan
