#include "auth/password.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <fstream>

#include "core/taxonomy.h"

namespace pingan::auth {
namespace {

std::string lower_ascii(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Code points of UTF-8 text (continuation bytes are not counted).
int code_points(const std::string& s) {
  return static_cast<int>(std::count_if(s.begin(), s.end(), [](unsigned char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

Result<std::string> hash_password(const std::string& password, const PasswordCost& cost) {
  if (sodium_init() < 0) return Error::internal("libsodium could not be initialised");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.ops, cost.memory_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return Error::unavailable("hashing the password ran out of memory");
  return std::string(out);
}

bool verify_password(const std::string& encoded, const std::string& password) {
  if (sodium_init() < 0) return false;
  if (encoded.rfind("$argon2id$", 0) != 0) return false;
  return crypto_pwhash_str_verify(encoded.c_str(), password.data(), password.size()) == 0;
}

Result<PasswordDenyList> load_password_deny_list(const std::string& data_dir) {
  const std::string path = (data_dir.empty() ? shipped_data_dir() : data_dir) + "/auth/common-passwords.txt";
  std::ifstream in(path);
  if (!in) return Error::invalid("passwords", fmt::format("cannot read the deny list {}", path));
  PasswordDenyList list;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) list.words.insert(lower_ascii(line));
  }
  return list;
}

Status check_new_password(const std::string& password, const std::string& username, const PasswordDenyList& deny,
                          const char* field) {
  const int length = code_points(password);
  if (length < kMinPasswordLength)
    return Error::invalid(field, fmt::format("is {} characters; at least {} are needed", length, kMinPasswordLength));
  if (length > kMaxPasswordLength)
    return Error::invalid(field, fmt::format("is {} characters; at most {} are taken", length, kMaxPasswordLength));
  const std::string lower = lower_ascii(password);
  if (deny.words.count(lower))
    return Error::invalid(field, "is on the list of common and breached passwords; choose another");
  if (!username.empty() && lower.find(lower_ascii(username)) != std::string::npos)
    return Error::invalid(field, "contains the username; choose another");
  if (std::all_of(password.begin(), password.end(), [&](char c) { return c == password[0]; }))
    return Error::invalid(field, "repeats one character; choose another");
  return {};
}

}  // namespace pingan::auth
