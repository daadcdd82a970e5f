// XChaCha20-Poly1305 field cipher: libsodium's IETF construction with a
// 24-byte random nonce (safe to draw at random for any number of seals) and
// keyed BLAKE2b-256 as the look-up hash.

#include <sodium.h>

#include "crypto/ring_cipher.h"
#include "crypto/sodium_ready.h"

namespace pingan::crypto {
namespace {

class XChaChaCipher final : public RingCipher {
 public:
  explicit XChaChaCipher(KeyRing ring) : RingCipher(std::move(ring)) {}

 private:
  std::size_t nonce_bytes() const override { return crypto_aead_xchacha20poly1305_ietf_NPUBBYTES; }

  Result<std::string> aead_seal(std::string_view key, std::string_view nonce, std::string_view aad,
                                std::string_view plaintext) const override {
    std::string out(plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
    unsigned long long length = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        reinterpret_cast<unsigned char*>(out.data()), &length, reinterpret_cast<const unsigned char*>(plaintext.data()),
        plaintext.size(), reinterpret_cast<const unsigned char*>(aad.data()), aad.size(), nullptr,
        reinterpret_cast<const unsigned char*>(nonce.data()), reinterpret_cast<const unsigned char*>(key.data()));
    out.resize(length);
    return out;
  }

  Result<std::string> aead_open(std::string_view key, std::string_view nonce, std::string_view aad,
                                std::string_view sealed) const override {
    if (sealed.size() < crypto_aead_xchacha20poly1305_ietf_ABYTES)
      return Error::invalid("token", "ciphertext shorter than its tag");
    std::string out(sealed.size() - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
    unsigned long long length = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            reinterpret_cast<unsigned char*>(out.data()), &length, nullptr,
            reinterpret_cast<const unsigned char*>(sealed.data()), sealed.size(),
            reinterpret_cast<const unsigned char*>(aad.data()), aad.size(),
            reinterpret_cast<const unsigned char*>(nonce.data()), reinterpret_cast<const unsigned char*>(key.data())) != 0)
      return Error::invalid("token", "XChaCha20-Poly1305 tag does not match");
    out.resize(length);
    return out;
  }

  Result<std::string> mac(std::string_view key, std::string_view message) const override {
    std::string out(32, '\0');
    if (crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                           reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                           reinterpret_cast<const unsigned char*>(key.data()), key.size()) != 0)
      return Error::internal("keyed BLAKE2b failed");
    return out;
  }
};

}  // namespace

Result<std::shared_ptr<const FieldCipher>> make_xchacha_cipher(KeyRing ring) {
  if (ring.cipher() != CipherKind::kXChaCha20Poly1305)
    return Error::invalid("keys", "the key ring is for sm4-gcm, not xchacha20poly1305");
  if (!sodium_ready()) return Error::internal("libsodium could not start (no random source)");
  return std::shared_ptr<const FieldCipher>(std::make_shared<XChaChaCipher>(std::move(ring)));
}

Result<std::shared_ptr<const FieldCipher>> make_field_cipher(KeyRing ring) {
  if (ring.cipher() == CipherKind::kSm4Gcm) return make_sm4_gcm_cipher(std::move(ring));
  return make_xchacha_cipher(std::move(ring));
}

}  // namespace pingan::crypto
