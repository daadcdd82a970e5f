#pragma once
// Re-sealing personal data in PostgreSQL: incidents, persons and
// dissuasion tasks (stored::kSealedTables) whose personal_key is not the
// active key (found through each table's personal_key index) and users'
// TOTP secrets, a transaction per batch, as the SQLite store does.

#include <mutex>
#include <string>

#include "store/personal_data_store.h"
#include "store/personal_fields.h"
#include "store/postgres/pg_pool.h"

namespace pingan {

class PgPersonalStore final : public PersonalDataStore {
 public:
  static constexpr int kOpenBatchRows = 1000;
  PgPersonalStore(pg::Pool& pool, const stored::PersonalFields& fields) : pool_(pool), fields_(fields) {}

  Result<std::int64_t> reencrypt_batch(int limit) override;
  Result<std::int64_t> count_due() override;
  // At open, with a cipher: seals the plain rows (every row not under the
  // active key with `all_keys`) in batches, logging the progress of each.
  Status seal_due_rows(bool all_keys);

 private:
  // Re-seals up to `limit` incidents due under `active` (plain_only: the
  // plain-text ones) inside the caller's transaction; returns how many.
  Result<std::int64_t> reseal_incidents(pg::Connection& c, int limit, bool plain_only, const std::string& active);
  // The same for the rows of one stored::kSealedTables table.
  Result<std::int64_t> reseal_table(pg::Connection& c, const stored::SealedTable& table, int limit, bool plain_only,
                                    const std::string& active);
  // One batch: up to `limit` rows, incidents first, then persons and tasks;
  // returns how many were re-sealed.
  Result<std::int64_t> reseal_rows(pg::Connection& c, int limit, bool plain_only, const std::string& active);
  // Users' TOTP secrets that are plain (or, without `plain_only`, under
  // another key than the active one) sealed under the active key, in one
  // transaction: a bureau has thousands of users, not millions. Returns how
  // many were sealed.
  Result<std::int64_t> reseal_user_secrets(bool plain_only);
  // Users whose TOTP secret is due for sealing under the active key.
  Result<std::int64_t> count_due_users(pg::Connection& c);

  // Whether reencrypt_batch still owes the users a pass under `active`.
  bool users_due_under(const std::string& active);
  void users_sealed_under(const std::string& active);

  pg::Pool& pool_;
  const stored::PersonalFields& fields_;
  std::mutex users_mutex_;
  // The active key of the last pass that left every TOTP secret under it;
  // '' when none did (or count_due found one due since).
  std::string users_key_;  // GUARDED_BY(users_mutex_)
};

}  // namespace pingan
