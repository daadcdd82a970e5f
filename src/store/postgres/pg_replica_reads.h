#pragma once
// The incident store of a PostgreSQL store with a read replica (issue 19,
// "Read replicas"; `pingan serve --read-replica`): every call goes to the
// primary's PgIncidentStore, except a list whose caller accepts a stale page
// (IncidentFilter::may_be_stale), which a PgIncidentStore over the replica's
// pool answers while ReplicaLag allows, stating its bound in
// IncidentPage::stale_by_at_most_s. A replica that cannot be reached, lags
// more than the maximum or fails the list leaves the list to the primary:
// the answer is the same as without a replica, only without the bound.
//
// Reads that decide a write (a merge's checks, the duplicate-call search)
// leave may_be_stale false and so read the primary: a replica would miss
// the call recorded a moment ago.

#include <string>

#include "store/incident_store.h"
#include "store/personal_fields.h"
#include "store/postgres/pg_incident_store.h"
#include "store/postgres/pg_pool.h"
#include "store/postgres/pg_replica_lag.h"

namespace pingan {

class PgReplicaReads final : public IncidentStore {
 public:
  // `primary` and `primary_pool` are the store's own; `replica_pool`
  // connects to the standby. All must outlive this object.
  PgReplicaReads(PgIncidentStore& primary, pg::Pool& primary_pool, pg::Pool& replica_pool,
                 const stored::PersonalFields& personal, std::string schema, double max_lag_s);

  Result<IncidentPage> list_incidents(const IncidentFilter& filter) override;

  // The rest is the primary's.
  Result<Incident> create_incident(const Incident& incident,
                                   const IncidentEvent& first_event) override {
    return primary_.create_incident(incident, first_event);
  }
  Result<BatchResult> insert_incidents(std::span<const Incident> incidents) override {
    return primary_.insert_incidents(incidents);
  }
  Result<Incident> get_incident(IncidentId id, const UnitScope& scope) override {
    return primary_.get_incident(id, scope);
  }
  Result<std::vector<Incident>> get_incidents(std::span<const IncidentId> ids) override {
    return primary_.get_incidents(ids);
  }
  Result<Incident> update_incident(IncidentId id, const UnitScope& scope,
                                   const std::function<Status(Incident&)>& apply,
                                   const IncidentEvent& event_template) override {
    return primary_.update_incident(id, scope, apply, event_template);
  }
  Result<std::vector<IncidentEvent>> list_events(IncidentId id, const UnitScope& scope) override {
    return primary_.list_events(id, scope);
  }
  Result<std::vector<CaseRecord>> live_case_records(const std::string& source) override {
    return primary_.live_case_records(source);
  }
  Result<std::vector<bool>> void_incidents(std::span<const VoidById> requests) override {
    return primary_.void_incidents(requests);
  }
  Status begin_bulk() override { return primary_.begin_bulk(); }
  Status end_bulk() override { return primary_.end_bulk(); }
  Status scan_incidents(const std::function<void(const Incident&)>& visit) override {
    return primary_.scan_incidents(visit);
  }
  Result<std::int64_t> count_incidents() override { return primary_.count_incidents(); }
  Result<std::vector<IncidentEvent>> events_of(std::span<const IncidentId> ids) override {
    return primary_.events_of(ids);
  }
  Result<std::int64_t> copy_in(std::span<const Incident> incidents,
                               std::span<const IncidentEvent> events) override {
    return primary_.copy_in(incidents, events);
  }

 private:
  PgIncidentStore& primary_;
  PgIncidentStore replica_;  // only list_incidents is called on it: a standby takes no writes
  ReplicaLag lag_;
};

}  // namespace pingan
