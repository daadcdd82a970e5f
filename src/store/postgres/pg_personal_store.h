#pragma once
// Re-sealing personal data in PostgreSQL: incidents whose personal_key is
// not the active key (found through the personal_key index) and users' TOTP
// secrets, a transaction per batch, as the SQLite store does.

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
  pg::Pool& pool_;
  const stored::PersonalFields& fields_;
};

}  // namespace pingan
