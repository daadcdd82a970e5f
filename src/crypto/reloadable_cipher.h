#pragma once
// A FieldCipher whose key ring can be replaced while the server runs (a
// rotation's new key, read again from the key file on SIGHUP): the store
// holds this one, and every call uses whichever ring is current when it
// starts.

#include <memory>
#include <mutex>

#include "crypto/field_cipher.h"

namespace pingan::crypto {

class ReloadableCipher final : public FieldCipher {
 public:
  explicit ReloadableCipher(std::shared_ptr<const FieldCipher> initial) : current_(std::move(initial)) {}

  // Takes `next` for every later call. Refused, keeping the current one,
  // when `next` hashes differently (another hash key or cipher): every
  // stored look-up hash would stop matching.
  Status replace(std::shared_ptr<const FieldCipher> next);
  std::shared_ptr<const FieldCipher> current() const;

  Result<std::string> seal(std::string_view plaintext, std::string_view context) const override;
  Result<std::string> open(std::string_view token, std::string_view context) const override;
  Result<std::string> keyed_hash(std::string_view kind, std::string_view normalised) const override;
  std::string active_key_id() const override;

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const FieldCipher> current_;  // GUARDED_BY(mutex_); never null
};

}  // namespace pingan::crypto
