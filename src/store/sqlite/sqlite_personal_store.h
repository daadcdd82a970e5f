#pragma once
// Re-sealing personal data in SQLite: incidents, persons and dissuasion
// tasks (stored::kSealedTables) whose rows are in plain text (written
// without a key ring, or before migration 9) or sealed with a key that is
// no longer the active one (rotation), and users' TOTP secrets. Found
// through each table's personal_key (indexed for incidents and persons;
// dissuasion tasks, a few thousand a year, are scanned); each batch one
// transaction on the writer, so a row is never left half re-sealed and
// writes go on between batches.

#include <sqlite3.h>

#include <mutex>

#include "store/personal_data_store.h"
#include "store/personal_fields.h"
#include "store/sqlite/sqlite_read_pool.h"

namespace pingan {

class SqlitePersonalStore final : public PersonalDataStore {
 public:
  // Rows per batch when the store opens.
  static constexpr int kOpenBatchRows = 1000;

  SqlitePersonalStore(std::mutex& mutex, sqlite3* db, sqlite::ReadPool& reads, const stored::PersonalFields& fields)
      : mutex_(mutex), db_(db), reads_(reads), fields_(fields) {}

  Result<std::int64_t> reencrypt_batch(int limit) override;
  Result<std::int64_t> count_due() override;

  // At open, with a cipher: seals the plain rows (every row not under the
  // active key with `all_keys`) in batches of kOpenBatchRows, logging the
  // progress of each.
  Status seal_due_rows(bool all_keys);

 private:
  // One batch of up to `limit` rows, incidents first, then persons and
  // tasks; `plain_only` takes the plain-text rows alone. Returns the rows
  // still due.
  Result<std::int64_t> reseal_batch(int limit, bool plain_only);
  // Users' TOTP secrets that are plain (or, without `plain_only`, under
  // another key than the active one) are sealed under the active key, all
  // in one transaction: a bureau has thousands of users, not millions.
  // Returns how many were sealed.
  Result<std::int64_t> reseal_user_secrets(bool plain_only);
  // Users whose TOTP secret is due for sealing (plain_only: plain ones).
  Result<std::int64_t> count_due_users(sqlite3* db, bool plain_only) const;

  std::mutex& mutex_;
  sqlite3* const db_;  // GUARDED_BY(mutex_): the writer
  sqlite::ReadPool& reads_;
  const stored::PersonalFields& fields_;
};

}  // namespace pingan
