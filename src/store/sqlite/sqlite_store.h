#pragma once
// The embedded default store: one SQLite file in WAL mode with
// synchronous=FULL, so a write acknowledged to a caller survives a crash or a
// power cut. Writes go through one connection guarded by one mutex, shared
// by the domain stores (units, incidents, patrol records), as SQLite
// serialises writers anyway; reads go through a small pool of read-only
// connections (sqlite_read_pool.h) and run side by side, beside the writer.

#include <sqlite3.h>

#include <memory>
#include <mutex>
#include <string>

#include "store/sqlite/sqlite_audit_store.h"
#include "store/sqlite/sqlite_case_store.h"
#include "store/sqlite/sqlite_desk_store.h"
#include "store/sqlite/sqlite_incident_store.h"
#include "store/sqlite/sqlite_patrol_store.h"
#include "store/sqlite/sqlite_change_log.h"
#include "store/personal_fields.h"
#include "store/sqlite/sqlite_personal_store.h"
#include "store/sqlite/sqlite_read_pool.h"
#include "store/sqlite/sqlite_ledger_notice_store.h"
#include "store/sqlite/sqlite_ledger_store.h"
#include "store/sqlite/sqlite_registry_store.h"
#include "store/sqlite/sqlite_unit_store.h"
#include "store/sqlite/sqlite_user_store.h"
#include "store/store.h"

namespace pingan {

struct SqliteStoreOptions {
  // Read-only connections beside the writer. Four let a small server's
  // request threads read at once while bounding the page caches (16 MiB
  // each at most); more reads than connections queue for a free one. 0 puts
  // reads on the writer connection, behind its mutex (as an in-memory
  // database always does).
  int read_connections = 4;
  // Sealing of personal data (store/store.h): without a cipher it is kept
  // in plain text; with one, the plain rows are sealed while opening.
  PersonalDataOptions personal{};
};

class SqliteStore final : public Store {
 public:
  // ":memory:" gives a private in-memory database (tests); its reads share
  // the writer connection, since a second connection would see another,
  // empty database.
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path, SqliteStoreOptions options = {});
  ~SqliteStore() override;

  Status migrate() override;
  int schema_version() override;

  IncidentStore& incidents() override { return incidents_; }
  UnitStore& units() override { return units_; }
  PatrolStore& patrol() override { return patrol_; }
  DeskStore& desk() override { return desk_; }
  AuditStore& audit() override { return audit_; }
  UserStore& users() override { return users_; }
  PersonalDataStore& personal_data() override { return personal_store_; }
  ChangeLog& changes() override { return change_log_; }
  CaseStore& cases() override { return cases_; }
  RegistryStore& registry() override { return registry_; }
  LedgerStore& ledgers() override { return ledgers_; }
  LedgerNoticeStore& ledger_notices() override { return ledger_notices_; }

 private:
  SqliteStore(sqlite3* db, std::shared_ptr<const crypto::FieldCipher> cipher)
      : connection_(db),
        db_(db),
        reads_(mutex_, db),
        personal_(std::move(cipher)),
        incidents_(mutex_, db, reads_, personal_),
        units_(mutex_, db, reads_),
        patrol_(mutex_, db, reads_),
        desk_(mutex_, db, incidents_, patrol_),
        audit_(mutex_, db, reads_),
        users_(mutex_, db, reads_, personal_),
        personal_store_(mutex_, db, reads_, personal_),
        change_log_(mutex_, db, reads_),
        cases_(mutex_, db, reads_, personal_),
        registry_(mutex_, db, reads_, personal_),
        ledgers_(mutex_, db, reads_, personal_),
        ledger_notices_(mutex_, db, reads_) {}
  int schema_version_locked();

  struct CloseConnection {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  std::mutex mutex_;
  std::unique_ptr<sqlite3, CloseConnection> connection_;
  sqlite3* const db_;  // GUARDED_BY(mutex_); owned by connection_
  // Closed before the writer: the last connection to close copies the WAL
  // into the file and removes it, which only the writer may do.
  sqlite::ReadPool reads_;
  const stored::PersonalFields personal_;  // seals and opens for the domain stores
  // Declared after the connections: destroyed (the bulk checkpointer's
  // thread first) before they are closed.
  SqliteIncidentStore incidents_;
  SqliteUnitStore units_;
  SqlitePatrolStore patrol_;
  SqliteDeskStore desk_;  // on incidents_ and patrol_: declared after them
  SqliteAuditStore audit_;
  SqliteUserStore users_;
  SqlitePersonalStore personal_store_;
  SqliteChangeLog change_log_;
  SqliteCaseStore cases_;
  SqliteRegistryStore registry_;
  SqliteLedgerStore ledgers_;
  SqliteLedgerNoticeStore ledger_notices_;
};

}  // namespace pingan
