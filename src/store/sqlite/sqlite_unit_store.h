#pragma once
// Units in SQLite: writes on the writer connection and mutex of the
// SqliteStore that owns it, reads on its read pool.

#include <sqlite3.h>

#include <mutex>

#include "store/sqlite/sqlite_read_pool.h"
#include "store/unit_store.h"

namespace pingan {

class SqliteUnitStore final : public UnitStore {
 public:
  SqliteUnitStore(std::mutex& mutex, sqlite3* db, sqlite::ReadPool& reads) : mutex_(mutex), db_(db), reads_(reads) {}

  Status upsert_units(std::span<const Unit> units) override;
  Result<std::vector<Unit>> list_units() override;

 private:
  std::mutex& mutex_;
  sqlite3* const db_;  // GUARDED_BY(mutex_): the writer
  sqlite::ReadPool& reads_;
};

}  // namespace pingan
