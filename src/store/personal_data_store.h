#pragma once
// The personal data of incidents (reporter phone, name, ID number) at rest:
// sealed field by field by the store's crypto::FieldCipher, found by keyed
// hashes, re-sealed in batches when the active key changes (rotation).
// Implemented for SQLite (store/sqlite/sqlite_personal_store.h).
//
// The other domain stores seal on write and open on read themselves; this
// interface is the maintenance a rotation or a first key ring needs.

#include <cstdint>

#include "core/status.h"

namespace pingan {

class PersonalDataStore {
 public:
  virtual ~PersonalDataStore() = default;

  // Re-seals under the active key up to `limit` incidents whose personal
  // fields are plain text or sealed with another key, in one transaction
  // (all of the batch or none; writes go on between batches). Returns how
  // many incidents are still due afterwards. Without a cipher: an error.
  virtual Result<std::int64_t> reencrypt_batch(int limit) = 0;
  // Incidents whose personal fields are not under the active key (without
  // a cipher: those stored in plain text).
  virtual Result<std::int64_t> count_due() = 0;
};

}  // namespace pingan
