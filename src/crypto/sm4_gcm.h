#pragma once
// SM4-GCM (GB/T 32907 block cipher in NIST SP 800-38D's Galois/Counter
// Mode, as RFC 8998 uses it), built here because Debian 12's OpenSSL 3.0
// has SM4-ECB and SM4-CTR but no SM4-GCM. OpenSSL supplies the block
// cipher; this file supplies GHASH, J0 and GCTR. 96-bit IVs and 128-bit
// tags only: the two the field cipher uses.

#include <string>
#include <string_view>

#include "core/status.h"

namespace pingan::crypto {

inline constexpr std::size_t kSm4KeyBytes = 16;
inline constexpr std::size_t kGcmIvBytes = 12;
inline constexpr std::size_t kGcmTagBytes = 16;

// SM4 of one 16-byte block (ECB), for the GB/T 32907 known-answer test.
Result<std::string> sm4_encrypt_block(std::string_view key, std::string_view block);

// Ciphertext followed by the 16-byte tag.
Result<std::string> sm4_gcm_seal(std::string_view key, std::string_view iv, std::string_view aad,
                                 std::string_view plaintext);
// The plaintext, or an error when the tag does not match (a changed byte,
// another key, other associated data); never unauthenticated bytes.
Result<std::string> sm4_gcm_open(std::string_view key, std::string_view iv, std::string_view aad,
                                 std::string_view sealed);

}  // namespace pingan::crypto
