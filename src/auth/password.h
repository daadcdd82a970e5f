#pragma once
// Passwords: argon2id (libsodium's crypto_pwhash_str_alg, the encoded string
// carries its own salt and cost) and the rules a new password must pass.

#include <string>
#include <unordered_set>

#include "core/status.h"

namespace pingan::auth {

// argon2id's cost. The default is libsodium's "interactive" level (2 passes
// over 64 MiB, ~0.1 s here), above OWASP's minimum (19 MiB, 2 passes).
// Tests lower it so a suite of sign-ins stays fast.
struct PasswordCost {
  unsigned long long ops = 2;
  std::size_t memory_bytes = 64u << 20;
};

Result<std::string> hash_password(const std::string& password, const PasswordCost& cost);
// True when `password` matches `encoded`; false for a wrong password or an
// encoded string that is not an argon2id hash.
bool verify_password(const std::string& encoded, const std::string& password);

// The passwords refused whatever their length (data/auth/common-passwords.txt),
// lower case.
struct PasswordDenyList {
  std::unordered_set<std::string> words;
};
Result<PasswordDenyList> load_password_deny_list(const std::string& data_dir);

inline constexpr int kMinPasswordLength = 12;  // characters (code points), ASVS 2.1.1
inline constexpr int kMaxPasswordLength = 128;

// Why `password` may not be used by `username`, as an invalid_argument on
// `field`; ok when it may.
Status check_new_password(const std::string& password, const std::string& username, const PasswordDenyList& deny,
                          const char* field);

}  // namespace pingan::auth
