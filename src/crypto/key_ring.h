#pragma once
// The keys of an installation's personal data: several data keys with ids,
// one active for sealing and every one usable for opening (so rotation can
// re-seal rows in batches while old tokens still open), and one separate
// keyed-hash key for exact look-ups. The hash key never rotates: a new one
// would change every stored hash and break look-ups (docs/personal-data.md).
// One cipher per installation (chosen when the ring is generated).
//
// Text form (a key file or PINGAN_DATA_KEYS), one key a line:
//   # comment
//   hash  <cipher> <base64 key>            the keyed-hash key (32 bytes)
//   <id>  <cipher> <base64 key> [active]   a data key (exactly one active)
// <cipher> is xchacha20poly1305 (32-byte keys) or sm4-gcm (16-byte keys);
// <id> is 1 to 16 letters, digits, '-' or '_' ("k1", "k2", ...).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace pingan::crypto {

enum class CipherKind { kXChaCha20Poly1305, kSm4Gcm };

std::string_view cipher_name(CipherKind kind);           // "xchacha20poly1305", "sm4-gcm"
std::optional<CipherKind> parse_cipher_name(std::string_view name);
char cipher_token_id(CipherKind kind);                    // 'x', 's': the token's cipher field
std::size_t cipher_key_bytes(CipherKind kind);            // 32, 16
inline constexpr std::size_t kHashKeyBytes = 32;

struct DataKey {
  std::string id;
  std::string secret;  // raw key bytes
};

class KeyRing {
 public:
  // `origin` names where the text came from in errors ("/etc/pingan/keys",
  // "PINGAN_DATA_KEYS"); no error repeats a key.
  static Result<KeyRing> parse(std::string_view text, std::string_view origin);
  // A fresh ring: a random hash key and one random active data key "k1".
  static KeyRing generate(CipherKind kind);

  KeyRing(const KeyRing&) = default;
  KeyRing& operator=(const KeyRing&) = default;
  KeyRing(KeyRing&&) = default;
  KeyRing& operator=(KeyRing&&) = default;
  ~KeyRing();  // wipes the key bytes

  // The text form above, which parse() reads back.
  std::string format() const;
  // Adds a random data key with the next free id and makes it the active
  // one; the others stay for opening. Returns its id.
  std::string add_active_key();

  CipherKind cipher() const { return cipher_; }
  const std::string& hash_key() const { return hash_key_; }
  const DataKey& active() const { return keys_[active_]; }
  const DataKey* find(std::string_view id) const;
  const std::vector<DataKey>& keys() const { return keys_; }

 private:
  KeyRing() = default;
  CipherKind cipher_ = CipherKind::kXChaCha20Poly1305;
  std::string hash_key_;
  std::vector<DataKey> keys_;
  std::size_t active_ = 0;
};

}  // namespace pingan::crypto
