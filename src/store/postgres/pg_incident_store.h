#pragma once
// Incidents and their events in PostgreSQL: the incidents table partitioned
// by month of reported_at (UTC), incident_keys holding (source, source_id)
// unique and each id's reported_at, incident_events beside them (migration
// 1). Batches go in by COPY; reads take a UnitScope narrowed through the
// units' materialised path.
//
// Concurrency is PostgreSQL's: an update locks its incident's key row (FOR
// UPDATE) for the rest of its transaction, so two servers moving one
// incident take turns and number its events without gaps; a second import
// of a key waits for the first's commit and then skips it (ON CONFLICT DO
// NOTHING on incident_keys).

#include <mutex>
#include <optional>
#include <set>

#include "store/incident_store.h"
#include "store/personal_fields.h"
#include "store/postgres/pg_pool.h"

namespace pingan {

class PgIncidentStore final : public IncidentStore {
 public:
  PgIncidentStore(pg::Pool& pool, const stored::PersonalFields& personal) : pool_(pool), personal_(personal) {}

  Result<Incident> create_incident(const Incident& incident, const IncidentEvent& first_event) override;
  Result<BatchResult> insert_incidents(std::span<const Incident> incidents) override;
  Result<Incident> get_incident(IncidentId id, const UnitScope& scope) override;
  Result<std::vector<Incident>> get_incidents(std::span<const IncidentId> ids) override;
  Result<IncidentPage> list_incidents(const IncidentFilter& filter) override;
  Result<Incident> update_incident(IncidentId id, const UnitScope& scope, const std::function<Status(Incident&)>& apply,
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

  // update_incident's read (SELECT … FOR UPDATE), apply and write on `c`,
  // inside the caller's transaction (the desk store's). `apply` returns
  // false to leave the incident (nullopt, no event).
  Result<std::optional<Incident>> update_incident_on(pg::Connection& c, IncidentId id, const UnitScope& scope,
                                                     const std::function<Result<bool>(Incident&)>& apply,
                                                     const IncidentEvent& event_template);

 private:
  // Creates the month partitions that rows reported at `times` need, each in
  // its own statement outside any transaction (another server may create the
  // same one at once: that is not an error).
  Status ensure_partitions(pg::Connection& c, std::span<const Timestamp> times);
  // The partition of `t`'s month inside the caller's open transaction: for
  // an update that moves reported_at into a month with no partition yet
  // (no engine path does today). A savepoint keeps a concurrent creator's
  // error from aborting the caller's transaction.
  Status ensure_partition_in_transaction(pg::Connection& c, Timestamp t);
  // Adds the months of the partitions the catalogue has to partitions_, once
  // per store: a new process then creates none of them again.
  Status read_partitions(pg::Connection& c);
  // Incident `id` as `scope` sees it, read on `c` (locked FOR UPDATE with
  // `lock`); kNotFound when it does not exist or lies outside the scope.
  Result<Incident> get_on(pg::Connection& c, IncidentId id, const UnitScope& scope, bool lock) const;

  pg::Pool& pool_;
  const stored::PersonalFields& personal_;
  std::mutex partitions_mutex_;
  std::set<std::int64_t> partitions_;  // GUARDED_BY(partitions_mutex_): month starts known to exist
  bool partitions_read_ = false;       // GUARDED_BY(partitions_mutex_): the catalogue's are in partitions_
};

}  // namespace pingan
