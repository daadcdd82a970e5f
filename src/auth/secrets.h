#pragma once
// Random secrets and their digests: session ids, CSRF tokens, API tokens and
// one-time passwords come from libsodium's CSPRNG; only their SHA-256 is
// stored, so a copy of the database signs nobody in.

#include <string>
#include <string_view>

namespace pingan::auth {

// `n` random bytes from the CSPRNG.
std::string random_bytes(std::size_t n);
// `bytes` random bytes as URL-safe base64 without padding.
std::string random_token(std::size_t bytes = 32);
// Lower-case hex SHA-256 of `text`.
std::string sha256_hex(std::string_view text);
// Equality that takes as long whatever the first differing byte.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace pingan::auth
