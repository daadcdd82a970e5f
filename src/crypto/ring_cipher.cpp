#include "crypto/ring_cipher.h"

#include <fmt/format.h>
#include <sodium.h>

#include "crypto/encoding.h"
#include "crypto/sodium_ready.h"

namespace pingan::crypto {
namespace {

Error token_error(std::string_view context, std::string why) {
  return Error::invalid("token", fmt::format("{}: {}", context, why));
}

}  // namespace

Result<std::string> RingCipher::seal(std::string_view plaintext, std::string_view context) const {
  if (!sodium_ready()) return Error::internal("libsodium could not start (no random source)");
  const DataKey& key = ring_.active();
  std::string header = fmt::format("{}{}:{}:", kTokenPrefix, cipher_token_id(ring_.cipher()), key.id);
  std::string nonce(nonce_bytes(), '\0');
  randombytes_buf(nonce.data(), nonce.size());
  PINGAN_ASSIGN_OR_RETURN(std::string sealed, aead_seal(key.secret, nonce, header + std::string(context), plaintext));
  return header + to_base64(nonce + sealed);
}

Result<std::string> RingCipher::open(std::string_view token, std::string_view context) const {
  auto parts = parse_token(token);
  if (!parts) return token_error(context, "not a pe1 token");
  if (parts->cipher != cipher_token_id(ring_.cipher()))
    return token_error(context, fmt::format("sealed with cipher '{}', this key ring is {}", parts->cipher,
                                            cipher_name(ring_.cipher())));
  const DataKey* key = ring_.find(parts->key_id);
  if (!key) return token_error(context, fmt::format("key '{}' is not in the key ring", parts->key_id));
  if (parts->payload.size() < nonce_bytes()) return token_error(context, "too short to hold a nonce");
  std::string_view payload = parts->payload;
  auto plain = aead_open(key->secret, payload.substr(0, nonce_bytes()), parts->header + std::string(context),
                         payload.substr(nonce_bytes()));
  if (!plain.ok())
    return token_error(context, fmt::format("does not open with key '{}' (changed, another key or another column)",
                                            key->id));
  return plain;
}

Result<std::string> RingCipher::keyed_hash(std::string_view kind, std::string_view normalised) const {
  // kind NUL value: "phone" + "1..." can never equal "phone1" + "...".
  std::string message(kind);
  message += '\0';
  message += normalised;
  PINGAN_ASSIGN_OR_RETURN(std::string digest, mac(ring_.hash_key(), message));
  return to_hex(digest);
}

}  // namespace pingan::crypto
