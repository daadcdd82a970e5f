#include <fmt/format.h>

#include <filesystem>

#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace pingan {

bool is_postgres_url(const std::string& location) {
  return location.rfind("postgres://", 0) == 0 || location.rfind("postgresql://", 0) == 0;
}

std::string describe_location(const std::string& location) {
  if (is_postgres_url(location)) return pg::redact_url(location);
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::weakly_canonical(location, ec);
  return ec ? location : absolute.string();
}

Result<std::unique_ptr<Store>> open_store(const std::string& location, PersonalDataOptions personal,
                                          ReadReplicaOptions replica) {
  if (location.empty()) return Error::invalid("db", "no database location given");
  if (!replica.url.empty() && !is_postgres_url(replica.url))
    return Error::invalid("read-replica", "a read replica is a postgresql:// URL");
  if (is_postgres_url(location)) {
    auto store = PostgresStore::open(
        location, PostgresStoreOptions{.personal = std::move(personal), .replica = std::move(replica)});
    if (!store.ok()) return store.error();
    return std::unique_ptr<Store>(std::move(store).value());
  }
  if (!replica.url.empty())
    return Error::invalid("read-replica",
                          fmt::format("a read replica needs a PostgreSQL --db (postgresql://…); {} is a SQLite file",
                                      location));
  auto store = SqliteStore::open(location, SqliteStoreOptions{.personal = std::move(personal)});
  if (!store.ok()) return store.error();
  return std::unique_ptr<Store>(std::move(store).value());
}

}  // namespace pingan
