#pragma once
// Incidents and events in SQLite: writes on the writer connection and mutex
// of the SqliteStore that owns it, reads on its read pool; bulk mode (a
// background WAL checkpointer and commits without fsync) belongs to this
// domain alone.

#include <sqlite3.h>

#include <memory>
#include <mutex>
#include <optional>

#include "store/incident_store.h"
#include "store/personal_fields.h"
#include "store/sqlite/sqlite_read_pool.h"
#include "store/sqlite/sqlite_statement.h"
#include "store/sqlite/wal_checkpointer.h"

namespace pingan {

class SqliteIncidentStore final : public IncidentStore {
 public:
  // `personal` seals the reporter's fields on write and opens them on read.
  SqliteIncidentStore(std::mutex& mutex, sqlite3* db, sqlite::ReadPool& reads, const stored::PersonalFields& personal)
      : mutex_(mutex), db_(db), reads_(reads), personal_(personal) {}

  Result<Incident> create_incident(const Incident& incident, const IncidentEvent& first_event) override;
  Result<BatchResult> insert_incidents(std::span<const Incident> incidents) override;
  Result<Incident> get_incident(IncidentId id, const UnitScope& scope) override;
  Result<std::vector<Incident>> get_incidents(std::span<const IncidentId> ids) override;
  Result<IncidentPage> list_incidents(const IncidentFilter& filter) override;
  Result<Incident> update_incident(IncidentId id, const UnitScope& scope,
                                   const std::function<Status(Incident&)>& apply,
                                   const IncidentEvent& event_template) override;
  Result<std::vector<IncidentEvent>> list_events(IncidentId id, const UnitScope& scope) override;
  Result<std::vector<CaseRecord>> live_case_records(const std::string& source) override;
  Result<std::vector<bool>> void_incidents(std::span<const VoidById> requests) override;
  Status begin_bulk() override;
  Status end_bulk() override;
  Status scan_incidents(const std::function<void(const Incident&)>& visit) override;
  Result<std::int64_t> count_incidents() override;
  Result<std::vector<IncidentEvent>> events_of(std::span<const IncidentId> ids) override;
  Result<std::int64_t> copy_in(std::span<const Incident> incidents, std::span<const IncidentEvent> events) override;

  // update_incident() inside a transaction the caller has begun on the
  // writer, with mutex_ held (SqliteDeskStore, whose step writes patrol
  // records in the same transaction). `apply` returning false leaves the
  // incident and its events untouched (nullopt).
  Result<std::optional<Incident>> update_incident_locked(IncidentId id, const UnitScope& scope,
                                                         const std::function<Result<bool>(Incident&)>& apply,
                                                         const IncidentEvent& event_template);

 private:
  // On `db`: a read lease's connection, or the writer with mutex_ held.
  Result<Incident> get_on(sqlite3* db, IncidentId id, const UnitScope& scope) const;
  // The incident of the current row (kIncidentColumns), its personal fields opened.
  Result<Incident> read_row(const sqlite::Statement& st) const;
  Status append_event_locked(const IncidentEvent& event);

  std::mutex& mutex_;
  sqlite3* const db_;   // GUARDED_BY(mutex_): the writer
  sqlite::ReadPool& reads_;
  const stored::PersonalFields& personal_;
  bool bulk_ = false;   // GUARDED_BY(mutex_): begin_bulk() .. end_bulk()
  // Copies bulk batches from the WAL into the file meanwhile; GUARDED_BY(mutex_).
  std::unique_ptr<sqlite::WalCheckpointer> checkpointer_;
};

}  // namespace pingan
