#include <fmt/format.h>

#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace pingan {

Result<std::unique_ptr<Store>> open_store(const std::string& location, PersonalDataOptions personal) {
  if (location.empty()) return Error::invalid("db", "no database location given");
  if (location.rfind("postgres://", 0) == 0 || location.rfind("postgresql://", 0) == 0)
  {
    auto store = PostgresStore::open(location, PostgresStoreOptions{.personal = std::move(personal)});
    if (!store.ok()) return store.error();
    return std::unique_ptr<Store>(std::move(store).value());
  }
  auto store = SqliteStore::open(location, SqliteStoreOptions{.personal = std::move(personal)});
  if (!store.ok()) return store.error();
  return std::unique_ptr<Store>(std::move(store).value());
}

}  // namespace pingan
