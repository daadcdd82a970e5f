#pragma once
// Sealing one field of personal data (a phone, a name, an ID number) for
// storage, and the keyed hash that finds a record by it without plain text.
//
// A sealed field is a self-describing text token:
//   pe1:<cipher>:<key id>:<base64 of nonce || ciphertext || tag>
// "pe1" is the format version, <cipher> 'x' (XChaCha20-Poly1305) or 's'
// (SM4-GCM), <key id> the key ring's id of the key that sealed it. The
// associated data is the token's header and the caller's `context` (the
// column, "incidents.reporter_phone"), so a token copied into another
// column, or given another header, does not open.
//
// Thread safety: every method is const and may be called from any thread.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "crypto/key_ring.h"

namespace pingan::crypto {

inline constexpr std::string_view kTokenPrefix = "pe1:";

class FieldCipher {
 public:
  virtual ~FieldCipher() = default;

  // A token of `plaintext` under the active key, with a fresh random nonce
  // (two seals of one value differ). An error only if the cipher library fails.
  virtual Result<std::string> seal(std::string_view plaintext, std::string_view context) const = 0;
  // The plaintext of a token sealed with `context` under any key of the
  // ring. A changed byte, an unknown or another key, another context or a
  // malformed token is an error (field "token"), never garbage.
  virtual Result<std::string> open(std::string_view token, std::string_view context) const = 0;
  // Lower-case hex of the keyed hash of `kind` ("phone", "id_number") and a
  // normalised value (core/personal_masks.h), for exact look-ups: equal
  // inputs give equal hashes under one hash key, which never rotates.
  virtual Result<std::string> keyed_hash(std::string_view kind, std::string_view normalised) const = 0;
  // The id of the key seal() uses now; a token under another id is due for
  // re-sealing (rotation).
  virtual std::string active_key_id() const = 0;
};

// The parts of a token; nullopt when `text` is not one.
struct TokenParts {
  char cipher = 0;
  std::string key_id;
  std::string header;   // "pe1:x:k1:", part of the associated data
  std::string payload;  // decoded: nonce || ciphertext || tag
};
std::optional<TokenParts> parse_token(std::string_view text);
// Whether stored text is a token rather than plain text (rows written
// before encryption, or by a store without a key ring).
inline bool is_sealed(std::string_view text) { return text.substr(0, kTokenPrefix.size()) == kTokenPrefix; }

// XChaCha20-Poly1305 (libsodium) with keyed BLAKE2b-256 for the hash.
Result<std::shared_ptr<const FieldCipher>> make_xchacha_cipher(KeyRing ring);
// SM4-GCM (crypto/sm4_gcm.h) with HMAC-SM3 for the hash: GB/T 39786 (密评).
Result<std::shared_ptr<const FieldCipher>> make_sm4_gcm_cipher(KeyRing ring);
// The one of the two the ring's cipher names.
Result<std::shared_ptr<const FieldCipher>> make_field_cipher(KeyRing ring);

}  // namespace pingan::crypto
