#pragma once
// The province store: PostgreSQL through libpq (issue 19), implementing every
// domain interface of store/ as the SQLite store does, chosen by
// `--db postgresql://…`. Several pingan servers share one database: each
// keeps only its in-memory indexes and follows the others through the change
// log (pg_change_log.h). Every call leases a connection from a small pool
// (pg_pool.h) and runs in its own transaction; concurrency is PostgreSQL's
// (row locks, SELECT … FOR UPDATE), not a process mutex. A write is durable
// when it returns: the commit waits for the WAL flush (synchronous_commit
// on, the server's default).

#include <memory>
#include <string>

#include "store/personal_fields.h"
#include "store/postgres/pg_audit_store.h"
#include "store/postgres/pg_case_store.h"
#include "store/postgres/pg_change_log.h"
#include "store/postgres/pg_desk_store.h"
#include "store/postgres/pg_incident_store.h"
#include "store/postgres/pg_patrol_store.h"
#include "store/postgres/pg_personal_store.h"
#include "store/postgres/pg_pool.h"
#include "store/postgres/pg_ledger_notice_store.h"
#include "store/postgres/pg_ledger_store.h"
#include "store/postgres/pg_registry_store.h"
#include "store/postgres/pg_replica_reads.h"
#include "store/postgres/pg_unit_store.h"
#include "store/postgres/pg_user_store.h"
#include "store/store.h"

namespace pingan {

struct PostgresStoreOptions {
  // Connections of the pool: the server's request threads share them.
  int connections = 8;
  PersonalDataOptions personal{};
  // A streaming replica for the lists that may be stale (pg_replica_reads.h).
  ReadReplicaOptions replica{};
};

class PostgresStore final : public Store {
 public:
  // `url`: postgresql://user:password@host:port/database[?options=-csearch_path%3Dschema].
  // A database that cannot be reached, or refuses the credentials, is an
  // `unavailable` error with one line naming the address (password hidden).
  static Result<std::unique_ptr<PostgresStore>> open(const std::string& url, PostgresStoreOptions options = {});
  ~PostgresStore() override;

  Status migrate() override;
  int schema_version() override;

  // With a read replica, the wrapper that sends the lists that may be
  // stale there; the desk store writes through incidents_ itself.
  IncidentStore& incidents() override {
    return replica_reads_ ? static_cast<IncidentStore&>(*replica_reads_) : incidents_;
  }
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
  PostgresStore(const std::string& url, const std::string& writer, const std::string& schema, int connections,
                std::shared_ptr<const crypto::FieldCipher> cipher);

  pg::Pool pool_;
  const stored::PersonalFields personal_;
  PgIncidentStore incidents_;
  PgUnitStore units_;
  PgPatrolStore patrol_;
  PgDeskStore desk_;  // on incidents_ and patrol_: declared after them
  PgAuditStore audit_;
  PgUserStore users_;
  PgPersonalStore personal_store_;
  PgChangeLog change_log_;
  PgCaseStore cases_;
  PgRegistryStore registry_;
  PgLedgerStore ledgers_;
  PgLedgerNoticeStore ledger_notices_;
  // Only with ReadReplicaOptions::url (open() builds them).
  std::unique_ptr<pg::Pool> replica_pool_;
  std::unique_ptr<PgReplicaReads> replica_reads_;  // on replica_pool_: declared after it
};

}  // namespace pingan
