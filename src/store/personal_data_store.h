#pragma once
// The personal data at rest: incidents' reporter phone, name and ID number,
// persons' name, ID number, phone and address, dissuasion tasks' target
// phone, places' contact, residents' address, ledger items' personal values
// (inside their fields JSON, store/ledger_reseal.h) and users' TOTP secrets,
// sealed field by field by the store's
// crypto::FieldCipher, found by keyed hashes, re-sealed in batches when the
// active key changes (rotation). Implemented for SQLite
// (store/sqlite/sqlite_personal_store.h) and PostgreSQL
// (store/postgres/pg_personal_store.h).
//
// The domain stores seal on write and open on read themselves; this
// interface is the maintenance a rotation or a first key ring needs. The
// keyed hashes (reporter_phone_hash, reporter_id_hash, persons.id_key) are
// under the ring's hash key, which never rotates: re-sealing leaves them
// as they are, and look-ups (the fugitive check) find the same rows after.

#include <cstdint>

#include "core/status.h"

namespace pingan {

class PersonalDataStore {
 public:
  virtual ~PersonalDataStore() = default;

  // Re-seals under the active key up to `limit` rows whose personal fields
  // are plain text or sealed with another key (the tables of
  // store/personal_fields.h kSealedTables in order, then ledger items; the
  // users' TOTP secrets besides), in
  // one transaction (all of the batch or none; writes go on between
  // batches). Returns how many rows are still due afterwards. Without a
  // cipher: an error.
  virtual Result<std::int64_t> reencrypt_batch(int limit) = 0;
  // Rows (those tables, ledger items, users' TOTP secrets) whose
  // personal fields are not under the active key (without a cipher: those
  // stored in plain text).
  virtual Result<std::int64_t> count_due() = 0;
};

}  // namespace pingan
