#pragma once
// The durable record: one store per database, one interface per domain
// (incidents, units, patrol records; cases, ledgers and users add theirs),
// so that a dialect (store/sqlite/, later store/postgres/) and a new domain
// add files rather than grow one interface. Only the engine holds a Store:
// every other layer reads and writes records through it (docs/architecture.md).
//
// Thread safety: a Store may be shared by the HTTP worker threads; each
// implementation serialises what it must.

#include <memory>
#include <string>

#include "core/status.h"
#include "crypto/field_cipher.h"
#include "store/audit_store.h"
#include "store/case_store.h"
#include "store/change_log.h"
#include "store/desk_store.h"
#include "store/incident_store.h"
#include "store/ledger_notice_store.h"
#include "store/ledger_store.h"
#include "store/patrol_store.h"
#include "store/personal_data_store.h"
#include "store/registry_store.h"
#include "store/unit_store.h"
#include "store/user_store.h"

namespace pingan {

class Store {
 public:
  virtual ~Store() = default;

  // Applies pending migrations; safe to call on every open.
  virtual Status migrate() = 0;
  virtual int schema_version() = 0;

  virtual IncidentStore& incidents() = 0;
  virtual UnitStore& units() = 0;
  virtual PatrolStore& patrol() = 0;
  // The desk's steps that write patrol records and an incident together.
  virtual DeskStore& desk() = 0;
  // The append-only, hash-chained audit log's entries (auth/audit_log.h).
  virtual AuditStore& audit() = 0;
  // Users, sessions and API tokens (auth/).
  virtual UserStore& users() = 0;
  // Re-sealing personal data under the active key (rotation, issue 17).
  virtual PersonalDataStore& personal_data() = 0;
  // The committed changes of incidents and units, in order, with who wrote
  // them (issue 19): how a server learns of another process's writes.
  virtual ChangeLog& changes() = 0;
  // Cases, persons, measures, fugitives, fraud money, dissuasion (issue 20).
  virtual CaseStore& cases() = 0;
  // The base registry and its cameras (issue 21).
  virtual RegistryStore& registry() = 0;
  // Ledger work items and their histories (issue 21).
  virtual LedgerStore& ledgers() = 0;
  // The reminders and escalations the ledger scheduler recorded (issue 21).
  virtual LedgerNoticeStore& ledger_notices() = 0;
};

// How a store keeps personal data (issue 17, docs/personal-data.md).
struct PersonalDataOptions {
  // Seals reporter phones, names and ID numbers; null keeps them in plain
  // text (tests, a demo without keys). Usually a crypto::ReloadableCipher,
  // so a rotated key ring can be taken while the store is open.
  std::shared_ptr<const crypto::FieldCipher> cipher;
  // While opening, re-seal every incident not under the active key (a
  // rotation run from the CLI), not only those still in plain text.
  bool reseal_all_on_open = false;
};

// A streaming replica that may answer lists (issue 19, "Read replicas";
// store/postgres/pg_replica_reads.h): only a PostgreSQL store has one, and
// only lists whose caller accepts a bounded staleness
// (IncidentFilter::may_be_stale) go there.
struct ReadReplicaOptions {
  // postgresql:// URL of a hot standby of the store's database, with the
  // same search path; empty: every read on the primary.
  std::string url;
  // A replica that may be further behind than this is not read: the
  // primary answers instead.
  double max_lag_s = 5;
};

// Opens a store from a location: a file path (SQLite) or a postgresql://
// URL. Runs migrations; with a cipher, then seals the personal data still
// stored in plain text (batches of 1,000, progress logged). A replica with a
// SQLite location is refused (`invalid`, field read-replica) before the file
// is opened.
Result<std::unique_ptr<Store>> open_store(const std::string& location, PersonalDataOptions personal = {},
                                          ReadReplicaOptions replica = {});

// Whether `location` names a PostgreSQL database (postgres:// or postgresql://).
bool is_postgres_url(const std::string& location);
// A name for the database safe to print and to stamp files with: a SQLite
// file's absolute path, or the URL with its password as ***.
std::string describe_location(const std::string& location);

}  // namespace pingan
