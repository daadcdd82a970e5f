#pragma once
// SM3 (GB/T 32905) and HMAC-SM3 through OpenSSL 3: the keyed hash of the
// SM4-GCM field cipher.

#include <string>
#include <string_view>

#include "core/status.h"

namespace pingan::crypto {

// The 32-byte digest.
Result<std::string> sm3_digest(std::string_view data);
// The 32-byte HMAC (RFC 2104) with SM3, through EVP_MAC "HMAC".
Result<std::string> hmac_sm3(std::string_view key, std::string_view data);

}  // namespace pingan::crypto
