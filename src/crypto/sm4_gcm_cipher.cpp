// SM4-GCM field cipher, the one GB/T 39786 (密评) asks for: SM4-GCM with a
// 12-byte random IV (NIST SP 800-38D allows 2^32 random IVs per key: rotate
// long before that) and HMAC-SM3 as the look-up hash.

#include "crypto/ring_cipher.h"
#include "crypto/sm3.h"
#include "crypto/sm4_gcm.h"
#include "crypto/sodium_ready.h"

namespace pingan::crypto {
namespace {

class Sm4GcmCipher final : public RingCipher {
 public:
  explicit Sm4GcmCipher(KeyRing ring) : RingCipher(std::move(ring)) {}

 private:
  std::size_t nonce_bytes() const override { return kGcmIvBytes; }
  Result<std::string> aead_seal(std::string_view key, std::string_view nonce, std::string_view aad,
                                std::string_view plaintext) const override {
    return sm4_gcm_seal(key, nonce, aad, plaintext);
  }
  Result<std::string> aead_open(std::string_view key, std::string_view nonce, std::string_view aad,
                                std::string_view sealed) const override {
    return sm4_gcm_open(key, nonce, aad, sealed);
  }
  Result<std::string> mac(std::string_view key, std::string_view message) const override {
    return hmac_sm3(key, message);
  }
};

}  // namespace

Result<std::shared_ptr<const FieldCipher>> make_sm4_gcm_cipher(KeyRing ring) {
  if (ring.cipher() != CipherKind::kSm4Gcm)
    return Error::invalid("keys", "the key ring is for xchacha20poly1305, not sm4-gcm");
  if (!sodium_ready()) return Error::internal("libsodium could not start (no random source)");  // its nonces
  return std::shared_ptr<const FieldCipher>(std::make_shared<Sm4GcmCipher>(std::move(ring)));
}

}  // namespace pingan::crypto
