#pragma once
// Versioned schema of the PostgreSQL store: the same version numbers and
// descriptions as the SQLite store's (store/sqlite/sqlite_migrations.h), each
// in PostgreSQL's dialect, so that both report the same schema_version() and
// `pingan migrate` can move a database between them. Applied once each, in
// order, one transaction per migration, under an advisory lock so that
// servers starting together do not apply one twice. Never edit a released
// migration: add the next one.

#include <string_view>
#include <vector>

namespace pingan::pg {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

const std::vector<Migration>& migrations();

// The advisory-lock keys of the schema (pg_advisory_lock's bigint space).
inline constexpr long long kMigrationLock = 7'215'001'901;
// Held by every transaction that logs a change, from the log's insert to
// its commit: so change seq order is commit order (docs/province.md).
inline constexpr long long kChangeLogLock = 7'215'001'902;
// Serialises audit appends: one chain, no forks.
inline constexpr long long kAuditLock = 7'215'001'903;

}  // namespace pingan::pg
