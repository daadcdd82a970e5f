#include "store/postgres/pg_incident_store.h"
// STUB: replaced by the real implementation.
namespace pingan {
Result<Incident> PgIncidentStore::create_incident(const Incident& incident, const IncidentEvent& first_event) { return Error::internal("PgIncidentStore::create_incident: not built yet"); }
Result<BatchResult> PgIncidentStore::insert_incidents(std::span<const Incident> incidents) { return Error::internal("PgIncidentStore::insert_incidents: not built yet"); }
Result<Incident> PgIncidentStore::get_incident(IncidentId id, const UnitScope& scope) { return Error::internal("PgIncidentStore::get_incident: not built yet"); }
Result<std::vector<Incident>> PgIncidentStore::get_incidents(std::span<const IncidentId> ids) { return Error::internal("PgIncidentStore::get_incidents: not built yet"); }
Result<IncidentPage> PgIncidentStore::list_incidents(const IncidentFilter& filter) { return Error::internal("PgIncidentStore::list_incidents: not built yet"); }
Result<Incident> PgIncidentStore::update_incident(IncidentId id, const UnitScope& scope, const std::function<Status(Incident&)>& apply,
                                   const IncidentEvent& event_template) { return Error::internal("PgIncidentStore::update_incident: not built yet"); }
Result<std::vector<IncidentEvent>> PgIncidentStore::list_events(IncidentId id, const UnitScope& scope) { return Error::internal("PgIncidentStore::list_events: not built yet"); }
Result<std::vector<IncidentStore::CaseRecord>> PgIncidentStore::live_case_records(const std::string& source) { return Error::internal("PgIncidentStore::live_case_records: not built yet"); }
Result<std::vector<bool>> PgIncidentStore::void_incidents(std::span<const IncidentStore::VoidById> requests) { return Error::internal("PgIncidentStore::void_incidents: not built yet"); }
Status PgIncidentStore::begin_bulk() { return Error::internal("PgIncidentStore::begin_bulk: not built yet"); }
Status PgIncidentStore::end_bulk() { return Error::internal("PgIncidentStore::end_bulk: not built yet"); }
Status PgIncidentStore::scan_incidents(const std::function<void(const Incident&)>& visit) { return Error::internal("PgIncidentStore::scan_incidents: not built yet"); }
Result<std::int64_t> PgIncidentStore::count_incidents() { return Error::internal("PgIncidentStore::count_incidents: not built yet"); }
Result<std::optional<Incident>> PgIncidentStore::update_incident_on(pg::Connection& c, IncidentId id, const UnitScope& scope,
                                                     const std::function<Result<bool>(Incident&)>& apply,
                                                     const IncidentEvent& event_template) { return Error::internal("PgIncidentStore::update_incident_on: not built yet"); }
Status PgIncidentStore::ensure_partitions(pg::Connection& c, std::span<const Timestamp> times) { return Error::internal("PgIncidentStore::ensure_partitions: not built yet"); }
}  // namespace pingan
