#include "store/postgres/pg_replica_reads.h"

namespace pingan {

PgReplicaReads::PgReplicaReads(PgIncidentStore& primary, pg::Pool& primary_pool,
                               pg::Pool& replica_pool, const stored::PersonalFields& personal,
                               std::string schema, double max_lag_s)
    : primary_(primary),
      replica_(replica_pool, personal),
      lag_(primary_pool, replica_pool, std::move(schema), max_lag_s) {}

Result<IncidentPage> PgReplicaReads::list_incidents(const IncidentFilter& filter) {
  if (!filter.may_be_stale) return primary_.list_incidents(filter);
  const std::optional<ReplicaLag::Clock::time_point> as_of = lag_.holds_writes_before();
  if (!as_of) return primary_.list_incidents(filter);
  auto page = replica_.list_incidents(filter);
  if (!page.ok()) {
    // The standby went away, or cancelled the read to replay WAL: the
    // primary answers this list and the next ones until a new measurement.
    lag_.replica_failed(page.error());
    return primary_.list_incidents(filter);
  }
  // Stated once the read is done, so that it covers the snapshot the read
  // took: the replica held every commit acknowledged before as_of then, and
  // replay only adds to what it holds.
  page->stale_by_at_most_s = ReplicaLag::stale_by_at_most_s(*as_of);
  return page;
}

}  // namespace pingan
