#include "store/postgres/pg_store.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <random>
#include <set>

#include "core/time.h"
#include "store/postgres/pg_migrations.h"

namespace pingan {
namespace {

std::string random_token() {
  std::random_device rd;
  std::string hex;
  for (int i = 0; i < 3; ++i) hex += fmt::format("{:08x}", rd());
  return hex;
}

// A replica that does not answer (a host gone from the network) must not
// hold a list for minutes of TCP retries before the primary answers it:
// libpq waits for ever unless the URL says otherwise.
std::string with_connect_timeout(const std::string& url) {
  if (url.find("connect_timeout=") != std::string::npos) return url;
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "connect_timeout=2";
}

}  // namespace

PostgresStore::PostgresStore(const std::string& url, const std::string& writer, const std::string& schema,
                             int connections, std::shared_ptr<const crypto::FieldCipher> cipher)
    : pool_(url, writer, connections),
      personal_(std::move(cipher)),
      incidents_(pool_, personal_),
      units_(pool_),
      patrol_(pool_),
      desk_(pool_, incidents_, patrol_),
      audit_(pool_),
      users_(pool_, personal_),
      personal_store_(pool_, personal_),
      change_log_(pool_, schema),
      cases_(pool_, personal_),
      registry_(pool_, personal_),
      ledgers_(pool_, personal_),
      ledger_notices_(pool_) {}

PostgresStore::~PostgresStore() = default;

Result<std::unique_ptr<PostgresStore>> PostgresStore::open(const std::string& url, PostgresStoreOptions options) {
  // One connection first: a wrong address or password stops here, with the
  // server's own reason, before anything else is built.
  const std::string writer = random_token();
  PINGAN_ASSIGN_OR_RETURN(std::unique_ptr<pg::Connection> first, pg::Connection::open(url, writer));
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult schema, first->exec("SELECT current_schema()", "reading the schema"));
  if (schema.rows() != 1 || schema.is_null(0, 0))
    return Error::invalid("db", fmt::format("PostgreSQL at {}: the search path names no schema that exists",
                                            pg::redact_url(url)));
  std::unique_ptr<PostgresStore> store(
      new PostgresStore(url, writer, schema.text(0, 0), options.connections, options.personal.cipher));
  first.reset();
  if (!options.replica.url.empty()) {
    // A replica unreachable now is no reason not to start: the primary
    // answers lists until it is back (the first list measures and logs it).
    store->replica_pool_ = std::make_unique<pg::Pool>(with_connect_timeout(options.replica.url), writer,
                                                      options.connections);
    store->replica_reads_ =
        std::make_unique<PgReplicaReads>(store->incidents_, store->pool_, *store->replica_pool_, store->personal_,
                                         schema.text(0, 0), options.replica.max_lag_s);
    spdlog::info("PostgreSQL: lists may be read on the replica {} while it is at most {} s behind",
                 pg::redact_url(options.replica.url), options.replica.max_lag_s);
  }
  PINGAN_RETURN_IF_ERROR(store->migrate());
  if (options.personal.cipher)
    PINGAN_RETURN_IF_ERROR(store->personal_store_.seal_due_rows(options.personal.reseal_all_on_open));
  PINGAN_RETURN_IF_ERROR(store->change_log_.prune());
  return store;
}

int PostgresStore::schema_version() {
  auto c = pool_.lease();
  if (!c.ok()) return 0;
  auto r = (*c)->exec("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", "reading the schema version");
  return r.ok() && r->rows() == 1 ? static_cast<int>(r->int64(0, 0)) : 0;
}

Status PostgresStore::migrate() {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  // A session lock: servers starting together take turns; the second finds
  // every migration applied.
  PINGAN_RETURN_IF_ERROR(c->exec_script(fmt::format("SELECT pg_advisory_lock({})", pg::kMigrationLock),
                                        "waiting for the migration lock"));
  struct Unlock {
    pg::Connection& c;
    ~Unlock() { (void)c.exec_script(fmt::format("SELECT pg_advisory_unlock({})", pg::kMigrationLock), "unlocking"); }
  } unlock{*c};
  PINGAN_RETURN_IF_ERROR(c->exec_script(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
      "description text NOT NULL, applied_at bigint NOT NULL)",
      "creating schema_migrations"));
  std::set<std::int64_t> applied;
  {
    PINGAN_ASSIGN_OR_RETURN(pg::PgResult done, c->exec("SELECT version FROM schema_migrations", "reading migrations"));
    for (int r = 0; r < done.rows(); ++r) applied.insert(done.int64(r, 0));
  }
  for (const auto& m : pg::migrations()) {
    if (applied.count(m.version)) continue;
    pg::Transaction tx(*c);
    PINGAN_RETURN_IF_ERROR(tx.begin());
    PINGAN_RETURN_IF_ERROR(c->exec_script(m.sql, fmt::format("applying migration {}", m.version)));
    pg::Params p;
    p.add(m.version).add(m.description).add(std::int64_t(now_utc()));
    PINGAN_RETURN_IF_ERROR(c->exec("INSERT INTO schema_migrations (version, description, applied_at) VALUES ($1, $2, $3)",
                                   p, "recording a migration"));
    PINGAN_RETURN_IF_ERROR(tx.commit());
    spdlog::info("PostgreSQL: applied migration {} ({})", m.version, m.description);
  }
  return {};
}

}  // namespace pingan
