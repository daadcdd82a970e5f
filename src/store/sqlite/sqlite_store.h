#pragma once
// The embedded default store: one SQLite file in WAL mode with
// synchronous=FULL, so a write acknowledged to a caller survives a crash or a
// power cut. One connection guarded by one mutex, shared by the domain
// stores (units, incidents, patrol records): SQLite serialises writers
// anyway, and reads here are short.

#include <sqlite3.h>

#include <memory>
#include <mutex>
#include <string>

#include "store/sqlite/sqlite_incident_store.h"
#include "store/sqlite/sqlite_patrol_store.h"
#include "store/sqlite/sqlite_unit_store.h"
#include "store/store.h"

namespace pingan {

class SqliteStore final : public Store {
 public:
  // ":memory:" gives a private in-memory database (tests).
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path);
  ~SqliteStore() override;

  Status migrate() override;
  int schema_version() override;

  IncidentStore& incidents() override { return incidents_; }
  UnitStore& units() override { return units_; }
  PatrolStore& patrol() override { return patrol_; }

 private:
  explicit SqliteStore(sqlite3* db)
      : connection_(db), db_(db), incidents_(mutex_, db), units_(mutex_, db), patrol_(mutex_, db) {}
  int schema_version_locked();

  struct CloseConnection {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  std::mutex mutex_;
  std::unique_ptr<sqlite3, CloseConnection> connection_;
  sqlite3* const db_;  // GUARDED_BY(mutex_); owned by connection_
  // Declared after the connection: destroyed (the bulk checkpointer's thread
  // first) before it is closed.
  SqliteIncidentStore incidents_;
  SqliteUnitStore units_;
  SqlitePatrolStore patrol_;
};

}  // namespace pingan
