#pragma once
// What both field ciphers share: the token format, the key look-up by id,
// the associated data and the keyed hash's framing. A cipher supplies its
// AEAD and its MAC. Internal to crypto/ (field_cipher.h is the interface).

#include <string>
#include <string_view>

#include "crypto/field_cipher.h"

namespace pingan::crypto {

class RingCipher : public FieldCipher {
 public:
  Result<std::string> seal(std::string_view plaintext, std::string_view context) const final;
  Result<std::string> open(std::string_view token, std::string_view context) const final;
  Result<std::string> keyed_hash(std::string_view kind, std::string_view normalised) const final;
  std::string active_key_id() const final { return ring_.active().id; }

 protected:
  explicit RingCipher(KeyRing ring) : ring_(std::move(ring)) {}
  virtual std::size_t nonce_bytes() const = 0;
  // Ciphertext || tag.
  virtual Result<std::string> aead_seal(std::string_view key, std::string_view nonce, std::string_view aad,
                                        std::string_view plaintext) const = 0;
  virtual Result<std::string> aead_open(std::string_view key, std::string_view nonce, std::string_view aad,
                                        std::string_view sealed) const = 0;
  // 32 bytes.
  virtual Result<std::string> mac(std::string_view key, std::string_view message) const = 0;

 private:
  KeyRing ring_;
};

}  // namespace pingan::crypto
